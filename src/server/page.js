// report-lint serve: the page's only script (served from /assets/page.js;
// the Content-Security-Policy allows no other). It never reads or inserts
// report text: findings and marks are plain links between fragments.
(function () {
  "use strict";
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var chosen = document.getElementById("chosen");
  function show(files) {
    if (!chosen || !files || files.length === 0) return;
    var names = [];
    for (var i = 0; i < files.length; i++) names.push(files[i].name);
    chosen.textContent = "已选择 " + files.length + " 个文件：" + names.join("、");
  }
  if (drop && input) {
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show(input.files);
      }
    });
    input.addEventListener("change", function () { show(input.files); });
  }
  // Following a link to a place or a finding flashes it, also the second time.
  function flash(id) {
    var el = document.getElementById(id);
    if (!el) return;
    var target = el.classList.contains("anchor") ? (el.nextElementSibling && el.nextElementSibling.tagName === "A" ? el.nextElementSibling : el.parentElement) : el;
    var old = document.querySelectorAll(".selected");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("selected");
    target.classList.remove("flash");
    void target.offsetWidth;
    target.classList.add("flash");
    if (target.classList.contains("finding")) target.classList.add("selected");
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='#']");
    if (!a) return;
    var id = a.getAttribute("href").slice(1);
    setTimeout(function () { flash(id); }, 0);
  });
})();

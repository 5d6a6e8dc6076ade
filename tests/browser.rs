//! The page of `report-lint serve` in a real browser: headless Chromium
//! (Debian's `chromium` and `chromium-driver`, installed by
//! `scripts/setup.sh`) driven through WebDriver — plain JSON over HTTP to
//! chromedriver. These tests fail, not skip, when the browser is missing.
//! Screenshots go to `target/browser/`.
//!
//! - a DOCX with a known table-3 error: the finding is listed; following it
//!   marks the right table cell;
//! - a hostile HTML report: no script of the report runs and no request
//!   leaves the page;
//! - a PDF, and a file that cannot be read (the CLI's message);
//! - several files at once: the table of files links to each report;
//! - the `--format html` file: the same page, opened from disk.

mod common;
mod docx_builder;

use base64::Engine as _;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn out_dir() -> PathBuf {
    let d = root().join("target/browser");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A child process killed when the test ends, however it ends.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

/// `report-lint serve` on a free port; returns the process and its address.
fn start_server() -> (Proc, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_report-lint"))
        .args(["serve", "--no-config", "--port", "0", "-j", "2"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start report-lint serve");
    let stdout = child.stdout.take().unwrap();
    let proc = Proc(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (proc, url)
}

/// A WebDriver session on a headless Chromium of its own.
struct Browser {
    _driver: Proc,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: PathBuf,
}

impl Browser {
    fn start() -> Browser {
        let driver = which("chromedriver").unwrap_or_else(|| {
            panic!("chromedriver not found: run scripts/setup.sh (apt-get install chromium chromium-driver fonts-wqy-microhei)")
        });
        let chromium = ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|b| which(b))
            .unwrap_or_else(|| panic!("chromium not found: run scripts/setup.sh"));
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Proc(child);
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let started = Instant::now();
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile =
            std::env::temp_dir().join(format!("rl-chromium-{}-{}", std::process::id(), port));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1400,1000", "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let mut resp = agent
            .post(&format!("{base}/session"))
            .send_json(&caps)
            .expect("new session");
        let v: Value = resp.body_mut().read_json().unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Browser {
            _driver: driver,
            base,
            session,
            agent,
            _profile: profile,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let mut resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self.agent.post(&url).send_json(b.unwrap_or(json!({}))),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status();
        let v: Value = resp.body_mut().read_json().unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {path}: {status} {v}");
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), None);
    }

    /// Type into a file input: one path per line for several files.
    fn upload(&self, css: &str, files: &[PathBuf]) {
        let e = self.find(css);
        let text = files
            .iter()
            .map(|p| p.canonicalize().unwrap().display().to_string())
            .collect::<Vec<_>>()
            .join("\n");
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn js(&self, script: &str) -> Value {
        self.js_with(script, json!([]))
    }

    fn js_with(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Wait until `script` returns true.
    fn wait_for(&self, script: &str) {
        let started = Instant::now();
        while self.js(script) != json!(true) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "timed out waiting for {script}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, name: &str) {
        let v = self.cmd("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        std::fs::write(out_dir().join(name), png).unwrap();
    }

    /// Upload `files` with the page's form and wait for the results.
    fn check(&self, server: &str, files: &[PathBuf]) {
        self.goto(&format!("{server}/"));
        self.upload("#file", files);
        self.click("#go");
        self.wait_for("return document.querySelector('section.report') !== null || document.querySelector('.banner.unreadable') !== null;");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(&format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = std::fs::remove_dir_all(&self._profile);
    }
}

/// Seed 000 as a Word draft, with 结转下年度 / 自然人 changed from 0 to 2:
/// table 3 no longer balances (t3-balance on （七）总计 / 自然人).
fn t3_error_docx() -> PathBuf {
    let seed = std::fs::read_to_string(root().join("fixtures/seeds/000.txt")).unwrap();
    let broken = seed.replace(
        "四、结转下年度继续办理 | 0 |",
        "四、结转下年度继续办理 | 2 |",
    );
    assert_ne!(broken, seed);
    let path = out_dir().join("t3-error.docx");
    std::fs::write(&path, docx_builder::seed::seed_to_docx(&broken)).unwrap();
    path
}

#[test]
fn a_table_3_error_in_a_docx_is_shown_at_its_cell() {
    let (_server, url) = start_server();
    let b = Browser::start();
    b.check(&url, &[t3_error_docx()]);
    b.screenshot("docx-t3-page.png");
    // The finding is listed, with its help.
    let listed = b.js(
        "var f = [...document.querySelectorAll('.finding.error')].find(e => e.textContent.includes('t3-balance'));
         return f ? f.textContent : null;",
    );
    let listed = listed.as_str().expect("a t3-balance finding in the panel");
    assert!(listed.contains("自然人列"), "{listed}");
    assert!(listed.contains("怎么改"), "{listed}");
    // Follow it to its place: the most likely wrong cell, the changed
    // 结转下年度 / 自然人 (its change alone repairs every broken identity),
    // shaded as an error (and flashing, as the link was just followed).
    let id = b.js(
        "var f = [...document.querySelectorAll('.finding.error')].find(e => e.textContent.includes('t3-balance'));
         return f.id;",
    );
    let id = id.as_str().unwrap().to_string();
    b.click(&format!("#{id} .where a"));
    let target = b.js("var a = document.querySelector(':target');
         var td = a && a.closest('td');
         if (!td) return null;
         var tr = td.closest('tr');
         return { hash: location.hash, cls: td.className, text: td.textContent,
                  row: tr.querySelector('th').textContent,
                  top: td.getBoundingClientRect().top, height: window.innerHeight };");
    assert!(
        target.is_object(),
        "the link lands in a table cell: {target}"
    );
    assert!(
        target["cls"].as_str().unwrap().starts_with("num m error"),
        "{target}"
    );
    assert_eq!(target["text"], "2", "{target}");
    assert!(
        target["row"].as_str().unwrap().contains("结转下年度"),
        "{target}"
    );
    let top = target["top"].as_f64().unwrap();
    assert!(
        top >= 0.0 && top < target["height"].as_f64().unwrap(),
        "scrolled into view: {target}"
    );
    // The page's script flashes the place the link led to.
    let flashing = b.js("var f = document.querySelector('.flash'); return f ? f.tagName + ' ' + f.textContent : null;");
    assert!(
        flashing.as_str().is_some_and(|f| f.ends_with('2')),
        "the cell flashes: {flashing}"
    );
    b.screenshot("docx-t3-cell.png");
    // Clicking the marked cell shows its finding.
    b.js(
        "document.querySelector(':target').closest('td').querySelector('a').click(); return true;",
    );
    let shown = b.js("var t = document.querySelector(':target'); return t ? t.id : null;");
    assert_eq!(shown.as_str(), Some(id.as_str()));
    b.screenshot("docx-t3-finding.png");
}

#[test]
fn a_hostile_report_runs_nothing_and_loads_nothing() {
    let (_server, url) = start_server();
    let b = Browser::start();
    b.check(&url, &[root().join("fixtures/inputs/html/hostile.html")]);
    b.screenshot("hostile.png");
    let r = b.js(
        "return { pwned: window.pwned === undefined ? null : window.pwned,
                  title: document.title,
                  imgs: document.querySelectorAll('img, iframe, svg, object, embed, form[action^=http]').length,
                  text: document.querySelector('.doc').textContent,
                  resources: performance.getEntriesByType('resource').map(e => e.name),
                  location: location.href };",
    );
    assert_eq!(r["pwned"], Value::Null, "no script of the report ran: {r}");
    assert_eq!(r["imgs"], 0, "{r}");
    assert!(r["location"].as_str().unwrap().starts_with(&url), "{r}");
    assert!(r["title"].as_str().unwrap().contains("report-lint"), "{r}");
    let text = r["text"].as_str().unwrap();
    assert!(
        text.contains("<img src=x onerror=\"window.pwned=3\">"),
        "shown as text"
    );
    assert!(
        text.contains("<script>window.pwned=4</script>"),
        "shown as text"
    );
    for res in r["resources"].as_array().unwrap() {
        assert!(
            res.as_str().unwrap().starts_with(&url),
            "a request left the page: {res}"
        );
    }
    // The page's own style and script did load (the CSP allows them).
    let styled = b.js("return getComputedStyle(document.querySelector('.top')).backgroundColor;");
    assert_eq!(styled, "rgb(32, 52, 79)");
}

#[test]
fn a_pdf_and_an_unreadable_file_and_several_files() {
    let (_server, url) = start_server();
    let b = Browser::start();
    // A PDF report, through pdftotext.
    b.check(&url, &[root().join("fixtures/inputs/pdf/001.pdf")]);
    let r = b.js(
        "return { meta: document.querySelector('.report-head .meta').textContent,
                  tables: document.querySelectorAll('.doc table').length,
                  findings: document.querySelectorAll('.finding').length };",
    );
    assert!(r["meta"].as_str().unwrap().contains("PDF"), "{r}");
    assert!(r["tables"].as_u64().unwrap() >= 2, "tables drawn: {r}");
    b.screenshot("pdf.png");

    // A file that cannot be read: the CLI's message, on the page.
    let o = common::run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/inputs/binary.bin",
    ]);
    let cli: Value = serde_json::from_slice(&o.stdout).unwrap();
    let message = cli["files"][0]["error"].as_str().unwrap().to_string();
    b.check(&url, &[root().join("fixtures/inputs/binary.bin")]);
    let shown = b.js("return document.querySelector('.banner.unreadable').textContent;");
    assert!(
        shown.as_str().unwrap().contains(&message),
        "{shown} should contain {message}"
    );
    b.screenshot("unreadable.png");

    // Several files: the table of files, each row linking to its report.
    let files = [
        root().join("fixtures/seeds/001.txt"),
        root().join("fixtures/inputs/docx/seed-000.docx"),
        root().join("fixtures/inputs/html/007.html"),
        root().join("fixtures/inputs/empty.txt"),
    ];
    b.check(&url, &files);
    let rows = b.js(
        "return [...document.querySelectorAll('table.files tbody tr')].map(tr =>
           [...tr.querySelectorAll('td')].map(td => td.textContent));",
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[0][0], "001.txt");
    assert_eq!(rows[0][1], "平凉市崆峒区");
    assert_eq!(rows[0][2], "2021");
    assert_eq!(rows[0][6], "需要修改");
    assert_eq!(rows[3][6], "无法读取");
    b.screenshot("several.png");
    b.click("table.files tbody tr:nth-child(3) a");
    let landed = b.js("var t = document.querySelector(':target');
         return t ? t.querySelector('h2').textContent : null;");
    assert_eq!(landed, "007.html");
}

#[test]
fn the_html_file_is_the_same_page_offline() {
    let out = out_dir().join("report.html");
    let o = common::run(&[
        "check",
        "--no-config",
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
        "fixtures/seeds/001.txt",
        "fixtures/inputs/html/hostile.html",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let b = Browser::start();
    b.goto(&format!("file://{}", out.display()));
    b.wait_for("return document.readyState === 'complete';");
    let r = b.js(
        "return { pwned: window.pwned === undefined ? null : window.pwned,
                  reports: document.querySelectorAll('section.report').length,
                  marks: document.querySelectorAll('.doc a.m, .doc td.m, .doc a.pin').length,
                  scripts: document.scripts.length,
                  resources: performance.getEntriesByType('resource').length };",
    );
    assert_eq!(r["pwned"], Value::Null, "{r}");
    assert_eq!(r["reports"], 2, "{r}");
    assert!(r["marks"].as_u64().unwrap() > 3, "{r}");
    assert_eq!(r["scripts"], 0, "{r}");
    assert_eq!(r["resources"], 0, "{r}");
    b.screenshot("html-file.png");
}

#[test]
fn a_file_dropped_on_the_form_is_checked() {
    let (_server, url) = start_server();
    let b = Browser::start();
    b.goto(&format!("{url}/"));
    let text = std::fs::read_to_string(root().join("fixtures/seeds/001.txt")).unwrap();
    // What a browser does when a file is dragged from the desktop onto the form.
    let chosen = b.js_with(
        "var dt = new DataTransfer();
         dt.items.add(new File([arguments[0]], '崆峒区2021.txt', {type: 'text/plain'}));
         var drop = document.getElementById('drop');
         drop.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
         var over = drop.classList.contains('over');
         drop.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
         return [over, document.getElementById('file').files.length, document.getElementById('chosen').textContent];",
        json!([text]),
    );
    assert_eq!(chosen[0], true, "the drop zone lights up: {chosen}");
    assert_eq!(chosen[1], 1, "{chosen}");
    assert!(
        chosen[2].as_str().unwrap().contains("崆峒区2021.txt"),
        "{chosen}"
    );
    b.screenshot("dropped.png");
    b.click("#go");
    b.wait_for("return document.querySelector('section.report') !== null;");
    let r = b.js(
        "return [document.querySelector('section.report h2').textContent,
                 document.querySelectorAll('.finding.error').length];",
    );
    assert_eq!(r[0], "崆峒区2021.txt");
    assert_eq!(r[1], 2, "{r}");
}

//! Checking reports on the web: addresses, column pages, wrapper pages with
//! attachments, and every way a fetch can fail, against a server the test
//! starts on 127.0.0.1 (tests/common/http_server.rs), never an outside address.

mod common;
#[path = "common/http_server.rs"]
mod http_server;

use http_server::{Reply, Server};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(p: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap()
}

const HTML: Option<&str> = Some("text/html; charset=utf-8");

fn page(body: &str) -> Reply {
    Reply::Body(
        HTML,
        format!(
            "<!DOCTYPE html><html><head><title>信息公开</title></head><body>{body}</body></html>"
        )
        .into_bytes(),
    )
}

/// The fixture site: a column of reports over two pages, report pages, a
/// wrapper page with a PDF and a DOCX attachment, a GBK page served without
/// a charset, and the failures.
fn site() -> Server {
    let r = |p: &str, reply: Reply| (p.to_string(), reply);
    Server::start(vec![
        r(
            "/robots.txt",
            Reply::Body(
                Some("text/plain"),
                b"User-agent: *\nDisallow: /private/\n".to_vec(),
            ),
        ),
        r(
            "/col/index.html",
            page(
                r#"<ul><li><a href="/reports/a.html">某某局2024年政府信息公开工作年度报告</a></li>
                <li><a href="../reports/b.html" title="某某区2023年政府信息公开工作年度报告">某某区2023年…</a></li>
                <li><a href="/news/1.html">工作动态</a></li></ul>
                <div class="page"><a href="index_1.html">下一页</a></div>"#,
            ),
        ),
        r(
            "/col/index_1.html",
            page(
                r#"<ul><li><a href="/reports/wrapper.html">2022年年报</a></li>
                <li><a href="/private/c.html">2021年年报</a></li></ul>
                <div class="page"><a href="index.html">上一页</a></div>"#,
            ),
        ),
        r(
            "/reports/a.html",
            Reply::Body(HTML, fixture("fixtures/inputs/html/seed-000.html")),
        ),
        r(
            "/reports/b.html",
            Reply::Body(HTML, fixture("fixtures/inputs/html/seed-002.html")),
        ),
        r(
            "/reports/gbk.html",
            Reply::Body(
                Some("text/html"),
                fixture("fixtures/inputs/encodings/gbk-nometa-000.html"),
            ),
        ),
        r(
            "/reports/wrapper.html",
            page(
                r#"<h1>某某局2022年政府信息公开工作年度报告</h1><p>发布日期：2023-01-20</p>
                <p>附件：<a href="/files/report.pdf">2022年政府信息公开工作年度报告.pdf</a>
                <a href="/files/report.docx">2022年政府信息公开工作年度报告.docx</a></p>"#,
            ),
        ),
        r(
            "/reports/wps-wrapper.html",
            page(r#"<p>附件：<a href="/files/old.wps">2019年政府信息公开工作年度报告.wps</a></p>"#),
        ),
        r(
            "/files/old.wps",
            Reply::Body(
                Some("application/octet-stream"),
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 wps".to_vec(),
            ),
        ),
        r(
            "/reports/doc-wrapper.html",
            page(r#"<p>附件：<a href="/files/old.doc">2019年年报.doc</a></p>"#),
        ),
        r(
            "/files/report.pdf",
            Reply::Body(
                Some("application/pdf"),
                fixture("fixtures/inputs/pdf/001.pdf"),
            ),
        ),
        r(
            "/files/report.docx",
            Reply::Body(
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                fixture("fixtures/inputs/docx/seed-000.docx"),
            ),
        ),
        r(
            "/files/old.doc",
            Reply::Body(
                Some("application/msword"),
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old".to_vec(),
            ),
        ),
        r(
            "/private/c.html",
            Reply::Body(HTML, fixture("fixtures/inputs/html/seed-000.html")),
        ),
        r(
            "/xy/hongze-2023.txt",
            Reply::Body(
                Some("text/plain; charset=utf-8"),
                fixture("fixtures/crossyear/hongze-2023.txt"),
            ),
        ),
        r(
            "/xy/hongze-2024.txt",
            Reply::Body(
                Some("text/plain; charset=utf-8"),
                fixture("fixtures/crossyear/hongze-2024.txt"),
            ),
        ),
        r("/loop/a", Reply::Redirect("/loop/b".into())),
        r("/loop/b", Reply::Redirect("/loop/a".into())),
        r("/moved", Reply::Redirect("/reports/a.html".into())),
        r("/hang", Reply::Hang),
        r("/big", Reply::Body(HTML, vec![b'x'; 2 * 1024 * 1024 + 1])),
        r("/big-unsized", Reply::Unsized(2 * 1024 * 1024 + 1)),
        r("/error", Reply::Status(500)),
        r("/news/not-a-report.html", page("<p>今天天气很好。</p>")),
    ])
}

/// A fresh cache folder for one test.
fn cache(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rl-fetch-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Run `check` with a test cache, no delay and a short timeout, and no proxy
/// from the environment (the server is on 127.0.0.1).
fn check(cache: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_report-lint"));
    cmd.args(["check", "--no-config", "--cache-dir"])
        .arg(cache)
        .args(["--fetch-timeout", "5"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    for v in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(v);
    }
    if !args.contains(&"--fetch-delay") {
        cmd.args(["--fetch-delay", "0"]);
    }
    cmd.output().expect("run report-lint")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&common::stdout(o)).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            common::stdout(o),
            common::stderr(o)
        )
    })
}

fn files(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["files"].as_array().unwrap().clone()
}

/// The rules that fired on a file entry, sorted.
fn rules(f: &serde_json::Value) -> Vec<String> {
    let mut r: Vec<String> = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    r.sort();
    r
}

/// The same report checked as a local file.
fn local(path: &str) -> serde_json::Value {
    json(&common::run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        path,
    ]))
}

#[test]
fn a_report_page_is_checked_like_the_saved_page_under_its_address() {
    let s = site();
    let c = cache("page");
    let url = s.url("/reports/a.html");
    let v = json(&check(&c, &["--format", "json", &url]));
    let f = &files(&v)[0];
    assert_eq!(f["path"], url.as_str());
    assert!(f.get("error").is_none_or(|e| e.is_null()), "{f}");
    let expected = &files(&local("fixtures/inputs/html/seed-000.html"))[0];
    assert_eq!(rules(f), rules(expected));
    assert!(!rules(f).is_empty());
    // Polite: robots.txt first, a User-Agent naming report-lint and its version.
    let hits = s.hits();
    assert_eq!(hits[0].path, "/robots.txt");
    let ua = &s.hits_of("/reports/a.html")[0].user_agent;
    assert!(
        ua.starts_with(&format!("report-lint/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    // The human output names the address as the file.
    let o = check(&c, &[&url]);
    assert!(
        common::stdout(&o).contains(&format!("--> {url}:")),
        "{}",
        common::stdout(&o)
    );
}

#[test]
fn a_gbk_page_without_a_charset_header_is_read_as_gbk() {
    let s = site();
    let url = s.url("/reports/gbk.html");
    let v = json(&check(&cache("gbk"), &["--format", "json", &url]));
    let f = &files(&v)[0];
    assert_eq!(f["path"], url.as_str());
    let expected = &files(&local("fixtures/inputs/encodings/gbk-nometa-000.html"))[0];
    assert_eq!(rules(f), rules(expected));
    assert!(!rules(f).contains(&"encoding-garbage".to_string()), "{f}");
}

#[test]
fn a_wrapper_page_is_replaced_by_its_docx_attachment_naming_both_addresses() {
    let s = site();
    let page = s.url("/reports/wrapper.html");
    let docx = s.url("/files/report.docx");
    let v = json(&check(&cache("wrapper"), &["--format", "json", &page]));
    let f = &files(&v)[0];
    assert_eq!(f["path"], docx.as_str(), "{f}");
    let notice = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "input-notice" && d["message"].as_str().unwrap().contains("附件"))
        .expect("a notice naming the page");
    let msg = notice["message"].as_str().unwrap();
    assert!(msg.contains(&page) && msg.contains(&docx), "{msg}");
    // The rest is what the DOCX gives as a file.
    let mut expected = rules(&files(&local("fixtures/inputs/docx/seed-000.docx"))[0]);
    expected.push("input-notice".into());
    expected.sort();
    assert_eq!(rules(f), expected);
    // The PDF beside it was not downloaded.
    assert!(s.hits_of("/files/report.pdf").is_empty());
}

#[test]
fn an_index_is_followed_over_its_pages_within_robots() {
    let s = site();
    let v = json(&check(
        &cache("index"),
        &["--format", "json", "--index", &s.url("/col/index.html")],
    ));
    // Checked oldest year first, as the links name them (2022, 2023, 2024).
    let order: Vec<String> = files(&v)
        .iter()
        .filter(|f| f.get("error").is_none_or(|e| e.is_null()))
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        order,
        [
            s.url("/files/report.docx"),
            s.url("/reports/b.html"),
            s.url("/reports/a.html")
        ]
    );
    let mut paths: Vec<(String, bool)> = files(&v)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f.get("error").is_some_and(|e| !e.is_null()),
            )
        })
        .collect();
    paths.sort();
    let mut expected = vec![
        (s.url("/files/report.docx"), false),
        (s.url("/private/c.html"), true),
        (s.url("/reports/a.html"), false),
        (s.url("/reports/b.html"), false),
    ];
    expected.sort();
    assert_eq!(paths, expected);
    let private = files(&v)
        .into_iter()
        .find(|f| f["path"] == s.url("/private/c.html").as_str())
        .unwrap();
    assert!(
        private["error"].as_str().unwrap().contains("robots.txt"),
        "{private}"
    );
    assert!(s.hits_of("/private/c.html").is_empty(), "never requested");
    assert!(s.hits_of("/news/1.html").is_empty(), "not a report link");
    // Each column page once: the 上一页 link back is not followed again.
    assert_eq!(s.hits_of("/col/index.html").len(), 1);
    assert_eq!(s.hits_of("/col/index_1.html").len(), 1);
}

#[test]
fn every_failure_is_one_entry_naming_the_address_and_the_batch_goes_on() {
    let s = site();
    // A port nothing listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let refused = format!("http://{closed}/report.html");
    let cases = [
        (s.url("/loop/a"), "重定向超过 5 次"),
        (s.url("/missing.html"), "HTTP 404"),
        (s.url("/error"), "HTTP 500"),
        (s.url("/hang"), "超时"),
        (s.url("/big"), "大小上限"),
        (s.url("/big-unsized"), "大小上限"),
        (s.url("/reports/doc-wrapper.html"), "DOC (Word 97-2003)"),
        (s.url("/reports/wps-wrapper.html"), "WPS 文字"),
        (s.url("/news/not-a-report.html"), "没有找到年度报告正文"),
        (refused.clone(), "连接被拒绝"),
        ("ftp://127.0.0.1/a.pdf".to_string(), "只支持 http 和 https"),
        (
            format!("http://user:pw@{}/reports/a.html", s.addr),
            "用户名或密码",
        ),
    ];
    let mut args: Vec<&str> = vec!["--format", "json", "--fetch-max-mib", "1"];
    args.extend(cases.iter().map(|(u, _)| u.as_str()));
    let good = s.url("/moved");
    args.push(&good);
    let o = check(&cache("fail"), &args);
    assert_eq!(o.status.code(), Some(2), "unreadable addresses: exit 2");
    let v = json(&o);
    let all = files(&v);
    for (url, cause) in &cases {
        let entries: Vec<_> = all
            .iter()
            .filter(|f| {
                let p = f["path"].as_str().unwrap();
                p == url
                    || (url.ends_with("doc-wrapper.html") && p.ends_with("/files/old.doc"))
                    || (url.ends_with("wps-wrapper.html") && p.ends_with("/files/old.wps"))
            })
            .collect();
        assert_eq!(entries.len(), 1, "{url}: {all:?}");
        let err = entries[0]["error"].as_str().unwrap_or("");
        assert!(err.contains(cause), "{url}: {err}");
    }
    // The redirected address is checked under the address asked for.
    let moved = all.iter().find(|f| f["path"] == good.as_str()).unwrap();
    assert!(moved.get("error").is_none_or(|e| e.is_null()), "{moved}");
    assert!(!rules(moved).is_empty());
    // No cookie set by the server is sent back, no credentials are sent.
    assert!(s
        .hits()
        .iter()
        .all(|h| h.cookie.is_none() && h.authorization.is_none()));
    let unreadable = all
        .iter()
        .filter(|f| f.get("error").is_some_and(|e| !e.is_null()))
        .count();
    assert_eq!(unreadable, cases.len());
}

#[test]
fn a_second_run_uses_the_cache_and_revalidates_an_old_entry() {
    let s = site();
    let c = cache("again");
    let url = s.url("/reports/a.html");
    let first = json(&check(&c, &["--format", "json", &url]));
    assert_eq!(s.hits_of("/reports/a.html").len(), 1);
    let second = json(&check(&c, &["--format", "json", &url]));
    assert_eq!(
        s.hits_of("/reports/a.html").len(),
        1,
        "same day: no request"
    );
    assert_eq!(first["files"], second["files"]);
    // An entry from an earlier day is revalidated with its ETag: 304, no body.
    for e in std::fs::read_dir(&c).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "json") {
            let mut m: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            m["fetched"] = 0.into();
            std::fs::write(&p, m.to_string()).unwrap();
        }
    }
    let third = json(&check(&c, &["--format", "json", &url]));
    let hits = s.hits_of("/reports/a.html");
    assert_eq!(hits.len(), 2);
    assert!(hits[1].if_none_match.is_some(), "conditional request");
    assert_eq!(first["files"], third["files"]);
    // --no-cache downloads again and leaves nothing behind.
    check(&c, &["--no-cache", "--format", "json", &url]);
    assert_eq!(s.hits_of("/reports/a.html").len(), 3);
    assert!(s.hits_of("/reports/a.html")[2].if_none_match.is_none());
}

#[test]
fn fetched_reports_are_paired_across_years_and_urls_files_are_read() {
    let s = site();
    let dir = cache("xy-list");
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("urls.txt");
    std::fs::write(
        &list,
        format!(
            "# 洪泽区\n{}\n\n{}\n",
            s.url("/xy/hongze-2024.txt"),
            s.url("/xy/hongze-2023.txt")
        ),
    )
    .unwrap();
    let v = json(&check(
        &cache("xy"),
        &["--format", "json", "--urls", list.to_str().unwrap()],
    ));
    let cur = files(&v)
        .into_iter()
        .find(|f| f["path"] == s.url("/xy/hongze-2024.txt").as_str())
        .unwrap();
    let copied: Vec<_> = cur["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "copied-from-previous-year")
        .collect();
    assert_eq!(copied.len(), 2, "{cur}");
    assert_eq!(
        copied[0]["labels"][0]["path"],
        s.url("/xy/hongze-2023.txt").as_str()
    );
}

#[test]
fn requests_to_one_site_are_spaced_and_at_most_two_at_a_time() {
    let s = site();
    let urls: Vec<String> = [
        "/reports/a.html",
        "/reports/b.html",
        "/reports/gbk.html",
        "/moved",
    ]
    .iter()
    .map(|p| s.url(p))
    .collect();
    let mut args = vec!["--format", "json", "--fetch-delay", "300"];
    args.extend(urls.iter().map(String::as_str));
    check(&cache("polite"), &args);
    let mut starts: Vec<_> = s.hits().iter().map(|h| h.at).collect();
    starts.sort();
    assert!(starts.len() >= 5);
    for w in starts.windows(2) {
        assert!(
            w[1].duration_since(w[0]) >= std::time::Duration::from_millis(150),
            "requests closer than the delay: {:?}",
            s.hits()
                .iter()
                .map(|h| (h.path.clone(), h.at.duration_since(starts[0])))
                .collect::<Vec<_>>()
        );
    }
    assert!(s.max_concurrent.load(std::sync::atomic::Ordering::SeqCst) <= 2);
}

#[test]
fn an_unreadable_urls_file_is_a_usage_error_naming_it() {
    let o = check(&cache("nolist"), &["--urls", "no/such/list.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::stderr(&o);
    assert!(
        err.contains("no/such/list.txt") && err.contains("--urls"),
        "{err}"
    );
}

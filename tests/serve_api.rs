//! The HTTP API and page of `report-lint serve`, called in-process on the
//! server's router (the same routes, limits and headers `serve` runs): each
//! endpoint, status codes, the size limit, a corrupt file, an empty body, a
//! hostile report, and 20 uploads at once.

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use report_lint::config::Config;
use report_lint::engine::{RuleOptions, RuleSet};
use report_lint::server::{router, AppState, ServeOptions};
use serde_json::Value;
use std::time::Duration;
use tower::ServiceExt;

fn app(opts: ServeOptions) -> axum::Router {
    router(AppState::new(
        Config::default(),
        RuleSet::load(&RuleOptions::default()),
        opts,
    ))
}

fn default_app() -> axum::Router {
    app(ServeOptions {
        jobs: 2,
        ..ServeOptions::default()
    })
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

const BOUNDARY: &str = "----report-lint-test-7d1f";

/// A multipart/form-data body: (field, file name, bytes).
fn multipart(parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, name, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn post_form(uri: &str, parts: &[(&str, &str, &[u8])]) -> Request<Body> {
    Request::post(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(parts)))
        .unwrap()
}

async fn send(
    app: axum::Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(body));
    })
}

/// The CLI's JSON document for the same file.
fn cli_json(path: &str) -> Value {
    let o = common::run(&["check", "--no-config", "--format", "json", path]);
    serde_json::from_slice(&o.stdout).unwrap()
}

#[tokio::test]
async fn healthz_answers_ok() {
    let (status, _, body) = send(
        default_app(),
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, b"ok");
}

#[tokio::test]
async fn api_check_answers_the_json_of_check() {
    // A multipart upload gives the CLI's document for the same file, its
    // path being the uploaded name.
    let (status, headers, body) = send(
        default_app(),
        post_form(
            "/api/check",
            &[("file", "001.txt", &fixture("fixtures/seeds/001.txt"))],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let mut api = json(&body);
    let mut cli = cli_json("fixtures/seeds/001.txt");
    assert_eq!(api["files"][0]["path"], "001.txt");
    api["files"][0]["path"] = Value::Null;
    cli["files"][0]["path"] = Value::Null;
    assert_eq!(api, cli);
    assert!(api["summary"]["errors"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn api_check_takes_a_raw_body_named_by_a_header() {
    let (status, _, body) = send(
        default_app(),
        Request::post("/api/check")
            .header("x-file-name", "%E8%8D%89%E7%A8%BF.docx")
            .body(Body::from(fixture("fixtures/inputs/docx/seed-000.docx")))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let api = json(&body);
    let cli = cli_json("fixtures/inputs/docx/seed-000.docx");
    assert_eq!(api["files"][0]["path"], "草稿.docx");
    assert_eq!(
        api["files"][0]["diagnostics"],
        cli["files"][0]["diagnostics"]
    );
    assert_eq!(api["summary"], cli["summary"]);
}

#[tokio::test]
async fn a_corrupt_file_gets_the_message_the_cli_gives() {
    let mut docx = fixture("fixtures/inputs/docx/seed-000.docx");
    docx.truncate(2000);
    let dir = std::env::temp_dir().join(format!("rl-serve-corrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.docx");
    std::fs::write(&path, &docx).unwrap();
    let cli = cli_json(path.to_str().unwrap());
    std::fs::remove_dir_all(&dir).unwrap();

    let (status, _, body) = send(
        default_app(),
        post_form("/api/check", &[("file", "broken.docx", &docx)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "an unreadable report is a result");
    let api = json(&body);
    assert_eq!(api["files"][0]["status"], "error");
    let msg = api["files"][0]["error"].as_str().unwrap();
    assert_eq!(msg, cli["files"][0]["error"].as_str().unwrap());
    assert!(msg.contains("DOCX"), "{msg}");
    assert_eq!(api["summary"]["failed"], 1);
}

#[tokio::test]
async fn empty_and_malformed_requests_get_a_chinese_4xx() {
    let (status, _, body) = send(
        default_app(),
        Request::post("/api/check").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("请求体为空"));

    // Multipart without a boundary.
    let (status, _, body) = send(
        default_app(),
        Request::post("/api/check")
            .header("content-type", "multipart/form-data")
            .body(Body::from("garbage"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json(&body)["error"].as_str().unwrap().contains("表单"));

    // A form without a file.
    let (status, _, body) = send(
        default_app(),
        post_form("/api/check", &[("other", "x.txt", b"abc")]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json(&body)["error"].as_str().unwrap().contains("没有文件"));

    // A truncated multipart body.
    let mut body = multipart(&[("file", "a.txt", b"abc")]);
    body.truncate(body.len() - 12);
    let (status, _, _) = send(
        default_app(),
        Request::post("/api/check")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _, body) = send(
        default_app(),
        Request::get("/api/check").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(json(&body)["error"].as_str().is_some());

    let (status, _, body) = send(
        default_app(),
        Request::get("/nothing-here").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("没有这个地址"));

    // The form page without a file: a page, not JSON.
    let (status, headers, body) =
        send(default_app(), post_form("/check", &[("file", "", b"")])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(String::from_utf8_lossy(&body).contains("没有选择文件"));
}

#[tokio::test]
async fn uploads_over_the_limit_get_413() {
    let small = || {
        app(ServeOptions {
            max_upload: 1024 * 1024,
            jobs: 1,
            ..ServeOptions::default()
        })
    };
    let big = vec![b'a'; 1024 * 1024 + 10];
    let (status, _, body) = send(
        small(),
        Request::post("/api/check")
            .header("x-file-name", "big.txt")
            .body(Body::from(big.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(&body)["error"].as_str().unwrap().contains("上限 1 MB"));

    let (status, _, body) = send(
        small(),
        post_form("/api/check", &[("file", "big.txt", &big)]),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(&body)["error"].as_str().unwrap().contains("过大"));

    let (status, _, body) = send(small(), post_form("/check", &[("file", "big.txt", &big)])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(String::from_utf8_lossy(&body).contains("过大"));
}

#[tokio::test]
async fn a_check_over_the_time_limit_gets_503() {
    let app = app(ServeOptions {
        timeout: Duration::ZERO,
        jobs: 1,
        ..ServeOptions::default()
    });
    let (status, _, body) = send(
        app,
        post_form(
            "/api/check",
            &[("file", "001.txt", &fixture("fixtures/seeds/001.txt"))],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(json(&body)["error"].as_str().unwrap().contains("超时"));
}

#[tokio::test]
async fn rules_and_rule_pages() {
    let (status, _, body) = send(
        default_app(),
        Request::get("/api/rules").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let rules = json(&body);
    let all = rules.as_array().unwrap();
    let rs = RuleSet::load(&RuleOptions::default());
    assert_eq!(all.len(), rs.rules.len());
    let t3 = all.iter().find(|r| r["id"] == "t3-balance").unwrap();
    assert_eq!(t3["level"], "error");
    assert_eq!(t3["family"], "arithmetic");

    let (status, headers, body) = send(
        default_app(),
        Request::get("/api/rules/t3-balance")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    assert_eq!(
        String::from_utf8(body).unwrap(),
        rs.explain("t3-balance").unwrap()
    );

    let (status, _, body) = send(
        default_app(),
        Request::get("/api/rules/t3").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("t3-balance"));
}

#[tokio::test]
async fn a_previous_report_that_cannot_be_read_is_named() {
    let (status, _, body) = send(
        default_app(),
        post_form(
            "/api/check",
            &[
                ("file", "001.txt", &fixture("fixtures/seeds/001.txt")),
                (
                    "previous",
                    "2020.bin",
                    &fixture("fixtures/inputs/binary.bin"),
                ),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = json(&body)["error"].as_str().unwrap().to_string();
    assert!(msg.contains("去年的报告 2020.bin 无法读取"), "{msg}");
}

#[tokio::test]
async fn twenty_uploads_at_once_are_all_answered() {
    let app = app(ServeOptions {
        jobs: 2,
        ..ServeOptions::default()
    });
    let seeds: Vec<(String, Vec<u8>, Value)> = (0..5)
        .map(|i| {
            let p = format!("fixtures/seeds/00{i}.txt");
            let cli = cli_json(&p);
            (format!("00{i}.txt"), fixture(&p), cli)
        })
        .collect();
    let mut tasks = Vec::new();
    for n in 0..20 {
        let (name, bytes, _) = seeds[n % 5].clone();
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let name = format!("{n}-{name}");
            send(app, post_form("/api/check", &[("file", &name, &bytes)])).await
        }));
    }
    for (n, t) in tasks.into_iter().enumerate() {
        let (status, _, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "upload {n}");
        let api = json(&body);
        let (name, _, cli) = &seeds[n % 5];
        assert_eq!(api["files"][0]["path"], format!("{n}-{name}"));
        assert_eq!(
            api["files"][0]["diagnostics"], cli["files"][0]["diagnostics"],
            "upload {n}"
        );
    }
}

#[tokio::test]
async fn the_page_shows_a_hostile_report_as_text() {
    let (status, headers, body) = send(
        default_app(),
        post_form(
            "/check",
            &[(
                "file",
                "hostile.html",
                &fixture("fixtures/inputs/html/hostile.html"),
            )],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    let page = String::from_utf8(body).unwrap();
    // The report's own markup, shown as text.
    assert!(page.contains("&lt;img src=x onerror="), "escaped");
    assert!(!page.contains("<img"), "no image element at all");
    assert!(!page.contains("<iframe") && !page.contains("<style"));
    // Every link stays on the page (a finding, a place) or on the server.
    for href in page.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#') || href.starts_with("assets/"),
            "{}",
            &href[..40.min(href.len())]
        );
    }
    // The only script is the page's own file.
    assert_eq!(page.matches("<script").count(), 1);
    assert!(page.contains(r#"<script src="assets/page.js" defer></script>"#));
    assert!(!page.contains(" style="), "no inline style");
}

#[tokio::test]
async fn assets_are_served_from_the_binary() {
    for (path, kind) in [
        ("/assets/report.css", "text/css"),
        ("/assets/page.js", "text/javascript"),
        ("/", "text/html"),
    ] {
        let (status, headers, body) = send(
            default_app(),
            Request::get(path).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(headers["content-type"].to_str().unwrap().starts_with(kind));
        assert!(!body.is_empty());
    }
    let (_, _, page) = send(
        default_app(),
        Request::get("/").body(Body::empty()).unwrap(),
    )
    .await;
    let page = String::from_utf8(page).unwrap();
    // Relative addresses: the page also works behind a proxy at a sub-path.
    assert!(page.contains(r#"name="file""#) && page.contains(r#"action="check""#));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from outside"
    );
}

#[tokio::test]
async fn last_years_report_gives_the_cross_year_findings_of_previous() {
    let prev = "fixtures/crossyear/hongze-2023.txt";
    let cur = "fixtures/crossyear/hongze-2024.txt";
    let o = common::run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--previous",
        prev,
        cur,
    ]);
    let cli: Value = serde_json::from_slice(&o.stdout).unwrap();
    let (status, _, body) = send(
        default_app(),
        post_form(
            "/api/check",
            &[
                ("file", "hongze-2024.txt", &fixture(cur)),
                ("previous", "hongze-2023.txt", &fixture(prev)),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let api = json(&body);
    let rules = |v: &Value| -> Vec<String> {
        v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {}", d["rule"], d["line"]))
            .collect()
    };
    assert_eq!(rules(&api), rules(&cli));
    assert!(
        rules(&api)
            .iter()
            .any(|r| r.contains("carry-over") || r.contains("yoy") || r.contains("previous")),
        "a cross-year finding: {:?}",
        rules(&api)
    );
}

#[tokio::test]
async fn pasted_text_is_checked_like_a_text_file() {
    let text = fixture("fixtures/seeds/001.txt");
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(&text);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let (status, _, page) = send(
        default_app(),
        Request::post("/check")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<h2>粘贴的文本.txt</h2>"), "named");
    let cli = cli_json("fixtures/seeds/001.txt");
    let n = cli["files"][0]["diagnostics"].as_array().unwrap().len();
    assert_eq!(page.matches(r#"<li class="finding "#).count(), n);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = common::run(&["serve", "--no-config", "--port", &port]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains("无法监听"),
        "{}",
        common::stderr(&o)
    );
}

/// A request body that never arrives.
struct Stalled;

impl http_body::Body for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test]
async fn an_upload_that_never_ends_gets_408() {
    let app = || {
        app(ServeOptions {
            timeout: Duration::from_millis(300),
            jobs: 1,
            ..ServeOptions::default()
        })
    };
    let (status, _, body) = send(
        app(),
        Request::post("/api/check")
            .header("x-file-name", "slow.txt")
            .body(Body::new(Stalled))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert!(json(&body)["error"].as_str().unwrap().contains("上传超时"));
    let (status, _, _) = send(
        app(),
        Request::post("/check")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::new(Stalled))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
}

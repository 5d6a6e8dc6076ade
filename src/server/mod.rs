//! `report-lint serve`: the web page for report authors and the HTTP API for
//! CMS, OA and filing systems (`docs/serve.md`).
//!
//! axum on tokio; no HTTP parsed by hand. Every upload is checked in memory
//! by the one check path (`check::check_bytes`, PDF through `pdftotext` on a
//! temporary file removed at once) and written by the project's writers: the
//! JSON of `check --format json` for `/api/check`, the page of
//! `check --format html` (with the upload form) for `/check`. Limits: the
//! upload size (413), at most as many checks at once as cores (the rest
//! wait), a time limit per check (503); a malformed request gets a 4xx with a
//! Chinese message. Nothing is kept.

use crate::check::{self, FileResult, Tally};
use crate::config::Config;
use crate::diagnostics::html::{HtmlWriter, Page, CSS};
use crate::diagnostics::json::JsonWriter;
use crate::diagnostics::{RuleInfo, RunEnd, RunInfo, Severity, Writer};
use crate::engine::RuleSet;
use crate::model::Report;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;

/// The upload form above the page's results.
const FORM: &str = include_str!("form.html");
/// The page's script: dropping files on the form, flashing what a link leads to.
const PAGE_JS: &str = include_str!("page.js");

/// What every response carries: the page may load its own style and script
/// and nothing else; no frame, no other origin, no inline script.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    /// Largest request body accepted, in bytes (413 beyond).
    pub max_upload: usize,
    /// Checks running at once; the others wait.
    pub jobs: usize,
    /// Time limit of one check (503 beyond).
    pub timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            host: "127.0.0.1".into(),
            port: 8080,
            max_upload: 20 * 1024 * 1024,
            jobs: check::default_jobs(),
            timeout: Duration::from_secs(60),
        }
    }
}

/// The rules, configuration and limits every request shares.
pub struct AppState {
    rules: RuleSet,
    cfg: Config,
    infos: Vec<RuleInfo>,
    permits: Arc<tokio::sync::Semaphore>,
    opts: ServeOptions,
}

impl AppState {
    pub fn new(cfg: Config, rules: RuleSet, opts: ServeOptions) -> Arc<AppState> {
        Arc::new(AppState {
            infos: check::rule_infos(&rules, &cfg),
            permits: Arc::new(tokio::sync::Semaphore::new(opts.jobs.max(1))),
            rules,
            cfg,
            opts,
        })
    }
}

/// An error answer: a status and a Chinese message, as JSON for the API
/// (`{"error": …}`) or as a page for the form.
struct Failure {
    status: StatusCode,
    message: String,
    page: bool,
}

impl Failure {
    fn api(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
            page: false,
        }
    }
    fn page(mut self) -> Failure {
        self.page = true;
        self
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if self.page {
            let body = format!(
                "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
                 <title>出错了 · report-lint</title><link rel=\"stylesheet\" href=\"assets/report.css\">\
                 </head><body><header class=\"top\"><h1>政府信息公开工作年度报告 检查</h1></header>\
                 <section class=\"box\"><div class=\"banner unreadable\"><b>无法完成检查：</b>{}</div>\
                 <p><a href=\"./\">返回重新上传</a></p></section></body></html>\n",
                crate::diagnostics::html::esc(&self.message)
            );
            (
                self.status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                body,
            )
                .into_response()
        } else {
            (
                self.status,
                axum::Json(serde_json::json!({ "error": self.message })),
            )
                .into_response()
        }
    }
}

/// The routes, with the limits and headers (used by `serve` and the tests).
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.opts.max_upload;
    Router::new()
        .route("/", get(index))
        .route("/check", post(check_page))
        .route("/assets/report.css", get(css))
        .route("/assets/page.js", get(js))
        .route("/api/check", post(api_check))
        .route("/api/rules", get(api_rules))
        .route("/api/rules/{id}", get(api_rule))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(|| async {
            Failure::api(StatusCode::NOT_FOUND, "没有这个地址（见 docs/serve.md）")
        })
        .method_not_allowed_fallback(|| async {
            Failure::api(StatusCode::METHOD_NOT_ALLOWED, "这个地址不接受这种请求方法")
        })
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(state)
}

async fn secure_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        PAGE_JS,
    )
}

/// One uploaded file.
struct Upload {
    name: String,
    bytes: Bytes,
}

/// What a request asks to check.
#[derive(Default)]
struct Uploads {
    files: Vec<Upload>,
    previous: Option<Upload>,
}

fn too_large(max: usize) -> String {
    format!(
        "上传的内容过大（上限 {} MB）；年度报告一般不超过几 MB，请检查是否选错了文件",
        max / (1024 * 1024)
    )
}

/// Read a multipart form: `file` (one or more), `previous`, and `text`
/// (pasted report text).
async fn read_form(mut form: Multipart, max: usize) -> Result<Uploads, Failure> {
    let mut up = Uploads::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_failure(e.status(), max)),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(base_name).filter(|n| !n.is_empty());
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => return Err(multipart_failure(e.status(), max)),
        };
        // An empty file input still sends a part with no name and no bytes.
        let given = file_name.is_some() || !bytes.is_empty();
        match name.as_str() {
            "file" if given => up.files.push(Upload {
                name: file_name.unwrap_or_else(|| "上传的文件".into()),
                bytes,
            }),
            "previous" if given => {
                up.previous = Some(Upload {
                    name: file_name.unwrap_or_else(|| "去年的报告".into()),
                    bytes,
                })
            }
            "text" if !String::from_utf8_lossy(&bytes).trim().is_empty() => up.files.push(Upload {
                name: "粘贴的文本.txt".into(),
                bytes,
            }),
            _ => {}
        }
    }
    Ok(up)
}

fn multipart_failure(status: StatusCode, max: usize) -> Failure {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Failure::api(status, too_large(max))
    } else {
        Failure::api(
            StatusCode::BAD_REQUEST,
            "上传的表单格式不正确（应为 multipart/form-data，文件放在字段 file 中）",
        )
    }
}

/// Receiving an upload takes at most the time limit of a check: a client
/// that sends its body very slowly gets 408 rather than holding a
/// connection open for ever.
async fn in_time<T>(
    state: &AppState,
    receive: impl std::future::Future<Output = T>,
) -> Result<T, Failure> {
    tokio::time::timeout(state.opts.timeout, receive)
        .await
        .map_err(|_| {
            Failure::api(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "上传超时（超过 {} 秒没有收完），请检查网络后重试",
                    state.opts.timeout.as_secs()
                ),
            )
        })
}

/// The file name without any folder a browser or client sent with it.
fn base_name(n: &str) -> String {
    n.rsplit(['/', '\\']).next().unwrap_or(n).trim().to_string()
}

/// Check the uploads, each on a blocking thread once a permit is free, in
/// order; `previous` read once for all.
async fn run_checks(state: &Arc<AppState>, up: Uploads) -> Result<Vec<FileResult>, Failure> {
    let previous: Option<Arc<Report>> = match up.previous {
        None => None,
        Some(p) => {
            let name = p.name.clone();
            let parsed = limited(state, move |_| check::parse_bytes(&p.name, &p.bytes)).await?;
            match parsed {
                Ok(r) => Some(r),
                Err(e) => {
                    return Err(Failure::api(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("去年的报告 {name} 无法读取：{e}"),
                    ))
                }
            }
        }
    };
    let mut tasks = Vec::new();
    for f in up.files {
        let previous = previous.clone();
        let state2 = state.clone();
        tasks.push(tokio::spawn(async move {
            limited(&state2, move |st| {
                let mut r = check::check_bytes(&f.name, &f.bytes, &st.rules, previous.as_ref());
                st.cfg
                    .apply_overrides(std::path::Path::new(&f.name), &mut r.diagnostics);
                r
            })
            .await
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        match t.await {
            Ok(r) => out.push(r?),
            Err(_) => {
                return Err(Failure::api(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "检查时发生内部错误，请把文件发给维护人员",
                ))
            }
        }
    }
    Ok(out)
}

/// Run `work` on a blocking thread under the concurrency limit and the time
/// limit. A check that runs out of time is answered with 503; its thread
/// keeps its permit until it ends, so no more checks run than allowed.
async fn limited<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> T + Send + 'static,
) -> Result<T, Failure> {
    let permit = state
        .permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Failure::api(StatusCode::SERVICE_UNAVAILABLE, "服务正在停止"))?;
    let st = state.clone();
    let handle = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&st)
    });
    match tokio::time::timeout(state.opts.timeout, handle).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) => Err(Failure::api(
            StatusCode::INTERNAL_SERVER_ERROR,
            "检查时发生内部错误，请把文件发给维护人员",
        )),
        Err(_) => Err(Failure::api(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "检查超时（超过 {} 秒），文件可能过大或过于复杂",
                state.opts.timeout.as_secs()
            ),
        )),
    }
}

/// Write `results` with `w`, as `check` does: every file, then the totals.
fn write_all(state: &AppState, w: &mut dyn Writer, results: &[FileResult]) -> Vec<u8> {
    let info = RunInfo {
        rules: &state.infos,
        fail: Severity::Error,
        max_warnings: None,
    };
    let mut out = Vec::new();
    let mut tally = Tally::default();
    let mut rule_errors: Vec<crate::diagnostics::RuleError> = state.rules.errors.clone();
    // Writing into memory cannot fail.
    let _ = w.begin(&mut out, &info);
    for r in results {
        let _ = w.file(&mut out, &info, &r.file_report(&[]));
        tally.add(r, info.fail);
        for e in &r.rule_errors {
            if !rule_errors.contains(e) {
                rule_errors.push(e.clone());
            }
        }
    }
    let summary = tally.summary;
    let exit_code = if summary.unreadable > 0 || !rule_errors.is_empty() {
        2
    } else if tally.failing > 0 {
        1
    } else {
        0
    };
    let _ = w.finish(
        &mut out,
        &info,
        &RunEnd {
            rule_errors: &rule_errors,
            summary,
            exit_code,
            baseline: None,
            skipped: &[],
            unused_ignores: &[],
        },
    );
    out
}

fn html(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    html(write_all(
        &state,
        &mut HtmlWriter::new(Page::Served {
            form: FORM,
            results: false,
        }),
        &[],
    ))
}

/// The form's target: the same page with each report and its findings.
async fn check_page(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let max = state.opts.max_upload;
    let result = async {
        let form = Multipart::from_request(req, &state)
            .await
            .map_err(|_| multipart_failure(StatusCode::BAD_REQUEST, max))?;
        let up = in_time(&state, read_form(form, max)).await??;
        if up.files.is_empty() {
            return Err(Failure::api(
                StatusCode::BAD_REQUEST,
                "没有选择文件，也没有粘贴报告文本",
            ));
        }
        run_checks(&state, up).await
    }
    .await;
    match result {
        Ok(results) => html(write_all(
            &state,
            &mut HtmlWriter::new(Page::Served {
                form: FORM,
                results: true,
            }),
            &results,
        )),
        Err(f) => f.page().into_response(),
    }
}

/// `POST /api/check`: a multipart form (`file`, optionally `previous`) or
/// the raw file as the body with its name in `X-File-Name`; answers the JSON
/// document of `check --format json`.
async fn api_check(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let max = state.opts.max_upload;
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let result = async {
        let up = if multipart {
            let form = Multipart::from_request(req, &state)
                .await
                .map_err(|_| multipart_failure(StatusCode::BAD_REQUEST, max))?;
            let up = in_time(&state, read_form(form, max)).await??;
            if up.files.is_empty() {
                return Err(Failure::api(
                    StatusCode::BAD_REQUEST,
                    "请求中没有文件（表单字段 file）",
                ));
            }
            up
        } else {
            let bytes = in_time(&state, Bytes::from_request(req, &state)).await?.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    Failure::api(StatusCode::PAYLOAD_TOO_LARGE, too_large(max))
                } else {
                    Failure::api(StatusCode::BAD_REQUEST, "无法读取请求体")
                }
            })?;
            if bytes.is_empty() {
                return Err(Failure::api(
                    StatusCode::BAD_REQUEST,
                    "请求体为空：请用表单字段 file 上传文件，或把文件内容作为请求体、文件名放在 X-File-Name 头中",
                ));
            }
            let name = headers
                .get("x-file-name")
                .map(|v| percent_decode(v.as_bytes()))
                .map(|n| base_name(&n))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "上传的文件".into());
            Uploads {
                files: vec![Upload { name, bytes }],
                previous: None,
            }
        };
        run_checks(&state, up).await
    }
    .await;
    match result {
        Ok(results) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            write_all(&state, &mut JsonWriter::default(), &results),
        )
            .into_response(),
        Err(f) => f.into_response(),
    }
}

/// Header values are bytes; a client may percent-encode a Chinese file name
/// (`X-File-Name: %E6%8A%A5%E5%91%8A.docx`) or send it as UTF-8.
fn percent_decode(v: &[u8]) -> String {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%' && i + 2 < v.len() {
            let hex = std::str::from_utf8(&v[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `GET /api/rules`: what `report-lint rules` lists.
async fn api_rules(State(state): State<Arc<AppState>>) -> Response {
    let rules: Vec<serde_json::Value> = state
        .rules
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "family": r.family,
                "default": if r.default_enabled { r.default_severity.as_str() } else { "off" },
                "level": r.severity.map(|s| s.as_str()).unwrap_or("off"),
                "summary": r.summary,
                "reference": r.reference,
                "builtin": r.builtin,
            })
        })
        .collect();
    axum::Json(rules).into_response()
}

/// `GET /api/rules/{id}`: the rule's page, as `report-lint explain` prints it.
async fn api_rule(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    match state.rules.explain(&id) {
        Ok(page) => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            page,
        )
            .into_response(),
        Err(msg) => Failure::api(StatusCode::NOT_FOUND, msg).into_response(),
    }
}

/// Run the server until Ctrl+C; returns the exit status.
pub fn serve(cfg: Config, rules: RuleSet, opts: ServeOptions) -> i32 {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .max_blocking_threads(opts.jobs.max(1) + 4)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: 无法启动服务：{e}");
            return 2;
        }
    };
    rt.block_on(async move {
        let addr = format!("{}:{}", opts.host, opts.port);
        let listener = match tokio::net::TcpListener::bind(&addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: 无法监听 {addr}：{e}（端口被占用时用 --port 换一个）");
                return 2;
            }
        };
        let local = listener.local_addr().map(|a| a.to_string()).unwrap_or(addr);
        println!("report-lint serve：请用浏览器打开 http://{local}/  （按 Ctrl+C 停止）");
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        let state = AppState::new(cfg, rules, opts);
        let app = router(state);
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: 服务出错：{e}");
                2
            }
        }
    })
}

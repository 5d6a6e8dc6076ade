//! Fetching reports from the web: `check URL…`, `--index URL` (a column page
//! of reports) and `--urls FILE`.
//!
//! The fetched bytes go to the disk cache ([`cache`]) and are read by the same
//! readers as files, by content: [`Fetched`] is the batch's set of fetched
//! documents, which [`crate::input::read_path_with`] consults for a path that
//! is an address. The address is the document's path in every output. A page
//! that only wraps an attachment (little text, a link to a `.docx`, `.pdf`,
//! `.wps` or `.doc` named like the report) is replaced by the attachment, and
//! its report carries an `fetched-attachment` notice naming both addresses.
//! Every failure is one [`Failure`] naming the address and the cause.

pub mod cache;
pub mod http;
pub mod links;

use super::{InputError, Notice, ReadOptions, Source};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Column pages followed at most from one `--index` address.
pub const MAX_INDEX_PAGES: usize = 200;
/// Documents fetched at most in one run.
pub const MAX_DOCUMENTS: usize = 10_000;
/// Fetches running at once over all sites (each site also has its own limit,
/// [`http::PER_SITE`]).
const WORKERS: usize = 4;
/// A page with fewer visible characters than this, linking a report
/// attachment, is a wrapper around it.
const WRAPPER_MAX_CHARS: usize = 600;

/// Why an address could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    BadAddress(String),
    Scheme(String),
    Credentials,
    Dns,
    Refused,
    Timeout,
    Connect(String),
    Status(u16),
    TooLarge(u64),
    Redirects,
    Robots,
    RobotsUnreachable(Box<FetchError>),
    Cache(String),
    Other(String),
}

impl FetchError {
    fn from_ureq(e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::HostNotFound => FetchError::Dns,
            ureq::Error::Timeout(_) => FetchError::Timeout,
            ureq::Error::TooManyRedirects => FetchError::Redirects,
            ureq::Error::BadUri(s) => FetchError::BadAddress(s),
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused => FetchError::Refused,
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    FetchError::Timeout
                }
                _ => FetchError::Connect(io.to_string()),
            },
            ureq::Error::ConnectionFailed => FetchError::Connect("连接失败".into()),
            e => FetchError::Other(e.to_string()),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::BadAddress(e) => write!(f, "网址无效：{e}"),
            FetchError::Scheme(s) => write!(f, "只支持 http 和 https 网址，不支持 {s}:"),
            FetchError::Credentials => {
                write!(f, "网址中含有用户名或密码，未抓取（不发送登录信息）")
            }
            FetchError::Dns => write!(f, "无法解析域名（DNS 查询失败）"),
            FetchError::Refused => write!(f, "连接被拒绝（服务器未在该端口提供服务）"),
            FetchError::Timeout => write!(f, "请求超时（服务器没有及时应答）"),
            FetchError::Connect(e) => write!(f, "连接失败：{e}"),
            FetchError::Status(s) => write!(
                f,
                "服务器返回 HTTP {s}{}",
                match s {
                    404 => "（页面不存在）",
                    403 => "（禁止访问）",
                    500..=599 => "（服务器错误）",
                    _ => "",
                }
            ),
            FetchError::TooLarge(max) => write!(f, "响应超过大小上限（{max} 字节），未下载完"),
            FetchError::Redirects => write!(
                f,
                "重定向超过 {} 次（可能是循环重定向）",
                http::MAX_REDIRECTS
            ),
            FetchError::Robots => write!(f, "网站的 robots.txt 不允许抓取该地址"),
            FetchError::RobotsUnreachable(e) => {
                write!(f, "无法获取网站的 robots.txt，按规定不抓取该网站：{e}")
            }
            FetchError::Cache(e) => write!(f, "{e}"),
            FetchError::Other(e) => write!(f, "下载失败：{e}"),
        }
    }
}

impl std::error::Error for FetchError {}

/// An address that gave no document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub address: String,
    pub cause: String,
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub delay: Duration,
    pub timeout: Duration,
    pub max_bytes: u64,
    /// The cache directory; `None`: a directory of this run only (`--no-cache`).
    pub cache_dir: Option<PathBuf>,
}

/// A fetched document: its address (the path in every output), the page that
/// linked it when it is an attachment, and its body in the cache.
#[derive(Debug, Clone)]
pub struct Doc {
    pub address: String,
    /// The wrapper page whose attachment this is.
    pub page: Option<String>,
    /// The year named by the link that led to it (a column page's link text).
    pub year: Option<i64>,
    body: PathBuf,
    charset: Option<&'static encoding_rs::Encoding>,
}

impl Doc {
    /// Read the document like a file of the same bytes: the HTTP charset is
    /// used unless `--encoding` forces one.
    pub fn read(&self, opts: &ReadOptions) -> Result<Source, InputError> {
        let bytes = std::fs::read(&self.body).map_err(|e| InputError::Io(e.to_string()))?;
        let opts = ReadOptions {
            encoding: opts.encoding.or(self.charset),
            head_only: opts.head_only,
            fetched: None,
        };
        let mut src = super::decode_with(&self.address, &bytes, &opts)?;
        if let Some(page) = &self.page {
            src.notices.insert(
                0,
                Notice {
                    kind: "fetched-attachment".into(),
                    message: format!("报告取自网页 {page} 所链接的附件 {}", self.address),
                    line: None,
                },
            );
        }
        Ok(src)
    }
}

/// The documents of a batch fetched from the web, in the order they were
/// named or found, and the addresses that failed.
#[derive(Debug, Default)]
pub struct Fetched {
    docs: Vec<Doc>,
    by_address: HashMap<String, usize>,
    pub failures: Vec<Failure>,
    /// Keeps a `--no-cache` run's directory until the batch is checked.
    _cache: Option<Arc<cache::Cache>>,
}

impl Fetched {
    pub fn docs(&self) -> &[Doc] {
        &self.docs
    }

    /// The document whose address is `path`.
    pub fn get(&self, path: &Path) -> Option<&Doc> {
        self.by_address.get(path.to_str()?).map(|&i| &self.docs[i])
    }
}

/// Does this argument name an address rather than a file (`scheme://…`)?
pub fn is_address(arg: &str) -> bool {
    match arg.split_once("://") {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// What fetching tells its caller as it goes.
pub enum Progress<'a> {
    /// The documents to fetch are known.
    Start(usize),
    /// One more is done (fetched or failed).
    Done(&'a str),
}

/// One thing to fetch: an address and the year its link named.
struct Wanted {
    url: Url,
    year: Option<i64>,
}

/// Fetch the batch: every column page of `indexes` (following its next-page
/// links on the same site) for the reports it links, then `addresses` and
/// those reports, replacing wrapper pages by their attachment.
pub fn gather(
    addresses: &[String],
    indexes: &[String],
    opts: &FetchOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Fetched, String> {
    let cache = Arc::new(match &opts.cache_dir {
        Some(d) => cache::Cache::open(d)?,
        None => cache::Cache::temporary()?,
    });
    let client = http::Client::new(
        http::Settings {
            delay: opts.delay,
            timeout: opts.timeout,
            max_bytes: opts.max_bytes,
        },
        cache.clone(),
    );
    let mut failures = Vec::new();
    let mut wanted = Vec::new();
    let mut seen = HashSet::new();
    let mut want = |url: Url, year, wanted: &mut Vec<Wanted>| {
        if seen.insert(url.to_string()) && wanted.len() < MAX_DOCUMENTS {
            wanted.push(Wanted { url, year });
        }
    };
    for a in addresses {
        match http::Client::parse(a) {
            Ok(url) => want(url, None, &mut wanted),
            Err(e) => failures.push(Failure {
                address: a.clone(),
                cause: e.to_string(),
            }),
        }
    }
    for index in indexes {
        match crawl_index(&client, index) {
            Ok(found) => {
                if found.is_empty() {
                    failures.push(Failure {
                        address: index.clone(),
                        cause: "栏目页面上没有找到年度报告的链接（链接文字或标题含“政府信息公开工作年度报告”或“年报”）".into(),
                    });
                }
                for l in found {
                    let y = links::year(&l.text);
                    want(l.url, y, &mut wanted);
                }
            }
            Err(f) => failures.push(f),
        }
    }
    progress(Progress::Start(wanted.len()));
    let results = fetch_all(&client, &wanted, progress);
    let mut fetched = Fetched {
        _cache: Some(cache),
        ..Fetched::default()
    };
    let mut docs = Vec::new();
    for r in results {
        match r {
            Ok(doc) => docs.push(doc),
            Err(f) => failures.push(f),
        }
    }
    // Oldest year first (as the column's links name them): a predecessor is
    // then checked before its successor, and the batch hands its model on
    // instead of parsing it again. Addresses without a year keep their order
    // after them.
    docs.sort_by_key(|d| d.year.unwrap_or(i64::MAX));
    for doc in docs {
        if !fetched.by_address.contains_key(&doc.address) {
            fetched
                .by_address
                .insert(doc.address.clone(), fetched.docs.len());
            fetched.docs.push(doc);
        }
    }
    fetched.failures = failures;
    Ok(fetched)
}

/// The reports a column page links, over all its pages.
fn crawl_index(client: &http::Client, index: &str) -> Result<Vec<links::Link>, Failure> {
    let fail = |address: &str, e: FetchError| Failure {
        address: address.to_string(),
        cause: format!("栏目页面：{e}"),
    };
    let mut page = http::Client::parse(index).map_err(|e| fail(index, e))?;
    let mut visited = HashSet::new();
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    while visited.len() < MAX_INDEX_PAGES && visited.insert(page.to_string()) {
        let resp = match client.get(&page) {
            Ok(r) => r,
            // The first page must be there; a later one ends the crawl.
            Err(e) if visited.len() == 1 => return Err(fail(index, e)),
            Err(_) => break,
        };
        let Some(html) = read_html(&resp) else { break };
        let all = links::links(&html, &resp.url);
        for l in links::report_links(&all) {
            if seen.insert(l.url.clone()) {
                found.push(l);
            }
        }
        match links::next_page(&all, &resp.url) {
            Some(next) => page = next,
            None => break,
        }
    }
    Ok(found)
}

/// The body of an HTML response as text, `None` for anything else.
fn read_html(resp: &http::Response) -> Option<String> {
    let bytes = std::fs::read(&resp.body).ok()?;
    let is_html = resp
        .content_type
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().contains("html"))
        || crate::input::html::looks_like_html(&bytes);
    if !is_html || bytes.starts_with(b"%PDF") || bytes.starts_with(b"PK") {
        return None;
    }
    Some(crate::input::encoding::decode(&bytes, resp.charset(), true).text)
}

fn fetch_all(
    client: &http::Client,
    wanted: &[Wanted],
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Result<Doc, Failure>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<Doc, Failure>>>> =
        wanted.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..WORKERS.min(wanted.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(w) = wanted.get(i) else { break };
                let r = fetch_document(client, w);
                progress(Progress::Done(w.url.as_str()));
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    results
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

/// Fetch one report: the document itself, or the attachment of a wrapper page.
fn fetch_document(client: &http::Client, w: &Wanted) -> Result<Doc, Failure> {
    let address = w.url.to_string();
    let resp = client.get(&w.url).map_err(|e| Failure {
        address: address.clone(),
        cause: e.to_string(),
    })?;
    let doc = |address: String, page: Option<String>, resp: &http::Response| Doc {
        address,
        page,
        year: w.year,
        body: resp.body.clone(),
        charset: resp.charset(),
    };
    if let Some(html) = read_html(&resp) {
        if is_wrapper(&html) {
            if let Some(att) = links::attachment(&links::links(&html, &resp.url)) {
                let att_address = att.url.to_string();
                let att_resp = client.get(&att.url).map_err(|e| Failure {
                    address: att_address.clone(),
                    cause: format!("附件（来自网页 {address}）：{e}"),
                })?;
                return Ok(doc(att_address, Some(address), &att_resp));
            }
        }
    }
    Ok(doc(address, None, &resp))
}

/// A page that says little: no report the HTML reader can find, or only a
/// few hundred characters of it.
fn is_wrapper(html: &str) -> bool {
    match crate::input::html::read(html) {
        Err(_) => true,
        Ok(view) => view.text.chars().filter(|c| !c.is_whitespace()).count() < WRAPPER_MAX_CHARS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_told_from_paths() {
        assert!(is_address("https://www.gov.cn/zwgk/2024.html"));
        assert!(is_address("http://127.0.0.1:8000/a"));
        assert!(is_address("ftp://example.org/a.pdf"));
        assert!(!is_address("reports/2024.html"));
        assert!(!is_address("C:\\reports\\a.txt"));
        assert!(!is_address("a b://c"));
    }

    #[test]
    fn failures_name_the_cause_in_chinese() {
        assert_eq!(
            FetchError::Status(404).to_string(),
            "服务器返回 HTTP 404（页面不存在）"
        );
        assert!(FetchError::Redirects.to_string().contains("5 次"));
        assert!(FetchError::TooLarge(10).to_string().contains("10 字节"));
    }

    #[test]
    fn client_errors_map_to_their_causes() {
        use std::io::{Error, ErrorKind};
        assert_eq!(
            FetchError::from_ureq(ureq::Error::HostNotFound),
            FetchError::Dns
        );
        assert_eq!(
            FetchError::from_ureq(ureq::Error::Io(Error::from(ErrorKind::ConnectionRefused))),
            FetchError::Refused
        );
        assert_eq!(
            FetchError::from_ureq(ureq::Error::TooManyRedirects),
            FetchError::Redirects
        );
        assert!(FetchError::Dns.to_string().contains("DNS"));
    }
}

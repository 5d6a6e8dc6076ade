//! What a fetched HTML page links to: annual reports on a column page, the
//! column's next page, and the attachment a wrapper page offers.

use scraper::{Html, Selector};
use url::Url;

/// A link: its absolute address and its words (link text and `title`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: Url,
    pub text: String,
    /// `rel="next"`.
    pub next: bool,
}

/// Every `<a href>` of a page, resolved against the page's address (or its
/// `<base href>`); only `http`/`https` targets. A page nested deeper than the
/// HTML reader accepts yields none.
pub fn links(html: &str, page: &Url) -> Vec<Link> {
    if crate::input::html::nesting_depth(html.as_bytes()) > crate::input::html::MAX_DEPTH {
        return Vec::new();
    }
    let doc = Html::parse_document(html);
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page.join(h).ok())
        .unwrap_or_else(|| page.clone());
    let Ok(a) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for el in doc.select(&a) {
        let Some(href) = el.value().attr("href") else {
            continue;
        };
        let Ok(mut url) = base.join(href.trim()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        url.set_fragment(None);
        let mut text = crate::input::html::collapse(&el.text().collect::<String>());
        if let Some(t) = el.value().attr("title") {
            text.push(' ');
            text.push_str(t.trim());
        }
        let next = el.value().attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|w| w.eq_ignore_ascii_case("next"))
        });
        out.push(Link {
            url,
            text: text.trim().to_string(),
            next,
        });
    }
    out
}

/// Words naming an annual report: `政府信息公开工作年度报告` (spaces ignored)
/// or `年报`.
pub fn names_report(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.contains("政府信息公开工作年度报告")
        || t.contains("年报")
        || (t.contains("政府信息公开") && t.contains("年度报告"))
}

/// The report year named in a link's words: the first `20xx年` or `20xx`
/// standing alone.
pub fn year(text: &str) -> Option<i64> {
    static YEAR: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = YEAR.get_or_init(|| {
        regex::Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})(?:年|[^0-9]|$)").unwrap()
    });
    re.captures(text)?.get(1)?.as_str().parse().ok()
}

/// Links to annual reports on a column page, in page order, each once.
pub fn report_links(links: &[Link]) -> Vec<Link> {
    let mut seen = std::collections::HashSet::new();
    links
        .iter()
        .filter(|l| names_report(&l.text))
        .filter(|l| seen.insert(l.url.clone()))
        .cloned()
        .collect()
}

const NEXT_WORDS: &[&str] = &[
    "下一页",
    "下页",
    "下一頁",
    "后一页",
    "后页",
    ">",
    ">>",
    "›",
    "»",
    "next",
];

/// The column's next page: a link marked `rel="next"` or reading 下一页 (or
/// `>`, `»`), on the same site as the page.
pub fn next_page(links: &[Link], page: &Url) -> Option<Url> {
    links
        .iter()
        .filter(|l| l.url.host_str() == page.host_str() && l.url != *page)
        .find(|l| {
            l.next || {
                let t = l.text.trim();
                NEXT_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w))
                    || t.starts_with("下一页")
                    || t.starts_with("下页")
            }
        })
        .map(|l| l.url.clone())
}

/// The file-name extension of an address's path, lower-cased.
fn extension(url: &Url) -> Option<String> {
    let last = url.path_segments()?.next_back()?;
    let (_, ext) = last.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Attachment kinds, most readable first.
const ATTACHMENTS: &[&str] = &["docx", "pdf", "wps", "doc"];

/// The attachment a wrapper page offers for the report: among links to
/// `.docx`, `.pdf`, `.wps` and `.doc` files, those whose words or file name
/// name the report (or the only attachment when there is one), DOCX before
/// PDF before WPS and DOC.
pub fn attachment(links: &[Link]) -> Option<Link> {
    let files: Vec<(usize, &Link)> = links
        .iter()
        .filter_map(|l| {
            let ext = extension(&l.url)?;
            ATTACHMENTS
                .iter()
                .position(|a| *a == ext)
                .map(|rank| (rank, l))
        })
        .collect();
    let named = |l: &Link| {
        let name = l
            .url
            .path_segments()
            .and_then(|mut s| s.next_back())
            .map(|n| {
                percent_encoding::percent_decode_str(n)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .unwrap_or_default();
        names_report(&l.text) || names_report(&name)
    };
    let mut candidates: Vec<&(usize, &Link)> = files.iter().filter(|(_, l)| named(l)).collect();
    let distinct: std::collections::HashSet<&Url> = files.iter().map(|(_, l)| &l.url).collect();
    if candidates.is_empty() && distinct.len() == 1 {
        candidates = files.iter().collect();
    }
    candidates
        .into_iter()
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, l)| (*l).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("http://127.0.0.1:8080/col/index.html").unwrap()
    }

    #[test]
    fn finds_reports_next_page_and_years() {
        let html = r#"<html><body><ul>
            <li><a href="2023.html" title="某某局2023年政府信息公开工作年度报告">某某局2023年…</a></li>
            <li><a href="/col/2022.html">某某局2022年政府信息 公开工作年度报告</a></li>
            <li><a href="news.html">工作动态</a></li>
            <li><a href="2023.html">重复</a></li>
            <li><a href="javascript:void(0)">年报</a></li>
            </ul><a href="index_2.html">下一页</a><a href="http://other.example/x">下一页</a></body></html>"#;
        let l = links(html, &page());
        let r = report_links(&l);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].url.as_str(), "http://127.0.0.1:8080/col/2023.html");
        assert_eq!(year(&r[0].text), Some(2023));
        assert_eq!(year(&r[1].text), Some(2022));
        assert_eq!(
            next_page(&l, &page()).unwrap().as_str(),
            "http://127.0.0.1:8080/col/index_2.html"
        );
    }

    #[test]
    fn prefers_a_named_docx_attachment() {
        let html = r#"<p>详见附件。</p>
            <a href="/files/%E5%B9%B4%E6%8A%A5.pdf">附件1</a>
            <a href="/files/report.docx">2024年政府信息公开工作年度报告.docx</a>
            <a href="/files/other.pdf">采购公告</a>"#;
        let a = attachment(&links(html, &page())).unwrap();
        assert_eq!(a.url.path(), "/files/report.docx");
        let only = r#"<a href="/files/x.PDF">下载</a>"#;
        assert_eq!(
            attachment(&links(only, &page())).unwrap().url.path(),
            "/files/x.PDF"
        );
        assert!(attachment(&links("<a href='a.html'>年报</a>", &page())).is_none());
    }
}

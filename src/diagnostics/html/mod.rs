//! `--format html`: the printable report. One self-contained page for a
//! batch: the totals and a table of the files (file, organ, year, counts,
//! status) linking to each report, then each report's document with its
//! findings marked at their place (`document.rs`) beside the list of its
//! findings, by part, errors first, with notes and help. The page of
//! `report-lint serve` is this same page with the upload form above it
//! ([`Page::served`]).
//!
//! Safe with hostile reports: every piece of report text, file name and
//! rule message is escaped; the page loads nothing (its style is embedded,
//! and in the file a Content-Security-Policy forbids any script, frame or
//! request). Links between a mark and its finding are fragment links, so the
//! page needs no script; the served page adds a small script file for
//! dropping files onto the form.
//!
//! The page is streamed: each report is written as it comes, the totals at
//! the end (the style sheet shows them first).

mod document;

use super::{FileReport, Position, RunEnd, RunInfo, Severity, Writer};
use crate::model::Report;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The style sheet, embedded at build time.
pub const CSS: &str = include_str!("report.css");

/// HTML-escape text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Controls other than tab and newline have no business in a page.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// How the page is delivered.
#[derive(Debug, Clone, Copy)]
pub enum Page {
    /// A file (`check --format html`): style inline, no script, a CSP in a
    /// `<meta>` element.
    File,
    /// The page of `report-lint serve`: style and script from the server's
    /// `/assets/` (the server sends the CSP header) and the upload form:
    /// first on the empty page, after the reports once there are results.
    Served { form: &'static str, results: bool },
}

/// One line of the summary table.
struct Row {
    path: String,
    organ: Option<String>,
    year: Option<i64>,
    counts: [usize; 3],
    status: Status,
}

#[derive(Clone, Copy, PartialEq)]
enum Status {
    Unreadable,
    Fail,
    Pass,
}

/// The HTML writer.
pub struct HtmlWriter {
    page: Page,
    rows: Vec<Row>,
}

impl HtmlWriter {
    pub fn new(page: Page) -> HtmlWriter {
        HtmlWriter {
            page,
            rows: Vec::new(),
        }
    }
}

impl Default for HtmlWriter {
    fn default() -> Self {
        HtmlWriter::new(Page::File)
    }
}

/// `1 个错误` etc., zero shown muted.
fn count(out: &mut String, n: usize, sev: Severity) {
    let word = document::sev_word(sev);
    let class = if n == 0 { "zero" } else { sev.as_str() };
    let _ = write!(out, r#"<span class="count {class}">{n} 个{word}</span>"#);
}

impl Writer for HtmlWriter {
    fn begin(&mut self, out: &mut dyn Write, _run: &RunInfo) -> io::Result<()> {
        let mut s = String::from(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n",
        );
        match self.page {
            Page::File => {
                s.push_str(
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
                     style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n\
                     <title>年度报告检查结果</title>\n<style>\n",
                );
                s.push_str(CSS);
                s.push_str("</style>\n");
            }
            Page::Served { .. } => s.push_str(
                "<title>年度报告检查 · report-lint</title>\n\
                 <link rel=\"stylesheet\" href=\"assets/report.css\">\n\
                 <script src=\"assets/page.js\" defer></script>\n",
            ),
        }
        s.push_str(
            "</head>\n<body>\n<header class=\"top\"><h1>政府信息公开工作年度报告 检查</h1>\
             <p>按国家格式（国办公开办函〔2021〕30号）检查表格勾稽关系、结构和文字。\
             红色为错误（必须改），黄色为警告（应当改），蓝色为提示（建议看一看）。</p></header>\n",
        );
        if let Page::Served {
            form,
            results: false,
        } = self.page
        {
            s.push_str(form);
        }
        s.push_str("<main class=\"reports\">\n");
        out.write_all(s.as_bytes())
    }

    fn file(&mut self, out: &mut dyn Write, run: &RunInfo, f: &FileReport) -> io::Result<()> {
        let n = self.rows.len() + 1;
        let counts = [
            f.count(Severity::Error),
            f.count(Severity::Warning),
            f.count(Severity::Note),
        ];
        let status = if f.error.is_some() {
            Status::Unreadable
        } else if f.diagnostics.iter().any(|d| d.severity >= run.fail) {
            Status::Fail
        } else {
            Status::Pass
        };
        self.rows.push(Row {
            path: f.path.to_string(),
            organ: f.organ.map(str::to_string),
            year: f.year,
            counts,
            status,
        });
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<section class="report" id="r-{n}"><div class="report-head"><h2>{}</h2>"#,
            esc(f.path)
        );
        if let Some(rep) = f.report {
            let _ = write!(
                s,
                r#"<p class="meta">机关：{} · 年度：{} · 文件格式：{}</p>"#,
                esc(f.organ.unwrap_or("（未识别）")),
                f.year.map_or("（未识别）".to_string(), |y| y.to_string()),
                format_word(&rep.input_format),
            );
        }
        if f.error.is_none() {
            s.push_str(r#"<p class="counts">"#);
            count(&mut s, counts[0], Severity::Error);
            count(&mut s, counts[1], Severity::Warning);
            count(&mut s, counts[2], Severity::Note);
            s.push_str("</p>");
        }
        s.push_str("</div>");
        if let Some(e) = f.error {
            let _ = write!(
                s,
                r#"<div class="banner unreadable"><b>无法检查这个文件：</b>{}<br>请确认这是年度报告的 Word（DOCX）、PDF、网页（HTML）或文本文件。</div>"#,
                esc(e)
            );
        } else if f.diagnostics.is_empty() {
            s.push_str(r#"<div class="banner clean">没有发现问题</div>"#);
        }
        if !f.rule_errors.is_empty() {
            s.push_str(
                r#"<div class="banner rule-errors"><b>有检查规则出错，结果可能不完整：</b><ul>"#,
            );
            for e in f.rule_errors {
                let _ = write!(s, "<li>{}</li>", esc(&super::rule_error_text(e)));
            }
            s.push_str("</ul></div>");
        }
        if let (Some(rep), Some(text)) = (f.report, f.text) {
            s.push_str(r#"<div class="cols"><article class="doc">"#);
            let mut marks = document::Marks::new(n, text, f.diagnostics);
            document::render(&mut s, rep, &mut marks);
            s.push_str("</article>");
            findings(&mut s, n, rep, f);
            s.push_str("</div>");
        }
        s.push_str("</section>\n");
        out.write_all(s.as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &RunInfo, end: &RunEnd) -> io::Result<()> {
        let sum = &end.summary;
        if sum.files == 0 && end.rule_errors.is_empty() {
            // The served page before anything is uploaded.
            return out.write_all(b"</main>\n</body>\n</html>\n");
        }
        let mut s = String::from("</main>\n<section class=\"run-summary\">");
        let _ = write!(
            s,
            r#"<h2>共检查 {} 个文件</h2><p class="totals">"#,
            sum.files
        );
        count(&mut s, sum.errors, Severity::Error);
        count(&mut s, sum.warnings, Severity::Warning);
        count(&mut s, sum.notes, Severity::Note);
        if sum.unreadable > 0 {
            let _ = write!(s, " · {} 个文件无法读取", sum.unreadable);
        }
        s.push_str("</p>");
        if sum.files > 0 && sum.errors + sum.warnings + sum.notes == 0 && sum.unreadable == 0 {
            s.push_str(r#"<div class="banner clean">没有发现问题</div>"#);
        }
        if self.rows.len() > 1 {
            s.push_str(
                "<table class=\"files\"><thead><tr><th>文件</th><th>机关</th><th>年度</th>\
                 <th>错误</th><th>警告</th><th>提示</th><th>结论</th></tr></thead><tbody>",
            );
            for (i, r) in self.rows.iter().enumerate() {
                let (class, word) = match r.status {
                    Status::Unreadable => ("unreadable", "无法读取"),
                    Status::Fail => ("fail", "需要修改"),
                    Status::Pass if r.counts[1] > 0 => ("pass", "通过（有警告）"),
                    Status::Pass => ("pass", "通过"),
                };
                let _ = write!(
                    s,
                    "<tr><td><a href=\"#r-{}\">{}</a></td><td>{}</td><td>{}</td>\
                     <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                     <td class=\"status {class}\">{word}</td></tr>",
                    i + 1,
                    esc(&r.path),
                    esc(r.organ.as_deref().unwrap_or("")),
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                    r.counts[0],
                    r.counts[1],
                    r.counts[2],
                );
            }
            s.push_str("</tbody></table>");
        }
        if !end.rule_errors.is_empty() {
            s.push_str(r#"<div class="banner rule-errors"><b>规则出错：</b><ul>"#);
            for e in end.rule_errors {
                let _ = write!(s, "<li>{}</li>", esc(&super::rule_error_text(e)));
            }
            s.push_str("</ul></div>");
        }
        s.push_str("</section>\n");
        if let Page::Served {
            form,
            results: true,
        } = self.page
        {
            s.push_str(form);
        }
        s.push_str("</body>\n</html>\n");
        out.write_all(s.as_bytes())
    }
}

/// An input format in words.
fn format_word(f: &str) -> &'static str {
    match f {
        "docx" => "Word（DOCX）",
        "pdf" => "PDF",
        "html" => "网页（HTML）",
        "markdown" => "Markdown 文本",
        _ => "文本",
    }
}

/// The part a finding is in, for grouping the list: 0 before part 一.
fn part_of(rep: &Report, offset: usize) -> i64 {
    rep.sections
        .iter()
        .filter(|s| s.span.start <= offset)
        .map(|s| s.number)
        .next_back()
        .unwrap_or(0)
}

/// The findings panel: by part, errors first, each with its place, notes,
/// help and the rule, linking to its place in the document.
fn findings(s: &mut String, n: usize, rep: &Report, f: &FileReport) {
    s.push_str(r#"<aside class="panel"><h3>发现的问题</h3>"#);
    if f.diagnostics.is_empty() {
        s.push_str("<p>没有发现问题。</p></aside>");
        return;
    }
    let mut order: Vec<usize> = (0..f.diagnostics.len()).collect();
    order.sort_by_key(|&i| {
        let d = &f.diagnostics[i];
        (
            part_of(rep, d.span.start),
            std::cmp::Reverse(d.severity),
            d.span.start,
            i,
        )
    });
    let mut part = -1;
    for i in order {
        let d = &f.diagnostics[i];
        let p = part_of(rep, d.span.start);
        if p != part {
            if part != -1 {
                s.push_str("</ol>");
            }
            part = p;
            let title = if p == 0 {
                "标题和开头".to_string()
            } else {
                rep.section(p)
                    .map(|sec| sec.canonical.clone())
                    .unwrap_or_default()
            };
            let _ = write!(s, "<h4>{}</h4><ol>", esc(&title));
        }
        let pos = Position::of(rep.index(), &rep.text, d.span);
        let sev = d.severity.as_str();
        let _ = write!(
            s,
            r##"<li class="finding {sev}" id="d-{n}-{i}"><div><span class="sev">{}</span><span class="msg">{}</span></div>"##,
            document::sev_word(d.severity),
            esc(&d.message)
        );
        let place = match &d.origin {
            Some(o) => o.describe(),
            None => format!("第 {} 行 第 {} 列", pos.line, pos.column),
        };
        let _ = write!(
            s,
            r##"<div class="where"><a class="go" href="#a-{n}-{i}">在原文中查看</a><span>位置：{}</span></div>"##,
            esc(&place)
        );
        let mut items: Vec<String> = Vec::new();
        if let Some(l) = &d.label {
            items.push(esc(l));
        }
        for l in &d.labels {
            let what = match &l.file {
                Some(other) => format!("{}（{}）", l.message, other.path),
                None => l.message.clone(),
            };
            if !what.is_empty() {
                items.push(esc(&what));
            }
        }
        items.extend(d.notes.iter().map(|x| esc(x)));
        if !items.is_empty() {
            s.push_str("<ul>");
            for it in items {
                let _ = write!(s, "<li>{it}</li>");
            }
            s.push_str("</ul>");
        }
        if let Some(h) = &d.help {
            let _ = write!(s, r#"<p class="help"><b>怎么改：</b>{}</p>"#, esc(h));
        }
        let _ = write!(s, r#"<div class="rule">规则：{}</div></li>"#, esc(&d.rule));
    }
    s.push_str("</ol></aside>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Label, Summary};
    use crate::model::Span;

    fn finding(span: Span, severity: Severity) -> Diagnostic {
        Diagnostic {
            rule: "test-rule".into(),
            severity,
            message: "<b>消息</b>".into(),
            span,
            label: None,
            labels: Vec::new(),
            notes: vec!["注 & 说明".into()],
            help: Some("改法".into()),
            origin: None,
            table_place: None,
        }
    }

    /// Any span a rule may hand over — past the end, reversed, inside a
    /// character, over the whole text, empty at either end, overlapping —
    /// is drawn without a panic, and every finding gets a place and an entry.
    #[test]
    fn odd_spans_are_all_placed() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds/001.txt");
        let src = crate::input::read_path(std::path::Path::new(path)).unwrap();
        let report = crate::parse::parse(&src);
        let len = report.text.len();
        let cell = report.tables[1].rows[0].cells[0].span;
        let mut diags = vec![
            finding(Span::new(len + 5, len + 50), Severity::Error),
            finding(Span::new(40, 10), Severity::Warning),
            finding(Span::new(1, 2), Severity::Note),
            finding(Span::new(0, len), Severity::Error),
            finding(Span::new(0, 0), Severity::Note),
            finding(Span::new(len, len), Severity::Warning),
            finding(cell, Severity::Error),
            finding(Span::new(cell.start, cell.end + 3), Severity::Warning),
            finding(report.tables[1].span, Severity::Error),
        ];
        diags[6].labels.push(Label {
            span: Span::new(len - 3, len + 9),
            message: "<i>相关</i>".into(),
            origin: None,
            file: None,
        });
        let mut w = HtmlWriter::default();
        let rules = [];
        let run = RunInfo {
            rules: &rules,
            fail: Severity::Error,
            max_warnings: None,
        };
        let mut out = Vec::new();
        w.begin(&mut out, &run).unwrap();
        w.file(
            &mut out,
            &run,
            &FileReport {
                path: "<x>.txt",
                text: Some(&report.text),
                report: Some(&report),
                error: None,
                format: None,
                input_format: None,
                year: None,
                organ: None,
                diagnostics: &diags,
                rule_errors: &[],
                suppressed: &[],
            },
        )
        .unwrap();
        w.finish(
            &mut out,
            &run,
            &RunEnd {
                rule_errors: &[],
                summary: Summary::default(),
                exit_code: 1,
                baseline: None,
                skipped: &[],
                unused_ignores: &[],
            },
        )
        .unwrap();
        let page = String::from_utf8(out).unwrap();
        for i in 0..diags.len() {
            assert_eq!(
                page.matches(&format!(r#"id="a-1-{i}""#)).count(),
                1,
                "place {i}"
            );
            assert_eq!(
                page.matches(&format!(r#"id="d-1-{i}""#)).count(),
                1,
                "entry {i}"
            );
        }
        assert!(page.contains("&lt;x&gt;.txt") && !page.contains("<x>"));
        assert!(page.contains("&lt;b&gt;消息") && !page.contains("<b>消息"));
        assert!(!page.contains("<i>"));
        // The cell's own findings shade it; the table-wide one is a marker.
        assert!(page.contains(r#"class="num m error""#));
        assert!(page.contains(r#"<a class="pin error" id="a-1-8""#));
    }

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            esc(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
        assert_eq!(esc("a\u{0}b\tc"), "a\u{fffd}b\tc");
    }
}

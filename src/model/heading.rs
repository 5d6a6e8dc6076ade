//! Heading lines of the national format: numbering (`一、`, `3、`, `（一）`,
//! `（1）`), title, and which of the six parts a heading names. Format
//! knowledge, used by the parser and by the readers (the HTML reader finds the
//! report on a page by its part headings, the PDF reader keeps them apart from
//! table text), so it lives in the model and depends on nothing above it.

use super::normalize::{fold, similarity};
use super::schema::{self, CHINESE_NUMERALS};
use super::{Heading, Span};
use regex::Regex;
use std::sync::OnceLock;

fn numbering_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:(?P<cn>[一二三四五六七八九十]{1,2})\s*(?P<cnsep>[、.．，,])",
            r"|(?P<ar>[0-9０-９]{1,2})\s*(?P<arsep>[、．.])(?:[^0-9０-９]|$)",
            r"|[（(]\s*(?P<pcn>[一二三四五六七八九十]{1,2})\s*[）)]",
            r"|[（(]\s*(?P<par>[0-9０-９]{1,2})\s*[）)])"
        ))
        .unwrap()
    })
}

fn chinese_value(s: &str) -> i64 {
    let idx = |c: &str| {
        CHINESE_NUMERALS
            .iter()
            .position(|n| *n == c)
            .map(|i| i as i64 + 1)
            .unwrap_or(0)
    };
    let chars: Vec<String> = s.chars().map(|c| c.to_string()).collect();
    match chars.as_slice() {
        [a] => idx(a),
        [t, b] if t == "十" => 10 + idx(b),
        [a, t] if t == "十" => idx(a) * 10,
        _ => 0,
    }
}

fn arabic_value(s: &str) -> i64 {
    s.chars()
        .map(super::normalize::fold_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// A line without its leading whitespace and Markdown heading or bold markers
/// (`## 一、总体情况`, `**一、总体情况**`).
pub fn markdown_body(line: &str) -> &str {
    let t = line.trim_start();
    let t = if t.starts_with('#') {
        t.trim_start_matches('#').trim_start()
    } else {
        t
    };
    t.strip_prefix("**").unwrap_or(t).trim_start()
}

/// Parse the numbering and heading part of a line. The heading part ends at the
/// first `。` or `：`; `line_start` is the line's byte offset.
pub fn parse_heading(line: &str, line_start: usize) -> Option<Heading> {
    let lead = line.len() - markdown_body(line).len();
    let body = markdown_body(line).trim_end_matches("**");
    let caps = numbering_re().captures(body)?;
    let (number, style, num_end) = if let Some(m) = caps.name("cn") {
        (
            chinese_value(m.as_str()),
            "chinese",
            caps.name("cnsep").unwrap().end(),
        )
    } else if let Some(m) = caps.name("ar") {
        (
            arabic_value(m.as_str()),
            "arabic",
            caps.name("arsep").unwrap().end(),
        )
    } else if let Some(m) = caps.name("pcn") {
        (
            chinese_value(m.as_str()),
            "chinese_paren",
            caps.get(0).unwrap().end(),
        )
    } else {
        let m = caps.name("par")?;
        (
            arabic_value(m.as_str()),
            "arabic_paren",
            caps.get(0).unwrap().end(),
        )
    };
    if number == 0 {
        return None;
    }
    let rest = &body[num_end..];
    let ws = rest.len()
        - rest
            .trim_start_matches([' ', '\u{3000}', '\t', '\u{a0}'])
            .len();
    let title_start = num_end + ws;
    let after = &body[title_start..];
    let title_len = after
        .find(['。', '：', ':', '；'])
        .unwrap_or(after.trim_end().len());
    let title = after[..title_len].trim_end();
    if title.is_empty() {
        return None;
    }
    let base = line_start + lead;
    let mut whitespace = Vec::new();
    if ws > 0 {
        whitespace.push(Span::new(base + num_end, base + title_start));
    }
    let mut in_ws: Option<usize> = None;
    for (i, c) in title.char_indices() {
        let is_ws = matches!(c, ' ' | '\u{3000}' | '\t' | '\u{a0}');
        match (is_ws, in_ws) {
            (true, None) => in_ws = Some(i),
            (false, Some(s)) => {
                // Spacing around Latin letters and digits (`2024 年`) is
                // typesetting, not a stray space; only CJK–CJK spaces count.
                let before = title[..s].chars().next_back();
                let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                if !latin(before) && !latin(Some(c)) {
                    whitespace.push(Span::new(base + title_start + s, base + title_start + i));
                }
                in_ws = None;
            }
            _ => {}
        }
    }
    let end = title_start + title.len();
    let standalone = body[end..].trim().is_empty();
    Some(Heading {
        standalone,
        text: body[..end].to_string(),
        span: Span::new(base, base + end),
        numbering: body[..num_end].to_string(),
        numbering_span: Span::new(base, base + num_end),
        number,
        style: style.to_string(),
        title: title.to_string(),
        title_span: Span::new(base + title_start, base + end),
        whitespace,
    })
}

/// Which canonical part a heading is, if it is a top-level heading at all.
pub fn top_level_part(h: &Heading, whole_line: bool) -> Option<i64> {
    let title = fold(&h.title);
    if title.chars().count() > 40 {
        return None;
    }
    let part = schema::section_for_title(&title)?;
    let canonical = fold(schema::SECTION_HEADINGS[(part - 1) as usize]);
    // `一、总体情况（2024年）` contains the canonical words; otherwise the wording
    // must be close (`五、存在问题及改进措施`).
    // A heading numbered for another part must be nearly the canonical words:
    // `三、主动公开工作情况` inside part 一 is a sub-part, not part 二.
    let needed = if h.number == part { 0.5 } else { 0.75 };
    if !title.contains(&canonical) && similarity(&title, &canonical) < needed {
        return None;
    }
    match h.style.as_str() {
        "chinese" => Some(part),
        "arabic" if h.number == part => Some(part),
        "chinese_paren" | "arabic_paren" if h.number == part && whole_line => Some(part),
        _ => None,
    }
}

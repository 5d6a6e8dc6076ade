//! Split the text view into lines and table cells, whatever the text shape:
//! pipe rows (`a | b | c |||`), one cell per line (`a |`), Markdown tables
//! (`| a | b |`) and tab-indented DOCX export (`\ta`, blank line between rows).

use crate::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or whitespace only.
    Blank,
    /// Only separators: `|||`, `\t`, or a Markdown rule `|---|---|`.
    Empty,
    /// One or more table cells.
    Cells,
    /// Narrative text, a heading or a title.
    Text,
}

#[derive(Debug, Clone)]
pub struct RawCell {
    pub text: String,
    pub span: Span,
    pub line: usize,
    /// The cell is in a row of three or more cells none of which is a number:
    /// a header row, never values.
    pub header_row: bool,
}

#[derive(Debug, Clone)]
pub struct LexLine {
    /// 0-based line index.
    pub index: usize,
    /// The line without its newline.
    pub span: Span,
    pub kind: LineKind,
    pub cells: Vec<RawCell>,
    /// The shape the line is written in: `pipe`, `cell-per-line`, `markdown`, `tab`, or empty.
    pub shape: &'static str,
}

impl LexLine {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.span.start..self.span.end]
    }
}

/// Lex every line of `src`.
pub fn lex(src: &str) -> Vec<LexLine> {
    let mut out = Vec::new();
    let mut start = 0;
    for (index, raw) in src.split('\n').enumerate() {
        let end = start + raw.len();
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let line = lex_line(index, start, text);
        if line.kind == LineKind::Text && text.len() > LONG_LINE {
            out.extend(split_run_together(index, start, text));
        } else {
            out.push(line);
        }
        start = end + 1;
    }
    out
}

/// Lex the text view of a converted document (HTML, DOCX, PDF): a table row
/// with cell ranges in the origin map takes its cells from there — one per
/// cell of the original table (columns sharing a range are one merged
/// cell), empty cells kept as blanks rather than dropped as padding.
pub fn lex_with_origins(
    src: &str,
    origins: &[Option<crate::model::origin::LineOrigin>],
) -> Vec<LexLine> {
    let mut lines = lex(src);
    if origins.is_empty() {
        return lines;
    }
    for line in &mut lines {
        let Some(Some(lo)) = origins.get(line.index) else {
            continue;
        };
        let start = line.span.start;
        if lo.cells.is_empty() || lo.cells.iter().any(|&(_, e)| start + e > line.span.end) {
            continue;
        }
        let mut cells: Vec<RawCell> = Vec::new();
        let mut last = None;
        for &(s, e) in &lo.cells {
            if last == Some((s, e)) {
                continue;
            }
            last = Some((s, e));
            cells.push(RawCell {
                text: src[start + s..start + e].to_string(),
                span: Span::new(start + s, start + e),
                line: line.index,
                header_row: false,
            });
        }
        if cells.iter().all(|c| c.text.is_empty()) {
            continue;
        }
        mark_header_row(&mut cells);
        line.kind = LineKind::Cells;
        line.shape = if cells.len() == 1 {
            "cell-per-line"
        } else {
            "pipe"
        };
        line.cells = cells;
    }
    lines
}

/// Lines longer than this (bytes) may be a whole report run together.
const LONG_LINE: usize = 1500;

fn inline_heading_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        // A numbered heading ending in 情况 or 事项 (the six canonical ones, also
        // when misspelt: `四、政府信息公开行政法复议、行政诉讼情况`), numbered up
        // to 八 (a report with an extra part numbers 其他事项 as 七、).
        regex::Regex::new(r"^[一二三四五六七八]、[\p{Han}、（）()]{2,24}?(?:情况|事项)")
            .expect("valid regex")
    })
}

/// Last words of a retitled part heading (`五、存在的主要问题及明年工作计划`,
/// `五、当前存在的突出问题`, `六、下一步改进举措`, `一、年度工作核心成效`).
const RETITLED_ENDS: [&str; 6] = ["问题", "计划", "措施", "举措", "成效", "打算"];

/// The end (byte offset in `text`) of a numbered heading starting at `at`, if
/// one starts there.
fn inline_heading_end(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    if let Some(m) = inline_heading_re().find(rest) {
        return Some(at + m.end());
    }
    // A retitled heading: only after a non-Han character (`统一、规范` is no
    // heading), its words a run of Han up to a boundary or one of the end words.
    if text[..at]
        .chars()
        .next_back()
        .is_some_and(super::normalize::is_cjk)
    {
        return None;
    }
    let numbering = rest.char_indices().nth(2)?.0;
    let words = &rest[numbering..];
    let mut run = 0;
    for (n, (i, c)) in words.char_indices().enumerate() {
        if n >= 24 || !(super::normalize::is_cjk(c) || c == '、') {
            break;
        }
        run = i + c.len_utf8();
    }
    let title = &words[..run];
    let bounded = run < words.len() && title.chars().count() < 24;
    if bounded && RETITLED_ENDS.iter().any(|w| title.ends_with(w)) {
        return Some(at + numbering + run);
    }
    RETITLED_ENDS
        .iter()
        .filter_map(|w| title.find(w).map(|i| i + w.len()))
        .filter(|&e| title[..e].chars().count() >= 4)
        .min()
        .map(|e| at + numbering + e)
}

fn numbered_start_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"[一二三四五六七八]、").expect("valid regex"))
}

/// A crawler's text extract puts a whole report on one line. Split it into
/// logical lines at the part headings, each heading a line of its own, so
/// parts are still recognised. Spans stay those of the original text.
fn split_run_together(index: usize, start: usize, text: &str) -> Vec<LexLine> {
    let mut cuts = vec![0];
    let mut from = 0;
    while let Some(m) = numbered_start_re().find_at(text, from) {
        match inline_heading_end(text, m.start()) {
            Some(end) => {
                cuts.push(m.start());
                cuts.push(end);
                from = end;
            }
            None => from = m.end(),
        }
    }
    cuts.push(text.len());
    cuts.dedup();
    cuts.windows(2)
        .filter(|w| !text[w[0]..w[1]].trim().is_empty())
        .map(|w| {
            let piece = &text[w[0]..w[1]];
            let lead = piece.len() - piece.trim_start().len();
            let trimmed = piece.trim();
            lex_line(index, start + w[0] + lead, trimmed)
        })
        .collect()
}

fn lex_line(index: usize, start: usize, text: &str) -> LexLine {
    let span = Span::new(start, start + text.len());
    let mut line = LexLine {
        index,
        span,
        kind: LineKind::Text,
        cells: Vec::new(),
        shape: "",
    };
    if text.trim().is_empty() || is_page_number(text) {
        line.kind = if text.contains('\t') {
            LineKind::Empty
        } else {
            LineKind::Blank
        };
        if text.contains('\t') {
            // A tab-indented empty cell of a DOCX export.
            line.cells.push(RawCell {
                text: String::new(),
                span: Span::new(start, start),
                line: index,
                header_row: false,
            });
            line.shape = "tab";
        }
        return line;
    }
    if let Some(rest) = text.strip_prefix('\t') {
        let (off, cell) = trim_with_offset(rest);
        let s = start + 1 + off;
        line.kind = LineKind::Cells;
        line.shape = "tab";
        line.cells.push(RawCell {
            text: cell.to_string(),
            span: Span::new(s, s + cell.len()),
            line: index,
            header_row: false,
        });
        return line;
    }
    if !is_pipe_line(text) {
        return line;
    }
    let markdown = text.trim_start().starts_with('|');
    let mut cells = Vec::new();
    let mut seg_start = 0;
    for (i, part) in text.split('|').enumerate() {
        let (off, cell) = trim_with_offset(part);
        let s = start + seg_start + off;
        if !(markdown && i == 0) {
            cells.push(RawCell {
                text: cell.to_string(),
                span: Span::new(s, s + cell.len()),
                line: index,
                header_row: false,
            });
        }
        seg_start += part.len() + 1;
    }
    // Drop the segment after the last pipe and any padding of empty cells.
    while cells.last().is_some_and(|c| c.text.is_empty()) {
        cells.pop();
    }
    let separators = text.matches('|').count();
    if cells.iter().all(|c| is_rule(&c.text)) {
        line.kind = LineKind::Empty;
        if cells.is_empty() && separators == 1 && !markdown {
            // A lone `|`: one empty cell written on its own line.
            line.cells.push(RawCell {
                text: String::new(),
                span: Span::new(start, start),
                line: index,
                header_row: false,
            });
        }
        line.shape = if markdown { "markdown" } else { "pipe" };
        return line;
    }
    mark_header_row(&mut cells);
    line.kind = LineKind::Cells;
    line.shape = if markdown {
        "markdown"
    } else if cells.len() == 1 {
        "cell-per-line"
    } else {
        "pipe"
    };
    line.cells = cells;
    line
}

/// A page footer left by PDF conversion: `— 4 —`, `- 12 -`, dashes on both
/// sides. A signed number (`-5`, a 本年增/减 cell of a tab-indented export) is
/// not one.
fn is_page_number(text: &str) -> bool {
    let dash = |c: char| matches!(c, '—' | '-' | '－' | ' ' | '\u{3000}');
    let t = text.trim();
    let inner = t.trim_start_matches(dash);
    let both = inner.len() < t.len() && inner.trim_end_matches(dash).len() < inner.len();
    let inner = inner.trim_end_matches(dash);
    both && !inner.is_empty() && inner.len() <= 4 && inner.chars().all(|c| c.is_ascii_digit())
}

/// A line is a table line when it uses `|` as a cell separator: it ends with
/// `|`, starts with `|`, or contains ` | `.
fn is_pipe_line(text: &str) -> bool {
    let t = text.trim();
    t.ends_with('|') || t.starts_with('|') || t.contains(" | ")
}

fn is_rule(cell: &str) -> bool {
    cell.is_empty() || cell.chars().all(|c| matches!(c, '-' | ':' | ' '))
}

fn trim_with_offset(s: &str) -> (usize, &str) {
    let trimmed_start = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    let off = s.len() - trimmed_start.len();
    (
        off,
        trimmed_start.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{3000}'),
    )
}

/// A row of three or more cells none of which is empty, a number or a
/// placeholder (`无`, `空`) is a header row (a Markdown table's first row, a
/// block's column names).
fn mark_header_row(cells: &mut [RawCell]) {
    let header = cells.len() >= 3
        && cells.iter().all(|c| {
            !c.text.is_empty()
                && !c
                    .text
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_digit() || "+-－—/／".contains(ch))
                && !matches!(c.text.as_str(), "无" | "空")
        });
    for c in cells {
        c.header_row = header;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_row_with_padding() {
        let l = lex("规章 | 0 | 0 | 0 |||\n");
        assert_eq!(l[0].kind, LineKind::Cells);
        let cells: Vec<_> = l[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(cells, ["规章", "0", "0", "0"]);
    }

    #[test]
    fn cell_per_line_and_spans() {
        let src = "行政许可 |\n14394 |\n||\n";
        let l = lex(src);
        assert_eq!(l[1].cells[0].text, "14394");
        let s = l[1].cells[0].span;
        assert_eq!(&src[s.start..s.end], "14394");
        assert_eq!(l[2].kind, LineKind::Empty);
        assert!(l[2].cells.is_empty());
    }

    #[test]
    fn markdown_and_tab() {
        let l = lex("| 信息内容 | 本年制发件数 |\n|---|---|\n\t0\n\t\n");
        assert_eq!(l[0].cells.len(), 2);
        assert_eq!(l[1].kind, LineKind::Empty);
        assert_eq!(l[2].cells[0].text, "0");
        assert_eq!(l[3].kind, LineKind::Empty);
        assert_eq!(l[3].cells.len(), 1);
    }

    #[test]
    fn crawler_line_split_at_retitled_part_headings() {
        let filler = "我局坚持依法公开，".repeat(80);
        let text = format!(
            "四、政府信息公开行政复议、行政诉讼情况{filler}0 0 0五、当前存在的突出问题过去一年中，坚持统一、规范问题导向。六、下一步改进举措 针对上述问题{filler}七、其他需说明事项2025年度"
        );
        let pieces: Vec<&str> = lex(&text).iter().map(|l| l.text(&text)).collect();
        for heading in [
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、当前存在的突出问题",
            "六、下一步改进举措",
            "七、其他需说明事项",
        ] {
            assert!(pieces.contains(&heading), "{heading}: {pieces:?}");
        }
        // `统一、规范问题` follows a Han character: no heading there.
        assert!(
            !pieces.iter().any(|p| p.starts_with("一、规范")),
            "{pieces:?}"
        );
    }

    #[test]
    fn a_signed_tab_cell_is_a_value_not_a_page_number() {
        let l = lex("\t-5\n\t+2\n- 12 -\n— 4 —\n");
        assert_eq!(l[0].kind, LineKind::Cells);
        assert_eq!(l[0].cells[0].text, "-5");
        assert_eq!(l[1].cells[0].text, "+2");
        assert_eq!(l[2].kind, LineKind::Blank);
        assert_eq!(l[3].kind, LineKind::Blank);
    }

    #[test]
    fn the_lexer_reads_merged_and_blank_cells_from_the_origin_map() {
        let page = "<p>一、总体情况</p><table><tr><td>信息内容</td><td colspan=2>本年新公开数量</td><td>x</td></tr>\
                    <tr><td>规章</td><td colspan=2>13</td><td>&nbsp;</td></tr></table>";
        let v = crate::input::html::read(page).unwrap();
        assert_eq!(
            v.text,
            "一、总体情况\n\n| 信息内容 | 本年新公开数量 | 本年新公开数量 | x |\n| 规章 | 13 | 13 |  |\n\n"
        );
        let lines = lex_with_origins(&v.text, &v.origins);
        let cells: Vec<&str> = lines[3].cells.iter().map(|c| c.text.as_str()).collect();
        // The colspan is one cell; the trailing blank is kept.
        assert_eq!(cells, ["规章", "13", ""]);
        let plain = lex(&v.text);
        assert_eq!(
            plain[3].cells.len(),
            3,
            "the text lexer drops the blank as padding"
        );
        let at = v.text.rfind("13").unwrap();
        assert_eq!(
            v.locate(at).unwrap().column,
            None,
            "a repeated copy has no range of its own"
        );
        let first = v.text.find("13").unwrap();
        assert_eq!(v.locate(first).unwrap().column, Some(2));
    }
}

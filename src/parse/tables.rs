//! Recognise tables 2, 3 and 4 by their labels and the canonical schema, not by
//! line position, and read their cells whatever the text shape.
//!
//! The lexed lines become one stream of cells. Narrative lines break the stream;
//! a short text line that is itself a table label (`三、本年度办理结果` in a DOCX
//! export) is taken as a cell. Row labels are matched in schema order; each row
//! takes the value cells between its label and the next label.

use super::lexer::{LexLine, LineKind, RawCell};
use super::normalize::{fold, has_cjk, similarity};
use crate::model::schema::{self, RowSpec};
use crate::model::{Cell, Column, FormatVersion, Row, ShapeIssue, Span, Spanned, Table, Value};

#[derive(Debug, Clone)]
pub enum Item {
    Cell(RawCell),
    /// A narrative line: tables never continue across it.
    Break,
}

impl Item {
    fn cell(&self) -> Option<&RawCell> {
        match self {
            Item::Cell(c) => Some(c),
            Item::Break => None,
        }
    }
}

/// Build the cell stream.
pub fn stream(src: &str, lines: &[LexLine]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut after_label_line = false;
    for line in lines {
        match line.kind {
            LineKind::Cells | LineKind::Empty => {
                after_label_line = false;
                items.extend(line.cells.iter().cloned().map(Item::Cell))
            }
            LineKind::Blank => {}
            LineKind::Text => {
                let text = line.text(src);
                // A line of values only, right after a table cell: text with one
                // cell per line and no separator (`行政许可`, then `1679`, as a
                // page's text is copied or crawled).
                if matches!(items.last(), Some(Item::Cell(_))) {
                    let values = value_cells(text, line);
                    if !values.is_empty() {
                        after_label_line = false;
                        items.extend(values.into_iter().map(Item::Cell));
                        continue;
                    }
                }
                let short = text.trim().chars().count() <= 15 && !text.contains('。');
                if after_label_line && short && !is_label_line(text) {
                    // The wrapped end of a label line (`形，不计其他情形）`).
                    after_label_line = false;
                    continue;
                }
                after_label_line = is_label_line(text);
                if after_label_line {
                    let t = super::sections::markdown_body(text)
                        .trim_end_matches("**")
                        .trim();
                    let off = text.find(t).unwrap_or(0);
                    let s = line.span.start + off;
                    items.push(Item::Cell(RawCell {
                        text: t.to_string(),
                        span: Span::new(s, s + t.len()),
                        line: line.index,
                        header_row: false,
                    }));
                } else {
                    items.push(Item::Break);
                }
            }
        }
    }
    items
}

pub use crate::model::schema::is_row_label_line;

/// The cells of a text line made of table values only (one to seven numbers
/// or stand-ins, `0`, `852.04`, `1 0 2`); empty for anything else.
fn value_cells(text: &str, line: &LexLine) -> Vec<RawCell> {
    let mut out = Vec::new();
    let mut at = 0;
    for token in text.split_whitespace() {
        let off = text[at..].find(token).map_or(at, |k| at + k);
        at = off + token.len();
        if !matches!(
            parse_value(token),
            Value::Integer(_) | Value::Decimal(_) | Value::Placeholder(_)
        ) || out.len() == 7
        {
            return Vec::new();
        }
        let s = line.span.start + off;
        out.push(RawCell {
            text: token.to_string(),
            span: Span::new(s, s + token.len()),
            line: line.index,
            header_row: false,
        });
    }
    out
}

/// Every character is one of table 4's header words' (`结果`, `尚未审`,
/// `结果结果其他尚未`): header words, whole or cut, never a value.
fn is_t4_header_words(f: &str) -> bool {
    const T4_HEADER_CHARS: &str = "结果维持纠正其他尚未审结总计未经复议直接起诉后行政诉讼";
    f.chars().all(|c| T4_HEADER_CHARS.contains(c))
}

/// A short text line that is a table label rather than narrative.
fn is_label_line(text: &str) -> bool {
    let f = fold(text);
    if f.chars().count() > 40 || f.contains('。') {
        return false;
    }
    let bare = f.trim_start_matches(['#', '*']);
    // A short group caption such as `### (六) 其他` in OCR Markdown.
    let group_caption = bare.starts_with('(')
        && bare
            .chars()
            .nth(1)
            .is_some_and(|c| "一二三四五六七".contains(c))
        && bare.chars().nth(2) == Some(')')
        && bare.chars().count() <= 10;
    // Header words of table 4 run together by PDF conversion (`结果结果其他尚未`),
    // or one to a line as a crawl gives them (`结果`, `其他`, `尚未`).
    let t4_header = bare.chars().count() >= 2 && is_t4_header_words(bare);
    group_caption
        || t4_header
        || bare.starts_with("表二")
        || bare.starts_with("表三")
        || bare.starts_with("表四")
        || f.contains("第二十条")
        || bare.starts_with("行政复议")
        || bare.starts_with("行政诉讼")
        || schema::T3_GROUP_PHRASES.iter().any(|p| f.contains(p))
        || schema::t3_rows(FormatVersion::V2021)
            .iter()
            .any(|r| r.phrases.iter().any(|p| f.contains(p)))
        // Table 2's headers and row labels alone on their lines (`信息内容`,
        // `本年处理决定数量`, `规章`, `行政许可`).
        || bare == "信息内容"
        || bare.starts_with("本年处理决定数量")
        || schema::T2_HEADERS_2021
            .iter()
            .chain(schema::T2_HEADERS_2019.iter())
            .any(|h| bare.starts_with(h))
        || [FormatVersion::V2019, FormatVersion::V2021]
            .into_iter()
            .flat_map(schema::t2_rows)
            .any(|(_, r)| fold(r.label) == bare)
}

/// Parse a table cell's text into a value, removing Word residue first.
pub fn parse_cell(raw: &RawCell, row: &str, col: &str) -> Cell {
    let (clean, residue) = strip_residue(&raw.text, raw.span.start);
    Cell {
        row: row.to_string(),
        col: col.to_string(),
        raw: raw.text.clone(),
        value: parse_value(&clean),
        span: raw.span,
        residue,
    }
}

fn strip_residue(text: &str, base: usize) -> (String, Option<Spanned<String>>) {
    for marker in ["[bookmark:", "[image:", "[comment:"] {
        if let Some(i) = text.find(marker) {
            if let Some(len) = text[i..].find(']') {
                let j = i + len + 1;
                let clean = format!("{}{}", &text[..i], &text[j..]);
                let res = Spanned {
                    value: text[i..j].to_string(),
                    span: Span::new(base + i, base + j),
                };
                return (clean, Some(res));
            }
        }
    }
    (text.to_string(), None)
}

const PLACEHOLDERS: [&str; 12] = [
    "-", "--", "—", "——", "–", "/", "\\", "无", "空", "×", "*", "－",
];

/// Parse a cell's text: integer, decimal, blank, placeholder or text.
pub fn parse_value(text: &str) -> Value {
    let t: String = text
        .chars()
        .map(super::normalize::fold_digit)
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '\u{3000}' && *c != '\u{a0}')
        .collect();
    if t.is_empty() {
        return Value::Blank;
    }
    if PLACEHOLDERS.contains(&t.as_str()) || t == "／" {
        return Value::Placeholder(t);
    }
    let digits = t.strip_prefix(['+', '-']).unwrap_or(&t);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        if let Ok(i) = t.trim_start_matches('+').parse::<i64>() {
            return Value::Integer(i);
        }
    }
    if let Some((a, b)) = digits.split_once('.') {
        if !a.is_empty()
            && !b.is_empty()
            && (a.chars().chain(b.chars())).all(|c| c.is_ascii_digit())
        {
            if let Ok(d) = t.trim_start_matches('+').parse::<f64>() {
                return Value::Decimal(d);
            }
        }
    }
    Value::Text(text.trim().to_string())
}

/// Find and read tables 2, 3 and 4.
pub fn find_tables(
    items: &[Item],
    lines: &[LexLine],
    expected: Option<FormatVersion>,
) -> Vec<Table> {
    let folded: Vec<String> = items
        .iter()
        .map(|i| i.cell().map(|c| fold(&c.text)).unwrap_or_default())
        .collect();
    let mut tables = Vec::new();

    let t3_anchor = folded.iter().position(|f| f.contains("本年新收"));
    let t3_start = t3_anchor.map(|a| header_start(items, &folded, a, &["勾稽", "申请人情况"], 40));

    // Table 2: from its first caption or header, up to table 3.
    let t2_limit = t3_start.unwrap_or(items.len());
    let t2_start = (0..t2_limit)
        .find(|&i| folded[i].contains("第二十条") || folded[i] == "信息内容")
        .or_else(|| {
            let specs = schema::t2_rows(FormatVersion::V2021);
            (0..t2_limit).find(|&i| specs.iter().any(|(_, r)| folded[i] == fold(r.label)))
        });
    let mut after_t2 = 0;
    if let Some(start) = t2_start {
        let end = until_break(items, start, t2_limit);
        let region = &folded[start..end];
        let format = if region
            .iter()
            .any(|f| schema::T2_HEADERS_2019.iter().any(|h| f.contains(h)))
        {
            FormatVersion::V2019
        } else if region
            .iter()
            .any(|f| schema::T2_HEADERS_2021.iter().any(|h| f.contains(h)))
        {
            FormatVersion::V2021
        } else {
            expected.unwrap_or(FormatVersion::V2021)
        };
        let specs: Vec<RowSpec> = schema::t2_rows(format)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let mut vocab: Vec<&str> = schema::T2_HEADERS_2021.to_vec();
        vocab.extend(schema::T2_HEADERS_2019);
        vocab.extend(schema::T2_HEADERS_OTHER);
        let (mut table, last) = read_rows("t2", items, &folded, start, end, &specs, &vocab);
        table.format = Some(format);
        table.columns =
            specs
                .iter()
                .flat_map(|r| r.cols.iter())
                .fold(Vec::<Column>::new(), |mut acc, c| {
                    if !acc.iter().any(|x| x.key == *c) {
                        acc.push(Column {
                            key: c.to_string(),
                            label: schema::t2_col_label(c).to_string(),
                        });
                    }
                    acc
                });
        after_t2 = last;
        tables.push(table);
    }

    // Table 3: from the 勾稽 note (or the first row) to 四、结转下年度继续办理.
    let mut after_t3 = after_t2;
    if let (Some(anchor), Some(start)) = (t3_anchor, t3_start) {
        let t4_guess = find_t4_anchor(items, &folded, anchor).unwrap_or(items.len());
        let end = until_break(items, anchor, t4_guess);
        let region = &folded[anchor..end];
        let format = if region
            .iter()
            .any(|f| f.contains("逾期不补正") || f.contains("收费通知"))
        {
            FormatVersion::V2021
        } else if region.iter().any(|f| f.contains("其他处理")) {
            FormatVersion::V2019
        } else {
            expected.unwrap_or(FormatVersion::V2021)
        };
        let specs = schema::t3_rows(format);
        let mut vocab: Vec<&str> = schema::T3_GROUP_PHRASES.to_vec();
        if format == FormatVersion::V2019 {
            vocab.retain(|p| *p != "其他处理");
        }
        vocab.extend([
            "勾稽",
            "自然人",
            "法人或其他组织",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
        ]);
        let (mut table, last) = read_rows("t3", items, &folded, anchor, end, &specs, &vocab);
        if let Some(c) = items[start].cell() {
            table.span = c.span.join(table.span);
        }
        table.format = Some(format);
        table.columns = schema::T3_COLS
            .iter()
            .zip(schema::T3_COL_LABELS)
            .map(|(k, l)| Column {
                key: k.to_string(),
                label: l.to_string(),
            })
            .collect();
        after_t3 = last;
        tables.push(table);
    }

    // Table 4: 行政复议 / 行政诉讼 headers, then 15 values assigned by position.
    if let Some(anchor) = find_t4_anchor(items, &folded, after_t3) {
        let mut t4 = read_t4(items, &folded, anchor);
        // Table 4 is the same in both formats; it follows the report's layout.
        t4.format = tables.iter().rev().find_map(|t| t.format).or(expected);
        tables.push(t4);
    }

    for t in &mut tables {
        t.empty_runs = empty_runs(lines, t.data_span);
    }
    tables
}

fn find_t4_anchor(items: &[Item], folded: &[String], from: usize) -> Option<usize> {
    (from..items.len()).find(|&i| {
        let f = folded[i].trim_start_matches(['#', '*']);
        // `行政复议` with the first header words run into its cell (`行政复议 结果维
        // 结果纠 其他结 尚未审 总`: a web page printed to PDF) is the anchor too.
        let header_words = f.chars().count() <= 8
            || f.strip_prefix("行政复议")
                .is_some_and(|rest| rest.starts_with("结果"));
        f == "行政复议行政诉讼"
            || (f.starts_with("行政复议")
                && header_words
                && (i + 1..(i + 16).min(items.len())).any(|j| folded[j].starts_with("行政诉讼")))
    })
}

fn header_start(
    items: &[Item],
    folded: &[String],
    anchor: usize,
    marks: &[&str],
    window: usize,
) -> usize {
    let mut best = anchor;
    let mut i = anchor;
    while i > 0 && anchor - i < window {
        i -= 1;
        if matches!(items[i], Item::Break) {
            break;
        }
        if marks.iter().any(|m| folded[i].contains(m)) {
            best = i;
        }
    }
    best
}

fn until_break(items: &[Item], start: usize, limit: usize) -> usize {
    (start..limit)
        .find(|&i| matches!(items[i], Item::Break))
        .unwrap_or(limit)
}

/// Is this cell a label (a row label, a group or header label) rather than a value?
fn is_labelish(f: &str, vocab: &[&str], specs: &[RowSpec]) -> bool {
    if f.is_empty() {
        return false;
    }
    if vocab.iter().any(|v| f.contains(v))
        || specs
            .iter()
            .any(|r| r.phrases.iter().any(|p| f.contains(p)))
    {
        return true;
    }
    let starts_digit = f
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '+' || c == '-');
    has_cjk(f) && f.chars().count() >= 4 && !starts_digit
}

/// The numbers a row label's cell ends with, each as a cell of its own
/// (`行政许可 0`, `规章 3 0 12`: a conversion that lost the cell borders),
/// when text remains before them; empty otherwise.
fn inline_values(cell: &RawCell) -> Vec<RawCell> {
    let text = cell.text.as_str();
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| !c.is_whitespace()) {
        let start = text.len() - rest.len() + i;
        let len = text[start..]
            .find(char::is_whitespace)
            .unwrap_or(text.len() - start);
        tokens.push((start, &text[start..start + len]));
        rest = &text[start + len..];
    }
    let numeric = |t: &str| matches!(parse_value(t), Value::Integer(_) | Value::Decimal(_));
    let first_number = tokens
        .iter()
        .rposition(|(_, t)| !numeric(t))
        .map_or(0, |i| i + 1);
    if first_number == 0 || first_number == tokens.len() || !has_cjk(tokens[first_number - 1].1) {
        return Vec::new();
    }
    tokens[first_number..]
        .iter()
        .map(|&(start, t)| RawCell {
            text: t.to_string(),
            span: Span::new(cell.span.start + start, cell.span.start + start + t.len()),
            line: cell.line,
            header_row: false,
        })
        .collect()
}

/// A folded label without the numbers a conversion left in its cell
/// (`行政许可0` → `行政许可`; see [`inline_values`]).
fn without_trailing_number(f: &str) -> &str {
    let t = f.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if t.len() < f.len() && t.chars().last().is_some_and(super::normalize::is_cjk) {
        t
    } else {
        f
    }
}

fn matches_row(f: &str, spec: &RowSpec, is_next: bool) -> bool {
    let f = without_trailing_number(f);
    if spec.key == "r6_3_other" {
        // `3、其他` as a PDF of corpus 001 writes it.
        return f == "3.其他" || f == "3、其他" || (is_next && f == "其他");
    }
    if spec.key == "r7_total" && is_next && f == "总计" {
        return true;
    }
    if spec.key == "regulations" {
        return f == "规章" || f.starts_with("规章(");
    }
    spec.phrases.iter().any(|p| f.contains(p))
}

/// Is `f` (a folded label-like cell that matches no row) the row `spec` with
/// its label miswritten (“2.其他法律行政止公开” for “2.其他法律行政法规禁止公开”)?
/// Only tried for the row expected next; the label must keep the row's
/// numbering, when it has one, and most of its characters in order.
fn garbled_label_of(f: &str, spec: &RowSpec) -> bool {
    /// Long cells are prose, not labels (and similarity costs their length
    /// times the label's).
    const MAX_CHARS: usize = 40;
    let label = fold(spec.label);
    if f.chars().count() > MAX_CHARS || label.chars().count() < 4 {
        return false;
    }
    let numbering = |s: &str| -> String {
        s.chars()
            .take_while(|c| {
                c.is_ascii_digit()
                    || matches!(c, '.' | '、' | '(' | ')')
                    || "一二三四五六七".contains(*c)
            })
            .collect()
    };
    let n = numbering(&label);
    if !n.is_empty() && numbering(f) != n {
        return false;
    }
    similarity(f, &label) >= 0.6
}

/// When `f` is the head of `spec`'s label, cut where a narrow cell wrapped it
/// (`8.属于` of `8.属于行政查询事项`), the rest of the label. The head keeps the
/// row's numbering and at least one word after it, so a bare number is never
/// taken for a label.
fn label_head_of(f: &str, spec: &RowSpec) -> Option<String> {
    let label = fold(spec.label);
    if f.len() >= label.len() || !label.starts_with(f) {
        return None;
    }
    let numbering: String = label
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '、' | '(' | ')'))
        .collect();
    if numbering.is_empty() || !f.starts_with(&numbering) {
        return None;
    }
    let words = f.chars().count() - numbering.chars().count();
    (words >= 1 && has_cjk(f)).then(|| label[f.len()..].to_string())
}

/// Read rows in schema order from `items[start..end]`.
fn read_rows(
    kind: &str,
    items: &[Item],
    folded: &[String],
    start: usize,
    end: usize,
    specs: &[RowSpec],
    vocab: &[&str],
) -> (Table, usize) {
    // 1. Labels, in order.
    let mut labels: Vec<(usize, usize)> = Vec::new(); // (item index, spec index)
                                                      // Labels read as a row although miswritten (see `garbled_label_of`).
    let mut differs: Vec<(usize, usize)> = Vec::new();
    let mut labelish = vec![false; end];
    let mut next = 0;
    let mut values_since_label = false;
    // The rest of a row label cut in two (see `label_head_of`), still to come.
    let mut label_rest: Option<String> = None;
    for i in start..end {
        let f = &folded[i];
        if f.is_empty() {
            continue;
        }
        if let Some(rest) = label_rest.as_mut() {
            if rest.starts_with(f.as_str()) {
                // `行政查询事项` after `8.属于 | 2 | 0 | …`: the label's end, not a row.
                *rest = rest[f.len()..].to_string();
                labelish[i] = true;
                if rest.is_empty() {
                    label_rest = None;
                }
                continue;
            }
        }
        labelish[i] = is_labelish(f, vocab, specs) || items[i].cell().is_some_and(|c| c.header_row);
        // The same row label again before any value (a caption line, then the
        // row itself, as OCR Markdown writes it): the label moves to the row.
        if let Some(last) = labels.last_mut() {
            let header_row = items[i].cell().is_some_and(|c| c.header_row);
            if !values_since_label && !header_row && matches_row(f, &specs[last.1], false) {
                last.0 = i;
                labelish[i] = true;
                continue;
            }
        }
        if !labelish[i] {
            values_since_label = true;
        }
        let header_row = items[i].cell().is_some_and(|c| c.header_row);
        // In table 3, words that are no row's label, right after a row label
        // with no value yet, end that label: the values follow them (`（六）其
        // 2.申请人逾期未按收费通知要求缴纳费`, then `用、行政机关不再处理其政府信息
        // 公开申请 | 0 | 0 | …`, where a printed web page wrapped the cell).
        if kind == "t3" && labelish[i] && !values_since_label && !header_row && has_cjk(f) {
            let any_row = specs.iter().any(|r| matches_row(f, r, false));
            let group = schema::T3_GROUP_PHRASES.iter().any(|g| f.contains(g));
            if let (Some(last), false, false) = (labels.last_mut(), any_row, group) {
                last.0 = i;
                continue;
            }
        }
        if next < specs.len() && !header_row {
            if let Some(j) = (next..specs.len()).find(|&j| matches_row(f, &specs[j], j == next)) {
                labels.push((i, j));
                labelish[i] = true;
                next = j + 1;
                values_since_label = false;
            } else if let Some(rest) = label_head_of(f, &specs[next]) {
                // The next row's label cut where a narrow cell wrapped it and a
                // page or a column shift parted the pieces (`8.属于 | 2 | 0 | … |`,
                // then `行政查询事项` on a line of its own).
                labels.push((i, next));
                labelish[i] = true;
                next += 1;
                values_since_label = false;
                label_rest = Some(rest);
            } else if has_cjk(f) && garbled_label_of(without_trailing_number(f), &specs[next]) {
                // The next row, its label miswritten: read as that row, and
                // the label reported as differing from the format.
                labels.push((i, next));
                differs.push((i, next));
                labelish[i] = true;
                next += 1;
                values_since_label = false;
            }
        }
    }
    // 2. Values between each label and the next label-like cell.
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    let mut last_used = start;
    let mut first_label: Option<Span> = None;
    let mut last_span: Option<Span> = None;
    let mut prev_spec: Option<usize> = None;
    for &(li, si) in &labels {
        let spec = &specs[si];
        let label_cell = items[li].cell().expect("labels are cells");
        if differs.contains(&(li, si)) {
            issues.push(ShapeIssue {
                kind: "label-differs".into(),
                message: format!(
                    "行名“{}”与统一格式的“{}”不同",
                    label_cell.text.trim(),
                    spec.label
                ),
                span: label_cell.span,
                row: Some(spec.key.to_string()),
                candidates: Vec::new(),
            });
        }
        let mut j = li + 1;
        let mut cands: Vec<&RawCell> = Vec::new();
        while j < end && !labelish[j] {
            if let Some(c) = items[j].cell() {
                cands.push(c);
            }
            j += 1;
        }
        // In table 3, a row the format does not have (`小计 | 3 | 0 | … |`):
        // a text cell that starts a line and is followed by numbers on that
        // line, after this row's values. It is reported as an extra row, and
        // neither it nor its numbers count as this row's cells.
        if kind == "t3" {
            if let Some(e) = extra_row_at(&cands) {
                issues.push(ShapeIssue {
                    kind: "extra-row".into(),
                    message: format!(
                        "“{}”行之后多出一行“{}”（统一格式中没有这一行）",
                        schema::short_label(spec.label),
                        cands[e].text
                    ),
                    span: cands[e].span,
                    row: Some(spec.key.to_string()),
                    candidates: Vec::new(),
                });
                cands.truncate(e);
            }
        }
        // In table 2, a caption or header may sit between values and the next row.
        let k = spec.cols.len();
        // A conversion that put the values in the label's cell (`行政许可 0`):
        // they are the row's first values, not missing ones.
        let inline = inline_values(label_cell);
        let filled = cands.iter().filter(|c| !c.text.trim().is_empty()).count();
        if !inline.is_empty() && filled + inline.len() <= k {
            cands.splice(0..0, inline.iter());
        }
        let (picked, extra) = pick_values(&cands, k, kind == "t3");
        let mut cells = Vec::new();
        for (n, col) in spec.cols.iter().enumerate() {
            match picked.get(n).copied().flatten() {
                Some(c) => {
                    last_span = Some(c.span);
                    cells.push(parse_cell(c, spec.key, col));
                }
                None => cells.push(Cell {
                    row: spec.key.to_string(),
                    col: col.to_string(),
                    raw: String::new(),
                    value: Value::Missing,
                    span: label_cell.span,
                    residue: None,
                }),
            }
        }
        let placed = picked.iter().filter(|c| c.is_some()).count();
        let values = cands.iter().filter(|c| !c.text.is_empty()).count();
        let unplaced = values.min(k).saturating_sub(placed);
        let found = placed + unplaced;
        if found < k {
            let why = if unplaced > 0 {
                format!("，且看不出各在哪一列（空白格没有留下），其中 {unplaced} 个未作核对")
            } else {
                String::new()
            };
            issues.push(ShapeIssue {
                kind: "missing-cells".into(),
                message: format!(
                    "“{}”行应有 {k} 个数值单元格，只找到 {found} 个{why}",
                    schema::short_label(spec.label)
                ),
                span: label_cell.span,
                row: Some(spec.key.to_string()),
                candidates: Vec::new(),
            });
        }
        if extra > 0 {
            issues.push(ShapeIssue {
                kind: "extra-cells".into(),
                message: format!(
                    "“{}”行多出 {extra} 个单元格（格式规定 {k} 个）",
                    schema::short_label(spec.label)
                ),
                span: label_cell.span,
                row: Some(spec.key.to_string()),
                candidates: Vec::new(),
            });
        }
        // Rows the schema has but the table lacks.
        let from = prev_spec.map(|p| p + 1).unwrap_or(0);
        for missing in &specs[from..si] {
            issues.push(ShapeIssue {
                kind: "missing-row".into(),
                message: format!("缺少“{}”行", schema::short_label(missing.label)),
                span: label_cell.span,
                row: Some(missing.key.to_string()),
                candidates: Vec::new(),
            });
        }
        prev_spec = Some(si);
        first_label.get_or_insert(label_cell.span);
        last_used = last_used.max(j.min(end));
        rows.push(Row {
            key: spec.key.to_string(),
            label: spec.label.to_string(),
            raw_label: label_cell.text.clone(),
            span: label_cell.span,
            cells,
        });
    }
    let from = prev_spec.map(|p| p + 1).unwrap_or(0);
    let first_cell = items[start].cell().map(|c| c.span).unwrap_or_default();
    let tail_span = last_span.or(first_label).unwrap_or(first_cell);
    for missing in &specs[from..] {
        issues.push(ShapeIssue {
            kind: "missing-row".into(),
            message: format!("缺少“{}”行", schema::short_label(missing.label)),
            span: tail_span,
            row: Some(missing.key.to_string()),
            candidates: Vec::new(),
        });
    }
    let first = items[start].cell().map(|c| c.span).unwrap_or_default();
    let data_start = first_label.unwrap_or(first);
    let data_end = last_span.unwrap_or(data_start);
    (
        Table {
            kind: kind.to_string(),
            format: None,
            span: first.join(data_end),
            data_span: data_start.join(data_end),
            columns: Vec::new(),
            rows,
            shape_issues: issues,
            empty_runs: Vec::new(),
        },
        last_used,
    )
}

/// Choose `k` value cells among the candidates between two labels. Empty cells
/// are padding unless too few non-empty cells remain; then they are blanks.
/// Where, among a row's candidate cells, a row the format lacks begins: a
/// cell that is not a number or a placeholder, first on its line, after at
/// least one value, with a number after it on the same line.
fn extra_row_at(cands: &[&RawCell]) -> Option<usize> {
    let is_number =
        |c: &RawCell| matches!(parse_value(&c.text), Value::Integer(_) | Value::Decimal(_));
    (1..cands.len()).find(|&e| {
        let c = cands[e];
        matches!(parse_value(&c.text), Value::Text(_))
            && c.text
                .chars()
                .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
            && cands[e - 1].line != c.line
            && cands[..e].iter().any(|v| is_number(v))
            && cands[e + 1..]
                .iter()
                .take_while(|v| v.line == c.line)
                .any(|v| is_number(v))
    })
}

fn pick_values<'a>(
    cands: &[&'a RawCell],
    k: usize,
    last_is_total: bool,
) -> (Vec<Option<&'a RawCell>>, usize) {
    let nonempty: Vec<&RawCell> = cands
        .iter()
        .copied()
        .filter(|c| !c.text.is_empty())
        .collect();
    // A one-value row whose value cell is merged across the columns (table 2's
    // 本年处理决定数量 in the Word template) shows the value in every column
    // it covers in DOCX and HTML views: one cell, not extra cells.
    if k == 1
        && nonempty.len() > 1
        && nonempty[1..]
            .iter()
            .all(|c| c.text == nonempty[0].text && c.line == nonempty[0].line)
    {
        return (vec![Some(nonempty[0])], 0);
    }
    if nonempty.len() >= k {
        return (
            nonempty[..k].iter().map(|c| Some(*c)).collect(),
            nonempty.len() - k,
        );
    }
    // Fewer values than columns, and no empty cell kept to show where the
    // others were (a PDF's or a crawler's text drops blank cells): which
    // column each value is in cannot be known. Only a last value that is the
    // sum of the others is placed, as the total; the rest stay unplaced, so
    // no identity is checked on a guess (`二、上年结转 … 18 … 18` is not
    // 自然人 18 and 商业企业 18).
    let explicit_empty = cands.iter().any(|c| c.text.is_empty());
    if k >= 3 && !nonempty.is_empty() && !explicit_empty {
        let ints: Vec<Option<i64>> = nonempty
            .iter()
            .map(|c| match parse_value(&strip_residue(&c.text, 0).0) {
                Value::Integer(n) => Some(n),
                _ => None,
            })
            .collect();
        let mut picked: Vec<Option<&RawCell>> = vec![None; k];
        let (last, rest) = ints.split_last().expect("not empty");
        let rest_sum: Option<i64> = rest.iter().copied().sum();
        if last_is_total && nonempty.len() >= 2 && last.is_some() && rest_sum == *last {
            picked[k - 1] = nonempty.last().copied();
        }
        return (picked, 0);
    }
    let mut picked: Vec<Option<&RawCell>> = cands.iter().take(k).map(|c| Some(*c)).collect();
    picked.resize(k, None);
    (picked, 0)
}

fn read_t4(items: &[Item], folded: &[String], anchor: usize) -> Table {
    let header = items[anchor].cell().map(|c| c.span).unwrap_or_default();
    // Skip header cells up to the first number.
    // A footnote (`注：…`) may sit between the headers and the numbers.
    let mut i = anchor;
    let mut breaks = 0;
    while i < items.len() && i < anchor + 60 {
        match &items[i] {
            Item::Break if breaks < 2 => breaks += 1,
            Item::Break => break,
            Item::Cell(c) => {
                if matches!(
                    parse_value(&strip_residue(&c.text, 0).0),
                    Value::Integer(_) | Value::Decimal(_)
                ) {
                    break;
                }
            }
        }
        i += 1;
    }
    let mut cands: Vec<&RawCell> = Vec::new();
    let mut j = i;
    let mut interleaved = 0;
    while j < items.len() {
        match &items[j] {
            Item::Break => break,
            Item::Cell(c) => {
                // Headers repeated between the three groups (a table split in
                // three, as OCR output has it) are skipped; other labels end it.
                let f = &folded[j];
                // Header words cut anywhere (`结果`, `尚未审`, `维持`: text copied
                // out of a PDF in reading order) are headers too: every
                // character one of the header words'.
                let fragment = !f.is_empty() && is_t4_header_words(f);
                let t4_header = c.header_row
                    || fragment
                    || f.starts_with("行政诉讼")
                    || f.contains("复议后起诉")
                    || f.contains("直接起诉")
                    || schema::T4_COL_LABELS.iter().any(|l| f == l);
                if t4_header {
                    // Header words inside a group of five values (not the
                    // headers repeated before each group, as OCR Markdown
                    // splits the table): the values are not in the table's order.
                    let values = cands.iter().filter(|c| !c.text.is_empty()).count();
                    if fragment && values % 5 != 0 && values < 15 {
                        interleaved += 1;
                    }
                    j += 1;
                    continue;
                }
                if !c.text.is_empty() && is_labelish(f, &["行政复议", "行政诉讼"], &[]) {
                    break;
                }
                cands.push(c);
            }
        }
        j += 1;
    }
    let (picked, extra) = pick_values(&cands, 15, false);
    let values = cands.iter().filter(|c| !c.text.is_empty()).count();
    let mut rows = Vec::new();
    let mut last = header;
    let mut found = 0;
    for (g, group) in schema::T4_GROUPS.iter().enumerate() {
        let mut cells = Vec::new();
        let mut row_span = None;
        for (n, col) in schema::T4_COLS.iter().enumerate() {
            match picked[g * 5 + n] {
                Some(c) => {
                    found += 1;
                    last = c.span;
                    row_span = Some(row_span.map_or(c.span, |s: Span| s.join(c.span)));
                    cells.push(parse_cell(c, group, col));
                }
                None => cells.push(Cell {
                    row: group.to_string(),
                    col: col.to_string(),
                    raw: String::new(),
                    value: Value::Missing,
                    span: header,
                    residue: None,
                }),
            }
        }
        rows.push(Row {
            key: group.to_string(),
            label: schema::T4_GROUP_LABELS[g].to_string(),
            raw_label: String::new(),
            span: row_span.unwrap_or(header),
            cells,
        });
    }
    let mut issues = Vec::new();
    if interleaved > 0 {
        issues.push(ShapeIssue {
            kind: "interleaved".into(),
            message:
                "表四的表头文字和数字交错（多见于从 PDF 复制的文字），数字未必按格子的顺序排列"
                    .into(),
            span: header,
            row: None,
            candidates: Vec::new(),
        });
    }
    if found < 15 {
        issues.push(ShapeIssue {
            kind: "missing-cells".into(),
            message: if values > found {
                format!(
                    "表四应有 15 个数值单元格，只找到 {} 个，且看不出各在哪一列（空白格没有留下），未作核对",
                    values.min(15)
                )
            } else {
                format!("表四应有 15 个数值单元格，只找到 {found} 个")
            },
            span: header,
            row: None,
            candidates: Vec::new(),
        });
    }
    if extra > 0 {
        issues.push(ShapeIssue {
            kind: "extra-cells".into(),
            message: format!("表四多出 {extra} 个数值单元格（格式规定 15 个）"),
            span: last,
            row: None,
            candidates: Vec::new(),
        });
    }
    let first_value = picked
        .iter()
        .flatten()
        .next()
        .map(|c| c.span)
        .unwrap_or(header);
    Table {
        kind: "t4".into(),
        format: None,
        span: header.join(last),
        data_span: first_value.join(last),
        columns: schema::T4_COLS
            .iter()
            .zip(schema::T4_COL_LABELS)
            .map(|(k, l)| Column {
                key: k.to_string(),
                label: l.to_string(),
            })
            .collect(),
        rows,
        shape_issues: issues,
        empty_runs: Vec::new(),
    }
}

/// Runs of content-less lines inside a table's data region that are more than
/// the one blank line a DOCX export puts between rows or the empty cells of a
/// merged label: two blank lines in a row, or five content-less lines.
fn empty_runs(lines: &[LexLine], data: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut run: Vec<&LexLine> = Vec::new();
    let inside: Vec<&LexLine> = lines
        .iter()
        .filter(|l| l.span.start >= data.start && l.span.end <= data.end)
        .collect();
    let flush = |run: &mut Vec<&LexLine>, out: &mut Vec<Span>| {
        let double_blank = run
            .windows(2)
            .any(|w| w[0].kind == LineKind::Blank && w[1].kind == LineKind::Blank);
        if double_blank || run.len() >= 5 {
            // The first blank line is the ordinary separator after the last row.
            let first = if run[0].kind == LineKind::Blank && run.len() > 1 {
                1
            } else {
                0
            };
            out.push(run[first].span.join(run[run.len() - 1].span));
        }
        run.clear();
    };
    for l in inside {
        if matches!(l.kind, LineKind::Blank | LineKind::Empty) {
            run.push(l);
        } else if !run.is_empty() {
            flush(&mut run, &mut out);
        }
    }
    if !run.is_empty() {
        flush(&mut run, &mut out);
    }
    out
}

/// Tables whose labels are in the text but whose cells run together with no
/// separator (`规章000规范性文件898989`, a crawler's text extract): present, so
/// not missing. Their rows are recovered where the arithmetic decides the cells
/// (`runtogether`); a table with no recoverable row is `unreadable`.
pub fn unreadable_tables(
    src: &str,
    lines: &[LexLine],
    found: &[Table],
    expected: Option<FormatVersion>,
) -> Vec<Table> {
    let signatures: [(&str, &[&str]); 3] = [
        ("t2", &["第二十条第", "信息内容"]),
        ("t3", &["本年新收", "结转下年度"]),
        ("t4", &["结果维持", "尚未审结"]),
    ];
    let mut out = Vec::new();
    for (kind, words) in signatures {
        if found.iter().any(|t| t.kind == kind) {
            continue;
        }
        let hit = lines
            .iter()
            .filter(|l| l.kind == LineKind::Text)
            .find(|l| words.iter().all(|w| fold(l.text(src)).contains(w)));
        if let Some(l) = hit {
            let region = Span::new(l.span.start, src.len());
            if let Some(t) = super::runtogether::recover(src, region, kind, expected) {
                out.push(t);
                continue;
            }
            out.push(Table {
                kind: kind.to_string(),
                format: None,
                span: l.span,
                data_span: l.span,
                columns: Vec::new(),
                rows: Vec::new(),
                shape_issues: vec![ShapeIssue {
                    kind: "unreadable".into(),
                    message: "单元格在文字中连在一起（常见于网页抓取的文字），无法逐格读取".into(),
                    span: Span::new(
                        l.span.start,
                        l.span.start
                            + l.text(src)
                                .chars()
                                .take(20)
                                .map(char::len_utf8)
                                .sum::<usize>(),
                    ),
                    row: None,
                    candidates: Vec::new(),
                }],
                empty_runs: Vec::new(),
            });
        }
    }
    out
}

//! A report's document drawn as it reads, with its findings at their place:
//! the title, part headings and paragraphs from the report model's lines,
//! tables as real tables (merged cells rebuilt), the words a finding is
//! about underlined and a table cell it is about shaded, by severity. Every
//! piece of report text goes through [`esc`]; nothing from the report ever
//! becomes markup, an attribute name or a URL.

use super::esc;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{floor_char_boundary, Report, Span, Table};
use crate::parse::lexer::{self, LexLine, LineKind};
use std::fmt::Write as _;

/// A finding's span covering more than this many table cells is not shaded
/// cell by cell (a whole table, a whole row): it gets a marker instead.
const MAX_CELLS: usize = 4;

/// A place to mark: a finding's primary span, or one of its labels in the
/// same report (drawn as related: a dotted outline linking to the finding).
struct Entry {
    diag: usize,
    span: Span,
    primary: bool,
    /// The label's words, for a related place.
    label: String,
}

/// The findings of one report, their places, and which findings already
/// have their place marked in the document (the link target `a-F-I`).
/// Lookups take entry indices; `placed` is by finding.
pub(super) struct Marks<'a> {
    file: usize,
    diags: &'a [Diagnostic],
    /// Spans clamped to the text and to character boundaries.
    entries: Vec<Entry>,
    /// The span runs over more than one line: marked with a pin at its start.
    wide: Vec<bool>,
    placed: Vec<bool>,
    /// Entry indices by span start, and those starts: every lookup is a
    /// window of this order, so drawing stays linear in the report's size
    /// however many findings it has.
    by_start: Vec<usize>,
    starts: Vec<usize>,
    /// The longest narrow span (how far before a range an entry over it may start).
    longest: usize,
}

impl<'a> Marks<'a> {
    pub(super) fn new(file: usize, text: &str, diags: &'a [Diagnostic]) -> Marks<'a> {
        let clamp = |span: Span| {
            let s = floor_char_boundary(text, span.start.min(text.len()));
            let e = floor_char_boundary(text, span.end.min(text.len())).max(s);
            Span::new(s, e)
        };
        let is_wide = |s: Span| text[s.start..s.end].trim_end().contains('\n');
        let mut entries = Vec::new();
        for (i, d) in diags.iter().enumerate() {
            entries.push(Entry {
                diag: i,
                span: clamp(d.span),
                primary: true,
                label: String::new(),
            });
        }
        for (i, d) in diags.iter().enumerate() {
            for l in d.labels.iter().filter(|l| l.file.is_none()) {
                let span = clamp(l.span);
                // A related place is worth drawing only when it is narrow and
                // elsewhere than the finding's own.
                if !span.is_empty() && !is_wide(span) && span != entries[i].span {
                    entries.push(Entry {
                        diag: i,
                        span,
                        primary: false,
                        label: l.message.clone(),
                    });
                }
            }
        }
        let wide: Vec<bool> = entries.iter().map(|e| is_wide(e.span)).collect();
        let mut by_start: Vec<usize> = (0..entries.len()).collect();
        by_start.sort_by_key(|&i| (entries[i].span.start, i));
        let starts = by_start.iter().map(|&i| entries[i].span.start).collect();
        let longest = entries
            .iter()
            .zip(&wide)
            .filter(|(_, w)| !**w)
            .map(|(e, _)| e.span.end - e.span.start)
            .max()
            .unwrap_or(0);
        Marks {
            file,
            diags,
            placed: vec![false; diags.len()],
            entries,
            wide,
            by_start,
            starts,
            longest,
        }
    }

    fn span(&self, e: usize) -> Span {
        self.entries[e].span
    }

    /// The entries whose span starts in `[from, to)`, in order of index.
    fn starting_in(&self, from: usize, to: usize) -> Vec<usize> {
        let lo = self.starts.partition_point(|&s| s < from);
        let hi = self.starts.partition_point(|&s| s < to);
        let mut ids = self.by_start[lo..hi.max(lo)].to_vec();
        ids.sort_unstable();
        ids
    }

    /// The findings whose primary span starts in `[from, to)` and that have
    /// no place marked yet.
    fn unplaced_in(&self, from: usize, to: usize) -> Vec<usize> {
        self.starting_in(from, to)
            .into_iter()
            .filter(|&e| self.entries[e].primary && !self.placed[self.entries[e].diag])
            .map(|e| self.entries[e].diag)
            .collect()
    }

    /// The entries (not wide) overlapping `[start, end)`; an empty span
    /// counts when it lies inside.
    fn over(&self, start: usize, end: usize) -> Vec<usize> {
        self.starting_in(start.saturating_sub(self.longest), end.max(start + 1))
            .into_iter()
            .filter(|&e| !self.wide[e] && overlaps(self.span(e), start, end))
            .collect()
    }

    /// The finding a mark over `ids` links to: a primary place before a
    /// related one, then the most severe, then the earliest.
    fn lead(&self, ids: &[usize]) -> usize {
        let e = ids
            .iter()
            .max_by_key(|&&e| {
                let en = &self.entries[e];
                (
                    en.primary,
                    self.diags[en.diag].severity,
                    std::cmp::Reverse(en.diag),
                )
            })
            .expect("non-empty");
        self.entries[*e].diag
    }

    /// The class of a mark over `ids`: the severity of its most severe
    /// finding, or `rel` when it is only a related place.
    fn class(&self, ids: &[usize]) -> &'static str {
        if ids.iter().any(|&e| self.entries[e].primary) {
            self.diags[self.lead(ids)].severity.as_str()
        } else {
            "rel"
        }
    }

    /// `title` text: every finding's message, one a line; a related place
    /// with its label.
    fn title(&self, ids: &[usize]) -> String {
        let mut ids = ids.to_vec();
        ids.sort_by_key(|&e| {
            let en = &self.entries[e];
            (
                !en.primary,
                std::cmp::Reverse(self.diags[en.diag].severity),
                en.diag,
            )
        });
        let mut lines: Vec<String> = Vec::new();
        for e in ids {
            let en = &self.entries[e];
            let d = &self.diags[en.diag];
            let line = if en.primary {
                format!("{}：{}", sev_word(d.severity), d.message)
            } else {
                format!(
                    "相关：{}（{}：{}）",
                    en.label,
                    sev_word(d.severity),
                    d.message
                )
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        lines.join("\n")
    }

    /// The empty elements a link to a finding's place lands on, for the
    /// primary places of `ids` whose finding is not placed yet.
    fn anchors(&mut self, out: &mut String, ids: &[usize]) {
        for &e in ids {
            let (diag, primary) = (self.entries[e].diag, self.entries[e].primary);
            if primary && !self.placed[diag] {
                self.placed[diag] = true;
                let _ = write!(
                    out,
                    r#"<span class="anchor" id="a-{}-{diag}"></span>"#,
                    self.file
                );
            }
        }
    }

    /// A marker for a finding with no words of its own to underline.
    fn pin(&mut self, out: &mut String, i: usize) {
        self.placed[i] = true;
        let d = &self.diags[i];
        let _ = write!(
            out,
            r##"<a class="pin {sev}" id="a-{f}-{i}" href="#d-{f}-{i}" title="{title}">{word}</a>"##,
            sev = d.severity.as_str(),
            f = self.file,
            title = esc(&self.title(&[i])),
            word = sev_word(d.severity),
        );
    }

    fn link(&self, i: usize) -> String {
        format!("#d-{}-{i}", self.file)
    }
}

fn overlaps(s: Span, start: usize, end: usize) -> bool {
    if s.start == s.end {
        s.start >= start && s.start < end.max(start + 1)
    } else {
        s.start < end && s.end > start
    }
}

/// 错误 / 警告 / 提示.
pub(super) fn sev_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Note => "提示",
    }
}

/// A block of the document: lines of the text view drawn together.
enum Block {
    Title(usize),
    Heading(usize),
    Text(usize),
    /// Consecutive table lines (and blank lines between lines of one table).
    Table(Vec<usize>),
}

/// Draw `report`'s document into `out`, marking the findings.
pub(super) fn render(out: &mut String, report: &Report, marks: &mut Marks) {
    let text = report.text.as_str();
    let lexed = lexer::lex_with_origins(text, &report.origins);
    let kinds: Vec<(&str, &str)> = report
        .lines
        .iter()
        .map(|l| (l.kind.as_str(), l.table.as_str()))
        .collect();
    let blocks = blocks(&lexed, &kinds);
    // Each block owns the text from its first line to the next block's, so a
    // finding whose place draws nothing (a blank line, an empty span at the
    // end) is pinned on the block it falls in.
    let starts: Vec<usize> = blocks
        .iter()
        .map(|b| match b {
            Block::Title(i) | Block::Heading(i) | Block::Text(i) => lexed[*i].span.start,
            Block::Table(ls) => lexed[ls[0]].span.start,
        })
        .collect();
    for (n, b) in blocks.iter().enumerate() {
        let from = if n == 0 { 0 } else { starts[n] };
        let to = starts.get(n + 1).copied().unwrap_or(usize::MAX);
        let mut body = String::new();
        match b {
            Block::Title(i) => line(&mut body, "h1", "title", text, &lexed[*i], marks),
            Block::Heading(i) => line(&mut body, "h3", "part", text, &lexed[*i], marks),
            Block::Text(i) => line(&mut body, "p", "", text, &lexed[*i], marks),
            Block::Table(ls) => table_block(&mut body, report, &lexed, ls, marks),
        }
        let mut pins = String::new();
        for i in marks.unplaced_in(from, to) {
            marks.pin(&mut pins, i);
        }
        if !pins.is_empty() {
            let _ = write!(out, r#"<div class="pins">{pins}</div>"#);
        }
        out.push_str(&body);
    }
    let mut rest = String::new();
    for i in 0..marks.diags.len() {
        if !marks.placed[i] {
            marks.pin(&mut rest, i);
        }
    }
    if !rest.is_empty() {
        let _ = write!(out, r#"<div class="pins">{rest}</div>"#);
    }
}

fn blocks(lexed: &[LexLine], kinds: &[(&str, &str)]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lexed.len() {
        let (kind, _) = kinds.get(i).copied().unwrap_or(("text", ""));
        match kind {
            "blank" => i += 1,
            "title" => {
                out.push(Block::Title(i));
                i += 1;
            }
            "heading" => {
                out.push(Block::Heading(i));
                i += 1;
            }
            "cell" | "metadata" => {
                let mut ls = vec![i];
                let mut j = i + 1;
                while j < lexed.len() {
                    let (k, t) = kinds.get(j).copied().unwrap_or(("text", ""));
                    if k == "cell" || k == "metadata" {
                        ls.push(j);
                        j += 1;
                    } else if k == "blank" {
                        // A blank line inside one table keeps the table going.
                        let next = (j..lexed.len()).find(|&n| kinds[n].0 != "blank");
                        let same = next.is_some_and(|n| {
                            let (nk, nt) = kinds[n];
                            nk == "cell" && !nt.is_empty() && nt == kinds[*ls.last().unwrap()].1
                        });
                        let _ = t;
                        if !same {
                            break;
                        }
                        j = next.unwrap_or(j + 1);
                    } else {
                        break;
                    }
                }
                out.push(Block::Table(ls));
                i = j;
            }
            _ => {
                out.push(Block::Text(i));
                i += 1;
            }
        }
    }
    out
}

/// A heading, title or paragraph line, its findings' words underlined.
fn line(out: &mut String, tag: &str, class: &str, text: &str, l: &LexLine, marks: &mut Marks) {
    let raw = &text[l.span.start..l.span.end];
    let start = l.span.start + (raw.len() - raw.trim_start().len());
    let end = l.span.start + raw.trim_end().len();
    if class.is_empty() {
        let _ = write!(out, "<{tag}>");
    } else {
        let _ = write!(out, r#"<{tag} class="{class}">"#);
    }
    marked_text(out, text, start, end.max(start), marks);
    let _ = write!(out, "</{tag}>");
}

/// `text[start..end]` escaped, the words of findings wrapped in links to
/// them; an empty span gets a pin; a wide finding starting here a pin at its start.
fn marked_text(out: &mut String, text: &str, start: usize, end: usize, marks: &mut Marks) {
    let ids = marks.over(start, end);
    let wide_here: Vec<usize> = marks
        .starting_in(start, end.max(start + 1))
        .into_iter()
        .filter(|&e| marks.wide[e] && marks.entries[e].primary)
        .collect();
    let mut cuts = vec![start, end];
    for &e in ids.iter().chain(&wide_here) {
        let s = marks.span(e);
        cuts.push(s.start.clamp(start, end));
        cuts.push(s.end.clamp(start, end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    for (a, b) in cuts.windows(2).map(|w| (w[0], w[1])).chain([(end, end)]) {
        // Pins for empty spans and wide findings starting at `a`.
        for &e in ids.iter().chain(&wide_here) {
            let s = marks.span(e);
            let diag = marks.entries[e].diag;
            let point = s.start == s.end || marks.wide[e];
            if point
                && marks.entries[e].primary
                && !marks.placed[diag]
                && s.start.clamp(start, end) == a
            {
                marks.pin(out, diag);
            }
        }
        if a == b {
            continue;
        }
        let on: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|&e| {
                let s = marks.span(e);
                s.start < s.end && s.start <= a && s.end >= b
            })
            .collect();
        let words = esc(&text[a..b]);
        if on.is_empty() {
            out.push_str(&words);
        } else {
            marks.anchors(out, &on);
            let lead = marks.lead(&on);
            let _ = write!(
                out,
                r#"<a class="m {}" href="{}" title="{}">{words}</a>"#,
                marks.class(&on),
                marks.link(lead),
                esc(&marks.title(&on)),
            );
        }
    }
}

/// A cell of a drawn table: its text, the spans it covers (a merged cell
/// covers several copies), header or data, and its extent.
struct GridCell {
    text: String,
    spans: Vec<Span>,
    colspan: usize,
    rowspan: usize,
    /// Covered by the cell above (vertical merge): not drawn.
    covered: bool,
}

/// A cell's text is a label (worth merging with an identical neighbour)
/// when it has a Chinese character; numbers never merge.
fn is_label(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn table_block(
    out: &mut String,
    report: &Report,
    lexed: &[LexLine],
    ls: &[usize],
    marks: &mut Marks,
) {
    let text = report.text.as_str();
    let cell_lines: Vec<&LexLine> = ls
        .iter()
        .map(|&i| &lexed[i])
        .filter(|l| l.kind == LineKind::Cells)
        .collect();
    let multi = cell_lines.iter().filter(|l| l.cells.len() >= 2).count();
    let from = lexed[ls[0]].span.start;
    let to = lexed[*ls.last().expect("a block has lines")].span.end;
    let tables: Vec<&Table> = report
        .tables
        .iter()
        .filter(|t| !t.rows.is_empty() && t.span.start < to && t.span.end > from)
        .collect();
    // One cell per line (and other shapes whose rows the lexer cannot see):
    // the tables as the parser read them.
    if multi * 2 < cell_lines.len() && !tables.is_empty() {
        for &i in ls {
            let l = &lexed[i];
            if tables
                .iter()
                .any(|t| l.span.start >= t.span.start && l.span.start < t.span.end)
            {
                continue;
            }
            if l.kind != LineKind::Blank && l.kind != LineKind::Empty {
                line(out, "p", "raw", text, l, marks);
            }
        }
        // A finding in a table's stretch that marks no cell (a missing
        // heading before it, the table's shape) is pinned above that table.
        let mut prev_end = from;
        for t in tables {
            let mut drawn = String::new();
            model_table(&mut drawn, text, t, marks);
            let mut pins = String::new();
            for i in marks.unplaced_in(prev_end, t.span.end) {
                marks.pin(&mut pins, i);
            }
            if !pins.is_empty() {
                let _ = write!(out, r#"<div class="pins">{pins}</div>"#);
            }
            out.push_str(&drawn);
            prev_end = t.span.end;
        }
        return;
    }
    let mut rows: Vec<Vec<GridCell>> = Vec::new();
    for &i in ls {
        let l = &lexed[i];
        match l.kind {
            LineKind::Blank | LineKind::Empty => {}
            LineKind::Text => {
                let raw = l.text(text);
                let s = l.span.start + (raw.len() - raw.trim_start().len());
                let e = l.span.start + raw.trim_end().len();
                rows.push(vec![GridCell {
                    text: text[s..e.max(s)].to_string(),
                    spans: vec![Span::new(s, e.max(s))],
                    colspan: 0, // the whole width, set below
                    rowspan: 1,
                    covered: false,
                }]);
            }
            LineKind::Cells => rows.push(grid_row(report, l)),
        }
    }
    let width = rows
        .iter()
        .map(|r| r.iter().map(|c| c.colspan).sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    for r in &mut rows {
        if r.len() == 1 && r[0].colspan == 0 {
            r[0].colspan = width;
        }
    }
    merge_down(&mut rows);
    // How many cells each finding touches, to shade only narrow ones.
    let mut touched = vec![0usize; marks.entries.len()];
    for c in rows.iter().flatten().filter(|c| !c.covered) {
        for i in cell_findings(marks, &c.spans) {
            touched[i] += 1;
        }
    }
    out.push_str(r#"<div class="tbl"><table>"#);
    for r in &rows {
        out.push_str("<tr>");
        let header = r.iter().all(|c| c.text.is_empty() || is_label(&c.text)) || r.len() == 1;
        // Labels before the row's first value are the row's headings.
        let first_value = r
            .iter()
            .position(|c| !c.covered && !c.text.is_empty() && !is_label(&c.text))
            .unwrap_or(r.len());
        for (ci, c) in r.iter().enumerate() {
            if c.covered {
                continue;
            }
            let tag = if header || (ci < first_value && is_label(&c.text)) {
                "th"
            } else {
                "td"
            };
            let ids: Vec<usize> = cell_findings(marks, &c.spans)
                .into_iter()
                .filter(|&i| touched[i] <= MAX_CELLS)
                .collect();
            cell(out, tag, c, &ids, marks);
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></div>");
}

fn cell_findings(marks: &Marks, spans: &[Span]) -> Vec<usize> {
    let mut ids: Vec<usize> = spans
        .iter()
        .flat_map(|s| marks.over(s.start, s.end))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One `<td>`/`<th>`: shaded and linked to its findings when it has any.
fn cell(out: &mut String, tag: &str, c: &GridCell, ids: &[usize], marks: &mut Marks) {
    let mut class = String::new();
    if c.text.trim().parse::<f64>().is_ok() {
        class.push_str("num");
    }
    if !ids.is_empty() {
        if !class.is_empty() {
            class.push(' ');
        }
        let _ = write!(class, "m {}", marks.class(ids));
    }
    let _ = write!(out, "<{tag}");
    if !class.is_empty() {
        let _ = write!(out, r#" class="{class}""#);
    }
    if c.colspan > 1 {
        let _ = write!(out, r#" colspan="{}""#, c.colspan);
    }
    if c.rowspan > 1 {
        let _ = write!(out, r#" rowspan="{}""#, c.rowspan);
    }
    out.push('>');
    if ids.is_empty() {
        out.push_str(&esc(&c.text));
    } else {
        marks.anchors(out, ids);
        let _ = write!(
            out,
            r#"<a href="{}" title="{}">{}</a>"#,
            marks.link(marks.lead(ids)),
            esc(&marks.title(ids)),
            if c.text.is_empty() {
                "&#160;".to_string()
            } else {
                esc(&c.text)
            }
        );
    }
    let _ = write!(out, "</{tag}>");
}

/// A row's cells: from the origin map when the reader recorded the grid
/// (columns sharing a range are one merged cell), else as the lexer split
/// the line; identical labels side by side are one merged cell.
fn grid_row(report: &Report, l: &LexLine) -> Vec<GridCell> {
    let text = report.text.as_str();
    let mut cells: Vec<GridCell> = Vec::new();
    let from_origin = report
        .origins
        .get(l.index)
        .and_then(|o| o.as_ref())
        .filter(|o| {
            !o.cells.is_empty() && o.cells.iter().all(|&(_, e)| l.span.start + e <= l.span.end)
        });
    match from_origin {
        Some(o) => {
            let mut last = None;
            for &(s, e) in &o.cells {
                if last == Some((s, e)) {
                    if let Some(c) = cells.last_mut() {
                        c.colspan += 1;
                    }
                    continue;
                }
                last = Some((s, e));
                let span = Span::new(l.span.start + s, l.span.start + e);
                cells.push(GridCell {
                    text: text[span.start..span.end].trim().to_string(),
                    spans: vec![span],
                    colspan: 1,
                    rowspan: 1,
                    covered: false,
                });
            }
        }
        None => {
            for c in &l.cells {
                cells.push(GridCell {
                    text: c.text.trim().to_string(),
                    spans: vec![c.span],
                    colspan: 1,
                    rowspan: 1,
                    covered: false,
                });
            }
        }
    }
    // Identical labels side by side: a cell merged across columns whose text
    // the view repeats.
    let mut merged: Vec<GridCell> = Vec::with_capacity(cells.len());
    for c in cells {
        match merged.last_mut() {
            Some(p) if is_label(&c.text) && p.text == c.text => {
                p.colspan += c.colspan;
                p.spans.extend(c.spans);
            }
            _ => merged.push(c),
        }
    }
    merged
}

/// Identical labels one above the other, at the same columns: one cell
/// merged across rows.
fn merge_down(rows: &mut [Vec<GridCell>]) {
    // For each row, the first grid column of each cell.
    let cols = |r: &Vec<GridCell>| -> Vec<usize> {
        r.iter()
            .scan(0, |x, c| {
                let at = *x;
                *x += c.colspan;
                Some(at)
            })
            .collect()
    };
    for ri in 1..rows.len() {
        let here = cols(&rows[ri]);
        for ci in 0..rows[ri].len() {
            let (col, span) = (here[ci], rows[ri][ci].colspan);
            if !is_label(&rows[ri][ci].text) {
                continue;
            }
            // The drawn cell above covering this column: go up past covered cells.
            let mut up = ri - 1;
            loop {
                let above = cols(&rows[up]);
                let Some(ai) = above.iter().position(|&a| a == col) else {
                    break;
                };
                let a = &rows[up][ai];
                if a.colspan != span || a.text != rows[ri][ci].text {
                    break;
                }
                if a.covered {
                    if up == 0 {
                        break;
                    }
                    up -= 1;
                    continue;
                }
                let spans = rows[ri][ci].spans.clone();
                let a = &mut rows[up][ai];
                a.rowspan += 1;
                a.spans.extend(spans);
                rows[ri][ci].covered = true;
                break;
            }
        }
    }
}

/// Caption of a statistics table.
fn caption(kind: &str) -> &'static str {
    match kind {
        "t2" => "表二 主动公开政府信息情况",
        "t3" => "表三 收到和处理政府信息公开申请情况",
        "t4" => "表四 政府信息公开行政复议、行政诉讼情况",
        _ => "统计表",
    }
}

/// A table as the parser read it: its columns, then each row's label and
/// cells (for reports whose text shape has no rows the lexer can see).
fn model_table(out: &mut String, text: &str, t: &Table, marks: &mut Marks) {
    let _ = write!(
        out,
        r#"<div class="tbl"><table><caption>{}</caption>"#,
        caption(&t.kind)
    );
    out.push_str("<tr><th></th>");
    for c in &t.columns {
        let _ = write!(out, "<th>{}</th>", esc(&c.label));
    }
    out.push_str("</tr>");
    let mut touched = vec![0usize; marks.entries.len()];
    for r in &t.rows {
        for c in &r.cells {
            for i in cell_findings(marks, &[c.span]) {
                touched[i] += 1;
            }
        }
    }
    for r in &t.rows {
        out.push_str("<tr>");
        let label_span = Span::new(
            r.span.start,
            r.cells
                .first()
                .map_or(r.span.end, |c| c.span.start.max(r.span.start)),
        );
        let label = GridCell {
            text: r.raw_label.clone(),
            spans: vec![label_span],
            colspan: 1,
            rowspan: 1,
            covered: false,
        };
        let ids: Vec<usize> = cell_findings(marks, &label.spans)
            .into_iter()
            .filter(|&e| marks.span(e).end <= label_span.end.max(label_span.start + 1))
            .collect();
        cell(out, "th", &label, &ids, marks);
        for col in &t.columns {
            match r.cells.iter().find(|c| c.col == col.key) {
                Some(c) => {
                    let g = GridCell {
                        text: if matches!(c.value, crate::model::Value::Missing) {
                            String::new()
                        } else {
                            text.get(c.span.start..c.span.end)
                                .unwrap_or(&c.raw)
                                .trim()
                                .to_string()
                        },
                        spans: vec![c.span],
                        colspan: 1,
                        rowspan: 1,
                        covered: false,
                    };
                    let ids: Vec<usize> = cell_findings(marks, &g.spans)
                        .into_iter()
                        .filter(|&i| touched[i] <= MAX_CELLS)
                        .collect();
                    cell(out, "td", &g, &ids, marks);
                }
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></div>");
}

//! Rendering the document body into the view: paragraphs with their list
//! numbers, runs, fields, hidden text, tracked changes and comments (the
//! tables' grids are in [`super::grid`]).

use super::corrupt;
use super::numbering::{bullet_char, Numbering, NumberingState};
use super::package::MAX_PART_BYTES;
use super::styles::Styles;
use super::xml::{El, Parsed};
use crate::input::view::{Origin, View};
use crate::input::InputError;
use std::collections::HashSet;

/// Where the places the view names are in `word/document.xml` (byte offsets
/// into the part's text), for the comment writer of `report-lint annotate`.
/// An anchor is a pair of offsets at run level: a comment's range starts at
/// the first and ends at the second.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// Body paragraph `n` (from 1, as in `Origin::DocxParagraph`) is
    /// `paragraphs[n - 1]`.
    pub paragraphs: Vec<ParagraphAnchor>,
    /// Table `t`, row `r`, grid column `c` (each from 1, as in
    /// `Origin::DocxTable` and `Located::column`): `tables[t-1][r-1][c-1]`,
    /// the cell covering that slot, `None` for an empty slot.
    pub tables: Vec<Vec<Vec<Option<Anchor>>>>,
}

/// Where a comment's range starts and ends (byte offsets, run level).
pub type Anchor = (usize, usize);

/// A body paragraph: the whole paragraph's anchor, its text as read (runs
/// only, without the list number) and the part of that text each inline
/// child of the paragraph gave, with the child's anchor.
#[derive(Debug, Default, Clone)]
pub struct ParagraphAnchor {
    pub whole: Option<(usize, usize)>,
    pub text: String,
    pub pieces: Vec<Piece>,
}

/// One inline child of a paragraph that shows text.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The child element (start of its start tag, end of its end tag).
    pub at: Anchor,
    /// The part of [`ParagraphAnchor::text`] it shows.
    pub text: std::ops::Range<usize>,
    /// For a run whose text is one `w:t`: where its parts are, so that a
    /// comment can start and end inside it by splitting it.
    pub plain_run: Option<PlainRun>,
}

/// A `w:r` showing the text of one `w:t`. The reader keeps only the
/// elements it knows, so the writer checks the part's bytes (nothing but
/// whitespace in `inner` outside `rpr` and `t`) before splitting it.
#[derive(Debug, Clone, Copy)]
pub struct PlainRun {
    /// After the run's start tag, before its end tag.
    pub inner: Anchor,
    /// Its `w:rPr`, if any.
    pub rpr: Option<Anchor>,
    /// Its `w:t`.
    pub t: Anchor,
}

/// A run holding (as far as the reader kept) only `w:rPr` and one `w:t`
/// that shows `shown`.
fn plain_run(r: &El, shown: &str) -> Option<PlainRun> {
    if r.name != "r" {
        return None;
    }
    let mut rpr = None;
    let mut t = None;
    for k in r.elements() {
        match k.name {
            "rPr" if rpr.is_none() && t.is_none() => rpr = Some((k.at.start, k.at.end)),
            "t" if t.is_none() => t = Some(k),
            _ => return None,
        }
    }
    let t = t?;
    (t.text() == shown && t.at.open_end != t.at.end).then_some(PlainRun {
        inner: (r.at.open_end, r.at.close_start),
        rpr,
        t: (t.at.start, t.at.end),
    })
}

/// The anchor of a whole paragraph: after its properties, before its end
/// tag; `None` for an empty element `<w:p/>`.
pub(super) fn paragraph_anchor(p: &El) -> Option<(usize, usize)> {
    if p.at.open_end == p.at.end {
        return None;
    }
    let start = p.child("pPr").map_or(p.at.open_end, |x| x.at.end);
    Some((start, p.at.close_start))
}

/// Render a parsed `word/document.xml` into the view, with the reader's
/// notices (tracked changes, comments, text boxes) and the anchors of its
/// paragraphs and table cells.
pub(super) fn render_document(
    doc: &Parsed,
    styles: &Styles,
    numbering: &Numbering,
) -> Result<(View, Anchors), InputError> {
    let body = doc
        .root
        .child("body")
        .ok_or_else(|| corrupt("word/document.xml 中没有正文（w:body）"))?;
    let mut r = Renderer {
        styles,
        numbering: NumberingState::new(numbering),
        view: View::new(),
        fields: Vec::new(),
        carry: String::new(),
        paragraph: 0,
        table: 0,
        insertions: 0,
        deletions: 0,
        first_change: None,
        comments: HashSet::new(),
        first_comment: None,
        budget: MAX_PART_BYTES as usize,
        error: None,
        anchors: Anchors::default(),
        pieces: Vec::new(),
        runs: String::new(),
    };
    r.blocks(body);
    r.flush_carry();
    if let Some(e) = r.error {
        return Err(e);
    }
    let mut view = r.view;
    if r.insertions + r.deletions > 0 {
        view.notice(
            "tracked-changes",
            format!(
                "文档含有未接受的修订（插入 {} 处，删除 {} 处）；已按全部接受修订后的文字检查，发布前请在 Word 中接受或拒绝修订",
                r.insertions, r.deletions
            ),
            r.first_change,
        );
    }
    if !r.comments.is_empty() {
        view.notice(
            "comments",
            format!(
                "文档含有 {} 条批注；批注不参与检查，发布前请删除批注",
                r.comments.len()
            ),
            r.first_comment,
        );
    }
    if doc.text_boxes {
        view.notice(
            "text-boxes",
            "文档含有文本框或图形中的文字，这些文字未参与检查".to_string(),
            None,
        );
    }
    Ok((view, r.anchors))
}

/// The state of one walk through the document body.
pub(super) struct Renderer<'a> {
    pub(super) styles: &'a Styles,
    pub(super) numbering: NumberingState<'a>,
    pub(super) view: View,
    /// Open complex fields: `true` once past `separate` (showing the result).
    pub(super) fields: Vec<bool>,
    /// Text of paragraphs whose mark was deleted, joined to the next one.
    pub(super) carry: String,
    pub(super) paragraph: usize,
    pub(super) table: usize,
    pub(super) insertions: usize,
    pub(super) deletions: usize,
    pub(super) first_change: Option<usize>,
    pub(super) comments: HashSet<String>,
    pub(super) first_comment: Option<usize>,
    /// View bytes still allowed.
    pub(super) budget: usize,
    /// The first limit hit; rendering stops there.
    pub(super) error: Option<InputError>,
    pub(super) anchors: Anchors,
    /// The inline pieces of the paragraph read last (see [`ParagraphAnchor`]).
    pub(super) pieces: Vec<Piece>,
    /// The text of the runs of the paragraph read last.
    pub(super) runs: String,
}

impl Renderer<'_> {
    pub(super) fn change(&mut self, inserted: bool) {
        if inserted {
            self.insertions += 1;
        } else {
            self.deletions += 1;
        }
        self.first_change.get_or_insert(self.view.line_count() + 1);
    }

    /// Body-level blocks (and the blocks of a layout table's cells).
    pub(super) fn blocks(&mut self, parent: &El) {
        for el in parent.elements() {
            if self.error.is_some() {
                return;
            }
            match el.name {
                "p" => self.body_paragraph(el),
                "tbl" => self.table(el),
                "sdt" => {
                    if let Some(c) = el.child("sdtContent") {
                        self.blocks(c);
                    }
                }
                "customXml" | "smartTag" => self.blocks(el),
                "ins" | "moveTo" => {
                    self.change(true);
                    self.blocks(el);
                }
                "del" | "moveFrom" => self.change(false),
                _ => {}
            }
        }
    }

    pub(super) fn flush_carry(&mut self) {
        if !self.carry.trim().is_empty() {
            let text = std::mem::take(&mut self.carry);
            self.emit_lines(&text, self.paragraph.max(1));
        }
        self.carry.clear();
    }

    pub(super) fn emit_lines(&mut self, text: &str, paragraph: usize) {
        if !self.spend(text.len() + 1) {
            return;
        }
        let mut any = false;
        for line in text.split('\n') {
            if line.trim().is_empty() {
                continue;
            }
            any = true;
            self.view.line(line, Origin::DocxParagraph { paragraph });
        }
        if !any {
            self.view.blank();
        }
    }

    pub(super) fn body_paragraph(&mut self, p: &El) {
        self.paragraph += 1;
        let text = self.paragraph_text(p);
        self.anchors.paragraphs.push(ParagraphAnchor {
            whole: paragraph_anchor(p),
            text: std::mem::take(&mut self.runs),
            pieces: std::mem::take(&mut self.pieces),
        });
        if let Some(text) = text {
            self.emit_lines(&text, self.paragraph);
        }
    }

    /// A paragraph's text as shown, with its list number; `None` when it is
    /// hidden or its mark is deleted (its text then joins the next one).
    pub(super) fn paragraph_text(&mut self, p: &El) -> Option<String> {
        let ppr = p.child("pPr");
        let style = ppr
            .and_then(|x| x.child("pStyle"))
            .and_then(|s| s.val())
            .map(str::to_string)
            .or_else(|| self.styles.default_paragraph.clone());
        let mark = ppr.and_then(|x| x.child("rPr"));
        if mark.is_some_and(|m| m.child("ins").is_some() || m.child("moveTo").is_some()) {
            self.change(true);
        }
        let mut text = std::mem::take(&mut self.carry);
        let hidden = self.styles.vanish(style.as_deref()).unwrap_or(false);
        self.pieces.clear();
        let carried = text.len();
        for el in p.elements() {
            let before = text.len();
            self.inline(el, &mut text, hidden);
            if text.len() > before && el.at.open_end != el.at.end {
                self.pieces.push(Piece {
                    at: (el.at.start, el.at.end),
                    text: before - carried..text.len() - carried,
                    plain_run: plain_run(el, &text[before..]),
                });
            }
        }
        self.runs = text[carried..].to_string();
        if mark.is_some_and(|m| m.child("del").is_some() || m.child("moveFrom").is_some()) {
            self.change(false);
            self.carry = text;
            return None;
        }
        let mark_hidden = mark.and_then(|m| m.on("vanish")).unwrap_or(hidden);
        if mark_hidden && text.trim().is_empty() {
            return None;
        }
        let number = self.paragraph_number(ppr, style.as_deref());
        Some(match number {
            Some(n) => format!("{n}{text}"),
            None => text,
        })
    }

    pub(super) fn paragraph_number(
        &mut self,
        ppr: Option<&El>,
        style: Option<&str>,
    ) -> Option<String> {
        let direct = ppr.and_then(|x| x.child("numPr"));
        let d_num = direct
            .and_then(|n| n.child("numId"))
            .and_then(|n| n.val())
            .map(str::to_string);
        let d_lvl = direct
            .and_then(|n| n.child("ilvl"))
            .and_then(|n| n.val())
            .and_then(|v| v.parse::<usize>().ok());
        let chain = self.styles.chain(style);
        let s_num = chain.iter().find_map(|(_, s)| s.num_id.clone());
        let s_lvl = chain.iter().find_map(|(_, s)| s.ilvl);
        let (num, lvl, via_style) = match d_num {
            Some(n) => (n, d_lvl.or(s_lvl), false),
            None => (s_num?, d_lvl.or(s_lvl), true),
        };
        if num == "0" {
            return None;
        }
        let linked = if via_style { style } else { None };
        self.numbering.next(&num, lvl, linked, self.styles)
    }

    /// Inline content of a paragraph, appended to `out`.
    pub(super) fn inline(&mut self, el: &El, out: &mut String, hidden: bool) {
        match el.name {
            "r" => self.run(el, out, hidden),
            "hyperlink" | "smartTag" | "customXml" | "dir" | "bdo" | "fldSimple" => {
                for k in el.elements() {
                    self.inline(k, out, hidden);
                }
            }
            "sdt" => {
                if let Some(c) = el.child("sdtContent") {
                    for k in c.elements() {
                        self.inline(k, out, hidden);
                    }
                }
            }
            "ins" | "moveTo" => {
                self.change(true);
                for k in el.elements() {
                    self.inline(k, out, hidden);
                }
            }
            "del" | "moveFrom" => self.change(false),
            "commentRangeStart" => self.comment(el),
            _ => {}
        }
    }

    pub(super) fn comment(&mut self, el: &El) {
        if let Some(id) = el.attr("id") {
            self.comments.insert(id.to_string());
            self.first_comment.get_or_insert(self.view.line_count() + 1);
        }
    }

    pub(super) fn visible(&self) -> bool {
        self.fields.iter().all(|&result| result)
    }

    pub(super) fn run(&mut self, r: &El, out: &mut String, para_hidden: bool) {
        let rpr = r.child("rPr");
        let char_style = rpr.and_then(|x| x.child("rStyle")).and_then(|s| s.val());
        let hidden = rpr
            .and_then(|x| x.on("vanish"))
            .or_else(|| self.styles.vanish(char_style))
            .unwrap_or(para_hidden);
        for k in r.elements() {
            match k.name {
                "fldChar" => match k.attr("fldCharType") {
                    Some("begin") if self.fields.len() < 64 => self.fields.push(false),
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            *f = true;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "commentReference" => self.comment(k),
                _ if hidden || !self.visible() => {}
                "t" => out.push_str(&k.text()),
                "tab" | "ptab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                "noBreakHyphen" => out.push('-'),
                "sym" => {
                    if let Some(c) = k
                        .attr("char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .map(|c| {
                            if (0xF020..=0xF07E).contains(&c) {
                                c - 0xF000
                            } else {
                                c
                            }
                        })
                        .and_then(char::from_u32)
                    {
                        out.push(bullet_char(c));
                    }
                }
                "ruby" => {
                    if let Some(base) = k.child("rubyBase") {
                        for rr in base.elements() {
                            self.inline(rr, out, hidden);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The text of one table cell: its paragraphs on lines of their own,
    /// nested tables folded row by row.
    pub(super) fn cell_text(&mut self, tc: &El) -> String {
        let mut lines: Vec<String> = Vec::new();
        self.cell_blocks(tc, &mut lines);
        if !self.carry.is_empty() {
            lines.push(std::mem::take(&mut self.carry));
        }
        lines.join("\n")
    }

    pub(super) fn cell_blocks(&mut self, parent: &El, lines: &mut Vec<String>) {
        for el in parent.elements() {
            if self.error.is_some() {
                return;
            }
            match el.name {
                "p" => {
                    if let Some(t) = self.paragraph_text(el) {
                        lines.push(t);
                    }
                }
                "tbl" => {
                    let grid = self.grid(el);
                    for i in 0..grid.rows.len() {
                        let Some(row) = self.grid_row(&grid, i) else {
                            return;
                        };
                        let mut cells: Vec<String> = Vec::new();
                        for c in row {
                            if cells.last() != Some(&c) && !c.trim().is_empty() {
                                cells.push(c);
                            }
                        }
                        lines.push(cells.join(" "));
                    }
                }
                "sdt" => {
                    if let Some(c) = el.child("sdtContent") {
                        self.cell_blocks(c, lines);
                    }
                }
                "customXml" => self.cell_blocks(el, lines),
                "ins" | "moveTo" => {
                    self.change(true);
                    self.cell_blocks(el, lines);
                }
                "del" | "moveFrom" => self.change(false),
                _ => {}
            }
        }
    }

    /// Count `n` bytes of view text; false (and an error) past the budget.
    pub(super) fn spend(&mut self, n: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        if n > self.budget {
            self.fail(format!(
                "展开后的文字超过 {MAX_PART_BYTES} 字节（合并单元格重复过多），文档结构异常"
            ));
            return false;
        }
        self.budget -= n;
        true
    }

    pub(super) fn fail(&mut self, cause: String) {
        if self.error.is_none() {
            self.error = Some(corrupt(cause));
        }
    }
}

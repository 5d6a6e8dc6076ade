//! Tables on their grid: `w:tblGrid`, `w:gridSpan`, `w:vMerge`, legacy
//! `w:hMerge`, `w:gridBefore`/`w:gridAfter`, deleted rows; a merged cell's
//! text repeated in every slot it covers; one-column layout tables read as
//! the blocks they hold.

use super::render::{paragraph_anchor, Renderer};
use super::xml::El;
use crate::input::view::Origin;

/// Table grids are clipped to this many columns (Word allows 63).
const MAX_COLS: usize = 256;
/// The most slots (rows × grid columns) of one table.
const MAX_SLOTS: usize = 4_000_000;

impl Renderer<'_> {
    pub(super) fn table(&mut self, tbl: &El) {
        let rows = table_rows(tbl);
        // A frame around content: every row one cell with no grid offsets.
        let layout = !rows.is_empty()
            && rows.iter().all(|r| {
                let cells = row_cells(r);
                cells.len() == 1 && grid_val(r, "gridBefore") == 0 && grid_val(r, "gridAfter") == 0
            });
        if layout {
            for r in rows {
                if is_deleted_row(r) {
                    continue;
                }
                for c in row_cells(r) {
                    self.blocks(c);
                }
            }
            return;
        }
        let grid = self.grid(tbl);
        if grid.rows.is_empty() {
            return;
        }
        self.table += 1;
        self.anchors.tables.push(
            grid.rows
                .iter()
                .map(|row| row.iter().map(|&t| grid.anchors[t]).collect())
                .collect(),
        );
        self.view.blank();
        for i in 0..grid.rows.len() {
            let Some(row) = self.grid_row(&grid, i) else {
                return;
            };
            // A cell merged across grid columns is one cell (`gridSpan`, `hMerge`).
            self.view.row_merged(
                &row,
                &grid.cell_starts[i],
                Origin::DocxTable {
                    table: self.table,
                    row: i + 1,
                },
            );
        }
        self.view.blank();
    }

    /// Resolve a table into its slot matrix: for each kept row, one entry
    /// per grid column naming the text shown there, merged cells repeated in
    /// every slot they cover.
    pub(super) fn grid(&mut self, tbl: &El) -> Grid {
        let grid_cols = tbl
            .child("tblGrid")
            .map(|g| g.elements().filter(|e| e.name == "gridCol").count())
            .unwrap_or(0);
        struct Cell {
            col: usize,
            span: usize,
            text: usize,
            vmerge: Option<bool>, // Some(true) restart, Some(false) continue
            hcontinue: bool,
        }
        let mut g = Grid::default();
        g.texts.push(String::new());
        g.anchors.push(None);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut width = grid_cols.min(MAX_COLS);
        for r in table_rows(tbl) {
            if let Some(trpr) = r.child("trPr") {
                if trpr.child("del").is_some() {
                    self.change(false);
                    continue;
                }
                if trpr.child("ins").is_some() {
                    self.change(true);
                }
            }
            let mut col = grid_val(r, "gridBefore");
            let mut cells = Vec::new();
            for tc in row_cells(r) {
                let tcpr = tc.child("tcPr");
                let span = tcpr
                    .and_then(|p| p.child("gridSpan"))
                    .and_then(|g| g.val())
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLS);
                let vmerge = tcpr
                    .and_then(|p| p.child("vMerge"))
                    .map(|v| v.val() == Some("restart"));
                let hcontinue = tcpr
                    .and_then(|p| p.child("hMerge"))
                    .is_some_and(|h| h.val() != Some("restart"));
                let text = self.cell_text(tc);
                if col < MAX_COLS {
                    g.texts.push(text);
                    g.anchors.push(cell_anchor(tc));
                    cells.push(Cell {
                        col,
                        span: span.min(MAX_COLS - col),
                        text: g.texts.len() - 1,
                        vmerge,
                        hcontinue,
                    });
                }
                col = col.saturating_add(span);
            }
            let end = col.saturating_add(grid_val(r, "gridAfter"));
            width = width.max(end.min(MAX_COLS));
            rows.push(cells);
        }
        if rows.len().saturating_mul(width) > MAX_SLOTS {
            self.fail(format!(
                "表格有 {} 行 × {width} 列，超过 {MAX_SLOTS} 个单元格的上限",
                rows.len()
            ));
            return Grid::default();
        }
        for cells in rows {
            let mut slots = vec![0usize; width];
            let mut anchors: Vec<usize> = (0..width).collect();
            let mut prev: Option<(usize, usize)> = None;
            for c in cells {
                let range = c.col..(c.col + c.span).min(width);
                if range.is_empty() {
                    continue;
                }
                if c.hcontinue {
                    if let Some((t, anchor)) = prev {
                        slots[range.clone()].fill(t);
                        anchors[range].fill(anchor);
                        continue;
                    }
                }
                anchors[range.clone()].fill(range.start);
                let above = g.rows.last();
                for s in range.clone() {
                    slots[s] = match (c.vmerge, above) {
                        (Some(false), Some(up)) if up[s] != 0 => {
                            if g.texts[c.text].trim().is_empty() {
                                up[s]
                            } else {
                                let joined = format!("{}\n{}", g.texts[up[s]], g.texts[c.text]);
                                g.texts.push(joined);
                                g.anchors.push(g.anchors[up[s]]);
                                g.texts.len() - 1
                            }
                        }
                        _ => c.text,
                    };
                }
                prev = Some((slots[range.start], range.start));
            }
            g.rows.push(slots);
            g.cell_starts.push(anchors);
        }
        g
    }

    /// The texts of one grid row, counted against the view's size budget.
    pub(super) fn grid_row(&mut self, g: &Grid, i: usize) -> Option<Vec<String>> {
        let row = &g.rows[i];
        let bytes: usize = row.iter().map(|&t| g.texts[t].len() + 3).sum();
        if !self.spend(bytes) {
            return None;
        }
        Some(row.iter().map(|&t| g.texts[t].clone()).collect())
    }
}

/// A table's slot matrix: `rows[r][c]` indexes `texts` (0 is empty).
#[derive(Default)]
pub(super) struct Grid {
    pub(super) texts: Vec<String>,
    pub(super) rows: Vec<Vec<usize>>,
    /// `cell_starts[r][c]`: the first grid column of the cell covering column
    /// `c` (a cell merged across grid columns is one cell).
    pub(super) cell_starts: Vec<Vec<usize>>,
    /// The anchor of the cell each text came from (parallel to `texts`).
    pub(super) anchors: Vec<Option<(usize, usize)>>,
}

/// A cell's anchor: from the start of its first paragraph to the end of its
/// last one.
fn cell_anchor(tc: &El) -> Option<(usize, usize)> {
    let mut ps = tc.elements().filter(|e| e.name == "p");
    let first = paragraph_anchor(ps.next()?)?;
    let last = ps.last().map_or(Some(first), paragraph_anchor)?;
    Some((first.0, last.1))
}

/// Rows of a table, looking through content controls and custom XML.
pub(super) fn table_rows(tbl: &El) -> Vec<&El> {
    let mut out = Vec::new();
    collect(tbl, "tr", &mut out);
    out
}

/// Cells of a row, looking through content controls and custom XML.
pub(super) fn row_cells(tr: &El) -> Vec<&El> {
    let mut out = Vec::new();
    collect(tr, "tc", &mut out);
    out
}

fn collect<'e>(parent: &'e El, name: &str, out: &mut Vec<&'e El>) {
    for el in parent.elements() {
        if el.name == name {
            out.push(el);
        } else if el.name == "sdt" {
            if let Some(c) = el.child("sdtContent") {
                collect(c, name, out);
            }
        } else if el.name == "customXml" {
            collect(el, name, out);
        }
    }
}

pub(super) fn is_deleted_row(tr: &El) -> bool {
    tr.path(&["trPr", "del"]).is_some()
}

pub(super) fn grid_val(tr: &El, name: &str) -> usize {
    tr.path(&["trPr", name])
        .and_then(|g| g.val())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_COLS)
}

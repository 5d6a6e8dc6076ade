//! The text view of a converted document (HTML, DOCX, PDF) and where each of
//! its lines came from.
//!
//! Every reader renders its document into the same plain text the parser reads
//! for hand-made text reports: headings and paragraphs one per line, tables as
//! pipe rows (`| 单元格 | 单元格 |`, one logical row per line, a merged cell's
//! text repeated in every grid column and row it covers), a blank line between
//! blocks. Alongside, it records an [`Origin`] for every line so a diagnostic
//! on the view can name the place in the original file.

/// Origins, locations and notices belong to the report model (it carries
/// them); readers produce them.
pub use crate::model::origin::{locate, LineOrigin, Located, Notice, Origin};

/// A rendered document: the view text, one origin per line (`origins[i]` is
/// line `i + 1`; `None` for blank separator lines) and the reader's notices.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub text: String,
    pub origins: Vec<Option<LineOrigin>>,
    pub notices: Vec<Notice>,
}

impl View {
    pub fn new() -> View {
        View::default()
    }

    /// Append one line of text (a heading or a paragraph). Newlines inside
    /// `text` are folded to spaces: one block, one line.
    pub fn line(&mut self, text: &str, origin: Origin) {
        let clean = one_line(text);
        self.push(
            &clean,
            Some(LineOrigin {
                origin,
                cells: Vec::new(),
            }),
        );
    }

    /// Append a table row as a pipe row. Each cell's text is folded to one
    /// line and `|` inside a cell becomes `｜` so the row stays a row.
    pub fn row(&mut self, cells: &[String], origin: Origin) {
        let mut line = String::from("|");
        let mut ranges = Vec::with_capacity(cells.len());
        for c in cells {
            line.push(' ');
            let start = line.len();
            line.push_str(&one_line(c).replace('|', "｜"));
            ranges.push((start, line.len()));
            line.push_str(" |");
        }
        self.push(
            &line,
            Some(LineOrigin {
                origin,
                cells: ranges,
            }),
        );
    }

    /// Append a table row whose cells may be merged across columns:
    /// `anchors[i]` is the first grid column of the cell covering column `i`.
    /// Every column's text is written (a merged cell's text repeated), but a
    /// covered column's byte range is its anchor's, so readers of the origin
    /// map see one cell per merged cell and `locate` names its first column.
    pub fn row_merged(&mut self, cells: &[String], anchors: &[usize], origin: Origin) {
        self.row(cells, origin);
        if let Some(Some(lo)) = self.origins.last_mut() {
            let own = lo.cells.clone();
            for (i, r) in lo.cells.iter_mut().enumerate() {
                if let Some(&a) = anchors.get(i).filter(|&&a| a < i) {
                    *r = own[a];
                }
            }
        }
    }

    /// Append a blank line (between blocks and around tables), never two in a row.
    pub fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.push("", None);
        }
    }

    /// Append a notice.
    pub fn notice(&mut self, kind: &str, message: String, line: Option<usize>) {
        self.notices.push(Notice {
            kind: kind.to_string(),
            message,
            line,
        });
    }

    /// The number of lines so far (the 1-based number of the last line).
    pub fn line_count(&self) -> usize {
        self.origins.len()
    }

    fn push(&mut self, line: &str, origin: Option<LineOrigin>) {
        self.text.push_str(line);
        self.text.push('\n');
        self.origins.push(origin);
    }

    /// Where a byte offset of the view came from.
    pub fn locate(&self, offset: usize) -> Option<Located> {
        locate(&self.text, &self.origins, offset)
    }
}

/// Fold a block's text to one line: runs of whitespace (including newlines
/// and `&nbsp;`) become one space, the ends are trimmed.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || ch == '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_record_cell_ranges_and_locate_columns() {
        let mut v = View::new();
        v.line("一、总体情况", Origin::HtmlBlock { block: 1 });
        v.blank();
        v.row(
            &["自然人".into(), "6|0".into(), " 4 ".into()],
            Origin::HtmlTable { table: 1, row: 3 },
        );
        assert_eq!(v.text, "一、总体情况\n\n| 自然人 | 6｜0 | 4 |\n");
        let at = v.text.find('4').unwrap();
        let loc = v.locate(at).unwrap();
        assert_eq!(loc.column, Some(3));
        assert_eq!(loc.describe(), "HTML 第 1 个表格 第 3 行 第 3 列");
        assert_eq!(v.locate(0).unwrap().describe(), "HTML 正文第 1 个段落");
        assert_eq!(v.locate(v.text.find("\n\n").unwrap() + 1), None);
    }

    #[test]
    fn one_line_folds_whitespace() {
        assert_eq!(one_line(" 商业\n 企业\u{a0} "), "商业 企业");
        let mut v = View::new();
        v.blank();
        assert!(v.text.is_empty());
    }
}

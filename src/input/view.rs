//! The text view of a converted document (HTML, DOCX, PDF) and where each of
//! its lines came from.
//!
//! Every reader renders its document into the same plain text the parser reads
//! for hand-made text reports: headings and paragraphs one per line, tables as
//! pipe rows (`| 单元格 | 单元格 |`, one logical row per line, a merged cell's
//! text repeated in every grid column and row it covers), a blank line between
//! blocks. Alongside, it records an [`Origin`] for every line so a diagnostic
//! on the view can name the place in the original file.

use serde::Serialize;

/// Where a line of the view came from in the original document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// A block (heading, paragraph, list item) of an HTML page; `block` counts
    /// from 1 in document order.
    HtmlBlock { block: usize },
    /// A row of an HTML table; `table` and `row` count from 1 (rows of the
    /// table's grid, after rowspan/colspan).
    HtmlTable { table: usize, row: usize },
    /// A paragraph of a DOCX body, counting from 1 (table paragraphs excluded).
    DocxParagraph { paragraph: usize },
    /// A row of a DOCX table; `table` and `row` count from 1.
    DocxTable { table: usize, row: usize },
    /// A line of a PDF's text layer: page from 1, line from 1 on that page.
    PdfLine { page: usize, line: usize },
}

/// An [`Origin`] resolved for a span: the table column is added when the
/// span falls in a cell of a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    #[serde(flatten)]
    pub origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Located {
    /// The location in words, as the human output prints it.
    pub fn describe(&self) -> String {
        let col = self
            .column
            .map(|c| format!("第 {c} 列"))
            .unwrap_or_default();
        match &self.origin {
            Origin::HtmlBlock { block } => format!("HTML 正文第 {block} 个段落"),
            Origin::HtmlTable { table, row } => format!("HTML 第 {table} 个表格 第 {row} 行 {col}")
                .trim_end()
                .to_string(),
            Origin::DocxParagraph { paragraph } => format!("DOCX 正文第 {paragraph} 段"),
            Origin::DocxTable { table, row } => format!("DOCX 第 {table} 个表格 第 {row} 行 {col}")
                .trim_end()
                .to_string(),
            Origin::PdfLine { page, line } => format!("PDF 第 {page} 页 第 {line} 行"),
        }
    }
}

/// A line of the view with its origin and, for table rows, the byte range of
/// each grid column within the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOrigin {
    pub origin: Origin,
    /// For table rows: `(start, end)` byte offsets of each cell's text within
    /// the line, one per grid column, in order.
    pub cells: Vec<(usize, usize)>,
}

/// Something a reader noticed that a reviewer should know about, such as
/// unaccepted tracked changes in a DOCX draft. Rules see these as
/// `report.input_notices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// A kebab-case key, e.g. `tracked-changes`, `comments`, `encoding-guessed`.
    pub kind: String,
    /// Chinese, one sentence.
    pub message: String,
    /// 1-based line of the view it concerns, when it concerns one.
    pub line: Option<usize>,
}

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

/// Resolve a byte offset of `text` against per-line origins.
pub fn locate(text: &str, origins: &[Option<LineOrigin>], offset: usize) -> Option<Located> {
    if origins.is_empty() {
        return None;
    }
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let lo = origins.get(line)?.as_ref()?;
    let within = offset - line_start;
    let column = lo
        .cells
        .iter()
        .position(|&(s, e)| within >= s && within <= e)
        .map(|i| i + 1);
    Some(Located {
        origin: lo.origin.clone(),
        column,
    })
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

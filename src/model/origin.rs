//! Where each line of a report's text view came from in the original document
//! (HTML block or table row, DOCX paragraph or table row, PDF page and line),
//! and what a reader noticed about the document. The readers (`crate::input`)
//! produce them; the report model carries them, so they are the model's.

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

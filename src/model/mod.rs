//! The report model: the contract between parsing and rules.
//!
//! Every element carries a [`Span`], a byte range into the report's text view
//! (for a text input: the file itself, minus a byte-order mark). Rules never
//! build spans; they take them from here. `docs/report-model.md` documents the
//! model and `report-lint dump FILE` prints it as JSON.

pub mod calc;
pub mod heading;
pub mod normalize;
pub mod origin;
pub mod schema;

use serde::Serialize;

/// A byte range `[start, end)` into the report text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// Which national format a report or table follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FormatVersion {
    /// 2019 trial format (国办公开办函〔2019〕60号), report years 2019–2020.
    #[serde(rename = "2019")]
    V2019,
    /// 2021 format (国办公开办函〔2021〕30号), report years 2021 onward.
    #[serde(rename = "2021")]
    V2021,
}

impl FormatVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            FormatVersion::V2019 => "2019",
            FormatVersion::V2021 => "2021",
        }
    }
    /// The format a report for `year` must use.
    pub fn for_year(year: i64) -> Option<FormatVersion> {
        match year {
            2019 | 2020 => Some(FormatVersion::V2019),
            y if y >= 2021 => Some(FormatVersion::V2021),
            _ => None,
        }
    }
}

/// A string with the span it was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: i64,
    pub month: i64,
    pub day: i64,
}

impl Date {
    pub fn is_valid(&self) -> bool {
        if !(1..=12).contains(&self.month) || self.day < 1 {
            return false;
        }
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let max = match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        self.day <= max
    }
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date with the words it was read from and where it was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateMention {
    pub date: Date,
    pub span: Span,
    /// `metadata:生成日期`, `signature`, …
    pub source: String,
}

/// The statistics period stated in the report (统计期限).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
    pub span: Span,
}

/// A `key | value` field of the CMS metadata block before the title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetaField {
    pub key: String,
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metadata {
    pub title: Option<Spanned<String>>,
    pub organ: Option<Spanned<String>>,
    pub year: Option<Spanned<i64>>,
    /// `government` (本级政府), `department` (部门), `township` (乡镇街道) or `unknown`.
    pub organ_kind: String,
    pub publication_date: Option<DateMention>,
    /// The date under the signature at the report's end (a line after part 六
    /// that is only a date), also when the page's metadata gives the
    /// publication date (a CMS's 发布时间).
    pub signature_date: Option<DateMention>,
    pub stats_period: Option<Period>,
    pub fields: Vec<MetaField>,
}

/// How the report's format was determined.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FormatInfo {
    /// The format the tables are laid out in, if tables were found.
    pub detected: Option<FormatVersion>,
    /// The format the report year requires (2019–2020: 2019; 2021+: 2021).
    pub expected: Option<FormatVersion>,
}

/// A heading as written: numbering, title and spans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heading {
    /// The whole heading line (or the heading part of a line that continues with text).
    pub text: String,
    pub span: Span,
    /// Numbering as written, with its separator: `一、`, `3、`, `（1）`.
    pub numbering: String,
    pub numbering_span: Span,
    /// The number the numbering denotes (`（1）` and `（一）` are both 1).
    pub number: i64,
    /// `chinese` (一、), `arabic` (3、), `chinese_paren` (（一）), `arabic_paren` (（1）).
    pub style: String,
    /// Text after the numbering, trimmed.
    pub title: String,
    pub title_span: Span,
    /// Whitespace between the numbering and the title, or inside the title.
    pub whitespace: Vec<Span>,
    /// The heading is the whole line (no sentence follows it on the line).
    pub standalone: bool,
}

/// One of the six canonical parts (一 … 六).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Canonical part number 1–6, assigned by content, not by the numbering written.
    pub number: i64,
    /// The canonical heading, e.g. `二、主动公开政府信息情况`.
    pub canonical: String,
    pub heading: Option<Heading>,
    /// From the heading (or the first content) to the next part.
    pub span: Span,
    /// Sub-headings such as `（一）主动公开` inside this part.
    pub subsections: Vec<Heading>,
    /// Tables (`t2`, `t3`, `t4`) found inside this part's span.
    pub tables: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub text: String,
    pub span: Span,
}

/// A narrative paragraph (a text line outside tables that is not a top-level heading).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    pub text: String,
    pub span: Span,
    /// Canonical part (1–6) it belongs to, 0 before part 一.
    pub section: i64,
    pub sentences: Vec<Sentence>,
}

/// A table cell's parsed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    Integer(i64),
    Decimal(f64),
    /// An empty cell.
    Blank,
    /// `-`, `/`, `—`, `无` and similar stand-ins for zero.
    Placeholder(String),
    /// Text that is not a number.
    Text(String),
    /// The table has no cell here at all (a shortened row).
    Missing,
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Integer(_) => "integer",
            Value::Decimal(_) => "decimal",
            Value::Blank => "blank",
            Value::Placeholder(_) => "placeholder",
            Value::Text(_) => "text",
            Value::Missing => "missing",
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Decimal(d) => Some(*d),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub row: String,
    pub col: String,
    /// The cell text as written (trimmed).
    pub raw: String,
    pub value: Value,
    /// The cell's text; for a missing cell, the row label.
    pub span: Span,
    /// Word or web residue found inside the cell and removed before parsing the value.
    pub residue: Option<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub key: String,
    /// Canonical label.
    pub label: String,
    /// The label as written.
    pub raw_label: String,
    pub span: Span,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub key: String,
    pub label: String,
}

/// Something about a table's shape that differs from the canonical schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapeIssue {
    /// `missing-row`, `missing-cells`, `extra-cells`, `unreadable` (labels found
    /// in running text whose cells cannot be separated; the table has no rows),
    /// `run-together` or `ambiguous`.
    pub kind: String,
    pub message: String,
    pub span: Span,
    /// The schema row (its key) a row-level issue is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// For an `ambiguous` table 2 row: every split of its digits into the
    /// row's columns (values in the order of the schema's columns), when there
    /// are at most [`ShapeIssue::MAX_CANDIDATES`]; otherwise empty. Rules may
    /// test an identity against all of them: if none fits, the row is wrong
    /// however it is read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Vec<i64>>,
}

impl ShapeIssue {
    /// Most candidate splits kept on an ambiguous row.
    pub const MAX_CANDIDATES: usize = 64;
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// `t2`, `t3` or `t4`.
    pub kind: String,
    pub format: Option<FormatVersion>,
    /// From the first header cell to the last value.
    pub span: Span,
    /// From the first data-row label to the last value.
    pub data_span: Span,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub shape_issues: Vec<ShapeIssue>,
    /// Runs of empty rows or empty cells inside the data region.
    pub empty_runs: Vec<Span>,
}

impl Table {
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == key)
    }
    pub fn cell(&self, row: &str, col: &str) -> Option<&Cell> {
        self.row(row)?.cells.iter().find(|c| c.col == col)
    }
}

/// A number found in the narrative, as an interval (XBRL-style rounding semantics).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NarrativeNumber {
    /// The words, e.g. `11000余条`.
    pub text: String,
    pub span: Span,
    /// The number as written, scaled (`789.3万` → 7893000).
    pub value: f64,
    /// Lower bound of the interval the words allow.
    pub low: f64,
    /// Upper bound (may be infinite for `逾`, `超过`).
    pub high: f64,
    pub low_inclusive: bool,
    pub high_inclusive: bool,
    /// Counter or unit after the number: `件`, `条`, `%`, `万元`, `人次`, or empty.
    pub unit: String,
    /// `余`, `多`, `约`, `近`, `逾`, `超过`, `不足`, `以上`, `万`, `亿`.
    pub qualifiers: Vec<String>,
    /// Index of the paragraph it was found in.
    pub paragraph: usize,
    /// Parenthesis nesting depth at the number within its paragraph (`(含上年结转4件)` → 1).
    pub depth: usize,
    /// Written in Chinese numerals (`两件`, `十一项`).
    pub numeral: bool,
    /// Canonical part (1–6) of its paragraph, 0 before part 一.
    pub section: i64,
    /// The sentence holding the number.
    pub sentence: Span,
    /// The clause holding the number: the sentence cut at `，；：` and at
    /// parentheses.
    pub clause: Span,
    /// The words that introduce the number: from the start of its clause, or
    /// from the end of the previous number of the clause when a list runs on
    /// (`予以公开38件、部分公开5件` → `部分公开`), to the number. Leading
    /// list words (`、和及与`) are dropped.
    pub lead: String,
    /// The statement in the text: the lead words and the number
    /// (`共收到各类政府信息公开申请60件`); where a narrative-vs-table
    /// diagnostic points.
    pub statement: Span,
    /// The rest of the clause after the number (`的办结率` in `100%的办结率`).
    pub tail: String,
    /// The sentence from its start to the number: what the sentence has said
    /// by the time it states the number.
    pub context: String,
    /// The clause is about 留言、咨询、热线、投诉、举报 or 信访, not about
    /// 依申请公开: such numbers must not be matched against table 3.
    pub off_topic: bool,
    /// What the number counts, read from its own words (`src/parse/meaning.rs`,
    /// `docs/report-model.md` lists them): `applications.received`,
    /// `applications.processed`, `applications.carried_in`,
    /// `applications.carried_out`, `applications.outcome`,
    /// `applications.applicant.<t3 column or legal>`, `applications.channel`,
    /// `applications`, `cases.review`, `cases.litigation`, `cases`,
    /// `other.cases_reviewed` (the organ as the reviewing body),
    /// `documents.active`, `documents.on_request`, `documents.withheld`,
    /// `documents`, `normative.issued`, `normative.repealed`,
    /// `normative.in_force`, `normative`, `report.parts`, `rate`, `money`,
    /// `unitless`, `other`.
    pub measure: String,
    /// The time the number covers, read from the sentence before it:
    /// `year` (the report's year, the default), `years` (a span of years or a
    /// running total: `近三年来…共收到申请120件`, `历年累计`, `2019年以来`,
    /// unless the report's year is named again before the number:
    /// `近三年…120件，2023年收到40件` → 40 is `year`) or `other` (its own words
    /// name another year, not as a carry-over: `2022年收到32件`, `上年同期为32件`;
    /// `2022年结转5件` is the year's).
    pub period: String,
}

/// Whether a number measuring `part` can be a part of a whole measuring
/// `whole` (`docs/report-model.md`, “Measures and breakdowns”). Two stages of
/// one family are never parts of each other: requests carried in or handled
/// are not among the requests received (`收到申请40件，其中自然人28件，…，
/// 上年结转5件，依法办结43件`: 43 is not part of 40), a suit is not a review,
/// the documents in force are not the ones issued. Requests and cases are
/// never parts of each other either. Anything else may be (an applicant type
/// or a channel of the requests received, an outcome of those handled, a
/// measure not known).
pub fn measure_can_be_part(part: &str, whole: &str) -> bool {
    let split = |m: &str| -> (String, String) {
        let mut it = m.splitn(3, '.');
        let family = it.next().unwrap_or("").to_string();
        let stage = it.next().unwrap_or("").to_string();
        (family, stage)
    };
    let (pf, ps) = split(part);
    let (wf, ws) = split(whole);
    let counted = |f: &str| f == "applications" || f == "cases";
    if counted(&pf) && counted(&wf) && pf != wf {
        return false;
    }
    if pf != wf || ps.is_empty() || ws.is_empty() || ps == ws {
        return true;
    }
    const STAGES: [&str; 11] = [
        // applications
        "received",
        "carried_in",
        "processed",
        "carried_out",
        // cases
        "review",
        "litigation",
        // documents
        "active",
        "on_request",
        // normative documents
        "issued",
        "repealed",
        "in_force",
    ];
    !(STAGES.contains(&ps.as_str()) && STAGES.contains(&ws.as_str()))
}

/// The counters of counted things (not %, money or people-times).
pub const COUNT_UNITS: [&str; 12] = [
    "件", "项", "条", "篇", "个", "起", "宗", "期", "次", "份", "家", "批",
];

/// A total and the numbers that break it down, in one sentence
/// (`共制作政府信息617份，其中主动公开138份、依申请公开及不予公开431份`), or in
/// the sentence after when `其中` opens it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    /// Index of the whole in `Report.numbers`.
    pub whole: usize,
    /// Indices of the parts, in text order.
    pub parts: Vec<usize>,
    /// The word that opens the parts (`其中`, `(含`, `包括`, `分别为`), or empty
    /// for a listing of categories ending in `其他…` with no marker.
    pub marker: String,
    /// False when the text says the listing is not exhaustive (`……等`, `主要`).
    pub complete: bool,
}

/// One physical line of the text view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub number: usize,
    pub span: Span,
    /// `text`, `heading`, `cell`, `blank`, `metadata`, `title`.
    pub kind: String,
    /// The table the line belongs to (`t2`, `t3`, `t4`) or empty.
    pub table: String,
}

/// The parsed report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub path: String,
    /// The text view every span points into.
    #[serde(skip)]
    pub text: String,
    /// Input format: `text`, `markdown`, `html`, `docx`, `pdf`.
    pub input_format: String,
    /// The encoding the file was decoded from: `utf-8`, `utf-8-bom`, `utf-16le`, `gb18030`, ….
    pub encoding: String,
    /// What the reader noticed about the file (unaccepted tracked changes,
    /// a guessed encoding, …); rules see them as `report.input_notices`.
    pub notices: Vec<origin::Notice>,
    /// For converted formats, where each line of the view came from
    /// (`origins[i]` is line `i + 1`); empty for text and Markdown.
    #[serde(skip)]
    pub origins: Vec<Option<origin::LineOrigin>>,
    /// Text shapes seen: `pipe`, `cell-per-line`, `tab`, `markdown`.
    pub shapes: Vec<String>,
    pub metadata: Metadata,
    pub format: FormatInfo,
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
    pub tables: Vec<Table>,
    pub numbers: Vec<NarrativeNumber>,
    /// Totals broken down into parts in the narrative.
    pub breakdowns: Vec<Breakdown>,
    pub lines: Vec<Line>,
    /// When the document does not look like an annual report at all (a
    /// meeting notice, a news item): what a report has that it lacks, in
    /// words for the finding; empty for a report. Set by the parser
    /// (`parse::not_a_report`); the engine then runs only the `not-a-report`
    /// rule and the `artifact` rules (docs/report-model.md).
    pub not_a_report: Vec<String>,
    /// Line and column lookup for `text`, built on first use.
    #[serde(skip)]
    pub line_index: std::sync::OnceLock<LineIndex>,
}

impl Report {
    pub fn table(&self, kind: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.kind == kind)
    }
    pub fn section(&self, number: i64) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
    /// 1-based line number and 1-based character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.index().line_col(&self.text, offset)
    }
    /// The line index of `text` (built once, linear in its length).
    pub fn index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }
    /// Where a byte offset of the view came from in the original file
    /// (converted formats only).
    pub fn locate(&self, offset: usize) -> Option<origin::Located> {
        origin::locate(&self.text, &self.origins, offset)
    }

    /// Where `offset` is in the statistics tables, in words:
    /// `表三 本年新收 / 科研机构` in a cell, `表三 “本年新收”行` elsewhere on a
    /// row, `表三` elsewhere in the table; `None` outside the tables.
    pub fn table_place(&self, offset: usize) -> Option<String> {
        let t = self
            .tables
            .iter()
            .find(|t| t.span.start <= offset && offset < t.span.end.max(t.span.start + 1))?;
        let name = match t.kind.as_str() {
            "t2" => "表二",
            "t3" => "表三",
            "t4" => "表四",
            _ => return None,
        };
        let inside = |s: Span| s.start <= offset && offset < s.end.max(s.start + 1);
        for r in &t.rows {
            if let Some(c) = r.cells.iter().find(|c| inside(c.span)) {
                return Some(format!(
                    "{name} {}",
                    schema::cell_name(&t.kind, &r.key, &r.label, &c.col)
                ));
            }
            if inside(r.span) {
                return Some(format!("{name} “{}”行", schema::short_label(&r.label)));
            }
        }
        Some(name.to_string())
    }
}

/// Where lines start in a text, and how many characters come before every
/// [`LineIndex::BLOCK`]-th byte: line, column and character offset of a byte
/// offset in O(log lines + BLOCK) instead of a scan from the start of the text
/// (which made every per-finding lookup, and so a report with many findings,
/// quadratic).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineIndex {
    /// Byte offset of the start of each line; `starts[0] == 0`.
    starts: Vec<usize>,
    /// `chars[k]`: characters in `text[..k * BLOCK]`.
    chars: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub const BLOCK: usize = 256;

    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars = Vec::with_capacity(bytes.len() / Self::BLOCK + 1);
        let mut n = 0;
        for block in bytes.chunks(Self::BLOCK) {
            chars.push(n);
            n += count_chars(block);
        }
        chars.push(n);
        LineIndex {
            starts,
            chars,
            len: text.len(),
        }
    }

    /// Characters in `text[..offset]` (`offset` floored to a character
    /// boundary and clamped to the text). `text` is the indexed text.
    pub fn char_offset(&self, text: &str, offset: usize) -> usize {
        debug_assert_eq!(text.len(), self.len, "index of another text");
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let k = offset / Self::BLOCK;
        self.chars[k] + count_chars(&text.as_bytes()[k * Self::BLOCK..offset])
    }

    /// 1-based line and character column of `offset` in `text`, as [`line_col`].
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.char_offset(text, offset) - self.char_offset(text, start) + 1;
        (line, col)
    }

    /// Byte offset of the start of 0-based line `line`, if there is one.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// 0-based line that byte `offset` is on.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Characters in a byte slice of UTF-8 (the bytes that start one).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// 1-based line and character column of `offset` in `text`: one lookup,
/// linear in `offset`. For many lookups in one text use a [`LineIndex`].
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    #[test]
    fn the_index_agrees_with_a_scan_at_every_offset() {
        let line = "甲乙a\u{1F600}b".repeat(90);
        for text in [
            String::new(),
            "\n".into(),
            "abc".into(),
            format!("一二\n三63四\n{line}\n\n{line}x"),
        ] {
            let index = LineIndex::new(&text);
            for offset in 0..=text.len() + 3 {
                assert_eq!(
                    index.line_col(&text, offset),
                    line_col(&text, offset),
                    "offset {offset} of {text:?}"
                );
                let b = floor_char_boundary(&text, offset.min(text.len()));
                assert_eq!(index.char_offset(&text, offset), text[..b].chars().count());
            }
        }
    }
}

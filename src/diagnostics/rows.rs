//! The findings as spreadsheet rows: one place that decides the columns of
//! the per-finding table, shared by the CSV and XLSX writers, and the
//! per-file summary row of the XLSX summary sheet.
//!
//! A file with findings gives one row per finding; a file without any, or one
//! that could not be read, gives one row of its own (empty rule, the status
//! saying why), so every checked path appears.

use super::{FileReport, Position, RunInfo, Severity};

/// The columns of a finding row, in order: machine names (the CSV header)
/// and the Chinese headings of the XLSX sheet.
pub const FINDING_COLUMNS: [(&str, &str); 16] = [
    ("file", "文件"),
    ("organ", "机关"),
    ("year", "年度"),
    ("status", "状态"),
    ("rule", "规则"),
    ("severity", "级别"),
    ("severity_en", "级别（英文）"),
    ("message", "问题"),
    ("line", "行"),
    ("column", "列"),
    ("place", "原文位置"),
    ("label", "标注"),
    ("notes", "说明"),
    ("help", "修改建议"),
    ("input", "文件类型"),
    ("format", "统一格式"),
];

/// The columns of a file's summary row (XLSX summary sheet).
pub const SUMMARY_COLUMNS: [(&str, &str); 10] = [
    ("file", "文件"),
    ("organ", "机关"),
    ("year", "年度"),
    ("input", "文件类型"),
    ("format", "统一格式"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("notes", "提示"),
    ("status", "状态"),
    ("failing_rules", "未通过的规则"),
];

/// A file's status: `pass`, `fail` (a finding at or above the failing level)
/// or `error` (could not be read).
pub fn status(run: &RunInfo, f: &FileReport) -> &'static str {
    if f.error.is_some() {
        "error"
    } else if f.failing_rules(run.fail).is_empty() {
        "pass"
    } else {
        "fail"
    }
}

/// A status in Chinese, for the people formats.
pub fn status_zh(status: &str) -> &'static str {
    match status {
        "error" => "无法读取",
        "fail" => "未通过",
        _ => "通过",
    }
}

/// One cell of a row: text, or a number a spreadsheet should sort as one.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    fn opt(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }
    fn num(n: Option<i64>) -> Cell {
        n.map_or(Cell::Empty, |n| Cell::Number(n as f64))
    }
    /// The cell as CSV text.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format!("{n}"),
            Cell::Empty => String::new(),
        }
    }
}

/// The rows of one file (see the module comment), `FINDING_COLUMNS` wide.
/// Notes are joined one per line: every item of a finding's list is there.
pub fn finding_rows(run: &RunInfo, f: &FileReport) -> Vec<Vec<Cell>> {
    let status = status(run, f);
    let head = || {
        vec![
            Cell::text(f.path),
            Cell::opt(f.organ),
            Cell::num(f.year),
            Cell::text(status),
        ]
    };
    let tail = |c: &mut Vec<Cell>| {
        c.push(Cell::opt(f.input_format));
        c.push(Cell::opt(f.format));
    };
    let (Some(text), None) = (f.text, f.error) else {
        let mut c = head();
        c.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
        c.push(Cell::opt(f.error));
        c.extend((0..6).map(|_| Cell::Empty));
        tail(&mut c);
        return vec![c];
    };
    if f.diagnostics.is_empty() {
        let mut c = head();
        c.extend((0..10).map(|_| Cell::Empty));
        tail(&mut c);
        return vec![c];
    }
    let index = crate::model::LineIndex::new(text);
    f.diagnostics
        .iter()
        .map(|d| {
            let p = Position::of(&index, text, d.span);
            let at = match &d.origin {
                Some(o) => o.describe(),
                None => format!("第 {} 行 第 {} 列", p.line, p.column),
            };
            let place = match &d.table_place {
                Some(t) => format!("{t}（{at}）"),
                None => at,
            };
            let mut c = head();
            c.extend([
                Cell::text(&d.rule),
                Cell::text(severity_zh(d.severity)),
                Cell::text(d.severity.as_str()),
                Cell::text(&d.message),
                Cell::Number(p.line as f64),
                Cell::Number(p.column as f64),
                Cell::text(place),
                Cell::opt(d.label.as_deref()),
                Cell::text(d.notes.join("\n")),
                Cell::opt(d.help.as_deref()),
            ]);
            tail(&mut c);
            c
        })
        .collect()
}

/// A file's summary row, `SUMMARY_COLUMNS` wide.
pub fn summary_row(run: &RunInfo, f: &FileReport) -> Vec<Cell> {
    let count = |s| Cell::Number(f.count(s) as f64);
    vec![
        Cell::text(f.path),
        Cell::opt(f.organ),
        Cell::num(f.year),
        Cell::opt(f.input_format),
        Cell::opt(f.format),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
        Cell::text(status_zh(status(run, f))),
        Cell::text(f.failing_rules(run.fail).join(";")),
    ]
}

/// A severity in Chinese.
pub fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Note => "提示",
    }
}

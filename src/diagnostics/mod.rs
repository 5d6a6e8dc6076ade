//! The diagnostic model, owned by report-lint, and the output writers that are
//! back-ends of it: `human` (codespan-reporting), `json`, `sarif`, `github`,
//! `junit`, `csv`, `xlsx` (the two share their rows, `rows`) and `html`. Every writer implements [`Writer`]; `check` hands it one
//! [`FileReport`] per file, then the [`RunEnd`].

pub mod csv;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod rows;
pub mod sarif;
mod window;
pub mod xlsx;

use crate::input::Located;
use crate::model::{LineIndex, Span};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A secondary location with its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
    /// Where the span came from in the original file (converted formats).
    pub origin: Option<Located>,
    /// The span is in another file (cross-year rules: the previous year's
    /// report); `None` for the checked file itself.
    pub file: Option<OtherFile>,
}

/// Another file a label points into: its path and its text view, which the
/// writers need to turn the span into lines, columns and a snippet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherFile {
    pub path: String,
    #[serde(skip)]
    pub text: std::sync::Arc<str>,
    /// The line index of `text` (shared with its report).
    #[serde(skip)]
    pub index: std::sync::Arc<LineIndex>,
}

/// One finding of one rule in one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// Primary location.
    pub span: Span,
    /// Label under the primary location.
    pub label: Option<String>,
    /// Secondary locations.
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// Where the primary span came from in the original file (HTML, DOCX,
    /// PDF); `None` for text and Markdown, whose view is the file.
    pub origin: Option<Located>,
    /// The statistics table cell or row the primary span is in, in words
    /// (`表三 本年新收 / 科研机构`), for the spreadsheet's place column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_place: Option<String>,
}

impl Diagnostic {
    /// Resolve the primary and secondary spans against the report's origin map.
    pub fn attach_origins(&mut self, report: &crate::model::Report) {
        self.origin = report.locate(self.span.start);
        self.table_place = report.table_place(self.span.start);
        for l in self.labels.iter_mut().filter(|l| l.file.is_none()) {
            l.origin = report.locate(l.span.start);
        }
    }
}

/// A rule that failed to load or to run: a fault of the rule, not of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleError {
    pub rule: String,
    /// The rule file.
    pub file: String,
    /// 1-based line and column in the rule file, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The report being checked when the rule failed, if any.
    pub report: Option<String>,
    #[serde(skip)]
    pub source: Option<std::sync::Arc<str>>,
}

impl RuleError {
    /// A rule file or folder that could not be read. A `.rhai` file names
    /// its rule by its stem (`x-env` for `rules/x-env.rhai`); a folder none.
    pub fn unreadable(path: &std::path::Path, message: String) -> RuleError {
        RuleError {
            rule: path
                .extension()
                .filter(|x| *x == "rhai")
                .and_then(|_| path.file_stem())
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default(),
            file: crate::input::display_path(path),
            line: None,
            column: None,
            message,
            report: None,
            source: None,
        }
    }
}

/// A rule as the writers see it: metadata for SARIF and JUnit.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub summary: String,
    pub family: String,
    pub reference: String,
    pub default_severity: Severity,
    /// Runs without configuration (false for an opt-in rule).
    pub default_enabled: bool,
    /// Effective level after configuration; `None` when turned off.
    pub severity: Option<Severity>,
    pub builtin: bool,
    /// `rules/<id>.rhai` for built-ins, the file path otherwise.
    pub file: String,
}

/// What every writer knows before the first file.
pub struct RunInfo<'a> {
    /// Every loaded rule, in id order.
    pub rules: &'a [RuleInfo],
    /// The failing level (`--fail-on`).
    pub fail: Severity,
    /// `--max-warnings`.
    pub max_warnings: Option<usize>,
}

/// One checked path. A path that matched nothing or a file that could not be
/// read has `error` set and no `text`.
pub struct FileReport<'a> {
    pub path: &'a str,
    /// The text view (the file minus a BOM); spans are byte ranges into it.
    pub text: Option<&'a str>,
    /// The report model, for writers that draw the document (`html`).
    pub report: Option<&'a crate::model::Report>,
    pub error: Option<&'a str>,
    /// The national format version (`2019`, `2021`), when detected.
    pub format: Option<&'a str>,
    /// What the file was read as: `text`, `markdown`, `html`, `docx`, `pdf`.
    pub input_format: Option<&'a str>,
    pub year: Option<i64>,
    pub organ: Option<&'a str>,
    pub diagnostics: &'a [Diagnostic],
    /// Rules that failed while checking this file.
    pub rule_errors: &'a [RuleError],
    /// Findings a baseline suppressed (not in `diagnostics`, not counted).
    pub suppressed: &'a [Diagnostic],
}

impl FileReport<'_> {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
    /// Ids of the rules with a finding at or above `fail`, sorted, once each.
    pub fn failing_rules(&self, fail: Severity) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .diagnostics
            .iter()
            .filter(|d| d.severity >= fail)
            .map(|d| d.rule.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// Checked paths, including those that matched nothing.
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Unreadable files plus files with a finding at or above the failing level.
    pub failed: usize,
    /// Paths that matched nothing and files that could not be read.
    pub unreadable: usize,
}

/// What every writer gets after the last file.
pub struct RunEnd<'a> {
    /// Every distinct rule error of the run (load errors and run errors), sorted.
    pub rule_errors: &'a [RuleError],
    pub summary: Summary,
    /// The exit status the run ends with (0, 1 or 2).
    pub exit_code: i32,
    /// What the baseline did, when one was used.
    pub baseline: Option<&'a BaselineOutcome>,
    /// Files found in folders and not checked, with the reason.
    pub skipped: &'a [SkippedFile],
    /// `[[ignore]]` entries of the configuration that accepted no finding.
    pub unused_ignores: &'a [UnusedIgnore],
}

/// An `[[ignore]]` of `report-lint.toml` that matched no finding in the run
/// (fixed, or the report moved): worth deleting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusedIgnore {
    /// The configuration file and the line of the `[[ignore]]` table.
    pub config: String,
    pub line: usize,
    pub rule: String,
    pub files: Vec<String>,
    pub fingerprint: Option<String>,
    pub reason: String,
}

/// A file found in a folder and not checked (a format report-lint does not
/// read, or one the configuration's `include` leaves out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// A baseline entry that matched no finding (see `src/baseline.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusedEntry {
    /// The report, relative to the baseline file.
    pub file: String,
    pub rule: String,
    pub fingerprint: String,
    /// How many of the entry's findings were not found.
    pub count: usize,
    pub message: String,
    /// The entry's `reason`, when it has one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// What a baseline did in a run.
#[derive(Debug, Clone, Default)]
pub struct BaselineOutcome {
    /// The baseline file, as given.
    pub file: String,
    /// Findings it suppressed.
    pub suppressed: usize,
    /// Entries that matched nothing.
    pub unused: Vec<UnusedEntry>,
    /// `--strict-baseline`: unused entries make the run fail.
    pub strict: bool,
}

/// An output format. `begin` once, `file` per checked path in order, `finish` once.
pub trait Writer {
    fn begin(&mut self, _out: &mut dyn Write, _run: &RunInfo) -> io::Result<()> {
        Ok(())
    }
    fn file(&mut self, out: &mut dyn Write, run: &RunInfo, f: &FileReport) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, run: &RunInfo, end: &RunEnd) -> io::Result<()>;
}

/// A span resolved against its text: 1-based lines, columns counted in
/// characters (Unicode scalar values), the end exclusive; and the character
/// offset and length of the span in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub char_offset: usize,
    pub char_length: usize,
}

impl Position {
    /// `span` in `text`, through `index` (the text's [`LineIndex`]).
    pub fn of(index: &LineIndex, text: &str, span: Span) -> Position {
        let (line, column) = index.line_col(text, span.start);
        let (end_line, end_column) = index.line_col(text, span.end);
        let char_offset = index.char_offset(text, span.start);
        let char_length = index
            .char_offset(text, span.end)
            .saturating_sub(char_offset);
        Position {
            line,
            column,
            end_line,
            end_column,
            char_offset,
            char_length,
        }
    }
}

/// The one-line text of a rule error, as the human output words it.
pub fn rule_error_text(e: &RuleError) -> String {
    if e.rule.is_empty() {
        format!("规则加载失败：{}", e.message)
    } else {
        format!("规则 {} 出错：{}", e.rule, e.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "一二\n三63四\n";
        // "63" is bytes 10..12 on line 2, after one three-byte character.
        let index = LineIndex::new(text);
        let p = Position::of(&index, text, Span::new(10, 12));
        assert_eq!(
            p,
            Position {
                line: 2,
                column: 2,
                end_line: 2,
                end_column: 4,
                char_offset: 4,
                char_length: 2,
            }
        );
        let empty = Position::of(&index, text, Span::new(0, 0));
        assert_eq!((empty.char_offset, empty.char_length), (0, 0));
    }
}

//! The stable JSON output (`--format json`), documented in `docs/json-output.md`.

use super::{Diagnostic, RuleError};
use crate::model::line_col;
use serde_json::{json, Value};

/// One file's entry.
pub fn file_entry(
    path: &str,
    text: Option<&str>,
    error: Option<&str>,
    format: Option<&str>,
    year: Option<i64>,
    organ: Option<&str>,
    diags: &[Diagnostic],
) -> Value {
    let diagnostics: Vec<Value> = match text {
        Some(t) => diags.iter().map(|d| diagnostic(t, d)).collect(),
        None => Vec::new(),
    };
    json!({
        "path": path,
        "status": if error.is_some() { "error" } else { "ok" },
        "error": error,
        "format": format,
        "year": year,
        "organ": organ,
        "diagnostics": diagnostics,
    })
}

fn location(text: &str, start: usize, end: usize) -> Value {
    let (line, column) = line_col(text, start);
    let (end_line, end_column) = line_col(text, end);
    json!({
        "start": start, "end": end,
        "line": line, "column": column,
        "end_line": end_line, "end_column": end_column,
    })
}

pub fn diagnostic(text: &str, d: &Diagnostic) -> Value {
    let (line, column) = line_col(text, d.span.start);
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|l| json!({"span": location(text, l.span.start, l.span.end), "message": l.message}))
        .collect();
    json!({
        "rule": d.rule,
        "severity": d.severity.as_str(),
        "message": d.message,
        "line": line,
        "column": column,
        "span": location(text, d.span.start, d.span.end),
        "label": d.label,
        "labels": labels,
        "notes": d.notes,
        "help": d.help,
    })
}

pub fn rule_error(e: &RuleError) -> Value {
    json!({
        "rule": e.rule,
        "file": e.file,
        "line": e.line,
        "column": e.column,
        "message": e.message,
        "report": e.report,
    })
}

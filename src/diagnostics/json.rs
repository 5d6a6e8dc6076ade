//! The stable JSON output (`--format json`), documented in `docs/json-output.md`.

use super::{Diagnostic, FileReport, RuleError, RunEnd, RunInfo, Writer};
use crate::model::line_col;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Collects the file entries, then writes the whole document.
#[derive(Default)]
pub struct JsonWriter {
    files: Vec<Value>,
}

impl Writer for JsonWriter {
    fn file(&mut self, _out: &mut dyn Write, _run: &RunInfo, f: &FileReport) -> io::Result<()> {
        self.files.push(file_entry(
            f.path,
            f.text,
            f.error,
            f.format,
            f.year,
            f.organ,
            f.diagnostics,
        ));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &RunInfo, end: &RunEnd) -> io::Result<()> {
        let s = &end.summary;
        let mut doc = json!({
            "version": 1,
            "files": std::mem::take(&mut self.files),
            "rule_errors": end.rule_errors.iter().map(rule_error).collect::<Vec<_>>(),
            "summary": {
                "files": s.files,
                "errors": s.errors,
                "warnings": s.warnings,
                "notes": s.notes,
                "failed": s.failed,
            },
        });
        // Only when a baseline was used, so other documents stay as they were.
        if let Some(b) = end.baseline {
            doc["baseline"] = json!({
                "file": b.file,
                "suppressed": b.suppressed,
                "strict": b.strict,
                "unused": b.unused,
            });
        }
        let text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
        writeln!(out, "{text}")
    }
}

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
        .map(|l| {
            // A label in another file (the previous year's report) carries its path.
            let (t, path) = match &l.file {
                Some(f) => (f.text.as_ref(), Some(f.path.as_str())),
                None => (text, None),
            };
            let mut v =
                json!({"span": location(t, l.span.start, l.span.end), "message": l.message});
            if let Some(p) = path {
                v["path"] = json!(p);
            }
            if let Some(o) = &l.origin {
                v["origin"] = json!(o);
            }
            v
        })
        .collect();
    let mut v = json!({
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
    });
    // Converted formats (HTML, DOCX, PDF): where the span is in the original file.
    if let Some(o) = &d.origin {
        v["origin"] = json!(o);
    }
    v
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

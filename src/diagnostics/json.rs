//! The stable JSON output (`--format json`), documented in `docs/json-output.md`.

use super::{Diagnostic, FileReport, RuleError, RunEnd, RunInfo, Writer};
use crate::model::LineIndex;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Streams the document: each file's entry is written as it comes, so memory
/// does not grow with the batch. The bytes are those of
/// `serde_json::to_string_pretty` on the whole document.
#[derive(Default)]
pub struct JsonWriter {
    files: usize,
}

/// `value` pretty-printed as it appears nested `depth` levels deep: every
/// line after the first indented by two spaces per level.
fn nested(value: &Value, depth: usize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    let indent = "  ".repeat(depth);
    Ok(text.replace('\n', &format!("\n{indent}")))
}

impl Writer for JsonWriter {
    fn begin(&mut self, out: &mut dyn Write, _run: &RunInfo) -> io::Result<()> {
        write!(out, "{{\n  \"version\": 1,\n  \"files\": [")
    }

    fn file(&mut self, out: &mut dyn Write, _run: &RunInfo, f: &FileReport) -> io::Result<()> {
        let entry = file_entry(
            f.path,
            f.text,
            f.error,
            f.format,
            f.year,
            f.organ,
            f.diagnostics,
        );
        let sep = if self.files == 0 { "" } else { "," };
        self.files += 1;
        write!(out, "{sep}\n    {}", nested(&entry, 2)?)
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &RunInfo, end: &RunEnd) -> io::Result<()> {
        let s = &end.summary;
        if self.files > 0 {
            write!(out, "\n  ")?;
        }
        let rule_errors = json!(end.rule_errors.iter().map(rule_error).collect::<Vec<_>>());
        let summary = json!({
            "files": s.files,
            "errors": s.errors,
            "warnings": s.warnings,
            "notes": s.notes,
            "failed": s.failed,
        });
        let skipped = json!(end.skipped);
        let unused_ignores = json!(end.unused_ignores);
        write!(
            out,
            "],\n  \"rule_errors\": {},\n  \"summary\": {},\n  \"skipped\": {},\n  \"unused_ignores\": {}",
            nested(&rule_errors, 1)?,
            nested(&summary, 1)?,
            nested(&skipped, 1)?,
            nested(&unused_ignores, 1)?
        )?;
        // Only when a baseline was used, so other documents stay as they were.
        if let Some(b) = end.baseline {
            let baseline = json!({
                "file": b.file,
                "suppressed": b.suppressed,
                "strict": b.strict,
                "unused": b.unused,
            });
            write!(out, ",\n  \"baseline\": {}", nested(&baseline, 1)?)?;
        }
        writeln!(out, "\n}}")
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
        Some(t) => {
            let index = LineIndex::new(t);
            diags.iter().map(|d| diagnostic(&index, t, d)).collect()
        }
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

fn location(index: &LineIndex, text: &str, start: usize, end: usize) -> Value {
    let (line, column) = index.line_col(text, start);
    let (end_line, end_column) = index.line_col(text, end);
    json!({
        "start": start, "end": end,
        "line": line, "column": column,
        "end_line": end_line, "end_column": end_column,
    })
}

/// One finding; `index` is the line index of `text`.
pub fn diagnostic(index: &LineIndex, text: &str, d: &Diagnostic) -> Value {
    let (line, column) = index.line_col(text, d.span.start);
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|l| {
            // A label in another file (the previous year's report) carries its path.
            let (t, ix, path) = match &l.file {
                Some(f) => (f.text.as_ref(), f.index.as_ref(), Some(f.path.as_str())),
                None => (text, index, None),
            };
            let mut v = json!({
                "span": location(ix, t, l.span.start, l.span.end),
                "message": l.message,
            });
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
        "span": location(index, text, d.span.start, d.span.end),
        "label": d.label,
        "labels": labels,
        "notes": d.notes,
        "help": d.help,
        // The baseline's location fingerprint (docs/baseline.md): what a
        // baseline entry or a per-file ignore names to accept this finding.
        "fingerprint": crate::baseline::fingerprint(text, d),
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

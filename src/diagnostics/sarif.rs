//! SARIF 2.1.0 output (`--format sarif`), for code-scanning services such as
//! GitHub code scanning. Written by hand with serde_json; documented in
//! `docs/json-output.md` ("Other formats").
//!
//! One run. `tool.driver.rules` lists every loaded rule with its built-in
//! level; levels changed by the configuration are
//! `invocations[0].ruleConfigurationOverrides`. Each diagnostic is a result
//! (secondary labels are `relatedLocations`); rule errors and unreadable files
//! are `invocations[0].toolExecutionNotifications`. Columns and character
//! offsets count Unicode code points (`run.columnKind: "unicodeCodePoints"`) in
//! the text view, the file minus a UTF-8 BOM.
//!
//! With a baseline, the findings it suppressed are results with
//! `suppressions: [{kind: "external"}]`, and its entries that matched nothing
//! are notifications with `descriptor.id` `baseline-unused`. The output is
//! validated against the official schema in `tests/sarif_schema.rs`.

use super::{
    rule_error_text, Diagnostic, FileReport, Position, RuleInfo, RunEnd, RunInfo, Severity, Span,
    Writer,
};
use crate::model::LineIndex;
use serde_json::{json, Map, Value};
use std::io::{self, Write};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Default)]
pub struct SarifWriter {
    results: Vec<Value>,
    /// Unreadable files, as notifications.
    unreadable: Vec<Value>,
}

impl Writer for SarifWriter {
    fn file(&mut self, _out: &mut dyn Write, _run: &RunInfo, f: &FileReport) -> io::Result<()> {
        let uri = uri(f.path);
        match (f.text, f.error) {
            (Some(text), _) => {
                let index = LineIndex::new(text);
                for d in f.diagnostics {
                    self.results.push(result(&uri, &index, text, d));
                }
                // Findings a baseline accepted: results with an external
                // suppression, as SARIF viewers expect (§3.35).
                for d in f.suppressed {
                    let mut r = result(&uri, &index, text, d);
                    r["suppressions"] = json!([{
                        "kind": "external",
                        "justification": "已记入基线文件（report-lint baseline）",
                    }]);
                    self.results.push(r);
                }
            }
            (None, Some(e)) => self.unreadable.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {e}", f.path) },
                "descriptor": { "id": "read" },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            })),
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &RunInfo, end: &RunEnd) -> io::Result<()> {
        let mut rules: Vec<Value> = run.rules.iter().map(rule).collect();
        // Every ruleId must name a rule; findings always come from loaded rules,
        // but stay valid even if one did not.
        let mut extra: Vec<String> = self
            .results
            .iter()
            .filter_map(|r| r["ruleId"].as_str())
            .filter(|id| !run.rules.iter().any(|r| r.id == *id))
            .map(str::to_string)
            .collect();
        extra.sort();
        extra.dedup();
        for id in &extra {
            rules.push(json!({ "id": id, "shortDescription": { "text": id } }));
        }
        for r in &mut self.results {
            let id = r["ruleId"].as_str().unwrap_or_default();
            let index = run
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .chain(extra.iter().map(String::as_str))
                .position(|x| x == id);
            if let (Some(i), Some(obj)) = (index, r.as_object_mut()) {
                insert_after(obj, "ruleId", "ruleIndex", json!(i));
            }
        }

        let mut notifications: Vec<Value> = std::mem::take(&mut self.unreadable);
        for e in end.rule_errors {
            let mut n = json!({
                "level": "error",
                "message": { "text": rule_error_text(e) },
                "descriptor": { "id": "rule-error" },
            });
            if !e.rule.is_empty() {
                let mut assoc = json!({ "id": e.rule });
                if let Some(i) = run.rules.iter().position(|r| r.id == e.rule) {
                    assoc["index"] = json!(i);
                }
                n["associatedRule"] = assoc;
            }
            let mut loc = json!({ "artifactLocation": { "uri": uri(&e.file) } });
            if let Some(line) = e.line.filter(|&l| l > 0) {
                let mut region = json!({ "startLine": line });
                if let Some(col) = e.column.filter(|&c| c > 0) {
                    region["startColumn"] = json!(col);
                }
                loc["region"] = region;
            }
            n["locations"] = json!([{ "physicalLocation": loc }]);
            if let Some(report) = &e.report {
                n["properties"] = json!({ "report": report });
            }
            notifications.push(n);
        }

        if let Some(b) = end.baseline {
            for u in &b.unused {
                let mut n = json!({
                    "level": if b.strict { "error" } else { "note" },
                    "message": { "text": format!(
                        "基线 {} 中的记录已不再匹配任何问题：{} · {}{} · {}",
                        b.file,
                        u.file,
                        u.rule,
                        if u.count > 1 { format!(" ×{}", u.count) } else { String::new() },
                        u.message,
                    ) },
                    "descriptor": { "id": "baseline-unused" },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&u.file) } } }],
                    "properties": {
                        "baseline": b.file,
                        "rule": u.rule,
                        "fingerprint": u.fingerprint,
                        "count": u.count,
                    },
                });
                let mut assoc = json!({ "id": u.rule });
                if let Some(i) = run.rules.iter().position(|r| r.id == u.rule) {
                    assoc["index"] = json!(i);
                }
                n["associatedRule"] = assoc;
                notifications.push(n);
            }
        }

        let mut invocation = json!({
            // False when results are incomplete: a file unread or a rule failed.
            "executionSuccessful": end.summary.unreadable == 0 && end.rule_errors.is_empty(),
            "exitCode": end.exit_code,
        });
        let overrides: Vec<Value> = run
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.severity != r.default_enabled.then_some(r.default_severity))
            .map(|(i, r)| {
                json!({
                    "descriptor": { "id": r.id, "index": i },
                    "configuration": match r.severity {
                        Some(s) => json!({ "level": level(s) }),
                        None => json!({ "enabled": false }),
                    },
                })
            })
            .collect();
        if !overrides.is_empty() {
            invocation["ruleConfigurationOverrides"] = json!(overrides);
        }
        if !notifications.is_empty() {
            invocation["toolExecutionNotifications"] = json!(notifications);
        }

        let doc = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "report-lint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": std::mem::take(&mut self.results),
            }],
        });
        let text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
        writeln!(out, "{text}")
    }
}

fn level(s: Severity) -> &'static str {
    // SARIF's levels are named like ours: error, warning, note.
    s.as_str()
}

fn rule(r: &RuleInfo) -> Value {
    let mut v = json!({
        "id": r.id,
        "shortDescription": { "text": r.summary },
    });
    // `helpUri` must be an absolute URI (the schema's "uri" format) and the
    // pages have no fixed address: point to the command and the page instead.
    if r.builtin {
        v["help"] = json!({
            "text": format!("report-lint explain {}（docs/rules/{}.md）", r.id, r.id)
        });
    } else {
        v["help"] = json!({ "text": format!("report-lint explain {}", r.id) });
    }
    v["defaultConfiguration"] = if r.default_enabled {
        json!({ "level": level(r.default_severity) })
    } else {
        json!({ "level": level(r.default_severity), "enabled": false })
    };
    let mut props = json!({ "tags": [r.family] });
    if !r.reference.is_empty() {
        props["reference"] = json!(r.reference);
    }
    v["properties"] = props;
    v
}

fn region(index: &LineIndex, text: &str, span: Span) -> Value {
    let p = Position::of(index, text, span);
    json!({
        "startLine": p.line,
        "startColumn": p.column,
        "endLine": p.end_line,
        "endColumn": p.end_column,
        "charOffset": p.char_offset,
        "charLength": p.char_length,
    })
}

fn result(uri: &str, index: &LineIndex, text: &str, d: &Diagnostic) -> Value {
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": region(index, text, d.span),
        }
    });
    if let Some(label) = &d.label {
        location["message"] = json!({ "text": label });
    }
    let mut v = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": { "text": d.message },
        "locations": [location],
        // The baseline's location fingerprint (docs/baseline.md): code-scanning
        // services use it to follow a finding across runs as lines move.
        "partialFingerprints": {
            "reportLintLocation/v1": crate::baseline::fingerprint(text, d),
        },
    });
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                // A label in the previous year's report points at that file.
                let (u, ix, t) = match &l.file {
                    Some(f) => (self::uri(&f.path), f.index.as_ref(), f.text.as_ref()),
                    None => (uri.to_string(), index, text),
                };
                json!({
                    "id": i + 1,
                    "physicalLocation": {
                        "artifactLocation": { "uri": u },
                        "region": region(ix, t, l.span),
                    },
                    "message": { "text": l.message },
                })
            })
            .collect();
        v["relatedLocations"] = json!(related);
    }
    let mut props = Map::new();
    if !d.notes.is_empty() {
        props.insert("notes".into(), json!(d.notes));
    }
    if let Some(h) = &d.help {
        props.insert("help".into(), json!(h));
    }
    if !props.is_empty() {
        v["properties"] = Value::Object(props);
    }
    v
}

/// Insert `key` right after `after`, keeping the document's key order readable.
fn insert_after(obj: &mut Map<String, Value>, after: &str, key: &str, value: Value) {
    let old = std::mem::take(obj);
    for (k, v) in old {
        let hit = k == after;
        obj.insert(k, v);
        if hit {
            obj.insert(key.to_string(), value.clone());
        }
    }
}

/// A path as a URI reference: `/` separators, everything but unreserved
/// characters and `/` percent-encoded (UTF-8), so Chinese file names are valid
/// URIs. An absolute Windows path becomes a `file:` URI.
pub fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let bytes = p.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    let mut out = String::new();
    if drive {
        out.push_str("file:///");
    }
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (drive && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("fixtures/seeds/001.txt"), "fixtures/seeds/001.txt");
        assert_eq!(uri("/tmp/a b.txt"), "/tmp/a%20b.txt");
        assert_eq!(uri("报告.txt"), "%E6%8A%A5%E5%91%8A.txt");
        assert_eq!(uri(r"C:\r\x#1.txt"), "file:///C:/r/x%231.txt");
    }
}

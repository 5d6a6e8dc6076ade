//! `dump`: the report model as rules see it, as JSON. Two things differ from
//! serde's shape of the model, both so that what `dump` shows is what a rule
//! reads: a cell's value is flat (`kind` and `value`, the number or `null`,
//! as `cell.kind` and `cell.value` in Rhai), and every span carries the
//! 1-based line and column of its start and end (rules call
//! `report.line_of(span)`; people read lines, not byte offsets).

use crate::model::{line_col, Report};
use serde_json::{json, Map, Value};

/// The JSON `dump` prints for `report`.
pub fn rule_view(report: &Report) -> Value {
    let mut v = serde_json::to_value(report).unwrap_or(Value::Null);
    annotate(&mut v, &report.text);
    v
}

fn is_span(m: &Map<String, Value>) -> bool {
    m.len() == 2
        && m.get("start").is_some_and(Value::is_u64)
        && m.get("end").is_some_and(Value::is_u64)
}

fn annotate(v: &mut Value, text: &str) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| annotate(i, text)),
        Value::Object(m) => {
            if is_span(m) {
                let at = |k: &str| m[k].as_u64().unwrap_or(0) as usize;
                let (line, column) = line_col(text, at("start"));
                let (end_line, end_column) = line_col(text, at("end"));
                m.insert("line".into(), json!(line));
                m.insert("column".into(), json!(column));
                m.insert("end_line".into(), json!(end_line));
                m.insert("end_column".into(), json!(end_column));
                return;
            }
            // A cell (`row`, `col`, `raw`, `value: {kind, value}`): flat, as rules see it.
            if m.contains_key("raw") && m.contains_key("col") {
                if let Some(Value::Object(inner)) = m.get("value").cloned() {
                    let kind = inner.get("kind").cloned().unwrap_or(Value::Null);
                    let number = inner.get("value").filter(|x| x.is_number()).cloned();
                    m.insert("kind".into(), kind);
                    m.insert("value".into(), number.unwrap_or(Value::Null));
                }
            }
            m.values_mut().for_each(|x| annotate(x, text));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_get_lines_and_cells_are_flat() {
        let src = crate::input::Source::plain(
            "x.txt",
            std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/seeds/002.txt"
            ))
            .unwrap(),
            "text",
            "utf-8",
        );
        let report = crate::parse::parse(&src);
        let v = rule_view(&report);
        let t3 = v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["kind"] == "t3")
            .unwrap();
        let cell = &t3["rows"][0]["cells"][0];
        assert!(cell["kind"].is_string(), "{cell}");
        assert!(
            cell["value"].is_number() || cell["value"].is_null(),
            "{cell}"
        );
        let span = &cell["span"];
        let (line, _) = report.line_col(span["start"].as_u64().unwrap() as usize);
        assert_eq!(span["line"], line);
        assert!(v["sections"][0]["span"]["line"].as_u64().unwrap() >= 1);
    }
}

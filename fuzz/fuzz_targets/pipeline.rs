//! The whole pipeline on arbitrary bytes: read (sniffing, decoding, HTML or
//! text), parse, every built-in rule (with the same bytes as last year's
//! report too, so the cross-year rules run), then every writer (human with and
//! without colour, JSON, SARIF, GitHub, JUnit, CSV, HTML, XLSX). No panic, no hang, no rule
//! error from a built-in rule; every span inside its text; JSON and SARIF
//! output that parses; human output without a raw control character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_lint::diagnostics::{
    csv::CsvWriter, github::GithubWriter, html::HtmlWriter, human::HumanWriter,
    json::JsonWriter, junit::JunitWriter, sarif::SarifWriter, xlsx::XlsxWriter, FileReport,
    RunEnd, RunInfo, Severity, Summary, Writer,
};
use report_lint::engine::{RuleOptions, RuleSet};
use std::sync::{Arc, OnceLock};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&RuleOptions::default()))
}

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.txt", "fuzz.html"] {
        let Ok(src) = report_lint::input::decode(name, data) else {
            continue;
        };
        let report = Arc::new(report_lint::parse::parse(&src));
        let out = rules().run_with_previous(&report, Some(&report));
        assert!(out.errors.is_empty(), "built-in rule failed: {:?}", out.errors);
        for d in &out.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= report.text.len());
        }
        let file = FileReport {
            path: name,
            text: Some(&report.text),
            report: Some(&report),
            error: None,
            format: None,
            input_format: None,
            year: None,
            organ: None,
            diagnostics: &out.diagnostics,
            rule_errors: &[],
            suppressed: &[],
        };
        let info = RunInfo {
            rules: &[],
            fail: Severity::Error,
            max_warnings: None,
        };
        let end = RunEnd {
            rule_errors: &[],
            summary: Summary::default(),
            exit_code: 0,
            baseline: None,
            skipped: &[],
            unused_ignores: &[],
        };
        let writers: Vec<(&str, Box<dyn Writer>)> = vec![
            ("human", Box::new(HumanWriter::new(false))),
            ("human-color", Box::new(HumanWriter::new(true))),
            ("json", Box::new(JsonWriter::default())),
            ("sarif", Box::new(SarifWriter::default())),
            ("github", Box::new(GithubWriter)),
            ("junit", Box::new(JunitWriter::default())),
            ("csv", Box::new(CsvWriter)),
            ("html", Box::new(HtmlWriter::default())),
            ("xlsx", Box::new(XlsxWriter::default())),
        ];
        for (kind, mut w) in writers {
            let mut buf = Vec::new();
            w.begin(&mut buf, &info).unwrap();
            w.file(&mut buf, &info, &file).unwrap();
            w.finish(&mut buf, &info, &end).unwrap();
            if kind == "xlsx" {
                assert!(buf.starts_with(b"PK"), "an XLSX file is a zip");
                continue;
            }
            let text = String::from_utf8(buf).expect("writers write UTF-8");
            match kind {
                "json" | "sarif" => {
                    serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
                }
                "html" => assert!(
                    !text.contains("<script src") && !text.contains("<link "),
                    "the page loads nothing from outside"
                ),
                "human" => assert!(
                    !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                    "a control character in human output"
                ),
                _ => {}
            }
        }
    }
});

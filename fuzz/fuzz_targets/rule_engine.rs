//! Rule files against the engine: arbitrary text as a user rule (compiled,
//! its metadata read, run on a real report, with that report as last year's
//! too). Whatever the text, loading and running end in a rule, a load error or
//! a rule error, within the limits (operations, time, sizes): no panic, no
//! hang, no unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_lint::engine::{RuleOptions, RuleSet};
use std::sync::{Arc, OnceLock};

fn report() -> &'static Arc<report_lint::model::Report> {
    static REPORT: OnceLock<Arc<report_lint::model::Report>> = OnceLock::new();
    REPORT.get_or_init(|| {
        let text = include_str!("../../fixtures/seeds/001.txt");
        let src = report_lint::input::decode("001.txt", text.as_bytes()).unwrap();
        Arc::new(report_lint::parse::parse(&src))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The rule file goes through the same loader as a user folder's.
    let dir = std::env::temp_dir().join(format!("rule-engine-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    // A fixed id, so the file name matches when the text declares it.
    let text = format!(
        "const META = #{{ id: \"fuzz\", severity: \"note\", family: \"structure\", summary: \"fuzz\" }};\n{text}"
    );
    std::fs::write(dir.join("fuzz.rhai"), text).unwrap();
    let rules = RuleSet::load(&RuleOptions {
        dirs: vec![dir],
        no_builtin: true,
        ..RuleOptions::default()
    });
    let report = report();
    let out = rules.run_with_previous(report, Some(report));
    for d in &out.diagnostics {
        assert!(d.span.end <= report.text.len());
    }
});

//! The Rust helpers that hot rules call instead of Rhai library code must give
//! exactly what the Rhai code gives: `report.whole_of(i)` against
//! `narrative::whole_of(report.numbers, i)`, and `report.numbers_in(span)`
//! against `narrative::numbers_in(report.numbers, span)`, on every report
//! fixture of the repository.

use report_lint::engine::{RuleOptions, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const RULE: &str = r#"
const META = #{ id: "helper-equivalence", severity: "error", family: "consistency", summary: "test" };
import "narrative" as narrative;
fn check(report) {
    let out = [];
    let numbers = report.numbers;
    for i in 0..numbers.len() {
        let a = narrative::whole_of(numbers, i);
        let b = report.whole_of(i);
        let same = if a == () || b == () { a == () && b == () } else { a.span == b.span && a.text == b.text };
        if !same { out.push(#{ message: `whole_of(${i}) differs`, span: numbers[i].span }); }
    }
    for p in report.paragraphs {
        for s in p.sentences {
            let a = narrative::numbers_in(numbers, s.span);
            let b = report.numbers_in(s.span);
            let differs = a.len() != b.len();
            for k in 0..a.len() { if !differs && a[k].span != b[k].span { differs = true; } }
            if differs {
                out.push(#{ message: "numbers_in differs", span: s.span });
            }
        }
    }
    out
}
"#;

fn reports(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            reports(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt" || x == "md") {
            out.push(p);
        }
    }
}

#[test]
fn rust_helpers_match_the_rhai_library() {
    let dir = std::env::temp_dir().join(format!("rl-helpers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("helper-equivalence.rhai"), RULE).unwrap();
    let rules = RuleSet::load(&RuleOptions {
        dirs: vec![dir.clone()],
        no_builtin: true,
        ..Default::default()
    });
    assert!(rules.errors.is_empty(), "{:?}", rules.errors[0].message);
    let mut files = Vec::new();
    reports(Path::new("fixtures"), &mut files);
    assert!(files.len() > 50, "{} fixtures", files.len());
    let mut wholes = 0;
    for f in &files {
        let Ok(src) = report_lint::input::read_path(f) else {
            continue;
        };
        let report = Arc::new(report_lint::parse::parse(&src));
        wholes += (0..report.numbers.len())
            .filter(|&i| report_lint::engine::api::whole_of(&report.numbers, i).is_some())
            .count();
        let out = rules.run(&report);
        assert!(
            out.errors.is_empty(),
            "{}: {}",
            f.display(),
            out.errors[0].message
        );
        assert!(
            out.diagnostics.is_empty(),
            "{}: {}",
            f.display(),
            out.diagnostics[0].message
        );
    }
    // The fixtures exercise the helper: many numbers do have a whole.
    assert!(wholes > 20, "only {wholes} parts with a whole");
    let _ = std::fs::remove_dir_all(&dir);
}

//! No input makes the parser panic or a built-in rule fail: every prefix of the
//! seeds and of the Markdown corpus files, and reports with lines removed.

use report_lint::engine::{RuleOptions, RuleSet};
use report_lint::input::decode;
use std::sync::Arc;

fn check_text(rules: &RuleSet, name: &str, text: &str) {
    let Ok(src) = decode(name, text.as_bytes()) else {
        return;
    };
    let report = Arc::new(report_lint::parse::parse(&src));
    let out = rules.run(&report);
    assert!(
        out.errors.is_empty(),
        "{name}: built-in rule failed: {:?}",
        out.errors
    );
    for d in &out.diagnostics {
        assert!(
            d.span.end <= text.len() && d.span.start <= d.span.end,
            "{name}: bad span {:?}",
            d.span
        );
    }
}

fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["fixtures/seeds", "fixtures/inputs"] {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "txt" || x == "md") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push((p.display().to_string(), t));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_prefix_parses_and_checks() {
    let rules = RuleSet::load(&RuleOptions::default());
    for (name, text) in corpus() {
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                check_text(&rules, &format!("{name}[..{cut}]"), &text[..cut]);
            }
            cut += 661;
        }
    }
}

#[test]
fn reports_with_lines_removed_parse_and_check() {
    let rules = RuleSet::load(&RuleOptions::default());
    for (name, text) in corpus() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in (0..lines.len()).step_by(23) {
            let t: String = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 7 != skip % 7 || *i < skip)
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            check_text(
                &rules,
                &format!("{name} without every 7th line from {skip}"),
                &t,
            );
        }
    }
}

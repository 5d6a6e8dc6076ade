//! Every built-in rule's fixtures: each case gets exactly the findings its
//! `.expect` file lists, and every rule has a case where it fires and one where
//! a near miss stays quiet.

mod common;

use report_lint::engine::{RuleOptions, RuleSet};
use report_lint::ruletest::{find_cases, run_case};
use std::path::Path;

fn rules() -> RuleSet {
    let set = RuleSet::load(&RuleOptions::default());
    assert!(
        set.errors.is_empty(),
        "built-in rules failed to load: {:?}",
        set.errors
    );
    set
}

#[test]
fn all_rule_fixtures_pass() {
    let rules = rules();
    let cases = find_cases(Path::new("fixtures/rules"));
    assert!(
        cases.len() >= 36,
        "expected fire and quiet cases for every rule, found {}",
        cases.len()
    );
    let mut failures = String::new();
    for case in &cases {
        let r = run_case(&rules, case);
        if !r.passed() {
            failures.push_str(&format!("{}\n{}", case.display(), r.diff()));
        }
    }
    assert!(failures.is_empty(), "rule fixture mismatches:\n{failures}");
}

#[test]
fn every_rule_fires_and_stays_quiet_somewhere() {
    let rules = rules();
    for rule in &rules.rules {
        let dir = Path::new("fixtures/rules").join(&rule.id);
        let cases = find_cases(&dir);
        let fires = cases.iter().any(|c| {
            c.file_name().unwrap().to_string_lossy().starts_with("fire")
                && run_case(&rules, c)
                    .expected
                    .iter()
                    .any(|(_, id)| id == &rule.id)
        });
        let quiet = cases.iter().any(|c| {
            c.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("quiet")
                && !run_case(&rules, c)
                    .expected
                    .iter()
                    .any(|(_, id)| id == &rule.id)
        });
        assert!(
            fires,
            "{}: no fixture where it fires (fixtures/rules/{}/fire-*.txt)",
            rule.id, rule.id
        );
        assert!(
            quiet,
            "{}: no fixture where it stays quiet (fixtures/rules/{}/quiet-*.txt)",
            rule.id, rule.id
        );
        assert!(
            Path::new("docs/rules")
                .join(format!("{}.md", rule.id))
                .is_file(),
            "{}: missing docs/rules/{}.md",
            rule.id,
            rule.id
        );
    }
}

#[test]
fn one_changed_cell_names_the_suspect() {
    let rules = rules();
    let case = Path::new("fixtures/rules/t3-balance/fire-002-r7-natural.txt");
    let src = report_lint::input::read_path(case).unwrap();
    let report = std::sync::Arc::new(report_lint::parse::parse(&src));
    let out = rules.run(&report);
    let arithmetic: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("t3-"))
        .collect();
    assert_eq!(
        arithmetic.len(),
        3,
        "one finding each from t3-balance, t3-results-total, t3-row-total"
    );
    // Every finding points at the changed cell and says what it should be.
    let changed = src.text.lines().nth(245).unwrap();
    assert_eq!(changed, "63 |");
    for d in arithmetic {
        assert!(
            d.message
                .contains("最可能出错的是（七）总计 / 自然人：现为 63，按勾稽关系应为 64"),
            "{}: {}",
            d.rule,
            d.message
        );
        let at = d.span.start;
        assert_eq!(report.line_col(at).0, 246, "{}: {:?}", d.rule, d.span);
    }
}

/// `docs/rules/README.md` lists exactly the rules `report-lint rules` prints, with the
/// same family, default level and summary.
#[test]
fn rule_index_matches_the_rules_command() {
    let o = common::run(&["rules", "--no-config"]);
    assert!(o.status.success());
    let listed: std::collections::BTreeSet<(String, String, String, String)> = common::stdout(&o)
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut w = l.split_whitespace();
            let id = w.next().unwrap().to_string();
            let family = w.next().unwrap().to_string();
            let default = w.next().unwrap().to_string();
            let _effective = w.next();
            (id, family, default, w.collect::<Vec<_>>().join(" "))
        })
        .collect();
    let index = std::fs::read_to_string("docs/rules/README.md").unwrap();
    let documented: std::collections::BTreeSet<(String, String, String, String)> = index
        .lines()
        .filter(|l| l.starts_with("| ["))
        .map(|l| {
            let c: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            let id = c[0].trim_start_matches('[').split(']').next().unwrap();
            (id.into(), c[1].into(), c[2].into(), c[3].into())
        })
        .collect();
    let missing: Vec<_> = listed.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&listed).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "docs/rules/README.md is out of date.\nnot in the index (or different): {missing:#?}\nonly in the index: {stale:#?}"
    );
}

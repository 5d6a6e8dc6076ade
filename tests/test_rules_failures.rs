//! `report-lint test-rules` fails (exit status 1, a diff per failing case) on
//! every kind of wrong expectation, with the built-in rules: a finding that is
//! not listed, a listed finding that does not happen, a malformed `.expect`.

mod common;
use common::{run, stdout};
use std::path::{Path, PathBuf};

/// A built-in fixture with cell-value at line 23 (and other rules' findings).
const FIXTURE: &str = "fixtures/rules/cell-value/fire-003-negative-fee.txt";

/// The fixture's own (right) expectation, kept in step with the rules by the
/// project's rule-fixture tests.
fn right() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURE)
        .with_extension("expect");
    let text = std::fs::read_to_string(p).unwrap();
    assert!(text.lines().any(|l| l == "23 cell-value"), "{text}");
    text
}

/// A folder of cases: (name, expectation), each a copy of the fixture.
fn cases(tag: &str, cases: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-trf-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap();
    for (name, expect) in cases {
        std::fs::write(dir.join(format!("{name}.txt")), &text).unwrap();
        std::fs::write(dir.join(format!("{name}.expect")), expect).unwrap();
    }
    dir
}

fn test_rules(dir: &Path) -> (Option<i32>, String) {
    let o = run(&["test-rules", "--no-config", dir.to_str().unwrap()]);
    (o.status.code(), stdout(&o))
}

#[test]
fn the_right_expectation_passes() {
    let dir = cases("ok", &[("case", &right())]);
    let (code, out) = test_rules(&dir);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 passed, 0 failed"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unlisted_finding_fails() {
    let dir = cases(
        "extra",
        &[
            ("good", &right()),
            ("bad", &right().replace("23 cell-value\n", "")),
        ],
    );
    let (code, out) = test_rules(&dir);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAIL  ") && out.contains("bad.txt"), "{out}");
    assert!(out.contains("ok    ") && out.contains("good.txt"), "{out}");
    assert!(out.contains("+ 23 cell-value"), "{out}");
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_listed_finding_that_does_not_happen_fails() {
    let dir = cases(
        "missing",
        &[("case", &format!("{}30 t3-balance\n", right()))],
    );
    let (code, out) = test_rules(&dir);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("- 30 t3-balance"), "{out}");
    assert!(
        !out.contains("+ "),
        "only the missing finding differs: {out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn only_limits_the_comparison_but_still_fails_on_a_wrong_line() {
    let dir = cases(
        "only",
        &[
            ("right", "only: cell-value\n23 cell-value\n"),
            ("wrong", "only: cell-value\n22 cell-value\n"),
        ],
    );
    let (code, out) = test_rules(&dir);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("- 22 cell-value") && out.contains("+ 23 cell-value"),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_malformed_expectation_fails_and_says_why() {
    let dir = cases("malformed", &[("case", "23 cell-value extra\n")]);
    let (code, out) = test_rules(&dir);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("! ") && out.contains("case.expect"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_misspelt_rule_id_in_only_fails() {
    // `only: cell-valu` would otherwise compare no rule at all and pass.
    let dir = cases("typo", &[("case", "only: cell-valu\n")]);
    let (code, out) = test_rules(&dir);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("FAIL  ") && out.contains("没有名为 cell-valu 的规则"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

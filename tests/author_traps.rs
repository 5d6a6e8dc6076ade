//! The traps a rule author falls into, each caught: a misspelt table, row or
//! column key is a rule error naming it and the valid keys; a rule without
//! `META.reference` does not load; `test-rules` warns about a rule without
//! a firing or a quiet case; `explain` of an unknown rule says where rules
//! were looked for; `rules --family` and `rules --search` find a built-in
//! rule before one writes a duplicate of it.

mod common;
use common::{run, stderr, stdout};
use std::path::PathBuf;

/// A folder holding `files` (name, contents), fresh for each test tag.
fn folder(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-traps-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn rule(id: &str, body: &str) -> String {
    format!(
        "const META = #{{ id: \"{id}\", severity: \"warning\", family: \"content\", summary: \"s\", reference: \"r\" }};\nfn check(report) {{\n{body}\n}}\n"
    )
}

fn check_with(dir: &std::path::Path) -> (Option<i32>, String) {
    let o = run(&[
        "check",
        "--no-config",
        "--rules",
        dir.to_str().unwrap(),
        "fixtures/seeds/000.txt",
    ]);
    (o.status.code(), stdout(&o) + &stderr(&o))
}

#[test]
fn an_unknown_column_key_is_a_rule_error_listing_the_valid_ones() {
    let dir = folder(
        "col",
        &[(
            "wrong-col.rhai",
            &rule(
                "wrong-col",
                "let t = report.table(\"t3\");\nlet c = t.cell(\"new\", \"合计\");\n[]",
            ),
        )],
    );
    let (code, out) = check_with(&dir);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("“合计”") && out.contains("total"), "{out}");
    assert!(!out.contains("getter is not registered"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unknown_row_and_table_keys_are_rule_errors() {
    let dir = folder(
        "row",
        &[
            (
                "wrong-row.rhai",
                &rule(
                    "wrong-row",
                    "let r = report.table(\"t3\").row(\"neww\");\n[]",
                ),
            ),
            (
                "wrong-table.rhai",
                &rule("wrong-table", "let t = report.table(\"table3\");\n[]"),
            ),
        ],
    );
    let (code, out) = check_with(&dir);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("“neww”") && out.contains("carried_in"),
        "{out}"
    );
    assert!(
        out.contains("“table3”") && out.contains("t2、t3、t4"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_known_key_of_an_absent_row_is_still_unit() {
    // A row the format has but this report lacks: `()`, no error.
    let dir = folder(
        "absent",
        &[(
            "absent-ok.rhai",
            &rule(
                "absent-ok",
                "let t = report.table(\"t3\");\nif t != () && t.row(\"r6_2_fee_unpaid\") == () { return []; }\n[]",
            ),
        )],
    );
    let (code, out) = check_with(&dir);
    assert!(!out.contains("absent-ok 出错"), "{out}");
    assert_ne!(code, Some(2), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_rule_without_a_reference_does_not_load() {
    let dir = folder(
        "ref",
        &[(
            "no-ref.rhai",
            "const META = #{ id: \"no-ref\", severity: \"note\", family: \"content\", summary: \"s\" };\nfn check(report) { [] }\n",
        )],
    );
    let o = run(&["rules", "--no-config", "--rules", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("META.reference"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn test_rules_warns_about_a_rule_without_cases() {
    let dir = folder(
        "cov",
        &[
            ("untested.rhai", &rule("untested", "[]")),
            ("quiet-only.rhai", &rule("quiet-only", "[]")),
            ("quiet-a.txt", "一、总体情况\n"),
            ("quiet-a.expect", "only: quiet-only\n"),
        ],
    );
    let o = run(&["test-rules", "--no-config", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(
        out.contains("warning: 规则 untested") && out.contains("fire-*") && out.contains("quiet-*"),
        "{out}"
    );
    assert!(
        out.contains("warning: 规则 quiet-only") && out.contains("fire-*"),
        "{out}"
    );
    let quiet_line = out.lines().find(|l| l.contains("规则 quiet-only")).unwrap();
    assert!(!quiet_line.contains("quiet-*"), "{quiet_line}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explain_of_an_unknown_rule_says_where_rules_were_looked_for() {
    let o = run(&["explain", "--no-config", "my-rule"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("内置规则") && err.contains("--rules DIR"),
        "{err}"
    );
    let o = run(&[
        "explain",
        "--no-config",
        "--rules",
        "fixtures/tutorial/my-rules",
        "my-rule",
    ]);
    let err = stderr(&o);
    assert!(err.contains("fixtures/tutorial/my-rules"), "{err}");
}

#[test]
fn rules_can_be_listed_by_family_and_found_by_a_word() {
    let o = run(&["rules", "--no-config", "--search", "未收到"]);
    let out = stdout(&o);
    assert!(out.contains("nvt-none-vs-table"), "{out}");
    assert!(!out.contains("t3-balance"), "{out}");
    let o = run(&["rules", "--no-config", "--family", "dates"]);
    let out = stdout(&o);
    assert!(
        out.contains("date-invalid") && !out.contains("t3-balance"),
        "{out}"
    );
    let o = run(&["rules", "--no-config", "--family", "nosuch"]);
    assert_eq!(o.status.code(), Some(2));
}

//! The five seeds get exactly the diagnostics the spec's seed audit (§11.3)
//! lists for the implemented rules: snapshot tests of the human and JSON output.

mod common;
use common::{assert_snapshot, run, stdout};
use std::path::Path;

const SEEDS: [&str; 5] = ["000", "001", "002", "003", "004"];

#[test]
fn human_output_snapshots() {
    for s in SEEDS {
        let o = run(&[
            "check",
            "--no-config",
            "--color",
            "never",
            &format!("fixtures/seeds/{s}.txt"),
        ]);
        assert_snapshot(Path::new(&format!("fixtures/seeds/{s}.human")), &stdout(&o));
    }
}

#[test]
fn json_output_snapshots() {
    for s in SEEDS {
        let o = run(&[
            "check",
            "--no-config",
            "--format",
            "json",
            &format!("fixtures/seeds/{s}.txt"),
        ]);
        assert_snapshot(Path::new(&format!("fixtures/seeds/{s}.json")), &stdout(&o));
    }
}

/// §11.3 of the format spec: every seed gets exactly the findings listed there
/// (default levels, opt-in rules excluded).
#[test]
fn seed_audit() {
    let expected: [(&str, &[&str]); 5] = [
        (
            "000",
            &[
                "heading-whitespace",
                "nvt-review-unmentioned",
                "stats-period-missing",
            ],
        ),
        (
            "001",
            &[
                "fee-statement-missing",
                "government-accountability",
                "nvt-review-unmentioned",
                "section-heading-missing",
                "section-heading-missing",
                "section-heading-text",
                "section-heading-text",
                "stats-period-missing",
            ],
        ),
        (
            "002",
            &[
                "heading-whitespace",
                "percent-change-implausible",
                "web-residue",
            ],
        ),
        ("003", &["breakdown-sum", "duplicated-organ-char"]),
        (
            "004",
            &[
                "empty-table-rows",
                "section-numbering",
                "section-numbering",
                "subsection-numbering",
                "word-artifact",
            ],
        ),
    ];
    for (seed, rules) in expected {
        let o = run(&[
            "check",
            "--no-config",
            "--format",
            "json",
            &format!("fixtures/seeds/{seed}.txt"),
        ]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let mut got: Vec<String> = v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        got.sort();
        assert_eq!(got, rules, "seed {seed}");
    }
}

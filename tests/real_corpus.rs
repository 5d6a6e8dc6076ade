//! Every real report of the corpus (fixtures/corpus, copied from ../shared/corpus/raw with its
//! INDEX.tsv and the reviewer's notes) checked as one batch, every finding compared with the
//! snapshot fixtures/corpus/expected-findings.tsv, so any change on real reports shows in review.
//! `BLESS=1 cargo test --test real_corpus` rewrites the snapshot after a reviewed change;
//! docs/corpus-evaluation.md says which findings are real and why.

use std::path::Path;
use std::process::Command;

/// One line per finding: file, severity, rule, line, message.
fn findings(dir: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_report-lint"))
        .args(["check", "--no-config", "--format", "json"])
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run report-lint");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    assert!(v["rule_errors"].as_array().unwrap().is_empty(), "{v}");
    let mut out = String::new();
    for f in v["files"].as_array().unwrap() {
        let name = f["path"]
            .as_str()
            .unwrap()
            .rsplit(['/', '\\'])
            .next()
            .unwrap();
        if let Some(e) = f.get("error").and_then(|e| e.as_str()) {
            out.push_str(&format!("{name}\tunreadable\t{e}\n"));
        }
        for d in f["diagnostics"].as_array().unwrap() {
            out.push_str(&format!(
                "{name}\t{}\t{}\t{}\t{}\n",
                d["severity"].as_str().unwrap(),
                d["rule"].as_str().unwrap(),
                d["line"],
                d["message"].as_str().unwrap()
            ));
        }
    }
    out
}

#[test]
fn every_real_report_gets_exactly_its_reviewed_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let reports = root.join("raw");
    let got = findings(&reports);
    let snapshot = root.join("expected-findings.tsv");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&snapshot, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&snapshot).expect("fixtures/corpus/expected-findings.tsv");
    if got != want {
        let g: Vec<&str> = got.lines().collect();
        let w: Vec<&str> = want.lines().collect();
        let added: Vec<&&str> = g.iter().filter(|l| !w.contains(l)).collect();
        let gone: Vec<&&str> = w.iter().filter(|l| !g.contains(l)).collect();
        panic!(
            "findings on the real corpus changed (review them, then BLESS=1):\n+ {}\n- {}",
            added
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("\n+ "),
            gone.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("\n- ")
        );
    }
}

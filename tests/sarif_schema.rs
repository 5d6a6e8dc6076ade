//! SARIF output validated against the official SARIF 2.1.0 JSON schema
//! (fixtures/schemas/sarif-schema-2.1.0.json, OASIS; see fixtures/schemas/README.md),
//! formats included: the snapshots and live runs, with findings, unreadable
//! files, configured levels and a baseline (suppressed results, unused entries).

mod common;
use common::{run, stdout, temp_config};
use serde_json::Value;
use std::path::Path;

fn validator() -> jsonschema::Validator {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Every schema violation, one a line with where it is.
fn violations(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| {
            format!(
                "{} (at {}, schema {})",
                e,
                e.instance_path(),
                e.schema_path()
            )
        })
        .collect()
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors = violations(v, doc);
    assert!(
        errors.is_empty(),
        "{what} is not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

fn sarif(args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let o = run(&all);
    let doc = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(&o)));
    (doc, o.status.code())
}

#[test]
fn snapshots_are_valid() {
    let v = validator();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/outputs");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "sarif") {
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            assert_valid(&v, &doc, &p.display().to_string());
            n += 1;
        }
    }
    assert!(n >= 2, "SARIF snapshots found: {n}");
}

#[test]
fn live_runs_are_valid() {
    let v = validator();
    // Findings on every seed, related locations, notes and help.
    let (doc, code) = sarif(&["--no-config", "fixtures/seeds"]);
    assert_eq!(code, Some(1));
    assert!(!doc["runs"][0]["results"].as_array().unwrap().is_empty());
    assert_valid(&v, &doc, "check fixtures/seeds");

    // A missing path and an unreadable file: tool execution notifications.
    let (doc, code) = sarif(&[
        "--no-config",
        "fixtures/inputs/binary.bin",
        "no/such/报告.txt",
    ]);
    assert_eq!(code, Some(2));
    assert!(doc["runs"][0]["invocations"][0]["toolExecutionNotifications"].is_array());
    assert_valid(&v, &doc, "unreadable files");

    // Configured levels: ruleConfigurationOverrides (a level and "off").
    let cfg = temp_config(
        "schema-cfg",
        "[rules]\nheading-whitespace = \"off\"\nsection-numbering = \"error\"\n",
    );
    let (doc, _) = sarif(&["--config", cfg.to_str().unwrap(), "fixtures/seeds/001.txt"]);
    assert!(doc["runs"][0]["invocations"][0]["ruleConfigurationOverrides"].is_array());
    assert_valid(&v, &doc, "configured levels");
}

#[test]
fn baseline_runs_are_valid() {
    let v = validator();
    let dir = std::env::temp_dir().join(format!("rl-schema-bl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("报告.txt");
    let text = std::fs::read_to_string("fixtures/seeds/001.txt").unwrap();
    std::fs::write(&report, &text).unwrap();
    let bl = dir.join("baseline.json");
    let o = run(&[
        "baseline",
        "--no-config",
        "-o",
        bl.to_str().unwrap(),
        report.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Another, unrelated entry that matches nothing: reported unused.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&bl).unwrap()).unwrap();
    let mut extra = doc["entries"][0].clone();
    extra["fingerprint"] = "0123456789abcdef".into();
    doc["entries"].as_array_mut().unwrap().push(extra);
    std::fs::write(&bl, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let (doc, code) = sarif(&[
        "--no-config",
        "--baseline",
        bl.to_str().unwrap(),
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results
        .iter()
        .all(|r| r["suppressions"][0]["kind"] == "external"));
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes
        .iter()
        .any(|n| n["descriptor"]["id"] == "baseline-unused"));
    assert_valid(&v, &doc, "a run with a baseline");
    std::fs::remove_dir_all(&dir).ok();
}

/// The validator is not vacuous: a wrong level, a missing message and a
/// relative helpUri are all caught.
#[test]
fn the_schema_catches_mistakes() {
    let v = validator();
    let (doc, _) = sarif(&["--no-config", "fixtures/seeds/001.txt"]);
    assert_valid(&v, &doc, "check 001");

    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!violations(&v, &bad).is_empty(), "level fatal");

    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!violations(&v, &bad).is_empty(), "no message");

    let mut bad = doc.clone();
    bad["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules/x.md".into();
    assert!(!violations(&v, &bad).is_empty(), "relative helpUri");

    let mut bad = doc;
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!violations(&v, &bad).is_empty(), "line 0");
}

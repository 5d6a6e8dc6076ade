//! Baselines (docs/baseline.md): `report-lint baseline` writes the findings,
//! `check --baseline` suppresses them. The round trip: edits elsewhere in the
//! report keep a finding suppressed, a changed cell brings it back, a removed
//! problem leaves its entry unused; and a corrupt baseline is a clear error.

mod common;
use common::{run_in, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The report the tests edit: a negative fee (cell-value, line 23), a
/// breakdown that does not add up (line 4) and “镇镇” (line 6).
const FIXTURE: &str = "fixtures/rules/cell-value/fire-003-negative-fee.txt";

/// A fresh folder for one test, holding `report.txt` (the fixture).
fn workdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-bl-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap();
    std::fs::write(dir.join("report.txt"), text).unwrap();
    dir
}

/// `check --format json` with the baseline, parsed, and the exit status.
fn check_json(dir: &Path, extra: &[&str]) -> (Value, Option<i32>) {
    let mut args = vec![
        "check",
        "--no-config",
        "--format",
        "json",
        "--baseline",
        "bl.json",
    ];
    args.extend_from_slice(extra);
    args.push("report.txt");
    let o = run_in(dir, &args);
    let v = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(&o), stderr(&o)));
    (v, o.status.code())
}

/// Rule ids of the findings reported (not suppressed) on the file.
fn reported(v: &Value) -> Vec<String> {
    v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

fn edit(dir: &Path, f: impl FnOnce(&str) -> String) {
    let p = dir.join("report.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    let new = f(&text);
    assert_ne!(new, text, "the edit changed nothing");
    std::fs::write(&p, new).unwrap();
}

fn write_baseline(dir: &Path) -> Value {
    let o = run_in(
        dir,
        &["baseline", "--no-config", "-o", "bl.json", "report.txt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("bl.json"), "{}", stdout(&o));
    serde_json::from_str(&std::fs::read_to_string(dir.join("bl.json")).unwrap()).unwrap()
}

#[test]
fn round_trip() {
    let dir = workdir("rt");
    let before = run_in(&dir, &["check", "--no-config", "report.txt"]);
    assert_eq!(before.status.code(), Some(1));

    let bl = write_baseline(&dir);
    assert_eq!(bl["version"], 1);
    let entries = bl["entries"].as_array().unwrap();
    let mut rules: Vec<&str> = entries
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        ["breakdown-sum", "cell-value", "duplicated-organ-char"]
    );
    for e in entries {
        assert_eq!(e["file"], "report.txt", "relative to the baseline file");
        assert_eq!(e["count"], 1);
        assert_eq!(e["fingerprint"].as_str().unwrap().len(), 16);
    }

    // Unchanged: everything suppressed, the run passes.
    let (v, code) = check_json(&dir, &[]);
    assert_eq!(code, Some(0));
    assert!(reported(&v).is_empty(), "{v}");
    assert_eq!(v["baseline"]["suppressed"], 3);
    assert_eq!(v["baseline"]["unused"].as_array().unwrap().len(), 0);
    assert_eq!(v["summary"]["errors"], 0);

    // Edits elsewhere: lines inserted before every finding, an unrelated
    // sentence reworded. Still suppressed, though every finding moved.
    edit(&dir, |t| {
        let t = t.replacen("一、总体情况\n", "\n\n一、总体情况\n\n", 1);
        t.replacen("强化主动公开,不断提质增量", "强化主动公开,持续提质增量", 1)
    });
    let o = run_in(
        &dir,
        &["check", "--no-config", "--format", "json", "report.txt"],
    );
    let plain: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cell = plain["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "cell-value")
        .expect("cell-value still fires without the baseline");
    assert_eq!(cell["line"], 26, "the finding moved down three lines");
    let (v, code) = check_json(&dir, &[]);
    assert_eq!(code, Some(0), "{v}");
    assert!(reported(&v).is_empty(), "{v}");
    assert_eq!(v["baseline"]["suppressed"], 3);

    // The offending cell changes: reported again, and its old entry is unused.
    edit(&dir, |t| {
        t.replacen("行政事业性收费 | -2.5 |", "行政事业性收费 | -3.5 |", 1)
    });
    let (v, code) = check_json(&dir, &[]);
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(reported(&v), ["cell-value"]);
    assert_eq!(v["baseline"]["suppressed"], 2);
    let unused = v["baseline"]["unused"].as_array().unwrap();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["rule"], "cell-value");

    // The problem is fixed: nothing reported, the entry is reported unused.
    edit(&dir, |t| {
        t.replacen("行政事业性收费 | -3.5 |", "行政事业性收费 | 2.5 |", 1)
    });
    let (v, code) = check_json(&dir, &[]);
    assert_eq!(code, Some(0), "unused entries do not fail by default: {v}");
    assert!(reported(&v).is_empty(), "{v}");
    let unused = v["baseline"]["unused"].as_array().unwrap();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["file"], "report.txt");
    assert_eq!(unused[0]["rule"], "cell-value");
    assert_eq!(unused[0]["count"], 1);

    // The human output says so, and how many findings the baseline suppressed.
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--baseline",
            "bl.json",
            "report.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("note[baseline-unused]"), "{out}");
    assert!(out.contains("report.txt · cell-value"), "{out}");
    assert!(
        out.contains("基线 bl.json：抑制了 2 个已知问题，1 个记录的问题已不存在"),
        "{out}"
    );

    // Formats without a place for it put the note on stderr.
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--baseline",
            "bl.json",
            "--format",
            "csv",
            "report.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("baseline-unused"), "{}", stderr(&o));

    // --strict-baseline makes an unused entry fail the run.
    let (v, code) = check_json(&dir, &["--strict-baseline"]);
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["baseline"]["strict"], true);

    // A new baseline drops the fixed problem.
    let bl = write_baseline(&dir);
    assert_eq!(bl["entries"].as_array().unwrap().len(), 2);
    let (_, code) = check_json(&dir, &["--strict-baseline"]);
    assert_eq!(code, Some(0));
    std::fs::remove_dir_all(&dir).ok();
}

/// The same finding twice on identical lines: one entry with a count; fixing
/// one of them leaves one match unused.
#[test]
fn repeated_fingerprints_are_counted() {
    let dir = workdir("count");
    let line6 = std::fs::read_to_string(dir.join("report.txt"))
        .unwrap()
        .lines()
        .nth(5)
        .unwrap()
        .to_string();
    assert!(line6.contains("镇镇"));
    edit(&dir, |t| {
        t.replacen(&format!("{line6}\n"), &format!("{line6}\n{line6}\n"), 1)
    });
    let bl = write_baseline(&dir);
    let dup: Vec<&Value> = bl["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["rule"] == "duplicated-organ-char")
        .collect();
    assert_eq!(dup.len(), 1, "{bl}");
    assert_eq!(dup[0]["count"], 2);

    let (v, code) = check_json(&dir, &[]);
    assert_eq!(code, Some(0), "{v}");
    assert!(reported(&v).is_empty());

    // A third copy is new: one finding reported, two suppressed.
    edit(&dir, |t| {
        t.replacen(&format!("{line6}\n"), &format!("{line6}\n{line6}\n"), 1)
    });
    let (v, _) = check_json(&dir, &[]);
    assert_eq!(reported(&v), ["duplicated-organ-char"]);

    // Back to one copy: one of the two matches is unused.
    edit(&dir, |t| {
        t.replacen(
            &format!("{line6}\n{line6}\n{line6}\n"),
            &format!("{line6}\n"),
            1,
        )
    });
    let (v, _) = check_json(&dir, &[]);
    assert!(reported(&v).is_empty());
    // (The copy also had a second “(三)”, which subsection-numbering flagged:
    // that entry is unused now too.)
    let unused: Vec<&Value> = v["baseline"]["unused"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["rule"] == "duplicated-organ-char")
        .collect();
    assert_eq!(unused.len(), 1, "{v}");
    assert_eq!(unused[0]["count"], 1);
    std::fs::remove_dir_all(&dir).ok();
}

/// Paths are relative to the baseline file: the folder can move.
#[test]
fn baseline_moves_with_its_folder() {
    let dir = workdir("move");
    write_baseline(&dir);
    let moved = dir.with_file_name(format!(
        "{}-moved",
        dir.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&moved);
    std::fs::rename(&dir, &moved).unwrap();
    // Run from elsewhere, naming both files by absolute path.
    let bl = moved.join("bl.json");
    let report = moved.join("report.txt");
    let o = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "check",
            "--no-config",
            "--baseline",
            bl.to_str().unwrap(),
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("抑制了 3 个已知问题"), "{}", stdout(&o));
    std::fs::remove_dir_all(&moved).ok();
}

/// A deleted report: its entries are unused. An existing report that was not
/// checked in this run is not judged.
#[test]
fn entries_of_reports_not_checked() {
    let dir = workdir("other");
    std::fs::copy(dir.join("report.txt"), dir.join("second.txt")).unwrap();
    let o = run_in(
        &dir,
        &[
            "baseline",
            "--no-config",
            "-o",
            "bl.json",
            "report.txt",
            "second.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (v, code) = check_json(&dir, &[]);
    assert_eq!(code, Some(0));
    assert!(
        v["baseline"]["unused"].as_array().unwrap().is_empty(),
        "{v}"
    );
    std::fs::remove_file(dir.join("second.txt")).unwrap();
    let (v, _) = check_json(&dir, &[]);
    let unused = v["baseline"]["unused"].as_array().unwrap();
    assert_eq!(unused.len(), 3, "{v}");
    assert!(unused.iter().all(|u| u["file"] == "second.txt"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn corrupt_or_missing_baseline_is_a_clear_error() {
    let dir = workdir("corrupt");
    std::fs::write(dir.join("bl.json"), "{\"version\": 1, \"entries\": [").unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--baseline",
            "bl.json",
            "report.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bl.json: 基线文件无效"), "{err}");
    assert!(stdout(&o).is_empty(), "no findings printed: {}", stdout(&o));

    std::fs::write(
        dir.join("bl.json"),
        r#"{"version": 1, "entries": [{"file": "report.txt", "rule": "cell-value", "fingerprint": "nothex"}]}"#,
    )
    .unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--baseline",
            "bl.json",
            "report.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fingerprint"), "{}", stderr(&o));

    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--baseline",
            "nope.json",
            "report.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope.json: 基线文件不存在"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `baseline = "FILE"` in report-lint.toml: `baseline` writes there, `check`
/// uses it, `--no-baseline` ignores it.
#[test]
fn baseline_from_the_configuration() {
    let dir = workdir("cfg");
    // The folder `gate/` does not exist yet: `baseline` creates it.
    std::fs::write(
        dir.join("report-lint.toml"),
        "baseline = \"gate/accepted.json\"\n",
    )
    .unwrap();
    let o = run_in(&dir, &["baseline", "report.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("gate/accepted.json").is_file());
    let bl: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("gate/accepted.json")).unwrap())
            .unwrap();
    assert_eq!(bl["entries"][0]["file"], "../report.txt");

    let o = run_in(&dir, &["check", "report.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("抑制了 3 个已知问题"));
    let o = run_in(&dir, &["check", "--no-baseline", "report.txt"]);
    assert_eq!(o.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

/// SARIF keeps suppressed findings as suppressed results; the exit status
/// ignores them. The other formats leave them out.
#[test]
fn formats_and_suppressed_findings() {
    let dir = workdir("fmt");
    let bl = write_baseline(&dir);
    let mut fingerprints: Vec<&str> = bl["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    for format in ["github", "junit", "csv"] {
        let o = run_in(
            &dir,
            &[
                "check",
                "--no-config",
                "--baseline",
                "bl.json",
                "--format",
                format,
                "report.txt",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{format}");
        let out = stdout(&o);
        match format {
            // A test case per rule, none failing.
            "junit" => assert!(out.contains("failures=\"0\" errors=\"0\""), "{out}"),
            _ => assert!(!out.contains("cell-value"), "{format}: {out}"),
        }
    }
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--baseline",
            "bl.json",
            "--format",
            "sarif",
            "report.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(results
        .iter()
        .all(|r| r["suppressions"][0]["kind"] == "external"));
    std::fs::remove_dir_all(&dir).ok();
}

//! What a run checks and shows: a folder with upper-case extensions and
//! files report-lint cannot read (each checked or named with a reason),
//! `--select` / `--ignore` / `--quiet`, and accepting findings with a reason
//! (`[[ignore]]` in report-lint.toml, unused ones reported).

mod common;
use common::{run, run_in, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn manifest(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn fresh(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-sel-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `ext2/`: A.DOCX, B.PDF, c.HTM, d.docx, e.SHTML, and a .doc, a .wps, an
/// .xlsx, an image, a text file with another extension, a hidden file.
fn mixed_folder(tag: &str) -> PathBuf {
    let dir = fresh(tag).join("ext2");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = |from: &str, to: &str| std::fs::copy(manifest(from), dir.join(to)).unwrap();
    copy("fixtures/inputs/docx/seed-000.docx", "A.DOCX");
    copy("fixtures/inputs/pdf/001.pdf", "B.PDF");
    copy("fixtures/inputs/html/seed-000.html", "c.HTM");
    copy("fixtures/inputs/docx/seed-003.docx", "d.docx");
    copy("fixtures/inputs/html/seed-002.html", "e.SHTML");
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
    std::fs::write(dir.join("old.doc"), ole).unwrap();
    std::fs::write(dir.join("draft.wps"), ole).unwrap();
    std::fs::write(
        dir.join("tables.xlsx"),
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    )
    .unwrap();
    std::fs::write(dir.join("scan.PNG"), b"\x89PNG\r\n\x1a\n\0\0\0\0").unwrap();
    std::fs::write(dir.join("notes.log"), "一、总体情况\n").unwrap();
    std::fs::write(dir.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    dir
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn a_folder_checks_every_supported_file_and_names_the_skipped_ones() {
    let dir = mixed_folder("folder");
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    let v = json(&o);
    let checked: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            Path::new(f["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        checked,
        ["A.DOCX", "B.PDF", "c.HTM", "d.docx", "e.SHTML"],
        "{v}"
    );
    let skipped: Vec<(String, String)> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                Path::new(s["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let names: Vec<&str> = skipped.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "draft.wps",
            "notes.log",
            "old.doc",
            "scan.PNG",
            "tables.xlsx"
        ],
        "{v}"
    );
    let reason = |n: &str| skipped.iter().find(|(x, _)| x == n).unwrap().1.clone();
    assert!(reason("old.doc").contains("Word 97-2003") && reason("old.doc").contains("DOCX"));
    assert!(reason("draft.wps").contains("WPS"));
    assert!(reason("tables.xlsx").contains("电子表格"));
    assert!(reason("scan.PNG").contains("图片"));
    assert!(reason("notes.log").contains(".log"));

    // The human summary lists them too.
    let o = run(&["check", "--no-config", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("跳过 5 个文件："), "{out}");
    assert!(
        out.contains("old.doc（Word 97-2003 格式，请另存为 DOCX）"),
        "{out}"
    );
    std::fs::remove_dir_all(dir.parent().unwrap()).ok();
}

#[test]
fn a_file_named_on_the_command_line_gets_a_clear_reason() {
    let dir = mixed_folder("named");
    for (name, words) in [
        ("draft.wps", "WPS"),
        ("scan.PNG", "图片"),
        ("tables.xlsx", "电子表格"),
    ] {
        let o = run(&["check", "--no-config", dir.join(name).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        let out = stdout(&o);
        assert!(out.contains(name) && out.contains(words), "{out}");
    }
    std::fs::remove_dir_all(dir.parent().unwrap()).ok();
}

#[test]
fn an_include_that_drops_formats_says_so() {
    let dir = mixed_folder("include");
    let root = dir.parent().unwrap();
    std::fs::write(
        root.join("report-lint.toml"),
        "include = [\"*.txt\", \"*.md\"]\n",
    )
    .unwrap();
    let o = run_in(root, &["check", "ext2"]);
    let out = stdout(&o);
    assert!(out.contains("检查了 0 个文件"), "{out}");
    assert!(
        out.contains("A.DOCX（不在配置文件的 include = [\"*.txt\", \"*.md\"] 之内）"),
        "{out}"
    );
    std::fs::remove_dir_all(root).ok();
}

fn rules_of(o: &std::process::Output) -> Vec<String> {
    let v = json(o);
    let mut ids: Vec<String> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn select_and_ignore_choose_rules_by_id_or_family() {
    let seed = "fixtures/seeds/001.txt";
    let all = rules_of(&run(&["check", "--no-config", "--format", "json", seed]));
    assert!(
        all.contains(&"section-heading-missing".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"government-accountability".to_string()),
        "{all:?}"
    );

    let only = rules_of(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--select",
        "structure",
        seed,
    ]));
    assert!(!only.is_empty());
    assert!(
        !only.contains(&"government-accountability".to_string()),
        "{only:?}"
    );
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--select",
        "structure,government-accountability",
        "--ignore",
        "section-heading-missing",
        seed,
    ]);
    let some = rules_of(&o);
    assert!(
        some.contains(&"government-accountability".to_string()),
        "{some:?}"
    );
    assert!(
        !some.contains(&"section-heading-missing".to_string()),
        "{some:?}"
    );

    // An opt-in rule runs when selected by name.
    let o = run(&["rules", "--no-config"]);
    let opt_in = stdout(&o)
        .lines()
        .find(|l| l.split_whitespace().nth(2) == Some("off"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .expect("an opt-in rule");
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--select",
        &opt_in,
        seed,
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));

    let o = run(&["check", "--no-config", "--select", "no-such-rule", seed]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-rule"), "{}", stderr(&o));
}

#[test]
fn quiet_shows_only_errors() {
    let seed = "fixtures/seeds/001.txt";
    let v = json(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "-q",
        seed,
    ]));
    let sev: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert!(
        !sev.is_empty() && sev.iter().all(|s| *s == "error"),
        "{sev:?}"
    );
    let v = json(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--min-level",
        "warning",
        seed,
    ]));
    assert!(v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["severity"] != "note"));
    assert!(v["summary"]["warnings"].as_u64().unwrap() > 0);
    assert_eq!(v["summary"]["notes"], 0);
}

#[test]
fn ignores_accept_findings_with_a_reason_and_unused_ones_are_reported() {
    let dir = fresh("ignore");
    std::fs::copy(manifest("fixtures/seeds/001.txt"), dir.join("a.txt")).unwrap();
    // The fingerprint of one finding, from the JSON output.
    let v = json(&run_in(
        &dir,
        &["check", "--no-config", "--format", "json", "a.txt"],
    ));
    let diags = v["files"][0]["diagnostics"].as_array().unwrap().clone();
    let one = diags
        .iter()
        .find(|d| d["rule"] == "section-heading-missing")
        .expect("a section-heading-missing finding");
    let fp = one["fingerprint"].as_str().unwrap();
    let same_rule = diags
        .iter()
        .filter(|d| d["rule"] == "section-heading-missing")
        .count();
    std::fs::write(
        dir.join("report-lint.toml"),
        format!(
            "[[ignore]]\nfiles = [\"a.txt\"]\nrule = \"section-heading-missing\"\nfingerprint = \"{fp}\"\nreason = \"标题在图片中\"\n\n\
             [[ignore]]\nfiles = [\"*.txt\"]\nrule = \"government-accountability\"\nreason = \"本机关无复议诉讼\"\n\n\
             [[ignore]]\nfiles = [\"gone/*.txt\"]\nrule = \"t3-balance\"\nreason = \"旧报告\"\n"
        ),
    )
    .unwrap();
    let o = run_in(&dir, &["check", "--format", "json", "a.txt"]);
    let v = json(&o);
    let after = v["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(
        after
            .iter()
            .filter(|d| d["rule"] == "section-heading-missing")
            .count(),
        same_rule - 1
    );
    assert!(!after.iter().any(|d| d["fingerprint"] == fp));
    assert!(!after
        .iter()
        .any(|d| d["rule"] == "government-accountability"));
    let unused = v["unused_ignores"].as_array().unwrap();
    assert_eq!(unused.len(), 1, "{v}");
    assert_eq!(unused[0]["rule"], "t3-balance");
    assert_eq!(unused[0]["line"], 12);
    assert_eq!(unused[0]["reason"], "旧报告");
    let o = run_in(&dir, &["check", "a.txt"]);
    assert!(stdout(&o).contains("note[ignore-unused]"), "{}", stdout(&o));

    // The reason is required.
    std::fs::write(
        dir.join("report-lint.toml"),
        "[[ignore]]\nfiles = [\"a.txt\"]\nrule = \"t3-balance\"\n",
    )
    .unwrap();
    let o = run_in(&dir, &["check", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(":1:") && stderr(&o).contains("reason"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn baseline_reasons_are_kept_when_it_is_rewritten() {
    let dir = fresh("reason");
    std::fs::copy(manifest("fixtures/seeds/001.txt"), dir.join("a.txt")).unwrap();
    let o = run_in(&dir, &["baseline", "--no-config", "-o", "b.json", "a.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("b.json")).unwrap()).unwrap();
    doc["entries"][0]["reason"] = "已核实".into();
    std::fs::write(
        dir.join("b.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();
    let o = run_in(&dir, &["baseline", "--no-config", "-o", "b.json", "a.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let again: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("b.json")).unwrap()).unwrap();
    assert_eq!(again["entries"][0]["reason"], "已核实");
    // An unused entry shows its reason.
    std::fs::write(dir.join("a.txt"), "一、总体情况\n").unwrap();
    let o = run_in(
        &dir,
        &["check", "--no-config", "--baseline", "b.json", "a.txt"],
    );
    assert!(stdout(&o).contains("理由：已核实"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_output_file_is_neither_checked_nor_listed_as_skipped() {
    let dir = mixed_folder("output");
    let out = dir.join("findings.json");
    for _ in 0..2 {
        run(&[
            "check",
            "--no-config",
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
            dir.to_str().unwrap(),
        ]);
    }
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let listed = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["skipped"].as_array().unwrap())
        .any(|f| f["path"].as_str().unwrap().ends_with("findings.json"));
    assert!(!listed, "{v}");
    std::fs::remove_dir_all(dir.parent().unwrap()).ok();
}

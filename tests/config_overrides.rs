//! Per-path rule levels: `[[overrides]]` in report-lint.toml, matched against
//! the checked path relative to the config file; later overrides win; wrong
//! keys, rule ids, levels and globs are errors naming the line.

mod common;
use common::{run_in, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Seed 001: stats-period-missing (note), fee-statement-missing (warning),
/// section-heading-missing (error) and others.
const SEED: &str = "fixtures/seeds/001.txt";

const REPORTS: [&str; 3] = ["乡镇/a.txt", "街道/某街道办事处.txt", "部门/c.txt"];

/// A folder with report-lint.toml (`config`) and three copies of the seed.
fn workdir(tag: &str, config: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-ov-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let seed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap();
    for r in REPORTS {
        let p = dir.join(r);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, &seed).unwrap();
    }
    std::fs::write(dir.join("report-lint.toml"), config).unwrap();
    dir
}

/// rule id → severity of each finding, per file (by the path's last part).
fn levels(v: &Value, file_suffix: &str, rule: &str) -> Vec<String> {
    let f = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(file_suffix))
        .unwrap_or_else(|| panic!("{file_suffix} not checked: {v}"));
    f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["severity"].as_str().unwrap().to_string())
        .collect()
}

fn check_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let o = run_in(dir, &all);
    serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(&o), stderr(&o)))
}

const CONFIG: &str = r#"
[rules]
section-heading-missing = "warning"

[[overrides]]
files = ["乡镇/**", "*街道*"]
rules = { fee-statement-missing = "off", stats-period-missing = "error" }

[[overrides]]
files = ["街道/**"]
rules = { stats-period-missing = "warning" }
"#;

#[test]
fn overrides_apply_per_path_and_later_ones_win() {
    let dir = workdir("apply", CONFIG);
    let v = check_json(&dir, &["."]);
    // 乡镇/: the first override.
    assert!(
        levels(&v, "a.txt", "fee-statement-missing").is_empty(),
        "{v}"
    );
    assert_eq!(levels(&v, "a.txt", "stats-period-missing"), ["error"]);
    // 街道/某街道办事处.txt: both match (a name pattern and a folder); the later wins.
    assert!(levels(&v, "某街道办事处.txt", "fee-statement-missing").is_empty());
    assert_eq!(
        levels(&v, "某街道办事处.txt", "stats-period-missing"),
        ["warning"]
    );
    // 部门/: no override; [rules] still applies.
    assert_eq!(levels(&v, "c.txt", "fee-statement-missing"), ["warning"]);
    assert_eq!(levels(&v, "c.txt", "stats-period-missing"), ["note"]);
    for f in ["a.txt", "某街道办事处.txt", "c.txt"] {
        assert!(levels(&v, f, "section-heading-missing")
            .iter()
            .all(|s| s == "warning"));
    }

    // Paths are relative to the config file, not to the current directory:
    // the same result from elsewhere with absolute paths and --config.
    let cfg = dir.join("report-lint.toml");
    let v2 = check_json(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--config", cfg.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert_eq!(levels(&v2, "a.txt", "stats-period-missing"), ["error"]);
    assert_eq!(
        levels(&v2, "某街道办事处.txt", "stats-period-missing"),
        ["warning"]
    );
    assert_eq!(levels(&v2, "c.txt", "stats-period-missing"), ["note"]);

    // The level decides the exit status: stats-period-missing is an error in 乡镇/.
    let o = run_in(&dir, &["check", "部门"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run_in(&dir, &["check", "乡镇"]);
    assert_eq!(o.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

/// A rule off in [rules] runs only where an override turns it on.
#[test]
fn an_override_can_turn_on_a_rule_that_is_off() {
    let dir = workdir(
        "on",
        "[rules]\nfee-statement-missing = \"off\"\n\n[[overrides]]\nfiles = [\"乡镇/**\"]\nrules = { fee-statement-missing = \"error\" }\n",
    );
    let v = check_json(&dir, &["."]);
    assert_eq!(levels(&v, "a.txt", "fee-statement-missing"), ["error"]);
    assert!(levels(&v, "某街道办事处.txt", "fee-statement-missing").is_empty());
    assert!(levels(&v, "c.txt", "fee-statement-missing").is_empty());
    // SARIF still records it as turned off by the configuration.
    let o = run_in(&dir, &["check", "--format", "sarif", "部门"]);
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let overrides = s["runs"][0]["invocations"][0]["ruleConfigurationOverrides"]
        .as_array()
        .unwrap();
    assert!(overrides
        .iter()
        .any(|o| o["descriptor"]["id"] == "fee-statement-missing"
            && o["configuration"]["enabled"] == false));
    std::fs::remove_dir_all(&dir).ok();
}

/// Each mistake is an error naming the config file and its line; exit 2.
#[test]
fn mistakes_name_the_line() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "[[overrides]]\nfiles = [\"a/**\"]\nrule = { t3-balance = \"off\" }\n",
            ":3:",
            "rule",
        ),
        (
            "[[overrides]]\nfiles = [\"a/**\"]\nrules = { no-such-rule = \"off\" }\n",
            ":3:",
            "no-such-rule",
        ),
        (
            "\n[[overrides]]\nfiles = [\"a/**\"]\nrules = { t3-balance = \"loud\" }\n",
            ":4:",
            "loud",
        ),
        (
            "[[overrides]]\nfiles = [\"a/**\", \"[\"]\nrules = { t3-balance = \"off\" }\n",
            ":2:",
            "glob",
        ),
        (
            "[[overrides]]\nrules = { t3-balance = \"off\" }\n",
            ":1:",
            "files",
        ),
        ("[[overrides]]\nfiles = []\n", ":1:", "files"),
    ];
    for (i, (config, line, word)) in cases.iter().enumerate() {
        let dir = workdir(&format!("bad{i}"), config);
        let o = run_in(&dir, &["check", "."]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "case {i}: {err}");
        assert!(
            err.contains(&format!("report-lint.toml{line}")) && err.contains(word),
            "case {i}: wanted report-lint.toml{line} and {word}: {err}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A baseline written with overrides in force holds what was reported then.
#[test]
fn baseline_respects_overrides() {
    let dir = workdir("bl", CONFIG);
    let o = run_in(&dir, &["baseline", "-o", "bl.json", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bl: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("bl.json")).unwrap()).unwrap();
    let fee: Vec<&str> = bl["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["rule"] == "fee-statement-missing")
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert_eq!(fee, ["部门/c.txt"]);
    let o = run_in(&dir, &["check", "--baseline", "bl.json", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

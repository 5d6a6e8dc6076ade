//! Helpers shared by the integration tests.

use std::path::Path;
use std::process::{Command, Output};

/// Run the built `report-lint` binary from the crate root, without any
/// `report-lint.toml` from the environment.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_report-lint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run report-lint")
}

/// Run the built `report-lint` binary in `dir` (where a test put its own
/// `report-lint.toml` and reports).
#[allow(dead_code)]
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_report-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run report-lint")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[allow(dead_code)]
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Compare `actual` with the snapshot file; `BLESS=1` rewrites it.
#[allow(dead_code)]
pub fn assert_snapshot(path: &Path, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {} (run with BLESS=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        let mut diff = String::new();
        for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
            if e != a {
                diff.push_str(&format!("line {}:\n- {e}\n+ {a}\n", i + 1));
            }
        }
        panic!(
            "snapshot {} differs ({} vs {} lines); run with BLESS=1 to accept:\n{diff}",
            path.display(),
            expected.lines().count(),
            actual.lines().count()
        );
    }
}

/// A `report-lint.toml` with `contents` in a fresh temporary folder (one per
/// test `tag` and process); returns its path.
#[allow(dead_code)]
pub fn temp_config(tag: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("report-lint.toml");
    std::fs::write(&cfg, contents).unwrap();
    cfg
}

/// `check --no-config --format json FILE`, parsed.
#[allow(dead_code)]
pub fn check_json(file: &str) -> serde_json::Value {
    let o = run(&["check", "--no-config", "--format", "json", file]);
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(&o)))
}

/// (rule, line) of every finding on the first file of a JSON result.
#[allow(dead_code)]
pub fn rule_lines(v: &serde_json::Value) -> Vec<(String, u64)> {
    v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

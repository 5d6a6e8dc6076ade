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

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
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

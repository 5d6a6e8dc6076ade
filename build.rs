//! Embed the built-in rule pack (`rules/*.rhai` and `rules/lib/*.rhai`) and the
//! rule pages (`docs/rules/*.md`) in the binary, so `cargo install` gives a
//! working tool and `report-lint explain` needs no checkout.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    // The crate's folder as cargo gives it when the script runs, not as it was
    // when the script was compiled: a target folder copied from another
    // checkout must not embed that checkout's rules.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("rules");
    let mut files = Vec::new();
    for sub in ["", "lib"] {
        let dir = root.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rhai") {
                let rel = if sub.is_empty() {
                    p.file_name().unwrap().to_string_lossy().to_string()
                } else {
                    format!("{sub}/{}", p.file_name().unwrap().to_string_lossy())
                };
                files.push((rel, p));
            }
        }
    }
    files.sort();
    let mut out = String::from("/// Built-in rule files: (path relative to `rules/`, source).\npub static BUILTIN_RULES: &[(&str, &str)] = &[\n");
    for (rel, p) in files {
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let docs = Path::new(&manifest).join("docs/rules");
    println!("cargo:rerun-if-changed={}", docs.display());
    let mut pages: Vec<_> = std::fs::read_dir(&docs)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    pages.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "md"));
    pages.sort();
    out.push_str(
        "/// Rule pages: (rule id, Markdown).\npub static RULE_PAGES: &[(&str, &str)] = &[\n",
    );
    for p in pages {
        let id = p.file_stem().unwrap().to_string_lossy().to_string();
        writeln!(
            out,
            "    ({id:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(dest, out).unwrap();
}

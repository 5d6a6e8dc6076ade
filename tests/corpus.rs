//! The corpus generator (examples/corpus) against the linter: clean generated
//! reports give no error, planted errors are found by exactly the rules named,
//! and a batch prints the same bytes whatever the number of threads.

mod common;
#[path = "../examples/corpus/mod.rs"]
mod corpus;

use corpus::{Format, Injection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-corpus-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_report-lint"))
        .arg("check")
        .arg("--no-config")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run report-lint")
}

/// Findings per file name: (rule, severity).
fn findings(dir: &std::path::Path) -> BTreeMap<String, BTreeSet<(String, String)>> {
    findings_with_lines(dir)
        .into_iter()
        .map(|(name, list)| (name, list.into_iter().map(|(r, s, _)| (r, s)).collect()))
        .collect()
}

#[test]
fn generated_reports_are_deterministic_and_consistent() {
    let a = corpus::Report::generate(42, None);
    let b = corpus::Report::generate(42, None);
    assert_eq!(a.to_text(), b.to_text());
    assert_eq!(a.to_docx(), b.to_docx());
    assert_ne!(a.to_text(), corpus::Report::generate(43, None).to_text());
    // The identities of table 3 (format §5.3) and table 4 (§6.2), for many seeds.
    for seed in 0..300 {
        let r = corpus::Report::generate(seed, None);
        for c in 0..7 {
            let t = |row: usize| r.t3[row][c];
            assert_eq!(
                t(corpus::NEW) + t(corpus::CARRIED_IN),
                t(corpus::R7_TOTAL) + t(corpus::CARRIED_OUT)
            );
            assert_eq!(corpus::LEAVES.map(t).sum::<i64>(), t(corpus::R7_TOTAL));
        }
        for row in &r.t3 {
            assert_eq!(row[..6].iter().sum::<i64>(), row[6]);
            assert!(row.iter().all(|&v| v >= 0));
        }
        for g in &r.t4 {
            assert_eq!(g[..4].iter().sum::<i64>(), g[4]);
        }
    }
}

#[test]
fn clean_generated_reports_have_no_errors() {
    let dir = temp_dir("clean");
    corpus::write_corpus(&dir, 30, 2024, Format::Text, 0).unwrap();
    let found = findings(&dir);
    assert_eq!(found.len(), 30);
    for (file, list) in &found {
        let errors: Vec<_> = list.iter().filter(|(_, s)| s == "error").collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn injected_errors_are_found_by_their_rules() {
    let dir = temp_dir("injected");
    let planned = corpus::plan(60, 99, Format::Text, 100);
    // Every kind of injection at least once.
    let kinds: BTreeSet<_> = planned
        .iter()
        .filter_map(|p| p.injection.map(|i| i.name()))
        .collect();
    assert_eq!(kinds.len(), Injection::ALL.len(), "{kinds:?}");
    corpus::write_corpus(&dir, 60, 99, Format::Text, 100).unwrap();
    let found = findings(&dir);
    for p in &planned {
        let injection = p.injection.unwrap();
        let expected: BTreeSet<&str> = injection.rules().iter().copied().collect();
        let got = &found[&p.name];
        let rules: BTreeSet<&str> = got.iter().map(|(r, _)| r.as_str()).collect();
        assert!(
            expected.is_subset(&rules),
            "{}: injected {} but found {rules:?}",
            p.name,
            injection.name()
        );
        let other_errors: Vec<_> = got
            .iter()
            .filter(|(r, s)| s == "error" && !expected.contains(r.as_str()))
            .collect();
        assert!(other_errors.is_empty(), "{}: {other_errors:?}", p.name);
    }
    let manifest = std::fs::read_to_string(dir.join("injected.tsv")).unwrap();
    assert_eq!(manifest.lines().count(), 61);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Findings per file name: (rule, severity, line).
fn findings_with_lines(dir: &std::path::Path) -> BTreeMap<String, Vec<(String, String, u64)>> {
    let o = check(&["--format", "json", dir.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    assert!(v["rule_errors"].as_array().unwrap().is_empty(), "{v}");
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["path"].as_str().unwrap().rsplit('/').next().unwrap();
            let found = f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["rule"].as_str().unwrap().to_string(),
                        d["severity"].as_str().unwrap().to_string(),
                        d["line"].as_u64().unwrap_or(0),
                    )
                })
                .collect();
            (name.to_string(), found)
        })
        .collect()
}

/// Every layout in every format (pipe text, one cell per line, tab-indented
/// export, Markdown, CMS pages with the title outside the article, DOCX): a
/// correct report gets no finding at all; a report with one slip gets the
/// rules that find it and nothing else; in the text shapes a slip with a
/// line of its own (heading, signature, footer, residue) is found on it.
#[test]
fn every_layout_in_every_format_is_read_right() {
    let formats = [
        Format::Text,
        Format::Cells,
        Format::Tab,
        Format::Lines,
        Format::Markdown,
        Format::Html,
        Format::Docx,
    ];
    for format in formats {
        let dir = temp_dir(&format!("layouts-{format:?}"));
        let (count, seed) = (200, 13);
        let planned = corpus::plan(count, seed, format, 50);
        corpus::write_corpus(&dir, count, seed, format, 50).unwrap();
        let found = findings_with_lines(&dir);
        assert_eq!(found.len(), count);
        let text_shape = matches!(
            format,
            Format::Text | Format::Cells | Format::Tab | Format::Lines | Format::Markdown
        );
        let mut kinds = BTreeSet::new();
        for (i, p) in planned.iter().enumerate() {
            let got = &found[&p.name];
            let Some(injection) = p.injection else {
                assert!(got.is_empty(), "{format:?} {}: clean, yet {got:?}", p.name);
                continue;
            };
            kinds.insert(injection.name());
            let expected: BTreeSet<&str> = injection.rules().iter().copied().collect();
            let rules: BTreeSet<&str> = got.iter().map(|(r, _, _)| r.as_str()).collect();
            let allowed: BTreeSet<&str> =
                expected.iter().chain(injection.also()).copied().collect();
            assert!(
                expected.is_subset(&rules) && rules.is_subset(&allowed),
                "{format:?} {}: injected {}, found {rules:?}",
                p.name,
                injection.name()
            );
            if !text_shape {
                continue;
            }
            let report = corpus::Report::generate(p.seed, p.injection);
            let Some(marker) = injection.line_text(&report) else {
                continue;
            };
            let text = std::fs::read_to_string(dir.join(&p.name)).unwrap();
            let line = text
                .lines()
                .position(|l| l.contains(marker.as_str()))
                .unwrap_or_else(|| panic!("{}: no line with {marker}", p.name))
                as u64
                + 1;
            assert!(
                got.iter()
                    .any(|(r, _, l)| expected.contains(r.as_str()) && *l == line),
                "{format:?} {} ({i}): {} not found on line {line} ({marker}): {got:?}",
                p.name,
                injection.name()
            );
        }
        assert_eq!(kinds.len(), Injection::ALL.len(), "{format:?}: {kinds:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Generated series (each organ's consecutive years following from one
/// another): a clean year gets no finding at all, and a year with a broken
/// cross-year link gets exactly the rule that finds it. In text, DOCX and
/// CMS web pages (whose title is outside the article in most layouts: the
/// pages pair by the organ in the page's heading, not the article's first
/// sentence).
#[test]
fn generated_series_are_quiet_and_broken_links_are_found() {
    for (format, organs) in [(Format::Text, 16), (Format::Docx, 4), (Format::Html, 12)] {
        let dir = temp_dir(&format!("series-{}", format.extension()));
        corpus::write_series(&dir, organs, 3, 11, format, 50).unwrap();
        let manifest = std::fs::read_to_string(dir.join("injected.tsv")).unwrap();
        let planted: BTreeMap<String, String> = manifest
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[0].to_string(), f[2].to_string())
            })
            .collect();
        let kinds: BTreeSet<&str> = manifest
            .lines()
            .skip(1)
            .map(|l| l.split('\t').nth(1).unwrap())
            .collect();
        if format == Format::Text {
            assert_eq!(
                kinds.len(),
                corpus::SeriesInjection::ALL.len(),
                "{manifest}"
            );
        }
        let found = findings(&dir);
        assert_eq!(found.len(), organs * 3);
        for (name, got) in &found {
            let rules: BTreeSet<&str> = got.iter().map(|(r, _)| r.as_str()).collect();
            let expected: BTreeSet<&str> =
                planted.get(name).map(|r| r.as_str()).into_iter().collect();
            assert_eq!(rules, expected, "{name}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn output_is_the_same_with_one_thread_and_four() {
    let dir = temp_dir("order");
    // Clean and broken reports, the seeds, an unreadable file, and a path that
    // matches nothing: every kind of entry a batch can have.
    corpus::write_corpus(&dir, 40, 5, Format::Text, 50).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for seed in ["000", "001", "002", "003", "004"] {
        std::fs::copy(
            root.join(format!("fixtures/seeds/{seed}.txt")),
            dir.join(format!("seed-{seed}.txt")),
        )
        .unwrap();
    }
    std::fs::write(dir.join("broken.txt"), [0xff, 0xfe, 0x00, 0x80, 0x00]).unwrap();
    let d = dir.to_str().unwrap();
    let missing = dir.join("no-such-file.txt");
    for format in ["human", "json", "sarif", "github", "junit", "csv"] {
        let run =
            |jobs: &str| check(&["--format", format, "-j", jobs, d, missing.to_str().unwrap()]);
        let one = run("1");
        let four = run("4");
        assert!(!one.stdout.is_empty(), "{format}: no output");
        assert_eq!(one.status.code(), four.status.code(), "{format}");
        assert!(
            one.stdout == four.stdout,
            "{format}: -j1 and -j4 outputs differ\n{}\n---\n{}",
            common::stdout(&one),
            common::stdout(&four)
        );
        assert_eq!(one.stderr, four.stderr, "{format}: stderr differs");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn timings_name_every_phase_and_rule() {
    let o = check(&["--timings", "--format", "json", "fixtures/seeds/002.txt"]);
    let err = String::from_utf8_lossy(&o.stderr);
    for phase in ["read", "parse", "rules", "render"] {
        assert!(err.lines().any(|l| l.starts_with(phase)), "{phase}:\n{err}");
    }
    assert!(err.lines().any(|l| l.starts_with("t3-balance ")), "{err}");
    // The JSON on stdout is untouched.
    let _: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    // No progress bar when stderr is not a terminal.
    assert!(!err.contains("个文件 ·"), "{err}");
}

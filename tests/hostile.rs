//! Hostile rule packs and inputs (issue 14): nothing a rule or a file does can
//! crash the batch, hang it, exhaust memory, read other files through it, or
//! make it report something false. Each test failed before the fix.

mod common;
use common::{run, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

/// A fresh empty folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run report-lint from the crate root; a run that does not end within
/// `limit` is killed and fails the test (a hang, not a slow machine: the
/// limits are minutes for work of seconds).
fn run_bounded(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_report-lint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("REPORT_LINT_TEST_SECRET", "secret-value-4711")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run report-lint");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("report-lint {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn args<'a>(list: &'a [&'a str]) -> Vec<&'a std::ffi::OsStr> {
    list.iter().map(std::ffi::OsStr::new).collect()
}

const MINUTES: Duration = Duration::from_secs(180);

fn rule_error<'a>(v: &'a serde_json::Value, rule: &str) -> &'a serde_json::Value {
    v["rule_errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rule"] == rule)
        .unwrap_or_else(|| panic!("no rule error for {rule}: {v}"))
}

#[test]
fn sleep_is_refused_and_the_json_is_whole() {
    let o = run_bounded(
        &args(&[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rules",
            "fixtures/rules-hostile/sleeps",
            "fixtures/seeds/001.txt",
        ]),
        MINUTES,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let v = json(&o);
    for rule in ["sleeps-forever", "sleeps-long"] {
        let e = rule_error(&v, rule);
        assert!(e["message"].as_str().unwrap().contains("sleep"), "{e}");
    }
    assert!(!v["files"][0]["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn a_user_library_cannot_replace_a_built_in_one() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--rules",
        "fixtures/rules-hostile/shadow",
        "fixtures/rules/t3-balance/fire-002-r7-natural.txt",
    ]);
    let v = json(&o);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["rule"] == "t3-balance" && d["severity"] == "error"),
        "the built-in arithmetic still reports: {diags:?}"
    );
    assert!(!stdout(&o).contains("表格核对通过"));
    let e = rule_error(&v, "arith");
    assert!(
        e["message"].as_str().unwrap().contains("内置规则库同名"),
        "{e}"
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn printed_output_is_capped() {
    // In-process: what the run keeps of a rule's print output.
    use report_lint::engine::{limits, RuleOptions, RuleSet};
    let rules = RuleSet::load(&RuleOptions {
        dirs: vec!["fixtures/rules-hostile/prints-a-lot".into()],
        no_builtin: true,
        ..RuleOptions::default()
    });
    assert!(rules.errors.is_empty(), "{:?}", rules.errors);
    let src = report_lint::input::read_path(Path::new("fixtures/seeds/001.txt")).unwrap();
    let report = std::sync::Arc::new(report_lint::parse::parse(&src));
    let out = rules.run(&report);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let kept: usize = out.log.iter().map(|(_, s)| s.len()).sum();
    assert!(kept <= limits::MAX_PRINT_BYTES + 1024, "kept {kept} bytes");
    let last = &out.log.last().unwrap().1;
    assert!(
        last.contains("未保留"),
        "says what was dropped: {} lines, last {}",
        out.log.len(),
        last.chars().take(80).collect::<String>()
    );
}

#[test]
fn a_slow_rule_is_stopped_by_the_time_budget() {
    let o = run_bounded(
        &args(&[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rules",
            "fixtures/rules-hostile/slow-loop",
            "fixtures/seeds/000.txt",
        ]),
        MINUTES,
    );
    let v = json(&o);
    let e = rule_error(&v, "slow-loop");
    assert!(e["message"].as_str().unwrap().contains("时间上限"), "{e}");
}

#[test]
fn too_many_matches_is_an_error_not_a_lost_finding() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--rules",
        "fixtures/rules-hostile/many-matches",
        "fixtures/seeds/001.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let e = rule_error(&v, "many-matches");
    assert!(e["message"].as_str().unwrap().contains("匹配超过"), "{e}");
}

#[test]
fn thousands_of_garbage_places_are_reported_not_lost() {
    let dir = temp("garbage");
    let seed = std::fs::read_to_string("fixtures/seeds/001.txt").unwrap();
    let file = dir.join("garbage.txt");
    std::fs::write(&file, format!("{seed}\n{}\n", "\u{FFFD}好".repeat(4000))).unwrap();
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    let v = json(&o);
    assert!(
        v["rule_errors"].as_array().unwrap().is_empty(),
        "{}",
        v["rule_errors"]
    );
    let garbage: Vec<&serde_json::Value> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "encoding-garbage")
        .collect();
    assert_eq!(garbage.len(), 100);
    assert!(garbage[0]["notes"][0].as_str().unwrap().contains("4000"));
}

#[test]
fn a_primary_span_from_the_previous_report_is_refused() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--rules",
        "fixtures/rules-hostile/previous-span",
        "--previous",
        "fixtures/crossyear/hongze-2023.txt",
        "fixtures/crossyear/hongze-2024.txt",
    ]);
    let v = json(&o);
    let e = rule_error(&v, "previous-span");
    assert!(e["message"].as_str().unwrap().contains("上年报告"), "{e}");
    assert!(!v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "previous-span"));
}

#[test]
fn human_output_escapes_control_characters() {
    let o = run(&[
        "check",
        "--no-config",
        "--rules",
        "fixtures/rules-hostile/control-chars",
        "fixtures/seeds/001.txt",
    ]);
    let out = stdout(&o);
    assert!(out.contains("control-chars"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "an escape character reached the terminal"
    );
    assert!(out.contains("\\u{1b}[2J"), "shown escaped: {out}");
    // The report's own control characters too, with columns unchanged.
    let dir = temp("controls");
    let file = dir.join("r.txt");
    let seed = std::fs::read_to_string("fixtures/seeds/001.txt").unwrap();
    std::fs::write(&file, format!("\u{1b}]0;title\u{7}\u{202E}{seed}")).unwrap();
    let o = run(&["check", "--no-config", file.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{202E}') && !out.contains('\u{7}'));
}

#[test]
fn a_utf8_report_cut_mid_character_stays_utf8() {
    let dir = temp("cut");
    let bytes = std::fs::read("fixtures/seeds/001.txt").unwrap();
    let body = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
    let file = dir.join("cut.txt");
    std::fs::write(&file, &body[..body.len() - 1]).unwrap();
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    let v = json(&o);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let garbage = diags
        .iter()
        .filter(|d| d["rule"] == "encoding-garbage")
        .count();
    assert_eq!(garbage, 1, "one replacement character, at the cut");
    assert!(diags.iter().any(|d| d["rule"] == "input-notice"
        && d["message"].as_str().unwrap().contains("不是 UTF-8 的字节")));
    let dump = json(&run(&["dump", file.to_str().unwrap()]));
    assert_eq!(dump["encoding"], "utf-8");
    assert!(dump["metadata"]["title"].is_object(), "the title is read");
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mkfifo(path: &Path) {
        let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
        assert!(status.success());
    }

    #[test]
    fn a_rule_folder_cannot_print_files_through_symlinks() {
        let dir = temp("environ");
        symlink("/proc/self/environ", dir.join("x-env.rhai")).unwrap();
        let o = run_bounded(
            &args(&[
                "check",
                "--no-config",
                "--rules",
                dir.to_str().unwrap(),
                "fixtures/seeds/000.txt",
            ]),
            MINUTES,
        );
        let all = format!("{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
        assert!(!all.contains("secret-value-4711"), "{all}");
        assert!(all.contains("x-env"), "the rule is named: {all}");
        assert!(all.contains("规则目录之外"), "{all}");
        assert_eq!(o.status.code(), Some(2));
    }

    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = temp("fifos");
        let rules = dir.join("rules");
        std::fs::create_dir(&rules).unwrap();
        mkfifo(&rules.join("x.rhai"));
        symlink("/dev/zero", rules.join("zero.rhai")).unwrap();
        std::fs::create_dir(rules.join("folder.rhai")).unwrap();
        let reports = dir.join("reports");
        std::fs::create_dir(&reports).unwrap();
        mkfifo(&reports.join("pipe.txt"));
        symlink("/dev/zero", reports.join("zero.txt")).unwrap();
        std::fs::copy("fixtures/seeds/000.txt", reports.join("real.txt")).unwrap();
        let baseline = dir.join("baseline.json");
        symlink("/dev/zero", &baseline).unwrap();
        let o = run_bounded(
            &args(&[
                "check",
                "--no-config",
                "--format",
                "json",
                "--rules",
                rules.to_str().unwrap(),
                reports.to_str().unwrap(),
            ]),
            MINUTES,
        );
        let v = json(&o);
        for rule in ["x", "zero", "folder"] {
            let e = rule_error(&v, rule);
            let m = e["message"].as_str().unwrap();
            assert!(
                m.contains("不是普通文件") || m.contains("规则目录之外"),
                "{e}"
            );
        }
        let files = v["files"].as_array().unwrap();
        let status = |name: &str| {
            files
                .iter()
                .find(|f| f["path"].as_str().unwrap().ends_with(name))
                .unwrap_or_else(|| panic!("{name} in {files:?}"))
        };
        assert!(status("pipe.txt")["error"]
            .as_str()
            .unwrap()
            .contains("命名管道"));
        assert!(status("zero.txt")["error"]
            .as_str()
            .unwrap()
            .contains("不是普通文件"));
        assert_eq!(status("real.txt")["status"], "ok");
        let o = run_bounded(
            &args(&[
                "check",
                "--no-config",
                "--baseline",
                baseline.to_str().unwrap(),
                "fixtures/seeds/000.txt",
            ]),
            MINUTES,
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("不是普通文件"));
    }

    #[test]
    fn symlink_loops_are_walked_once() {
        let dir = temp("loops");
        std::fs::copy("fixtures/seeds/000.txt", dir.join("r.txt")).unwrap();
        symlink(".", dir.join("a")).unwrap();
        symlink(".", dir.join("b")).unwrap();
        let o = run_bounded(
            &args(&[
                "check",
                "--no-config",
                "--format",
                "json",
                dir.to_str().unwrap(),
            ]),
            MINUTES,
        );
        let v = json(&o);
        assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");
    }

    #[test]
    fn a_non_utf8_file_name_stays_recoverable() {
        use std::os::unix::ffi::OsStrExt;
        let dir = temp("names");
        let name = std::ffi::OsStr::from_bytes(b"r\xff\\x.txt");
        std::fs::copy("fixtures/seeds/000.txt", dir.join(name)).unwrap();
        let o = run_bounded(
            &args(&[
                "check",
                "--no-config",
                "--format",
                "json",
                dir.to_str().unwrap(),
            ]),
            MINUTES,
        );
        let v = json(&o);
        let path = v["files"][0]["path"].as_str().unwrap();
        assert!(path.ends_with("r\\xFF\\\\x.txt"), "{path}");
        assert!(!path.contains('\u{FFFD}'));
    }
}

/// A deterministic, bounded stand-in for the `rule_engine` fuzz target on
/// stable Rust: every built-in rule and library, cut and corrupted at fixed
/// places, loaded as a user rule and run. Loading and running end in a rule,
/// a load error or a rule error; nothing panics or hangs.
#[test]
fn mangled_rule_files_end_in_a_result_or_a_rule_error() {
    use report_lint::engine::{RuleOptions, RuleSet};
    let src = report_lint::input::read_path(Path::new("fixtures/seeds/001.txt")).unwrap();
    let report = std::sync::Arc::new(report_lint::parse::parse(&src));
    let dir = temp("mangled-rules");
    let mut sources: Vec<(String, String)> = Vec::new();
    for folder in ["rules", "rules/lib"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
            .collect();
        files.sort();
        for f in files.iter().step_by(3) {
            sources.push((
                f.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(f).unwrap(),
            ));
        }
    }
    for (i, (id, text)) in sources.iter().enumerate() {
        let cut = |at: usize| {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let half = cut(text.len() / 2);
        let variants = [
            text[..half].to_string(),
            format!("{}{}", &text[..half], &text[cut(half + 7 + i % 5)..]),
            text.replace("fn check(report)", "fn check(report, extra)"),
            text.replace('{', "{{").replace('(', "[("),
            format!("{text}\nfn check(report) {{ check(report) }}"),
        ];
        for (k, v) in variants.iter().enumerate() {
            let case = dir.join(format!("{i}-{k}"));
            std::fs::create_dir_all(&case).unwrap();
            std::fs::write(case.join(format!("{id}.rhai")), v).unwrap();
            let rules = RuleSet::load(&RuleOptions {
                dirs: vec![case],
                no_builtin: true,
                ..RuleOptions::default()
            });
            let out = rules.run_with_previous(&report, Some(&report));
            for d in &out.diagnostics {
                assert!(d.span.end <= report.text.len());
            }
        }
    }
}

/// A deterministic stand-in for the `pipeline` fuzz target: reports with
/// hostile bytes (control characters, bidi overrides, NUL, cut characters,
/// CRLF) through every built-in rule and every writer.
#[test]
fn hostile_report_text_goes_through_every_writer() {
    use report_lint::diagnostics::{
        csv::CsvWriter, github::GithubWriter, human::HumanWriter, json::JsonWriter,
        junit::JunitWriter, sarif::SarifWriter, FileReport, RunEnd, RunInfo, Severity, Summary,
        Writer,
    };
    use report_lint::engine::{RuleOptions, RuleSet};
    let rules = RuleSet::load(&RuleOptions::default());
    let seed = std::fs::read("fixtures/seeds/001.txt").unwrap();
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for (at, junk) in [
        (0usize, &b"\x1b[2J\x1b]0;t\x07"[..]),
        (100, "\u{202E}\u{0085}".as_bytes()),
        (seed.len() / 2, b"\r\r\n\x0b\x0c"),
        (seed.len() - 1, b"\xe4\xb8"),
        (3000, b"\xff\xfe\x00"),
    ] {
        let at = at.min(seed.len());
        let mut b = seed[..at].to_vec();
        b.extend_from_slice(junk);
        b.extend_from_slice(&seed[at..]);
        inputs.push(b);
    }
    inputs.push(
        seed.iter()
            .map(|&b| if b == b'\n' { b' ' } else { b })
            .collect(),
    );
    for (n, bytes) in inputs.iter().enumerate() {
        let Ok(src) = report_lint::input::decode("r.txt", bytes) else {
            continue;
        };
        let report = std::sync::Arc::new(report_lint::parse::parse(&src));
        let out = rules.run_with_previous(&report, Some(&report));
        assert!(out.errors.is_empty(), "input {n}: {:?}", out.errors);
        let file = FileReport {
            path: "r\u{1b}.txt",
            text: Some(&report.text),
            report: Some(&report),
            error: None,
            format: None,
            input_format: None,
            year: None,
            organ: None,
            diagnostics: &out.diagnostics,
            rule_errors: &[],
            suppressed: &[],
        };
        let info = RunInfo {
            rules: &[],
            fail: Severity::Error,
            max_warnings: None,
        };
        let end = RunEnd {
            rule_errors: &[],
            summary: Summary::default(),
            exit_code: 0,
            baseline: None,
            skipped: &[],
            unused_ignores: &[],
        };
        let writers: Vec<(&str, Box<dyn Writer>)> = vec![
            ("human", Box::new(HumanWriter::new(false))),
            ("json", Box::new(JsonWriter::default())),
            ("sarif", Box::new(SarifWriter::default())),
            ("github", Box::new(GithubWriter)),
            ("junit", Box::new(JunitWriter::default())),
            ("csv", Box::new(CsvWriter)),
        ];
        for (kind, mut w) in writers {
            let mut buf = Vec::new();
            w.begin(&mut buf, &info).unwrap();
            w.file(&mut buf, &info, &file).unwrap();
            w.finish(&mut buf, &info, &end).unwrap();
            let text = String::from_utf8(buf).unwrap();
            if kind == "human" {
                assert!(
                    !text
                        .chars()
                        .any(|c| (c.is_control() && c != '\n' && c != '\t')
                            || ('\u{202A}'..='\u{202E}').contains(&c)),
                    "input {n}: a control character in human output"
                );
            } else if kind == "json" || kind == "sarif" {
                serde_json::from_str::<serde_json::Value>(&text).unwrap();
            }
        }
    }
}

/// Found by the `pipeline` fuzz target: a long report as its own previous
/// year. `yoy-change-mismatch` copied every number of last year's text into
/// the script, and past about 400 numbers the copy broke the map limit
/// (“Size of object map too large”): a rule error, the finding lost. Last
/// year's figure is now looked up in Rust (`report.most_similar_number`).
#[test]
fn a_long_previous_report_does_not_break_the_year_on_year_rule() {
    use report_lint::engine::{RuleOptions, RuleSet};
    let rules = RuleSet::load(&RuleOptions::default());
    let mut text = std::fs::read_to_string("fixtures/seeds/001.txt").unwrap();
    let at = text.find("二、主动公开").unwrap_or(text.len());
    let mut many = String::new();
    for i in 0..900 {
        many.push_str(&format!(
            "本机关第{i}项工作共发布信息{}条，较上年增长5%。\n",
            100 + i
        ));
    }
    text.insert_str(at, &many);
    let src = report_lint::input::decode("long.txt", text.as_bytes()).unwrap();
    let report = std::sync::Arc::new(report_lint::parse::parse(&src));
    assert!(report.numbers.len() > 2000, "{}", report.numbers.len());
    let failed = failures_as_own_previous(&rules, report);
    assert!(failed.is_empty(), "{failed:?}");
}

/// Every built-in rule on `report` with itself as last year's report (as the
/// `pipeline` fuzz target runs them): (rule, message) of each rule error.
fn failures_as_own_previous(
    rules: &report_lint::engine::RuleSet,
    report: std::sync::Arc<report_lint::model::Report>,
) -> Vec<(String, String)> {
    rules
        .run_with_previous(&report, Some(&report))
        .errors
        .iter()
        .map(|e| (e.rule.clone(), e.message.clone()))
        .collect()
}

/// Every input the `pipeline` fuzz target found failing (`fixtures/fuzz/pipeline/`,
/// `fuzz/README.md`), run as the target runs it: read as `.txt` and as
/// `.html`, every built-in rule with the report as its own previous year.
#[test]
fn pipeline_fuzz_findings_stay_fixed() {
    use report_lint::engine::{RuleOptions, RuleSet};
    let rules = RuleSet::load(&RuleOptions::default());
    let mut seen = 0;
    for entry in std::fs::read_dir("fixtures/fuzz/pipeline").unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for name in ["fuzz.txt", "fuzz.html"] {
            let Ok(src) = report_lint::input::decode(name, &bytes) else {
                continue;
            };
            let report = std::sync::Arc::new(report_lint::parse::parse(&src));
            let failed = failures_as_own_previous(&rules, report);
            assert!(failed.is_empty(), "{name}: {failed:?}");
            seen += 1;
        }
    }
    assert!(seen >= 2);
}

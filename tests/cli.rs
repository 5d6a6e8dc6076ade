//! Command-line behaviour: exit statuses, bad input, broken and runaway rules,
//! configuration errors.

mod common;
use common::{rule_lines, run, stdout, temp_config};

/// The part numbers (1–6) of a dumped model, in document order.
fn part_numbers(v: &serde_json::Value) -> Vec<i64> {
    v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_i64().unwrap())
        .collect()
}

/// How many findings the built-in rules alone give on a file.
fn builtin_findings(file: &str) -> usize {
    let v = json(&run(&["check", "--no-config", "--format", "json", file]));
    v["files"][0]["diagnostics"].as_array().unwrap().len()
}

/// `check --format json --rules DIR FILE`, without any configuration file.
fn json_with_rules(dir: &str, file: &str) -> std::process::Output {
    run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--rules",
        dir,
        file,
    ])
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

#[test]
fn exit_status_follows_the_failing_level() {
    // 000 has one note only.
    assert_eq!(
        run(&["check", "--no-config", "fixtures/seeds/000.txt"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&[
            "check",
            "--no-config",
            "--fail-on",
            "note",
            "fixtures/seeds/000.txt"
        ])
        .status
        .code(),
        Some(1)
    );
    // 001 has errors.
    assert_eq!(
        run(&["check", "--no-config", "fixtures/seeds/001.txt"])
            .status
            .code(),
        Some(1)
    );
    // Usage error.
    assert_eq!(
        run(&["check", "--no-config", "--format", "yaml", "x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn bad_input_is_named_and_the_batch_goes_on() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/inputs/empty.txt",
        "fixtures/inputs/binary.bin",
        "fixtures/inputs/bom-only.txt",
        "fixtures/inputs/no-such-file.txt",
        "fixtures/seeds/001.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    let by_path = |p: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(p))
            .unwrap()
    };
    for p in [
        "empty.txt",
        "binary.bin",
        "bom-only.txt",
        "no-such-file.txt",
    ] {
        let f = by_path(p);
        assert_eq!(f["status"], "error", "{p}");
        assert!(!f["error"].as_str().unwrap().is_empty(), "{p}");
    }
    assert!(by_path("binary.bin")["error"]
        .as_str()
        .unwrap()
        .contains("不是文本文件"));
    assert!(by_path("empty.txt")["error"]
        .as_str()
        .unwrap()
        .contains("为空"));
    let seed = by_path("001.txt");
    assert_eq!(seed["status"], "ok");
    assert_eq!(
        seed["diagnostics"].as_array().unwrap().len(),
        builtin_findings("fixtures/seeds/001.txt")
    );
    assert_eq!(v["summary"]["files"], 5);
}

#[test]
fn bom_does_not_change_findings() {
    let with_bom = json(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/inputs/bom-000.txt",
    ]));
    let plain = json(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/seeds/000.txt",
    ]));
    assert_eq!(rule_lines(&with_bom), rule_lines(&plain));
}

#[test]
fn broken_rule_is_reported_with_position_and_others_still_run() {
    let o = run(&[
        "check",
        "--no-config",
        "--rules",
        "fixtures/rules-broken/compile-error",
        "fixtures/seeds/001.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.contains("error[rule-error]"), "{out}");
    assert!(
        out.contains("broken-syntax.rhai:4:"),
        "names the file and line: {out}"
    );
    assert!(
        out.contains("error[section-heading-missing]"),
        "built-in rules still ran: {out}"
    );
}

#[test]
fn runaway_and_throwing_rules_do_not_silence_others() {
    let o = json_with_rules("fixtures/rules-broken/runaway", "fixtures/seeds/001.txt");
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let errors = v["rule_errors"].as_array().unwrap();
    let runaway = errors
        .iter()
        .find(|e| e["rule"] == "endless-loop")
        .expect("runaway rule reported");
    assert_eq!(runaway["line"], 4, "points at fn check");
    assert!(
        runaway["message"]
            .as_str()
            .unwrap()
            .contains("运算次数上限"),
        "{runaway}"
    );
    assert!(errors
        .iter()
        .any(|e| e["rule"] == "throws" && e["line"].as_u64().is_some()));
    assert_eq!(
        v["files"][0]["diagnostics"].as_array().unwrap().len(),
        builtin_findings("fixtures/seeds/001.txt"),
        "built-in rules still ran"
    );
}

#[test]
fn print_never_reaches_stdout() {
    let o = json_with_rules("fixtures/rules-broken/prints", "fixtures/seeds/003.txt");
    let out = stdout(&o);
    assert!(!out.contains("NOISE-FROM-RULE") && !out.contains("DEBUG-FROM-RULE"));
    json(&o);
    let o = run(&[
        "check",
        "--no-config",
        "-v",
        "--rules",
        "fixtures/rules-broken/prints",
        "fixtures/seeds/003.txt",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("NOISE-FROM-RULE"),
        "shown on stderr with -v"
    );
    assert!(!stdout(&o).contains("NOISE-FROM-RULE"));
}

#[test]
fn rules_cannot_import_files_outside_the_library() {
    let o = json_with_rules("fixtures/rules-broken/escape", "fixtures/seeds/003.txt");
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let e = &v["rule_errors"][0];
    assert!(
        e["message"].as_str().unwrap().contains("只能按名称导入"),
        "{e}"
    );
}

#[test]
fn config_errors_name_the_line() {
    let cfg = temp_config(
        "cfg",
        "include = [\"*.txt\"]\n\n[rules]\nno-such-rule = \"off\"\n",
    );
    let dir = cfg.parent().unwrap().to_path_buf();
    let o = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "fixtures/seeds/000.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("report-lint.toml:4:") && err.contains("no-such-rule"),
        "{err}"
    );
    std::fs::write(
        &cfg,
        "[rules]\nheading-whitespace = \"off\"\nsection-heading-text = \"error\"\n",
    )
    .unwrap();
    let o = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "json",
        "fixtures/seeds/001.txt",
        "fixtures/seeds/000.txt",
    ]);
    let v = json(&o);
    let all: Vec<(String, String)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        !all.iter().any(|(r, _)| r == "heading-whitespace"),
        "turned off"
    );
    assert!(
        all.iter()
            .any(|(r, s)| r == "section-heading-text" && s == "error"),
        "level raised"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn directories_and_globs_expand_in_path_order() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/seeds",
        "fixtures/inputs/*.md",
    ]);
    let v = json(&o);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 9, "5 seeds and 4 Markdown inputs: {paths:?}");
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn dump_prints_the_model() {
    let o = run(&["dump", "fixtures/seeds/002.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["metadata"]["year"]["value"], 2024);
    assert_eq!(v["format"]["detected"], "2021");
    let t3 = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "t3")
        .unwrap();
    assert_eq!(t3["rows"].as_array().unwrap().len(), 25);
    let r7 = t3["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "r7_total")
        .unwrap();
    assert_eq!(r7["cells"][0]["value"], 64);
}

#[test]
fn rules_lists_every_builtin_rule() {
    let o = run(&["rules", "--no-config"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for id in [
        "t3-balance",
        "section-missing",
        "web-residue",
        "empty-table-rows",
    ] {
        assert!(out.contains(id), "{id}");
    }
}

#[test]
fn test_rules_runs_the_tutorial_rule_and_fails_on_a_wrong_expectation() {
    let o = run(&["test-rules", "--no-config", "fixtures/tutorial/my-rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("2 passed, 0 failed"));

    let dir = std::env::temp_dir().join(format!("rl-tr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["part-five-rectification.rhai", "fire-no-rectification.txt"] {
        std::fs::copy(format!("fixtures/tutorial/my-rules/{f}"), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("fire-no-rectification.expect"),
        "only: part-five-rectification\n64 part-five-rectification\n",
    )
    .unwrap();
    let o = run(&["test-rules", "--no-config", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("- 64 part-five-rectification")
            && out.contains("+ 63 part-five-rectification"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn builtin_rule_fixtures_pass_through_test_rules() {
    let o = run(&["test-rules", "--no-config"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_configured_level_overrides_a_findings_own_level() {
    // cell-value reports a placeholder as a warning by default; a configured level wins.
    let case = "fixtures/rules/cell-value/fire-003-placeholder-text.txt";
    let severities = |args: &[&str]| -> Vec<String> {
        let v = json(&run(args));
        v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "cell-value")
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect()
    };
    let mut default = severities(&["check", "--no-config", "--format", "json", case]);
    default.sort();
    assert_eq!(default, ["error", "warning", "warning"]);
    let cfg = temp_config("lvl", "[rules]\ncell-value = \"error\"\n");
    let dir = cfg.parent().unwrap().to_path_buf();
    let raised = severities(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "json",
        case,
    ]);
    assert_eq!(raised, ["error", "error", "error"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_2019_trial_format_is_recognised() {
    let v = json(&run(&["dump", "fixtures/inputs/format-2019.txt"]));
    assert_eq!(v["format"]["detected"], "2019");
    assert_eq!(v["format"]["expected"], "2019");
    let tables = v["tables"].as_array().unwrap();
    let rows = |k: &str| {
        tables.iter().find(|t| t["kind"] == k).unwrap()["rows"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert_eq!(
        rows("t3").len(),
        23,
        "2019 table 3 has (六)其他处理 as one row"
    );
    assert_eq!(
        rows("t2").len(),
        8,
        "2019 table 2 has 8 rows including 政府集中采购"
    );
    let licensing = rows("t2")
        .into_iter()
        .find(|r| r["key"] == "other_services")
        .unwrap();
    assert_eq!(licensing["cells"][1]["value"], -1, "本年增/减 is signed");
}

#[test]
fn format_findings_drop_a_level_on_2019_reports() {
    let v = json(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/inputs/format-2019-year-2019.txt",
    ]));
    let d = v["files"][0]["diagnostics"].as_array().unwrap();
    let missing = d
        .iter()
        .find(|d| d["rule"] == "section-heading-missing")
        .expect("finding");
    assert_eq!(
        missing["severity"], "warning",
        "error drops to warning for report year 2019"
    );
    assert!(missing["notes"][0]
        .as_str()
        .unwrap()
        .contains("国办公开办函〔2019〕60号"));
}

#[test]
fn markdown_heading_markers_do_not_hide_headings() {
    // Seed 000 with `#`/`##` headings and `**bold**` sub-headings: same parts, same findings.
    let v = json(&run(&["dump", "fixtures/inputs/markdown-headings-000.md"]));
    assert_eq!(part_numbers(&v), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        v["metadata"]["title"]["value"],
        "株洲市天元区泰山路街道办事处2024年政府信息公开工作年度报告"
    );
    let findings = |p: &str| {
        rule_lines(&json(&run(&[
            "check",
            "--no-config",
            "--format",
            "json",
            p,
        ])))
    };
    assert_eq!(
        findings("fixtures/inputs/markdown-headings-000.md"),
        findings("fixtures/seeds/000.txt")
    );
}

#[test]
fn ocr_markdown_with_split_tables_is_read_completely() {
    // Corpus 004 (OCR Markdown): table 3 split into per-row mini tables with fake
    // `| 类别 | 数据1 | …` headers and `### (六) 其他` captions; table 4 split in three.
    let v = json(&run(&[
        "dump",
        "fixtures/inputs/ocr-markdown-shuyang-2025.md",
    ]));
    let tables = v["tables"].as_array().unwrap();
    let t = |k: &str| tables.iter().find(|t| t["kind"] == k).unwrap().clone();
    assert_eq!(t("t2")["rows"].as_array().unwrap().len(), 6);
    assert_eq!(t("t3")["rows"].as_array().unwrap().len(), 25);
    assert!(t("t3")["shape_issues"].as_array().unwrap().is_empty());
    let r7 = t("t3")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "r7_total")
        .unwrap()
        .clone();
    assert_eq!(r7["cells"][6]["value"], 718);
    let review = &t("t4")["rows"][0]["cells"];
    assert_eq!(review[4]["value"], 61);
    let findings = json(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/inputs/ocr-markdown-shuyang-2025.md",
    ]));
    let rules: Vec<&str> = findings["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.iter().any(|r| r.starts_with("t3-")
            || r.starts_with("t4-")
            || *r == "cell-value"
            || *r == "table-shape"),
        "{rules:?}"
    );
}

#[test]
fn pdf_converted_markdown_keeps_its_tables_across_page_footers() {
    // Corpus 005 (PDF → Markdown): `— 4 —` page footers, `## 表三：…` captions between
    // rows, a wrapped row label, and table 4's headers run together before a footnote.
    let v = json(&run(&["dump", "fixtures/inputs/markdown-005.md"]));
    let tables = v["tables"].as_array().unwrap();
    let t = |k: &str| tables.iter().find(|t| t["kind"] == k).unwrap().clone();
    let t4: Vec<Vec<i64>> = t("t4")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["value"].as_i64().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        t4,
        [
            vec![40, 0, 10, 5, 55],
            vec![2, 0, 4, 6, 12],
            vec![6, 0, 9, 7, 22]
        ]
    );
    let t3_rows = t("t3")["rows"].as_array().unwrap().len();
    assert!(
        t3_rows >= 14,
        "rows up to （四）2 are recovered, found {t3_rows}"
    );
    assert!(
        !v["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["text"] == "— 4 —"),
        "page footers are not text"
    );
}

#[test]
fn a_report_run_together_on_one_line_still_has_its_parts() {
    // Corpus 011 (crawler text): the six parts are found inside one line; the
    // tables' cells run together, so they are present but unreadable.
    let v = json(&run(&[
        "dump",
        "fixtures/rules/table-shape/fire-crawler-run-together.txt",
    ]));
    assert_eq!(part_numbers(&v), [1, 2, 3, 4, 5, 6]);
    // The crawler's header (`标题: …`, `发布时间: …`) is the metadata.
    assert_eq!(
        v["metadata"]["title"]["value"],
        "平潭综合实验区2022年度政府信息公开工作年度报告"
    );
    assert_eq!(v["metadata"]["organ"]["value"], "平潭综合实验区");
    assert_eq!(v["metadata"]["year"]["value"], 2022);
    assert_eq!(
        v["metadata"]["publication_date"]["source"],
        "metadata:发布时间"
    );
    // The narrative between the headings is still paragraphs of their parts.
    let paragraph_parts: Vec<i64> = v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["section"].as_i64().unwrap())
        .collect();
    assert!(
        paragraph_parts.contains(&1) && paragraph_parts.contains(&5),
        "{paragraph_parts:?}"
    );
    // The cells run together; the arithmetic recovers every row of tables 3 and 4
    // and the rows of table 2 that split only one way (`runtogether.rs`).
    for t in v["tables"].as_array().unwrap() {
        assert_eq!(t["shape_issues"][0]["kind"], "run-together", "{t}");
        let rows = t["rows"].as_array().unwrap().len();
        match t["kind"].as_str().unwrap() {
            "t3" => assert_eq!(rows, 25),
            "t4" => assert_eq!(rows, 3),
            _ => assert_eq!(rows, 5, "规范性文件 splits many ways: {t}"),
        }
    }
    let f = json(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/rules/table-shape/fire-crawler-run-together.txt",
    ]));
    let d = f["files"][0]["diagnostics"].as_array().unwrap();
    assert!(d
        .iter()
        .filter(|d| d["rule"] == "table-shape")
        .all(|d| d["severity"] == "note"));
    assert!(!d
        .iter()
        .any(|d| d["rule"] == "table-missing" || d["rule"] == "section-missing"));
}

#[test]
fn explain_prints_the_rule_page() {
    let o = run(&["explain", "--no-config", "t3-balance"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("# t3-balance"), "{}", stdout(&o));
    let o = run(&["explain", "--no-config", "t3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("t3-balance"),
        "suggests near ids"
    );
    let o = run(&[
        "explain",
        "--no-config",
        "--rules",
        "fixtures/tutorial/my-rules",
        "part-five-rectification",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("第五部分应说明上一年度报告所列问题的整改情况"));
}

#[test]
fn a_human_batch_ends_with_findings_per_rule_and_unreadable_files() {
    let o = run(&[
        "check",
        "--no-config",
        "--color",
        "never",
        "fixtures/seeds",
        "fixtures/inputs/empty.txt",
    ]);
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("按规则："))
        .expect("per-rule summary");
    let counts: Vec<usize> = line
        .trim_start_matches("按规则：")
        .split('，')
        .map(|p| p.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first: {line}"
    );
    assert!(out.contains("无法读取：fixtures/inputs/empty.txt"), "{out}");
}

#[test]
fn new_rule_scaffolds_a_rule_whose_tests_pass() {
    let dir = std::env::temp_dir().join(format!("rl-new-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let d = dir.to_str().unwrap();
    let o = run(&["new-rule", "my-check", d]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "my-check.rhai",
        "my-check.md",
        "fire-my-check.txt",
        "fire-my-check.expect",
        "quiet-my-check.txt",
        "quiet-my-check.expect",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let o = run(&["test-rules", "--no-config", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(
        run(&["new-rule", "my-check", d]).status.code(),
        Some(2),
        "never overwrites"
    );
    assert_eq!(run(&["new-rule", "Bad_Id", d]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

/// `report-lint dump … | head -1`: the reader goes away after the first line of
/// an output larger than a pipe's buffer; no panic, no message.
#[test]
fn closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_report-lint"))
        .args(["dump", "fixtures/seeds/002.txt"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The pipe's read end is dropped here.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!first.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `[options.<rule>]` reaches the rule as `rule_options()`: a province that wants
/// 乡镇街道 reports by 1 February sees the 2024-03-29 signature of a 2023 report as late;
/// the default (31 March) does not. A wrong rule id or a wrong value is reported.
#[test]
fn rule_options_set_local_deadlines() {
    let file = "fixtures/rules/publication-late/quiet-003-township-march.txt";
    let fired = |cfg: Option<&std::path::Path>| {
        let mut args = vec!["check", "--format", "json"];
        let c;
        match cfg {
            Some(p) => {
                c = p.display().to_string();
                args.extend(["--config", c.as_str()]);
            }
            None => args.push("--no-config"),
        }
        args.push(file);
        let v: serde_json::Value = serde_json::from_str(&stdout(&run(&args))).unwrap();
        rule_lines(&v).iter().any(|(r, _)| r == "publication-late")
    };
    assert!(!fired(None));
    let cfg = temp_config(
        "deadline",
        "[options.publication-late]\ntownship = \"02-01\"\n",
    );
    assert!(fired(Some(&cfg)));

    let bad_id = temp_config("deadline-id", "[options.publication-lately]\nx = 1\n");
    let o = run(&["check", "--config", bad_id.to_str().unwrap(), file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(":1:"));

    let bad_value = temp_config(
        "deadline-val",
        "[options.publication-late]\ntownship = \"Feb 1\"\n",
    );
    let o = run(&[
        "check",
        "--format",
        "json",
        "--config",
        bad_value.to_str().unwrap(),
        file,
    ]);
    assert_eq!(o.status.code(), Some(2), "a rule error exits 2");
    assert!(stdout(&o).contains("MM-DD"), "{}", stdout(&o));
}

#[test]
fn a_crawler_report_on_one_line_is_shown_around_the_finding() {
    // The whole 2024 report is line 10 (2,638 characters): the human output
    // shows the words around each finding, says so, and keeps the real column.
    let file = "fixtures/rules/t2-stock-continuity/fire-crawler-2024.txt";
    let o = run(&["check", "--no-config", "--color", "never", file]);
    let out = stdout(&o);
    assert!(
        out.contains(&format!("--> {file}:10:1404")),
        "real line and column: {out}"
    );
    assert!(
        out.contains("= note: 第 10 行共 2638 字，只显示第 1364–1450 字"),
        "{out}"
    );
    assert!(out.contains("行政规范性文件6233440"), "{out}");
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 200, "a line of {longest} characters: {out}");
}

#[test]
fn an_opt_in_rule_runs_only_when_the_config_gives_it_a_level() {
    // Seed 000: 39 cases in table 4 against 11 requests in table 3.
    let seed = "fixtures/seeds/000.txt";
    let fired = |o: &std::process::Output| {
        json(o)["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "t4-vs-t3-volume")
    };
    let off = run(&["check", "--no-config", "--format", "json", seed]);
    assert!(!fired(&off), "off by default");
    let listed = stdout(&run(&["rules", "--no-config"]));
    let line = listed
        .lines()
        .find(|l| l.starts_with("t4-vs-t3-volume "))
        .unwrap();
    assert_eq!(line.split_whitespace().nth(2), Some("off"), "{line}");
    let cfg = temp_config("opt-in", "[rules]\nt4-vs-t3-volume = \"warning\"\n");
    let on = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "json",
        seed,
    ]);
    assert!(fired(&on), "on when configured");
    let d = json(&on)["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "t4-vs-t3-volume")
        .cloned()
        .unwrap();
    assert_eq!(d["severity"], "warning");
}

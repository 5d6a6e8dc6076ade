//! Cross-year checks end to end: a batch pairs reports by organ and year,
//! `--previous` pairs a draft, `[organs]` maps a renamed organ, and a finding
//! spanning two files shows both in the human, JSON and SARIF outputs.

mod common;
use common::{run, stdout};
use std::path::{Path, PathBuf};

const PREV: &str = "fixtures/rules/yoy-change-mismatch/prev-2023.txt";
const CUR: &str = "fixtures/seeds/002.txt";

/// A fresh folder with last year's and this year's report of one organ.
fn batch(tag: &str, prev_text: Option<String>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-xy-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prev = prev_text.unwrap_or_else(|| std::fs::read_to_string(root.join(PREV)).unwrap());
    std::fs::write(dir.join("a-2023.txt"), prev).unwrap();
    std::fs::copy(root.join(CUR), dir.join("b-2024.txt")).unwrap();
    dir
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

/// (file name, rule) of every cross-year finding.
fn cross_year(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in v["files"].as_array().unwrap() {
        let name = Path::new(f["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for d in f["diagnostics"].as_array().unwrap() {
            let rule = d["rule"].as_str().unwrap();
            if [
                "carry-over-mismatch",
                "t2-stock-continuity",
                "t2-items-continuity",
                "yoy-change-mismatch",
                "copied-from-previous-year",
                "format-transition",
            ]
            .contains(&rule)
            {
                out.push((name.clone(), rule.to_string()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_batch_pairs_consecutive_years_of_one_organ() {
    let dir = batch("pair", None);
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    let v = json(&o);
    // 2024 against 2023: the same narrative (copied), 60 vs 23 is not +261%.
    // 2023 has no predecessor in the batch: no cross-year finding.
    assert_eq!(
        cross_year(&v),
        vec![
            ("b-2024.txt".into(), "copied-from-previous-year".into()),
            ("b-2024.txt".into(), "yoy-change-mismatch".into()),
        ]
    );
    // The label in last year's report carries that file's path and its own line.
    let file = &v["files"][1];
    let d = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "yoy-change-mismatch")
        .unwrap();
    let other = d["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l.get("path").is_some())
        .expect("a label in the other file");
    assert!(
        other["path"].as_str().unwrap().ends_with("a-2023.txt"),
        "{other}"
    );
    assert_eq!(other["span"]["line"], 63, "table 3 本年新收 总计 of 2023");
    assert!(d["labels"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.get("path").is_none() && l["span"]["line"] == 9));
}

#[test]
fn one_file_alone_skips_the_cross_year_rules() {
    let o = run(&["check", "--no-config", "--format", "json", CUR]);
    assert!(cross_year(&json(&o)).is_empty());
}

#[test]
fn previous_pairs_a_draft_and_the_human_output_shows_both_files() {
    let o = run(&["check", "--no-config", "--previous", PREV, CUR]);
    let text = stdout(&o);
    let start = text.find("warning[yoy-change-mismatch]").expect(&text);
    let block = &text[start..text[start..].find("\n\n").map_or(text.len(), |i| start + i)];
    assert!(block.contains(&format!("--> {CUR}:9:")), "{block}");
    assert!(block.contains(&format!("--> {PREV}:63:1")), "{block}");
    assert!(block.contains("上年：23"), "{block}");
}

#[test]
fn sarif_related_locations_name_the_other_file() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "sarif",
        "--previous",
        PREV,
        CUR,
    ]);
    let v = json(&o);
    let r = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "carry-over-mismatch" || r["ruleId"] == "yoy-change-mismatch")
        .expect("a cross-year result");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        CUR
    );
    let uris: Vec<&str> = r["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&PREV), "{uris:?}");
}

#[test]
fn an_unreadable_previous_is_an_error_naming_it() {
    let o = run(&[
        "check",
        "--no-config",
        "--previous",
        "no/such/2023.txt",
        CUR,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no/such/2023.txt") && err.contains("--previous"),
        "{err}"
    );
}

#[test]
fn organs_table_pairs_a_renamed_organ() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let renamed = std::fs::read_to_string(root.join(PREV)).unwrap().replacen(
        "重庆市荣昌区人民政府办公室",
        "荣昌县人民政府办公室",
        1,
    );
    let dir = batch("organs", Some(renamed));
    let path = dir.to_str().unwrap();
    let alone = run(&["check", "--no-config", "--format", "json", path]);
    assert!(
        cross_year(&json(&alone)).is_empty(),
        "different organs: no pair"
    );
    let cfg = dir.join("report-lint.toml");
    std::fs::write(
        &cfg,
        "[organs]\n\"荣昌县人民政府办公室\" = \"重庆市荣昌区人民政府办公室\"\n",
    )
    .unwrap();
    let o = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "json",
        path,
    ]);
    assert!(
        cross_year(&json(&o)).contains(&("b-2024.txt".into(), "yoy-change-mismatch".into())),
        "{}",
        stdout(&o)
    );
    // A wrong value names the line.
    std::fs::write(&cfg, "[organs]\n\"甲局\" = 1\n").unwrap();
    let o = run(&["check", "--config", cfg.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("report-lint.toml:2:"), "{err}");
}

/// The real 洪泽区 2023 → 2024 pair (fixtures/crossyear/PROVENANCE). Checked by
/// hand: 上年结转 0 = 2023 结转下年度 0 in every column; 行政规范性文件
/// 5 + 3 − 0 = 8 as stated; no “较上年” statement; in part 五, measure 一
/// (“针对存在问题……一是扎实推进依申请公开工作……专业化水平。”) is the 2023 text with
/// “下一步，” replaced by “2025 年我们”, and measure 三 (“三是继续加强业务指导培训，
/// 实行……跟班学习制度……水平。”) is 2023's two sentences written as one. So two
/// findings, both in part 五.
#[test]
fn the_hongze_pair_yields_the_copied_part_five_measures() {
    let dir = "fixtures/crossyear";
    // 2023 is signed 洪泽区人民政府, 2024 淮安市洪泽区人民政府: paired by the city
    // prefix, and by the [organs] table just as well.
    for args in [
        vec!["check", "--no-config", "--format", "json", dir],
        vec![
            "check",
            "--config",
            "fixtures/crossyear/hongze-organs.toml",
            "--format",
            "json",
            dir,
        ],
    ] {
        let v = json(&run(&args));
        assert_eq!(
            cross_year(&v),
            vec![("hongze-2024.txt".into(), "copied-from-previous-year".into()); 2],
            "{args:?}"
        );
    }
    let v = json(&run(&["check", "--no-config", "--format", "json", dir]));
    let f = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("hongze-2024.txt"))
        .unwrap();
    let found: Vec<(i64, i64, i64, i64)> = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "copied-from-previous-year")
        .map(|d| {
            assert!(d["message"].as_str().unwrap().contains("第五部分"));
            let l = &d["labels"][0];
            assert!(l["path"].as_str().unwrap().ends_with("hongze-2023.txt"));
            (
                d["line"].as_i64().unwrap(),
                d["column"].as_i64().unwrap(),
                l["span"]["line"].as_i64().unwrap(),
                l["span"]["column"].as_i64().unwrap(),
            )
        })
        .collect();
    // Measure 一 and measure 三 of part 五 (line 60 in both years).
    assert_eq!(found, vec![(60, 1, 60, 92), (60, 190, 60, 231)]);
}

/// A label's `report` must be a report handle (this one or `report.previous`):
/// anything else is a rule error naming the finding, and the run exits 2.
#[test]
fn a_label_with_a_wrong_report_is_a_rule_error() {
    let dir = std::env::temp_dir().join(format!("rl-xy-badlabel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("bad-label.rhai"),
        r#"const META = #{ id: "bad-label", severity: "warning", family: "cross-year", summary: "x", reference: "test" };
fn check(report) {
    let prev = report.previous;
    if prev == () { return (); }
    [#{ message: "m", span: report.title_span, labels: [#{ span: prev.title_span, message: "x", report: 5 }] }]
}
"#,
    )
    .unwrap();
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--rules",
        dir.to_str().unwrap(),
        "--previous",
        PREV,
        CUR,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let e = v["rule_errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rule"] == "bad-label")
        .expect("a rule error");
    assert!(e["message"].as_str().unwrap().contains("report"), "{e}");
}

/// Two 2023 reports of one organ (a generated report and the same report with
/// its title's year slipped to 2022, the data still 2023年1月1日 to 12月31日).
/// Paired by the title, the slip made it “last year's report” of the other:
/// `copied-from-previous-year`, `carry-over-mismatch` ×4, `t2-stock-continuity`
/// and `yoy-change-mismatch` on a correct report. Pairing follows the data's
/// year; the slip itself is `year-consistency`.
#[test]
fn a_title_year_slip_does_not_make_a_report_last_year() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/crossyear/mistitled",
    ]);
    let v = json(&o);
    assert!(cross_year(&v).is_empty(), "{:?}", cross_year(&v));
    let rules: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .filter(|d| d["severity"] != "note")
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"year-consistency"), "{rules:?}");
}

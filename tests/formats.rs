//! The output formats of `check` (SARIF, GitHub, JUnit, CSV): snapshots on two
//! seeds, structural checks, `--output` and `--max-warnings`.

mod common;
use common::{assert_snapshot, run, stdout};
use serde_json::Value;
use std::path::Path;

/// (format, snapshot file extension)
const FORMATS: [(&str, &str); 4] = [
    ("sarif", "sarif"),
    ("github", "github"),
    ("junit", "junit.xml"),
    ("csv", "csv"),
];

#[test]
fn format_snapshots() {
    for seed in ["000", "001"] {
        for (format, ext) in FORMATS {
            let o = run(&[
                "check",
                "--no-config",
                "--format",
                format,
                &format!("fixtures/seeds/{seed}.txt"),
            ]);
            let expected = if seed == "001" { 1 } else { 0 };
            assert_eq!(o.status.code(), Some(expected), "{format} on {seed}");
            assert_snapshot(
                Path::new(&format!("fixtures/outputs/{seed}.{ext}")),
                &stdout(&o),
            );
        }
    }
}

fn sarif(args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec!["check", "--no-config", "--format", "sarif"];
    all.extend_from_slice(args);
    let o = run(&all);
    let v = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(&o)));
    (v, o.status.code())
}

/// The number of findings `check --format json` reports on `paths`.
fn finding_count(paths: &[&str]) -> usize {
    let mut args = vec!["check", "--no-config", "--format", "json"];
    args.extend_from_slice(paths);
    let v: Value = serde_json::from_str(&stdout(&run(&args))).unwrap();
    ["errors", "warnings", "notes"]
        .iter()
        .map(|k| v["summary"][k].as_u64().unwrap() as usize)
        .sum()
}

fn positive(v: &Value) -> bool {
    v.as_u64().is_some_and(|n| n >= 1)
}

fn message_text(v: &Value, what: &str) {
    assert!(
        v["message"]["text"].as_str().is_some_and(|t| !t.is_empty()),
        "{what} needs message.text: {v}"
    );
}

/// A physicalLocation: an artifactLocation with a uri, and a region whose
/// lines and columns are positive, the end not before the start.
fn physical_location(p: &Value, what: &str) {
    assert!(
        p["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| !u.is_empty() && !u.contains(' ')),
        "{what}: artifactLocation.uri: {p}"
    );
    let r = &p["region"];
    if r.is_null() {
        return;
    }
    assert!(positive(&r["startLine"]), "{what}: startLine: {r}");
    for k in ["startColumn", "endLine", "endColumn"] {
        assert!(r[k].is_null() || positive(&r[k]), "{what}: {k}: {r}");
    }
    if let (Some(sl), Some(el)) = (r["startLine"].as_u64(), r["endLine"].as_u64()) {
        assert!(el >= sl, "{what}: end before start: {r}");
        if el == sl {
            if let (Some(sc), Some(ec)) = (r["startColumn"].as_u64(), r["endColumn"].as_u64()) {
                assert!(ec >= sc, "{what}: end column before start: {r}");
            }
        }
    }
    for k in ["charOffset", "charLength"] {
        assert!(r[k].is_null() || r[k].is_u64(), "{what}: {k}: {r}");
    }
}

/// The properties and types SARIF 2.1.0 requires of what report-lint writes
/// (the official schema is not available offline).
fn validate_sarif(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = doc["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    for run in runs {
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "report-lint");
        assert!(driver["version"].is_string());
        let rules = driver["rules"].as_array().expect("driver.rules");
        assert!(!rules.is_empty());
        let mut ids = Vec::new();
        for r in rules {
            let id = r["id"].as_str().expect("rule id");
            assert!(!ids.contains(&id), "duplicate rule {id}");
            ids.push(id);
            assert!(r["shortDescription"]["text"].is_string(), "{r}");
            if let Some(level) = r["defaultConfiguration"]["level"].as_str() {
                assert!(["none", "note", "warning", "error"].contains(&level), "{r}");
            }
            if let Some(uri) = r["helpUri"].as_str() {
                assert_eq!(uri, format!("docs/rules/{id}.md"));
            }
        }
        let results = run["results"].as_array().expect("results is an array");
        for res in results {
            let id = res["ruleId"].as_str().expect("ruleId");
            assert!(ids.contains(&id), "ruleId {id} not in tool.driver.rules");
            if let Some(i) = res["ruleIndex"].as_u64() {
                assert_eq!(rules[i as usize]["id"], id, "ruleIndex");
            }
            let level = res["level"].as_str().expect("level");
            assert!(["note", "warning", "error"].contains(&level), "{level}");
            message_text(res, "result");
            let locations = res["locations"].as_array().expect("locations");
            assert!(!locations.is_empty());
            for l in locations {
                physical_location(&l["physicalLocation"], "result location");
                assert!(!l["physicalLocation"]["region"].is_null());
            }
            if let Some(related) = res.get("relatedLocations") {
                for l in related.as_array().expect("relatedLocations is an array") {
                    assert!(l["id"].is_u64());
                    message_text(l, "related location");
                    physical_location(&l["physicalLocation"], "related location");
                }
            }
        }
        let invocations = run["invocations"].as_array().expect("invocations");
        for inv in invocations {
            assert!(inv["executionSuccessful"].is_boolean());
            if let Some(ns) = inv.get("toolExecutionNotifications") {
                for n in ns.as_array().unwrap() {
                    message_text(n, "notification");
                    assert!(["none", "note", "warning", "error"]
                        .contains(&n["level"].as_str().unwrap()));
                    for l in n["locations"].as_array().into_iter().flatten() {
                        physical_location(&l["physicalLocation"], "notification location");
                    }
                }
            }
        }
    }
}

#[test]
fn sarif_is_structurally_valid() {
    let (doc, code) = sarif(&["fixtures/seeds"]);
    assert_eq!(code, Some(1));
    validate_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        finding_count(&["fixtures/seeds"]),
        "every finding is a result"
    );
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );

    // Secondary labels become relatedLocations; a character offset counts code points.
    let (doc, _) = sarif(&["fixtures/rules/t3-balance/fire-002-r7-natural.txt"]);
    validate_sarif(&doc);
    let balance = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "t3-balance")
        .unwrap();
    assert!(!balance["relatedLocations"].as_array().unwrap().is_empty());
    let region = &balance["locations"][0]["physicalLocation"]["region"];
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rules/t3-balance/fire-002-r7-natural.txt"),
    )
    .unwrap();
    let at: String = text
        .chars()
        .skip(region["charOffset"].as_u64().unwrap() as usize)
        .take(region["charLength"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(at, "63");

    // Rule errors and unreadable files are tool execution notifications.
    let (doc, code) = sarif(&[
        "--rules",
        "fixtures/rules-broken/runaway",
        "--rules",
        "fixtures/rules-broken/compile-error",
        "fixtures/seeds/001.txt",
        "fixtures/inputs/binary.bin",
        "fixtures/inputs/no-such-file.txt",
    ]);
    assert_eq!(code, Some(2));
    validate_sarif(&doc);
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["exitCode"], 2);
    let ids: Vec<&str> = inv["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["descriptor"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.iter().filter(|i| **i == "read").count(),
        2,
        "two unreadable files: {ids:?}"
    );
    assert_eq!(
        ids.iter().filter(|i| **i == "rule-error").count(),
        3,
        "a load error and two run errors: {ids:?}"
    );
}

#[test]
fn sarif_records_configured_levels() {
    let cfg = common::temp_config(
        "sarif-cfg",
        "[rules]\nheading-whitespace = \"off\"\nsection-heading-text = \"error\"\n",
    );
    let dir = cfg.parent().unwrap().to_path_buf();
    let o = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "sarif",
        "fixtures/seeds/001.txt",
    ]);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    validate_sarif(&doc);
    let overrides = doc["runs"][0]["invocations"][0]["ruleConfigurationOverrides"]
        .as_array()
        .unwrap();
    let get = |id: &str| {
        overrides
            .iter()
            .find(|o| o["descriptor"]["id"] == id)
            .unwrap_or_else(|| panic!("{id} overridden"))
    };
    assert_eq!(get("heading-whitespace")["configuration"]["enabled"], false);
    assert_eq!(
        get("section-heading-text")["configuration"]["level"],
        "error"
    );
    // The rule keeps its built-in default; the results carry the effective level.
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let text_rule = rules
        .iter()
        .find(|r| r["id"] == "section-heading-text")
        .unwrap();
    assert_eq!(text_rule["defaultConfiguration"]["level"], "warning");
    assert!(doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "section-heading-text")
        .all(|r| r["level"] == "error"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn github_lines_are_workflow_commands() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "github",
        "fixtures/seeds",
        "fixtures/inputs/no-such-file.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        finding_count(&["fixtures/seeds"]) + 1,
        "the findings and one unreadable file:\n{out}"
    );
    for l in &lines {
        assert!(
            l.starts_with("::error file=")
                || l.starts_with("::warning file=")
                || l.starts_with("::notice file="),
            "{l}"
        );
        let (props, _msg) = l[2..].split_once("::").expect("two :: separators");
        assert!(props.contains(",title="), "{l}");
    }
    assert!(out.contains("::error file=fixtures/inputs/no-such-file.txt,title=read::"));
}

/// A minimal well-formedness check: every element is closed in order.
fn balanced_xml(xml: &str) {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("XML declaration");
    let tag = regex::Regex::new(
        r#"<(/?)([A-Za-z-]+)((?:\s+[a-z]+="[^"<&]*(?:&[a-z]+;[^"<&]*)*")*)\s*(/?)>"#,
    )
    .unwrap();
    let mut stack: Vec<String> = Vec::new();
    let mut last = 0;
    for c in tag.captures_iter(body) {
        let m = c.get(0).unwrap();
        let between = &body[last..m.start()];
        assert!(!between.contains('<'), "stray < in {between:?}");
        last = m.end();
        let name = c[2].to_string();
        if &c[1] == "/" {
            assert_eq!(stack.pop().as_deref(), Some(name.as_str()), "close {name}");
        } else if &c[4] != "/" {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert!(body[last..].trim().is_empty());
}

#[test]
fn junit_fails_a_rule_at_the_failing_level() {
    let junit = |fail_on: &str| {
        let o = run(&[
            "check",
            "--no-config",
            "--format",
            "junit",
            "--fail-on",
            fail_on,
            "fixtures/seeds/001.txt",
            "fixtures/inputs/empty.txt",
        ]);
        stdout(&o)
    };
    let out = junit("error");
    balanced_xml(&out);
    // One rule fails on 001 (section-heading-missing); empty.txt cannot be read.
    let head = out.lines().nth(1).unwrap();
    assert!(
        head.starts_with("<testsuites name=\"report-lint\" tests=\"")
            && head.ends_with(" failures=\"1\" errors=\"1\">"),
        "{head}"
    );
    assert!(out.contains("<testcase name=\"read\" classname=\"fixtures/inputs/empty.txt\">"));
    let out = junit("warning");
    balanced_xml(&out);
    assert!(out.contains("<failure message=\"2 处问题，第一处：第二部分标题应为"));
    assert!(out.contains(" type=\"warning\">11:3 第二部分标题应为"));
}

/// RFC 4180 records (quoted fields may hold `,`, `""` and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CRLF line ends");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        row.is_empty() && field.is_empty(),
        "the last record ends with CRLF"
    );
    rows
}

const CSV_HEADER: &str =
    "file,organ,year,status,rule,severity,severity_en,message,line,column,place,label,notes,help,input,format";

/// The seeds, an empty file and a DOCX, with `--fail-on warning`, in `format`.
fn batch_output(format: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "check",
        "--no-config",
        "--format",
        format,
        "--fail-on",
        "warning",
        "fixtures/seeds",
        "fixtures/inputs/empty.txt",
        "fixtures/inputs/docx/seed-003.docx",
    ];
    args.extend_from_slice(extra);
    run(&args).stdout
}

/// What a finding row must hold, from the JSON document: one row per finding
/// (or one per file without findings), with its place in the original.
fn expected_rows(json: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for f in json["files"].as_array().unwrap() {
        let s = |v: &Value| match v {
            Value::Null => String::new(),
            Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        let diags = f["diagnostics"].as_array().unwrap();
        let failing = diags.iter().any(|d| d["severity"] != "note");
        let status = if f["status"] == "error" {
            "error"
        } else if failing {
            "fail"
        } else {
            "pass"
        };
        let head = vec![
            s(&f["path"]),
            s(&f["organ"]),
            s(&f["year"]),
            status.to_string(),
        ];
        if diags.is_empty() {
            let mut r = head.clone();
            r.extend(vec![String::new(); 3]);
            r.push(s(&f["error"]));
            r.extend(vec![String::new(); 6]);
            out.push(r);
            continue;
        }
        for d in diags {
            let zh = match d["severity"].as_str().unwrap() {
                "error" => "错误",
                "warning" => "警告",
                _ => "提示",
            };
            let mut r = head.clone();
            r.extend([
                s(&d["rule"]),
                zh.to_string(),
                s(&d["severity"]),
                s(&d["message"]),
                s(&d["line"]),
                s(&d["column"]),
            ]);
            // The place is checked by the caller (it needs the origin's words).
            r.push(String::new());
            r.push(s(&d["label"]));
            let notes: Vec<String> = d["notes"].as_array().unwrap().iter().map(s).collect();
            r.push(notes.join("\n"));
            r.push(s(&d["help"]));
            out.push(r);
        }
    }
    out
}

#[test]
fn csv_has_a_row_per_finding_with_its_place() {
    let dir = std::env::temp_dir().join(format!("rl-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A name that needs quoting.
    let odd = dir.join("报告,\"草稿\".txt");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/003.txt"),
        &odd,
    )
    .unwrap();
    let raw = batch_output("csv", &[odd.to_str().unwrap()]);
    assert!(raw.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let text = String::from_utf8(raw[3..].to_vec()).unwrap();
    assert!(text.starts_with(&format!("{CSV_HEADER}\r\n")));
    let rows = parse_csv(&text);
    let json: Value =
        serde_json::from_slice(&batch_output("json", &[odd.to_str().unwrap()])).unwrap();
    let expected = expected_rows(&json);
    assert_eq!(rows.len(), expected.len() + 1, "a header and the rows");
    for (row, want) in rows[1..].iter().zip(&expected) {
        assert_eq!(row.len(), 16, "{row:?}");
        for (i, (got, want)) in row.iter().zip(want).enumerate() {
            if i != 10 {
                assert_eq!(got, want, "column {i} of {row:?}");
            }
        }
        // The place: the original's words for DOCX, line and column for text.
        if !row[4].is_empty() {
            if row[0].ends_with(".docx") {
                assert!(row[10].starts_with("DOCX "), "{row:?}");
                assert_eq!(row[14], "docx");
            } else {
                // Text: the line and column, after the table cell when in one.
                let at = format!("第 {} 行 第 {} 列", row[8], row[9]);
                assert!(
                    row[10] == at || row[10].ends_with(&format!("（{at}）")),
                    "{row:?}"
                );
            }
        }
    }
    // Every seed appears, each of its findings once; an unreadable file has its row.
    for seed in ["000", "001", "002", "003", "004"] {
        let path = format!("fixtures/seeds/{seed}.txt");
        let f = json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path.as_str())
            .unwrap();
        let n = f["diagnostics"].as_array().unwrap().len().max(1);
        assert_eq!(rows.iter().filter(|r| r[0] == path).count(), n, "{path}");
    }
    assert!(rows
        .iter()
        .any(|r| r[0] == "fixtures/inputs/empty.txt" && r[3] == "error" && r[7].contains("为空")));
    assert!(rows.iter().any(|r| r[0].ends_with("报告,\"草稿\".txt")));
    assert!(
        text.contains("报告,\"\"草稿\"\".txt\","),
        "quoted and doubled"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Read an XLSX back with an independent reader (python's openpyxl,
/// installed by scripts/setup.sh): sheets, rows, frozen panes, filters.
fn read_xlsx(path: &Path) -> Value {
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb:
    rows = [["" if v is None else (str(int(v)) if isinstance(v, (int, float)) else str(v)) for v in r]
            for r in ws.iter_rows(values_only=True)]
    out[ws.title] = {"rows": rows, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                     "widths": [ws.column_dimensions[c].width for c in "ABCDEFGH"]}
print(json.dumps(out, ensure_ascii=False))
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 is needed to read the XLSX back (scripts/setup.sh)");
    assert!(
        o.status.success(),
        "openpyxl could not read the workbook (run scripts/setup.sh): {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn xlsx_has_a_summary_and_the_findings_and_opens_in_openpyxl() {
    let dir = std::env::temp_dir().join(format!("rl-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("汇总.xlsx");
    batch_output("xlsx", &["-o", file.to_str().unwrap()]);
    let book = read_xlsx(&file);
    let json: Value = serde_json::from_slice(&batch_output("json", &[])).unwrap();
    let files = json["files"].as_array().unwrap();

    let summary = &book["汇总"];
    let rows = summary["rows"].as_array().unwrap();
    assert_eq!(summary["freeze"], "A2", "header frozen");
    assert!(summary["filter"]
        .as_str()
        .is_some_and(|f| f.starts_with("A1:")));
    assert!(
        summary["widths"][0].as_f64().unwrap() >= 30.0,
        "wide file column"
    );
    assert_eq!(rows[0][0], "文件");
    assert_eq!(rows.len(), files.len() + 1);
    for (row, f) in rows[1..].iter().zip(files) {
        let diags = f["diagnostics"].as_array().unwrap();
        let count = |s: &str| {
            diags
                .iter()
                .filter(|d| d["severity"] == s)
                .count()
                .to_string()
        };
        assert_eq!(row[0], f["path"]);
        assert_eq!(row[5], count("error").as_str(), "{row}");
        assert_eq!(row[6], count("warning").as_str(), "{row}");
        assert_eq!(row[7], count("note").as_str(), "{row}");
        let status = if f["status"] == "error" {
            "无法读取"
        } else if diags.iter().any(|d| d["severity"] != "note") {
            "未通过"
        } else {
            "通过"
        };
        assert_eq!(row[8], status, "{row}");
    }

    // The findings sheet holds the CSV's rows (status in Chinese).
    let findings = &book["问题"];
    assert_eq!(findings["freeze"], "A2");
    assert!(findings["filter"]
        .as_str()
        .is_some_and(|f| f.starts_with("A1:")));
    let rows = findings["rows"].as_array().unwrap();
    let csv = batch_output("csv", &[]);
    let csv = parse_csv(std::str::from_utf8(&csv[3..]).unwrap());
    assert_eq!(rows.len(), csv.len());
    for (x, c) in rows[1..].iter().zip(&csv[1..]) {
        for i in (0..16).filter(|&i| i != 3) {
            assert_eq!(x[i], c[i].as_str(), "column {i}: {x} vs {c:?}");
        }
    }
    assert!(rows
        .iter()
        .any(|r| r[4] == "section-heading-missing" && r[10] == "表三（第 52 行 第 1 列）"));
    assert!(rows.iter().any(|r| r[0] == "fixtures/seeds/000.txt"
        && r[4] == "nvt-review-unmentioned"
        && r[10] == "表四 行政复议 / 总计（第 62 行 第 18 列）"));
    assert!(rows
        .iter()
        .any(|r| r[0] == "fixtures/inputs/docx/seed-003.docx"
            && r[10].as_str().unwrap().starts_with("DOCX ")));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn output_writes_to_a_file() {
    let dir = std::env::temp_dir().join(format!("rl-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for format in ["human", "json", "sarif", "github", "junit", "csv"] {
        let file = dir.join(format!("out.{format}"));
        let to_file = run(&[
            "check",
            "--no-config",
            "--format",
            format,
            "--color",
            "auto",
            "--output",
            file.to_str().unwrap(),
            "fixtures/seeds/001.txt",
        ]);
        assert_eq!(to_file.status.code(), Some(1), "{format}");
        assert!(to_file.stdout.is_empty(), "{format}: nothing on stdout");
        let written = std::fs::read(&file).unwrap();
        let to_stdout = run(&[
            "check",
            "--no-config",
            "--format",
            format,
            "fixtures/seeds/001.txt",
        ]);
        assert_eq!(written, to_stdout.stdout, "{format}: same as stdout");
        assert!(!written.contains(&0x1b), "{format}: no colour codes");
    }
    // An output file that cannot be created is a tool error.
    let o = run(&[
        "check",
        "--no-config",
        "--output",
        dir.join("no-such-dir/out.txt").to_str().unwrap(),
        "fixtures/seeds/000.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-dir"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn output_file_inside_a_checked_folder_is_not_checked() {
    let dir = std::env::temp_dir().join(format!("rl-output-self-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/003.txt"),
        dir.join("003.txt"),
    )
    .unwrap();
    let out = dir.join("result.txt");
    for _ in 0..2 {
        let o = run(&[
            "check",
            "--no-config",
            "--output",
            out.to_str().unwrap(),
            dir.to_str().unwrap(),
        ]);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("检查了 1 个文件"), "{text}");
        assert_ne!(o.status.code(), Some(2), "{text}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn max_warnings_fails_the_run() {
    // A seed with warnings but no error.
    let v: Value = serde_json::from_str(&stdout(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/seeds",
    ])))
    .unwrap();
    let (path, warnings) = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|f| {
            let diags = f["diagnostics"].as_array().unwrap();
            let n = |s: &str| diags.iter().filter(|d| d["severity"] == s).count();
            (n("error") == 0 && n("warning") > 0)
                .then(|| (f["path"].as_str().unwrap().to_string(), n("warning")))
        })
        .expect("a seed with warnings and no error");
    let status = |extra: &[&str]| {
        let mut args = vec!["check", "--no-config"];
        args.extend_from_slice(extra);
        args.push(&path);
        run(&args).status.code()
    };
    let at = warnings.to_string();
    let below = (warnings - 1).to_string();
    assert_eq!(status(&[]), Some(0));
    assert_eq!(status(&["--max-warnings", &at]), Some(0));
    assert_eq!(status(&["--max-warnings", &below]), Some(1));
    assert_eq!(
        status(&["--format", "csv", "--max-warnings", &below]),
        Some(1)
    );
    let o = run(&["check", "--no-config", "--max-warnings", &below, &path]);
    assert!(stdout(&o).contains(&format!(
        "警告数 {warnings} 超过上限 {below}（--max-warnings）"
    )));
    // Unreadable files still take precedence.
    assert_eq!(
        status(&["--max-warnings", &below, "fixtures/inputs/empty.txt"]),
        Some(2)
    );
    // Not a number: usage error.
    assert_eq!(status(&["--max-warnings", "many"]), Some(2));
}

//! HTML pages and legacy encodings: corpus 007 (a 2019 trial-format page with
//! rowspan 20 and `&nbsp;` blanks) read completely, findings located in the
//! HTML table, GBK with and without `<meta charset>`, GBK plain text,
//! UTF-16 with a BOM, `--encoding`, pages without a report, and mangled
//! pages that must end in a result or a clean error, never a panic or a hang.

mod common;
use common::{run, stdout};
use report_lint::engine::{RuleOptions, RuleSet};
use report_lint::input::{decode, read_path, InputError};
use report_lint::model::{FormatVersion, Report, Value as CellValue};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const P007: &str = "fixtures/inputs/html/007.html";

fn model(path: &str) -> Report {
    let src = read_path(Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    report_lint::parse::parse(&src)
}

fn int(r: &Report, table: &str, row: &str, col: &str) -> Option<i64> {
    let t = r.tables.iter().find(|t| t.kind == table)?;
    let c = t
        .rows
        .iter()
        .find(|x| x.key == row)?
        .cells
        .iter()
        .find(|c| c.col == col)?;
    match c.value {
        CellValue::Integer(v) => Some(v),
        CellValue::Blank => Some(0),
        _ => None,
    }
}

fn check_json(args: &[&str]) -> Value {
    let mut all = vec!["check", "--no-config", "--format", "json"];
    all.extend_from_slice(args);
    let o = run(&all);
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)))
}

#[test]
fn corpus_007_reads_all_three_tables_completely() {
    let r = model(P007);
    assert_eq!(r.input_format, "html");
    assert_eq!(r.encoding, "utf-8");
    let kinds: Vec<&str> = r.tables.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(kinds, ["t2", "t3", "t4"]);
    for t in &r.tables {
        assert_eq!(t.format, Some(FormatVersion::V2019), "{}", t.kind);
        assert!(
            t.shape_issues.is_empty(),
            "{}: {:?}",
            t.kind,
            t.shape_issues
        );
        for row in &t.rows {
            assert!(
                row.cells
                    .iter()
                    .all(|c| !matches!(c.value, CellValue::Missing)),
                "{} {}: a cell is missing",
                t.kind,
                row.key
            );
        }
    }
    let t2 = &r.tables[0];
    assert_eq!(t2.rows.len(), 8);
    let t3 = &r.tables[1];
    // The 2019 trial format: 23 rows, seven columns each.
    assert_eq!(t3.rows.len(), 23);
    assert!(t3.rows.iter().all(|row| row.cells.len() == 7));
    let t4 = &r.tables[2];
    assert_eq!(t4.rows.len(), 3);
    assert!(t4.rows.iter().all(|row| row.cells.len() == 5));

    // Values from the page: 规章 13/13/524; 859 new, 18 carried in, 805
    // processed, 72 carried out; 复议 5 upheld 2 pending 7 in all.
    assert_eq!(int(&r, "t2", "regulations", "made"), Some(13));
    assert_eq!(int(&r, "t2", "regulations", "total_public"), Some(524));
    assert_eq!(int(&r, "t3", "new", "total"), Some(859));
    assert_eq!(int(&r, "t3", "new", "natural"), Some(821));
    assert_eq!(int(&r, "t3", "carried_in", "total"), Some(18));
    assert_eq!(int(&r, "t3", "r7_total", "total"), Some(805));
    assert_eq!(int(&r, "t3", "carried_out", "total"), Some(72));
    assert_eq!(int(&r, "t3", "r3_8_admin_query", "natural"), Some(10));
    assert_eq!(int(&r, "t4", "review", "total"), Some(7));
    assert_eq!(int(&r, "t4", "suit_direct", "total"), Some(9));

    // The identities hold: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度, per column.
    for col in [
        "natural",
        "org_business",
        "org_research",
        "org_public_welfare",
        "org_legal_service",
        "org_other",
        "total",
    ] {
        let g = |row| int(&r, "t3", row, col).unwrap();
        assert_eq!(
            g("new") + g("carried_in"),
            g("r7_total") + g("carried_out"),
            "{col}"
        );
    }
    // And no arithmetic rule finds otherwise.
    let v = check_json(&[P007]);
    let rules: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    for arithmetic in [
        "t3-balance",
        "t3-results-total",
        "t4-group-total",
        "table-shape",
        "table-missing",
    ] {
        assert!(!rules.contains(&arithmetic), "{arithmetic}: {rules:?}");
    }
    assert!(!rules.contains(&"rule-error"), "{rules:?}");
    // All six parts are found.
    let parts: Vec<i64> = r
        .sections
        .iter()
        .filter(|s| s.heading.is_some())
        .map(|s| s.number)
        .collect();
    assert_eq!(parts, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn a_finding_in_an_html_table_names_table_row_and_column() {
    // 007's table 3 has 126 `&nbsp;` cells: one aggregated cell-value
    // warning whose primary span is the first of them, 本年新收 / 科研机构,
    // in the page's 2nd table, grid row 4, column 6 (three label columns,
    // 自然人, 商业企业, 科研机构).
    let v = check_json(&[P007]);
    let d = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["rule"] == "cell-value"
                && d["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("表三（收到和处理政府信息公开申请情况）有 126 个空白单元格")
        })
        .expect("the blank cell is reported");
    assert_eq!(
        d["origin"],
        serde_json::json!({"kind": "html-table", "table": 2, "row": 4, "column": 6})
    );
    let human = stdout(&run(&["check", "--no-config", "--color", "never", P007]));
    assert!(
        human.contains("原文位置：HTML 第 2 个表格 第 4 行 第 6 列"),
        "{human}"
    );
    // A narrative finding names the paragraph.
    let o = run(&[
        "check",
        "--no-config",
        "--color",
        "never",
        "fixtures/inputs/html/seed-002.html",
    ]);
    assert!(
        stdout(&o).contains("原文位置：HTML 正文第"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn view_of_007_repeats_merged_cells_and_keeps_blanks() {
    let o = run(&["dump", "--view", P007]);
    assert!(o.status.success());
    let view = stdout(&o);
    // rowspan 20: 三、本年度办理结果 is in every row it covers.
    assert_eq!(view.matches("| 三、本年度办理结果 |").count(), 20);
    // colspan 2 value repeated; <br> inside a label joined.
    assert!(view.contains("| 规章 | 13 | 13 | 13 | 524 |"), "{view}");
    assert!(view.contains(
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 本年新公开数量 | 对外公开总数量 |"
    ));
    // &nbsp; cells are empty, not dropped.
    assert!(view.contains("| 二、上年结转政府信息公开申请数量 | 二、上年结转政府信息公开申请数量 | 二、上年结转政府信息公开申请数量 | 18 |  |  |  |  |  | 18 |"));
}

#[test]
fn an_html_page_without_a_report_is_a_clear_error() {
    let page = "<!DOCTYPE html><html><head><title>首页</title></head><body>\
        <div class=\"nav\"><a>首页</a></div><p>欢迎访问本网站。</p>\
        <table><tr><td>联系电话</td><td>12345</td></tr></table></body></html>";
    assert_eq!(
        decode("x.html", page.as_bytes()).unwrap_err(),
        InputError::NoReport
    );
    // Sniffed from the content, whatever the name.
    assert_eq!(
        decode("x.txt", page.as_bytes()).unwrap_err(),
        InputError::NoReport
    );
    let dir = std::env::temp_dir().join(format!("rl-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("not-a-report.html");
    std::fs::write(&f, page).unwrap();
    let o = run(&[
        "check",
        "--no-config",
        f.to_str().unwrap(),
        "fixtures/seeds/000.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = format!("{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("not-a-report.html"), "{out}");
    assert!(out.contains("没有找到年度报告正文"), "{out}");
    // The batch went on to the next file.
    assert!(out.contains("fixtures/seeds/000.txt"), "{out}");
}

fn same_tables(a: &Report, b: &Report) {
    let cells = |r: &Report| -> Vec<(String, String, String)> {
        r.tables
            .iter()
            .flat_map(|t| {
                t.rows.iter().flat_map(move |row| {
                    row.cells.iter().map(move |c| {
                        (
                            t.kind.clone(),
                            row.key.clone(),
                            format!("{}={:?}", c.col, c.value),
                        )
                    })
                })
            })
            .collect()
    };
    assert_eq!(cells(a), cells(b));
    let heads = |r: &Report| -> Vec<Option<String>> {
        r.sections
            .iter()
            .map(|s| s.heading.as_ref().map(|h| h.text.clone()))
            .collect()
    };
    assert_eq!(heads(a), heads(b));
    assert_eq!(a.paragraphs.len(), b.paragraphs.len());
}

fn notice_kinds(r: &Report) -> Vec<&str> {
    r.notices.iter().map(|n| n.kind.as_str()).collect()
}

#[test]
fn gbk_pages_with_and_without_meta_charset() {
    let utf8 = model("fixtures/inputs/html/seed-000.html");
    let meta = model("fixtures/inputs/encodings/gbk-meta-000.html");
    assert_eq!(
        (meta.input_format.as_str(), meta.encoding.as_str()),
        ("html", "gbk")
    );
    assert!(notice_kinds(&meta).is_empty(), "{:?}", meta.notices);
    same_tables(&utf8, &meta);
    assert_eq!(meta.text, utf8.text);

    let guessed = model("fixtures/inputs/encodings/gbk-nometa-000.html");
    assert_eq!(guessed.encoding, "gbk");
    assert_eq!(notice_kinds(&guessed), ["encoding-guessed"]);
    same_tables(&utf8, &guessed);
    assert_eq!(guessed.text, utf8.text);
}

#[test]
fn gbk_plain_text_reads_like_the_utf8_seed() {
    let utf8 = model("fixtures/seeds/000.txt");
    let gbk = model("fixtures/inputs/encodings/gbk-000.txt");
    assert_eq!(
        (gbk.input_format.as_str(), gbk.encoding.as_str()),
        ("text", "gbk")
    );
    assert_eq!(notice_kinds(&gbk), ["encoding-guessed"]);
    assert!(gbk.notices[0].message.contains("GBK"), "{:?}", gbk.notices);
    assert_eq!(gbk.text, utf8.text);
    same_tables(&utf8, &gbk);
}

#[test]
fn utf16_with_a_bom_is_decoded() {
    let utf8 = model("fixtures/seeds/000.txt");
    for (f, enc) in [
        ("fixtures/inputs/encodings/utf16le-000.txt", "utf-16le"),
        ("fixtures/inputs/encodings/utf16be-000.txt", "utf-16be"),
    ] {
        let r = model(f);
        assert_eq!(r.encoding, enc);
        assert!(r.notices.is_empty());
        assert_eq!(r.text, utf8.text);
        same_tables(&utf8, &r);
    }
    // A UTF-16 HTML page is sniffed after decoding.
    let page = std::fs::read_to_string("fixtures/inputs/html/seed-000.html").unwrap();
    let mut le = vec![0xFF, 0xFE];
    le.extend(page.encode_utf16().flat_map(u16::to_le_bytes));
    let src = decode("page.bin", &le).unwrap();
    assert_eq!((src.format, src.encoding), ("html", "utf-16le"));
}

#[test]
fn encoding_option_forces_the_decoder() {
    let f = "fixtures/inputs/encodings/gbk-000.txt";
    let forced = run(&["dump", "--encoding", "GB2312", f]);
    assert!(forced.status.success());
    let v: Value = serde_json::from_str(&stdout(&forced)).unwrap();
    assert_eq!(v["encoding"], "gbk");
    assert_eq!(v["notices"], serde_json::json!([]));

    // Forcing the wrong one decodes with replacement characters, counted.
    let wrong = check_json(&["--encoding", "utf-8", f]);
    assert_eq!(wrong["files"][0]["error"], Value::Null);
    let v: Value =
        serde_json::from_str(&stdout(&run(&["dump", "--encoding", "utf-8", f]))).unwrap();
    assert_eq!(v["encoding"], "utf-8");
    let notice = &v["notices"][0];
    assert_eq!(notice["kind"], "encoding-errors");
    assert!(notice["message"]
        .as_str()
        .unwrap()
        .contains("处字节无法识别"));

    // check --encoding gbk on a GBK page without meta: no guess notice.
    let o = run(&[
        "dump",
        "--encoding",
        "gbk",
        "fixtures/inputs/encodings/gbk-nometa-000.html",
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["notices"], serde_json::json!([]));

    // An unknown label is a usage error naming it.
    for cmd in ["check", "dump"] {
        let o = run(&[cmd, "--encoding", "klingon-8", f]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("klingon-8"), "{err}");
    }
}

/// Decode, parse and run every rule; return how it ended. Never panics
/// unless the code under test does. `strict`: no rule may fail either (on
/// hostile synthetic pages a rule may hit the engine's limits, which is a
/// reported rule error, not a crash).
fn exercise(rules: &RuleSet, name: &str, bytes: &[u8], strict: bool) -> Result<(), InputError> {
    let src = decode(name, bytes)?;
    let report = Arc::new(report_lint::parse::parse(&src));
    let out = rules.run(&report);
    assert!(
        !strict || out.errors.is_empty(),
        "{name}: rule failed: {:?}",
        out.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    for d in &out.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= src.text.len());
        let _ = report.locate(d.span.start);
    }
    Ok(())
}

#[test]
fn mangled_pages_end_in_a_result_or_a_clean_error() {
    let rules = RuleSet::load(&RuleOptions::default());
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for f in [
        P007,
        "fixtures/inputs/html/seed-002.html",
        "fixtures/inputs/encodings/gbk-meta-000.html",
    ] {
        let bytes = std::fs::read(f).unwrap();
        let n = bytes.len();
        // Truncations at 20 offsets spread over the file (most cut inside a
        // tag, an attribute or a multi-byte character).
        for k in 1..=20 {
            let at = n * k / 21 + k % 3;
            cases.push((format!("{f} cut at {at}"), bytes[..at.min(n)].to_vec()));
        }
        // Corruptions: a byte flipped, markup spliced in.
        let splices: [&[u8]; 6] = [
            b"<td rowspan=0 colspan=1000>",
            b"</table></tbody>",
            b"<table><tr><td>",
            b"\xFF\xFE\x00",
            b"<!--",
            b"<script>",
        ];
        for k in 0..20 {
            let at = (n * (2 * k + 1) / 41).min(n);
            let mut b = bytes.clone();
            b[at.min(n - 1)] ^= 0xA5;
            cases.push((format!("{f} flipped at {at}"), b));
            let mut b = bytes.clone();
            let s = splices[k % splices.len()];
            b.splice(at..at, s.iter().copied());
            cases.push((format!("{f} spliced {s:?} at {at}"), b));
        }
    }
    // Hostile shapes: deep nesting, huge spans, endless rows.
    let deep_div = format!("<p>一、总体情况</p>{}x", "<div>".repeat(3_000));
    let deep_table = format!(
        "<p>一、总体情况</p>{}本年新收",
        "<table><tr><td>".repeat(3_000)
    );
    let spans = format!(
        "<p>一、总体情况</p><table>{}</table>",
        "<tr><td rowspan=65534 colspan=1000>本年新收政府信息公开申请数量</td><td colspan=1000>1</td></tr>".repeat(300)
    );
    let real = cases.len();
    for (name, page) in [
        ("deep-div", deep_div),
        ("deep-table", deep_table),
        ("spans", spans),
    ] {
        cases.push((name.to_string(), page.into_bytes()));
    }
    cases.push((
        "garbage".into(),
        (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect(),
    ));
    cases.push(("lt-only".into(), b"<<<<<<<<<<<<<<<<<<<<<".repeat(500)));

    let mut ok = 0;
    let mut errors = 0;
    for (i, (name, bytes)) in cases.iter().enumerate() {
        let start = Instant::now();
        match exercise(&rules, name, bytes, i < real) {
            Ok(()) => ok += 1,
            Err(e) => {
                // A clean error is one of the reader's own, with a message.
                assert!(!e.to_string().is_empty());
                errors += 1;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name}: took {:?}",
            start.elapsed()
        );
    }
    assert_eq!(ok + errors, cases.len());
    // Most mangled versions of a real report still read as a report.
    assert!(ok > cases.len() / 2, "ok {ok}, errors {errors}");
}

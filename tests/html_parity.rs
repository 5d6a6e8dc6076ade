//! The same report as text and as a published web page reads the same: seeds
//! 000 and 002 rebuilt as HTML (the national format's tables with their real
//! rowspans and colspans, inside site chrome) give the same tables, parts and
//! narrative numbers, and the same findings, as the text.
//!
//! The HTML fixtures are generated from the seeds by [`seed_page`] below and
//! committed; `BLESS=1 cargo test --test html_parity` regenerates them (and
//! the GBK and UTF-16 copies used by `tests/html_input.rs`).

mod common;
use common::{run, stdout};
use report_lint::model::{Report, Table};
use serde_json::Value;
use std::path::Path;

const SEEDS: &[&str] = &["000", "002"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Cells of the table's text lines, in order (for the labels the model does
/// not keep, such as `(三)不予公开`).
fn text_cells(lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| l.split('|'))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

fn find_cell(cells: &[String], f: impl Fn(&str) -> bool, default: &str) -> String {
    cells
        .iter()
        .find(|c| f(c))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

fn td(text: &str, colspan: usize, rowspan: usize) -> String {
    let mut a = String::new();
    if colspan > 1 {
        a.push_str(&format!(" colspan=\"{colspan}\""));
    }
    if rowspan > 1 {
        a.push_str(&format!(" rowspan=\"{rowspan}\""));
    }
    // Word-HTML style cell content, as many CMS pages have it.
    format!(
        "<td{a}><p class=\"MsoNormal\" align=\"center\"><span>{}</span><o:p></o:p></p></td>",
        esc(text)
    )
}

fn values(t: &Table, key: &str) -> Vec<String> {
    t.rows
        .iter()
        .find(|r| r.key == key)
        .map(|r| r.cells.iter().map(|c| c.raw.clone()).collect())
        .unwrap_or_default()
}

fn label(t: &Table, key: &str) -> String {
    t.rows
        .iter()
        .find(|r| r.key == key)
        .map(|r| {
            if r.raw_label.is_empty() {
                r.label.clone()
            } else {
                r.raw_label.clone()
            }
        })
        .unwrap_or_default()
}

fn vals_td(v: &[String]) -> String {
    v.iter().map(|x| td(x, 1, 1)).collect()
}

fn table_t2(t: &Table) -> String {
    let mut h = String::from("<table border=\"1\" class=\"MsoNormalTable\"><tbody>\n");
    let sections: [(&str, &[&str], &[&str]); 4] = [
        (
            "第二十条第（一）项",
            &["本年制发件数", "本年废止件数", "现行有效件数"],
            &["regulations", "normative_documents"],
        ),
        ("第二十条第（五）项", &["本年处理决定数量"], &["licensing"]),
        (
            "第二十条第（六）项",
            &["本年处理决定数量"],
            &["punishment", "coercion"],
        ),
        (
            "第二十条第（八）项",
            &["本年收费金额（单位：万元）"],
            &["fees"],
        ),
    ];
    for (title, cols, rows) in sections {
        h.push_str(&format!("<tr>{}</tr>\n", td(title, 4, 1)));
        let span = 4 - cols.len();
        let mut head = td("信息内容", 1, 1);
        for (i, c) in cols.iter().enumerate() {
            head.push_str(&td(c, if i + 1 == cols.len() { span } else { 1 }, 1));
        }
        h.push_str(&format!("<tr>{head}</tr>\n"));
        for key in rows {
            let v = values(t, key);
            let mut row = td(&label(t, key), 1, 1);
            for (i, x) in v.iter().enumerate() {
                row.push_str(&td(x, if i + 1 == v.len() { span } else { 1 }, 1));
            }
            h.push_str(&format!("<tr>{row}</tr>\n"));
        }
    }
    h.push_str("</tbody></table>\n");
    h
}

fn table_t3(t: &Table, cells: &[String]) -> String {
    let note = find_cell(
        cells,
        |c| c.contains("勾稽关系"),
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    );
    let mut h = String::from("<table border=\"1\"><thead>\n");
    h.push_str(&format!(
        "<tr>{}{}</tr>\n",
        td(&note, 3, 3),
        td("申请人情况", 7, 1)
    ));
    h.push_str(&format!(
        "<tr>{}{}{}</tr>\n",
        td("自然人", 1, 2),
        td("法人或其他组织", 5, 1),
        td("总计", 1, 2)
    ));
    h.push_str("<tr>");
    for c in [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ] {
        h.push_str(&td(c, 1, 1));
    }
    h.push_str("</tr>\n</thead><tbody>\n");
    let whole = |key: &str| {
        format!(
            "<tr>{}{}</tr>\n",
            td(&label(t, key), 3, 1),
            vals_td(&values(t, key))
        )
    };
    h.push_str(&whole("new"));
    h.push_str(&whole("carried_in"));
    // 三、本年度办理结果 and its groups.
    let groups: Vec<(&str, Vec<&str>)> = vec![
        ("（一）", vec!["r1_disclosed"]),
        ("（二）", vec!["r2_partial"]),
        (
            "（三）",
            vec![
                "r3_1_state_secret",
                "r3_2_law_forbids",
                "r3_3_security_stability",
                "r3_4_third_party",
                "r3_5_internal_affairs",
                "r3_6_process_info",
                "r3_7_enforcement_file",
                "r3_8_admin_query",
            ],
        ),
        (
            "（四）",
            vec!["r4_1_not_held", "r4_2_needs_creation", "r4_3_still_unclear"],
        ),
        (
            "（五）",
            vec![
                "r5_1_petition",
                "r5_2_repeat",
                "r5_3_publication",
                "r5_4_mass_repeat",
                "r5_5_confirm_reissue",
            ],
        ),
        (
            "（六）",
            vec!["r6_1_no_correction", "r6_2_fee_unpaid", "r6_3_other"],
        ),
        ("（七）", vec!["r7_total"]),
    ];
    let present = |k: &str| t.rows.iter().any(|r| r.key == k);
    let total_rows: usize = groups
        .iter()
        .map(|(_, ks)| ks.iter().filter(|k| present(k)).count())
        .sum();
    let outcome = find_cell(cells, |c| c.starts_with("三、"), "三、本年度办理结果");
    let mut first = true;
    for (num, keys) in &groups {
        let keys: Vec<&str> = keys.iter().copied().filter(|k| present(k)).collect();
        let mut lead = String::new();
        if first {
            lead.push_str(&td(&outcome, 1, total_rows));
            first = false;
        }
        if keys.len() == 1 && !keys[0].contains("_1_") {
            h.push_str(&format!(
                "<tr>{lead}{}{}</tr>\n",
                td(&label(t, keys[0]), 2, 1),
                vals_td(&values(t, keys[0]))
            ));
            continue;
        }
        let ascii = num.replace('（', "(").replace('）', ")");
        let group = find_cell(cells, |c| c.starts_with(num) || c.starts_with(&ascii), num);
        for (i, k) in keys.iter().enumerate() {
            let g = if i == 0 {
                td(&group, 1, keys.len())
            } else {
                String::new()
            };
            let l = if i == 0 { lead.clone() } else { String::new() };
            h.push_str(&format!(
                "<tr>{l}{g}{}{}</tr>\n",
                td(&label(t, k), 1, 1),
                vals_td(&values(t, k))
            ));
        }
    }
    h.push_str(&whole("carried_out"));
    h.push_str("</tbody></table>\n");
    h
}

fn table_t4(t: &Table) -> String {
    let cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut h = String::from("<table border=\"1\"><tbody>\n");
    h.push_str(&format!(
        "<tr>{}{}</tr>\n",
        td("行政复议", 5, 1),
        td("行政诉讼", 10, 1)
    ));
    h.push_str("<tr>");
    for c in cols {
        h.push_str(&td(c, 1, 2));
    }
    h.push_str(&td("未经复议直接起诉", 5, 1));
    h.push_str(&td("复议后起诉", 5, 1));
    h.push_str("</tr>\n<tr>");
    for c in cols.iter().chain(cols.iter()) {
        h.push_str(&td(c, 1, 1));
    }
    h.push_str("</tr>\n<tr>");
    for key in ["review", "suit_direct", "suit_after_review"] {
        h.push_str(&vals_td(&values(t, key)));
    }
    h.push_str("</tr>\n</tbody></table>\n");
    h
}

/// The seed as a web page: its text lines as paragraphs inside a CMS
/// content block with navigation, share buttons and a footer around it,
/// each table rebuilt from the text's table model in the national layout.
fn seed_page(text: &str, report: &Report) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // The block of `|` lines around each table's span.
    let mut starts = Vec::new();
    let mut offset = 0;
    for l in &lines {
        starts.push(offset);
        offset += l.len() + 1;
    }
    let line_of = |pos: usize| starts.iter().rposition(|&s| s <= pos).unwrap_or(0);
    let mut table_at: Vec<Option<usize>> = vec![None; lines.len()];
    for (ti, t) in report.tables.iter().enumerate() {
        let (mut a, mut b) = (line_of(t.span.start), line_of(t.span.end));
        while a > 0 && lines[a - 1].contains('|') {
            a -= 1;
        }
        while b + 1 < lines.len() && lines[b + 1].contains('|') {
            b += 1;
        }
        for slot in &mut table_at[a..=b] {
            *slot = Some(ti);
        }
    }
    let title = lines.first().copied().unwrap_or_default();
    let mut body = String::new();
    let mut i = 0;
    while i < lines.len() {
        match table_at[i] {
            Some(ti) => {
                let mut j = i;
                while j < lines.len() && table_at[j] == Some(ti) {
                    j += 1;
                }
                let t = &report.tables[ti];
                body.push_str(&match t.kind.as_str() {
                    "t2" => table_t2(t),
                    "t3" => table_t3(t, &text_cells(&lines[i..j])),
                    _ => table_t4(t),
                });
                i = j;
            }
            None => {
                if !lines[i].trim().is_empty() {
                    body.push_str(&format!("<p>{}</p>\n", esc(lines[i])));
                }
                i += 1;
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{}_政府信息公开</title>\n\
         <style>p {{ text-indent: 2em; }}</style>\n</head>\n<body>\n\
         <div class=\"top-nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li></ul></div>\n\
         <div class=\"breadcrumb\">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>\n\
         <div class=\"article\">\n<div class=\"TRS_Editor\">\n{body}</div>\n\
         <div class=\"bdsharebuttonbox\">分享到：<a class=\"bds_weixin\">微信</a></div>\n</div>\n\
         <div class=\"related-links\"><h3>相关链接</h3><ul><li>一、政府信息公开指南</li></ul></div>\n\
         <div id=\"footer\">主办单位：某某人民政府办公室 版权所有</div>\n\
         <script>var title = \"一、总体情况\";</script>\n</body>\n</html>\n",
        esc(title)
    )
}

fn read_model(path: &str) -> Report {
    let src = report_lint::input::read_path(Path::new(path)).unwrap();
    report_lint::parse::parse(&src)
}

fn bless_or_compare(path: &str, bytes: &[u8]) {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, bytes).unwrap();
        return;
    }
    let committed = std::fs::read(&full).unwrap_or_else(|_| panic!("missing {path} (BLESS=1)"));
    assert!(
        committed == bytes,
        "{path} is not what the generator makes; run BLESS=1 cargo test --test html_parity"
    );
}

#[test]
fn committed_fixtures_are_the_generators_output() {
    for seed in SEEDS {
        let text_path = format!("fixtures/seeds/{seed}.txt");
        let text = std::fs::read_to_string(&text_path).unwrap();
        let page = seed_page(&text, &read_model(&text_path));
        bless_or_compare(
            &format!("fixtures/inputs/html/seed-{seed}.html"),
            page.as_bytes(),
        );
        if *seed == "000" {
            let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
            let with_meta = page.replace(
                "<meta charset=\"utf-8\">",
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
            );
            bless_or_compare(
                "fixtures/inputs/encodings/gbk-meta-000.html",
                &gbk(&with_meta),
            );
            let no_meta = page.replace("<meta charset=\"utf-8\">\n", "");
            bless_or_compare(
                "fixtures/inputs/encodings/gbk-nometa-000.html",
                &gbk(&no_meta),
            );
            bless_or_compare("fixtures/inputs/encodings/gbk-000.txt", &gbk(&text));
            let mut le = vec![0xFF, 0xFE];
            le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bless_or_compare("fixtures/inputs/encodings/utf16le-000.txt", &le);
            let mut be = vec![0xFE, 0xFF];
            be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            bless_or_compare("fixtures/inputs/encodings/utf16be-000.txt", &be);
        }
    }
}

/// What must read the same: every table cell's value, the parts and their
/// headings, the narrative numbers, the metadata.
fn essentials(r: &Report) -> Value {
    let tables: Vec<Value> = r
        .tables
        .iter()
        .map(|t| {
            serde_json::json!({
                "kind": t.kind,
                "format": t.format,
                "rows": t.rows.iter().map(|row| serde_json::json!({
                    "key": row.key,
                    "cells": row.cells.iter().map(|c| serde_json::json!([c.col, c.value])).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "shape_issues": t.shape_issues.iter().map(|s| &s.message).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = serde_json::to_value(r).unwrap();
    let parts: Vec<Value> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            serde_json::json!([
                s["number"],
                s["heading"]["text"],
                s["tables"],
                s["subsections"]
                    .as_array()
                    .map(|a| a.iter().map(|h| h["text"].clone()).collect::<Vec<_>>())
            ])
        })
        .collect();
    let numbers: Vec<Value> = v["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| serde_json::json!([n["text"], n["value"], n["unit"], n["section"], n["lead"]]))
        .collect();
    let m = &v["metadata"];
    serde_json::json!({
        "tables": tables,
        "parts": parts,
        "numbers": numbers,
        "metadata": [m["title"]["value"], m["organ"]["value"], m["year"]["value"], m["organ_kind"], m["publication_date"]["date"], m["stats_period"]["start"]],
        "format": v["format"],
    })
}

fn findings(path: &str) -> Vec<(String, String, String)> {
    let o = run(&["check", "--no-config", "--format", "json", path]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut out: Vec<(String, String, String)> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn html_and_text_give_the_same_model() {
    for seed in SEEDS {
        let text = read_model(&format!("fixtures/seeds/{seed}.txt"));
        let html = read_model(&format!("fixtures/inputs/html/seed-{seed}.html"));
        assert_eq!(html.input_format, "html");
        assert_eq!(
            text.tables.len(),
            3,
            "{seed}: the seed has tables 2, 3 and 4"
        );
        let (a, b) = (essentials(&text), essentials(&html));
        if a != b {
            for k in ["tables", "parts", "numbers", "metadata", "format"] {
                assert_eq!(a[k], b[k], "seed {seed}: {k} differ between text and HTML");
            }
        }
    }
}

#[test]
fn html_and_text_give_the_same_findings() {
    for seed in SEEDS {
        let text = findings(&format!("fixtures/seeds/{seed}.txt"));
        let html = findings(&format!("fixtures/inputs/html/seed-{seed}.html"));
        assert!(!text.is_empty());
        assert_eq!(
            text, html,
            "seed {seed}: findings differ between text and HTML"
        );
    }
}

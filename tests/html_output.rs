//! `check --format html`: the printable page for the seeds, every input
//! fixture and a generated corpus with planted errors (text, HTML, DOCX).
//! The page is parsed back: one report section per file, every finding
//! listed once and marked at a place in its document, every mark linking to
//! a finding, nothing of a report's markup turned into elements (the hostile
//! report), nothing loaded from outside.

mod common;
#[path = "../examples/corpus/mod.rs"]
mod corpus;

use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn html_of(paths: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", "--no-config", "--format", "html"];
    args.extend_from_slice(paths);
    let o = common::run(&args);
    (o.status.code(), common::stdout(&o))
}

fn json_of(paths: &[&str]) -> serde_json::Value {
    let mut args = vec!["check", "--no-config", "--format", "json"];
    args.extend_from_slice(paths);
    serde_json::from_slice(&common::run(&args).stdout).unwrap()
}

/// The structural checks every page must pass; `json` is the same run's JSON.
fn check_page(page: &str, json: &serde_json::Value) {
    let doc = Html::parse_document(page);
    // Nothing that runs or loads.
    for bad in [
        "script", "img", "iframe", "object", "embed", "link", "svg", "base", "form",
    ] {
        assert_eq!(doc.select(&sel(bad)).count(), 0, "no <{bad}> in the file");
    }
    let csp = doc
        .select(&sel("meta[http-equiv=Content-Security-Policy]"))
        .next()
        .expect("a CSP")
        .value()
        .attr("content")
        .unwrap();
    assert!(csp.contains("default-src 'none'"));
    for a in doc.select(&sel("[href]")) {
        let href = a.value().attr("href").unwrap();
        assert!(href.starts_with('#'), "a link off the page: {href}");
    }
    assert!(!page.contains(" style="), "no inline style attribute");
    let ids: BTreeSet<&str> = doc
        .select(&sel("[id]"))
        .map(|e| e.value().attr("id").unwrap())
        .collect();
    let files = json["files"].as_array().unwrap();
    let sections: Vec<_> = doc.select(&sel("section.report")).collect();
    assert_eq!(sections.len(), files.len());
    for (n, (section, file)) in sections.iter().zip(files).enumerate() {
        let n = n + 1;
        let name = section
            .select(&sel("h2"))
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert_eq!(name, file["path"].as_str().unwrap());
        let diags = file["diagnostics"].as_array().unwrap();
        let listed = section.select(&sel("li.finding")).count();
        assert_eq!(listed, diags.len(), "{name}: every finding listed");
        for (i, d) in diags.iter().enumerate() {
            let item = format!("d-{n}-{i}");
            let place = format!("a-{n}-{i}");
            assert!(ids.contains(item.as_str()), "{name}: {item}");
            assert!(
                ids.contains(place.as_str()),
                "{name}: {} has a place",
                d["rule"]
            );
            let li = section
                .select(&sel(&format!("#{item}")))
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            assert!(li.contains(d["message"].as_str().unwrap()), "{name}: {li}");
            if let Some(h) = d["help"].as_str() {
                assert!(li.contains(h), "{name}: help shown");
            }
        }
        // Every mark leads to a finding of its own report.
        for m in section.select(&sel(".doc a")) {
            let href = &m.value().attr("href").unwrap()[1..];
            assert!(href.starts_with(&format!("d-{n}-")), "{name}: {href}");
            assert!(ids.contains(href), "{name}: {href}");
        }
        if file["status"] == "error" {
            let banner = section
                .select(&sel(".banner.unreadable"))
                .next()
                .expect("unreadable banner")
                .text()
                .collect::<String>();
            assert!(banner.contains(file["error"].as_str().unwrap()));
        } else if diags.is_empty() {
            assert!(section.select(&sel(".banner.clean")).next().is_some());
        }
    }
    if files.len() > 1 {
        let rows = doc.select(&sel("table.files tbody tr")).count();
        assert_eq!(rows, files.len());
    }
}

fn fixture_files(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("human" | "json" | "expect" | "layout" | "py")
            ) && !p.to_string_lossy().ends_with(".layout.txt")
                && p.file_name().is_some_and(|n| n != "SOURCES")
            {
                let rel = p
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn seeds_and_inputs_are_drawn_with_every_finding_in_place() {
    let mut files = fixture_files("fixtures/seeds");
    files.extend(fixture_files("fixtures/inputs"));
    let paths: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, page) = html_of(&paths);
    assert!(code.is_some());
    let json = json_of(&paths);
    check_page(&page, &json);
}

#[test]
fn a_hostile_report_stays_text() {
    let (_, page) = html_of(&["fixtures/inputs/html/hostile.html"]);
    let json = json_of(&["fixtures/inputs/html/hostile.html"]);
    check_page(&page, &json);
    let doc = Html::parse_document(&page);
    let text: String = doc.select(&sel(".doc")).next().unwrap().text().collect();
    assert!(text.contains(r#"<img src=x onerror="window.pwned=3">"#));
    assert!(text.contains("<script>window.pwned=4</script>"));
    assert!(text.contains(r#""></p><script>window.pwned=8</script>"#));
    assert!(
        !page.contains("evil.example"),
        "the report's links are not kept"
    );
}

#[test]
fn tables_are_drawn_with_merged_cells() {
    let (_, page) = html_of(&["fixtures/inputs/docx/seed-000.docx"]);
    let doc = Html::parse_document(&page);
    // Table 3's header: 申请人情况 over the seven columns, 法人或其他组织 over five.
    let th = |text: &str| {
        doc.select(&sel(".doc th"))
            .find(|e| e.text().collect::<String>() == text)
            .unwrap_or_else(|| panic!("no header cell {text}"))
    };
    assert_eq!(th("申请人情况").value().attr("colspan"), Some("7"));
    assert_eq!(th("法人或其他组织").value().attr("colspan"), Some("5"));
    assert_eq!(th("自然人").value().attr("rowspan"), Some("2"));
    assert!(th("三、本年度办理结果").value().attr("rowspan").is_some());
    // Text reports written one cell per line: the tables as read.
    let (_, page) = html_of(&["fixtures/seeds/001.txt"]);
    let doc = Html::parse_document(&page);
    let captions: Vec<String> = doc
        .select(&sel(".doc caption"))
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(captions.len(), 3, "{captions:?}");
}

#[test]
fn a_generated_corpus_with_planted_errors() {
    let dir = std::env::temp_dir().join(format!("rl-html-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (sub, format) in [
        ("text", corpus::Format::Text),
        ("html", corpus::Format::Html),
        ("docx", corpus::Format::Docx),
    ] {
        corpus::write_corpus(&dir.join(sub), 12, 7, format, 60).unwrap();
    }
    let d = dir.to_str().unwrap();
    let (code, page) = html_of(&[d]);
    assert_eq!(code, Some(1), "planted errors fail the run");
    let json = json_of(&[d]);
    assert_eq!(json["files"].as_array().unwrap().len(), 36);
    assert!(json["summary"]["errors"].as_u64().unwrap() > 0);
    check_page(&page, &json);
    std::fs::remove_dir_all(Path::new(&dir)).unwrap();
}

#[test]
fn the_real_corpus_is_drawn_with_every_finding_in_place() {
    // 48 published reports (PDF, HTML, text, Markdown) as they were found.
    let files = fixture_files("fixtures/corpus/raw");
    let paths: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|p| !p.ends_with(".tsv") && !p.ends_with(".md5"))
        .collect();
    let (code, page) = html_of(&paths);
    assert!(code.is_some());
    let json = json_of(&paths);
    check_page(&page, &json);
}

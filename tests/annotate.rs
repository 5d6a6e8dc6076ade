//! `report-lint annotate`: every finding becomes a Word comment on its words,
//! paragraph or cell. The copy is read back by this project's DOCX reader
//! (same findings) and by an independent one, python-docx
//! (`tests/annotate/read_comments.py`, installed by `scripts/setup.sh`; the
//! test fails without it).

mod common;
mod docx_builder;
use common::{run, stderr, stdout};
use docx_builder::{
    abstract_num, document, lvl, num, numbered, numbering, p, p_xml, package, table, tc, tr,
    zip_entries,
};
use report_lint::diagnostics::{Diagnostic, Severity};
use report_lint::input::view::locate;
use report_lint::model::Span;
use serde_json::Value;
use std::path::{Path, PathBuf};

const FIXTURES: [&str; 4] = [
    "fixtures/inputs/docx/format-2019.docx",
    "fixtures/inputs/docx/seed-000.docx",
    "fixtures/inputs/docx/seed-003.docx",
    "fixtures/inputs/docx/word-template-python-docx.docx",
];

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-annotate-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The findings of `check --format json` on one file.
fn findings(path: &str) -> Vec<Value> {
    let o = run(&["check", "--no-config", "--format", "json", path]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["files"][0]["diagnostics"].as_array().unwrap().clone()
}

/// What python-docx reads: the comments with the text their range covers.
fn read_comments(path: &Path) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/annotate/read_comments.py");
    let o = std::process::Command::new("python3")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 is needed to read the annotated DOCX (scripts/setup.sh)");
    assert!(
        o.status.success(),
        "python-docx could not open {} (run scripts/setup.sh): {}",
        path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["comments"].as_array().unwrap().clone()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn key(d: &Value) -> (String, String, String, String) {
    (
        d["rule"].to_string(),
        d["message"].to_string(),
        d["line"].to_string(),
        d["column"].to_string(),
    )
}

#[test]
fn every_docx_fixture_gets_a_comment_per_finding_on_its_place() {
    let dir = temp_dir("fixtures");
    for fixture in FIXTURES {
        let before = std::fs::read(fixture).unwrap();
        let out = dir.join(Path::new(fixture).file_name().unwrap());
        let o = run(&[
            "annotate",
            "--no-config",
            fixture,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{fixture}: {}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("条批注"), "{}", stderr(&o));
        assert_eq!(
            std::fs::read(fixture).unwrap(),
            before,
            "the draft is unchanged"
        );

        let expected = findings(fixture);
        assert!(!expected.is_empty(), "{fixture} has findings to annotate");
        let view = stdout(&run(&["dump", "--view", fixture]));

        // The independent reader: one comment per finding, in order, by
        // report-lint, saying the message, anchored where the finding is.
        let comments = read_comments(&out);
        assert_eq!(comments.len(), expected.len(), "{fixture}: {comments:#?}");
        let mut ids: Vec<&str> = comments.iter().map(|c| c["id"].as_str().unwrap()).collect();
        ids.dedup();
        assert_eq!(ids.len(), comments.len(), "unique ids");
        for (c, d) in comments.iter().zip(&expected) {
            assert_eq!(c["author"], "report-lint");
            let text = c["text"].as_str().unwrap();
            assert!(
                text.contains(d["message"].as_str().unwrap())
                    && text.contains(d["rule"].as_str().unwrap()),
                "{text} / {d}"
            );
            for n in d["notes"].as_array().unwrap() {
                assert!(text.contains(n.as_str().unwrap()), "every note: {text}");
            }
            if let Some(h) = d["help"].as_str() {
                assert!(text.contains(h), "the help: {text}");
            }
            // The anchor holds the finding's words (or, where the view adds a
            // list number, the words hold the anchor).
            let anchor = squeeze(c["anchor"].as_str().unwrap_or(""));
            assert!(!anchor.is_empty(), "{fixture}: comment {c} anchors nothing");
            let (s, e) = (
                d["span"]["start"].as_u64().unwrap() as usize,
                d["span"]["end"].as_u64().unwrap() as usize,
            );
            let words = squeeze(view[s..e].lines().next().unwrap_or(""));
            if d["origin"].is_object() && !words.is_empty() {
                assert!(
                    anchor.contains(&words) || words.contains(&anchor),
                    "{fixture}: “{words}” not in the anchor “{anchor}”"
                );
            }
        }
        // Table findings sit on their cell.
        for (c, d) in comments.iter().zip(&expected) {
            if d["origin"]["kind"] == "docx-table" && d["origin"]["column"].is_u64() {
                let s = d["span"]["start"].as_u64().unwrap() as usize;
                let e = d["span"]["end"].as_u64().unwrap() as usize;
                assert_eq!(
                    squeeze(c["anchor"].as_str().unwrap()),
                    squeeze(&view[s..e]),
                    "{fixture}: the cell"
                );
            }
        }

        // This project's reader: the same findings, plus the notice that the
        // copy has comments.
        let again = findings(out.to_str().unwrap());
        let notice = |d: &&Value| {
            d["rule"] == "input-notice" && d["message"].as_str().unwrap().contains("批注")
        };
        assert!(again.iter().any(|d| notice(&d)), "{fixture}: {again:#?}");
        let again: Vec<_> = again.iter().filter(|d| !notice(d)).map(key).collect();
        let expected: Vec<_> = expected.iter().map(key).collect();
        assert_eq!(
            again, expected,
            "{fixture}: read back with the same findings"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_draft_with_comments_keeps_them() {
    let dir = temp_dir("again");
    let first = dir.join("first.docx");
    let second = dir.join("second.docx");
    let fixture = "fixtures/inputs/docx/seed-003.docx";
    run(&[
        "annotate",
        "--no-config",
        fixture,
        "-o",
        first.to_str().unwrap(),
    ]);
    let old = read_comments(&first);
    let o = run(&[
        "annotate",
        "--no-config",
        first.to_str().unwrap(),
        "-o",
        second.to_str().unwrap(),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let new = read_comments(&second);
    // The old comments, then one per finding of the annotated copy (which
    // has one more: the notice that it has comments).
    let findings = findings(first.to_str().unwrap());
    assert_eq!(new.len(), old.len() + findings.len());
    for c in &old {
        assert!(
            new.iter()
                .any(|n| n["id"] == c["id"] && n["text"] == c["text"]),
            "kept: {c}"
        );
    }
    let mut ids: Vec<&str> = new.iter().map(|c| c["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), new.len(), "ids stay unique");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_draft_is_never_overwritten_and_only_docx_is_annotated() {
    let dir = temp_dir("refuse");
    let draft = dir.join("草稿.docx");
    std::fs::copy("fixtures/inputs/docx/seed-003.docx", &draft).unwrap();
    let before = std::fs::read(&draft).unwrap();
    let o = run(&[
        "annotate",
        "--no-config",
        draft.to_str().unwrap(),
        "-o",
        draft.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不会覆盖原稿"), "{}", stderr(&o));
    // The same file by another name.
    let other = dir.join(".").join("草稿.docx");
    let o = run(&[
        "annotate",
        "--no-config",
        draft.to_str().unwrap(),
        "-o",
        other.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&draft).unwrap(), before);

    // Without -o: beside the draft.
    let o = run(&["annotate", "--no-config", draft.to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(dir.join("草稿.report-lint.docx").is_file());

    // A text report is refused with a clear error.
    let o = run(&[
        "annotate",
        "--no-config",
        "fixtures/seeds/001.txt",
        "-o",
        dir.join("x.docx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是 Word 文档"), "{}", stderr(&o));
    assert!(!dir.join("x.docx").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_comment_sits_on_the_words_not_the_whole_paragraph() {
    // seed-003's paragraphs are one run each: the run is split so that the
    // comment covers exactly the finding's words.
    let dir = temp_dir("words");
    let fixture = "fixtures/inputs/docx/seed-003.docx";
    let out = dir.join("words.docx");
    run(&[
        "annotate",
        "--no-config",
        fixture,
        "-o",
        out.to_str().unwrap(),
    ]);
    let view = stdout(&run(&["dump", "--view", fixture]));
    let expected = findings(fixture);
    let comments = read_comments(&out);
    assert_eq!(comments.len(), expected.len());
    let mut on_words = 0;
    for (c, d) in comments.iter().zip(&expected) {
        if d["origin"]["kind"] != "docx-paragraph" {
            continue;
        }
        let s = d["span"]["start"].as_u64().unwrap() as usize;
        let e = d["span"]["end"].as_u64().unwrap() as usize;
        assert_eq!(
            squeeze(c["anchor"].as_str().unwrap()),
            squeeze(&view[s..e]),
            "{c}"
        );
        on_words += 1;
    }
    assert!(on_words >= 2, "{comments:#?}");
    // The document's text is unchanged by the split runs.
    let again = stdout(&run(&["dump", "--view", out.to_str().unwrap()]));
    assert_eq!(again, view);
    std::fs::remove_dir_all(&dir).ok();
}

/// A finding on `words` (the n-th occurrence in the view), placed as the
/// reader places it.
fn finding_on(view: &report_lint::input::view::View, words: &str, nth: usize) -> Diagnostic {
    let start = view
        .text
        .match_indices(words)
        .nth(nth)
        .unwrap_or_else(|| panic!("“{words}” in the view:\n{}", view.text))
        .0;
    Diagnostic {
        rule: "test-rule".into(),
        severity: Severity::Warning,
        message: format!("关于“{words}”的问题 <script>&"),
        span: Span::new(start, start + words.len()),
        label: None,
        labels: Vec::new(),
        notes: vec!["说明一".into(), "说明二".into()],
        help: Some("修改建议".into()),
        origin: locate(&view.text, &view.origins, start),
        table_place: None,
    }
}

#[test]
fn hyperlinks_tracked_changes_merged_cells_and_list_numbers_take_comments() {
    let hyper = p_xml(
        "",
        r#"<w:r><w:t>见</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>门户网站链接</w:t></w:r></w:hyperlink><w:r><w:t>。</w:t></w:r>"#,
    );
    let tracked = p_xml(
        "",
        r#"<w:r><w:t>原有文字</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>插入的文字</w:t></w:r></w:ins>"#,
    );
    let tabbed = p_xml("", r#"<w:r><w:t>甲</w:t><w:tab/><w:t>乙丙丁</w:t></w:r>"#);
    let drawing = p_xml(
        "",
        r#"<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"/></w:drawing><w:t>图后的文字</w:t></w:r>"#,
    );
    let merged = table(
        2,
        &[
            tr(vec![tc("合并单元格").restart(), tc("右上")]),
            tr(vec![tc("").cont(), tc("右下")]),
        ],
    );
    let body = [
        numbered("总体情况", 1, 0),
        hyper,
        "<w:p/>".to_string(),
        tracked,
        tabbed,
        drawing,
        merged,
        p("结尾段落"),
    ]
    .concat();
    let numbering_xml = numbering(
        &[
            abstract_num(0, &[lvl(0, "chineseCounting", "%1、", 1, Some("nothing"))]),
            num(1, 0, ""),
        ]
        .concat(),
    );
    let bytes = package(&document(&body), None, Some(&numbering_xml));
    let view = report_lint::input::docx::render(&bytes).unwrap();
    let diags = vec![
        finding_on(&view, "总体情况", 0),
        finding_on(&view, "门户网站链接", 0),
        finding_on(&view, "插入的文字", 0),
        finding_on(&view, "乙丙", 0),
        finding_on(&view, "图后", 0),
        finding_on(&view, "合并单元格", 1),
        finding_on(&view, "右下", 0),
        finding_on(&view, "结尾", 0),
        finding_on(&view, "结尾", 0),
    ];
    let out = report_lint::annotate::annotate(&bytes, &view.text, &diags).unwrap();
    assert_eq!(out.comments, diags.len());
    // Words inside one plain run are split out; a run with a tab, or with a
    // drawing the reader skips, is not split (the comment takes the run).
    assert_eq!(
        out.anchored_on,
        ["words", "words", "words", "words", "words", "cell", "cell", "words", "words"]
    );
    let dir = temp_dir("tricky");
    let path = dir.join("tricky.docx");
    std::fs::write(&path, &out.bytes).unwrap();
    let comments = read_comments(&path);
    assert_eq!(comments.len(), diags.len());
    let anchors: Vec<String> = comments
        .iter()
        .map(|c| squeeze(c["anchor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        anchors,
        [
            "总体情况",
            "门户网站链接",
            "插入的文字",
            "甲乙丙丁",
            "图后的文字",
            "合并单元格",
            "右下",
            "结尾",
            // The second comment on the same words takes the whole run.
            "结尾段落",
        ]
    );
    assert!(comments[0]["text"].as_str().unwrap().contains("<script>&"));
    // The drawing is still there, and the text reads as before.
    let again = report_lint::input::docx::render(&out.bytes).unwrap();
    assert_eq!(again.text, view.text);
    let doc = zip_part(&out.bytes, "word/document.xml");
    assert!(doc.contains("<w:drawing>"));
    std::fs::remove_dir_all(&dir).ok();
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn a_package_without_document_relationships_gets_them() {
    // No word/_rels/document.xml.rels and no Default for .rels: both added.
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let root = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let doc = document(&p("一段需要批注的文字"));
    let bytes = zip_entries(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("_rels/.rels", root.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ]);
    let view = report_lint::input::docx::render(&bytes).unwrap();
    let d = finding_on(&view, "需要批注", 0);
    let out = report_lint::annotate::annotate(&bytes, &view.text, &[d]).unwrap();
    let rels = zip_part(&out.bytes, "word/_rels/document.xml.rels");
    assert!(rels.contains("relationships/comments") && rels.contains("Target=\"comments.xml\""));
    let ct = zip_part(&out.bytes, "[Content_Types].xml");
    assert!(ct.contains("PartName=\"/word/comments.xml\"") && ct.contains("Extension=\"rels\""));
    let dir = temp_dir("norels");
    let path = dir.join("norels.docx");
    std::fs::write(&path, &out.bytes).unwrap();
    let comments = read_comments(&path);
    assert_eq!(comments.len(), 1);
    assert_eq!(squeeze(comments[0]["anchor"].as_str().unwrap()), "需要批注");
    std::fs::remove_dir_all(&dir).ok();
}

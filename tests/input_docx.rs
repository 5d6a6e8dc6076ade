//! DOCX input: numbering, runs and fields, tracked changes, table grids,
//! bad packages, and parity with the text seeds they were rebuilt from.
//!
//! The documents are written in memory by `tests/docx_builder`; the two
//! rebuilt seeds are committed under `fixtures/inputs/docx/` (regenerate
//! with `BLESS=1 cargo test --test input_docx`).

mod common;
mod docx_builder;

use docx_builder::seed::seed_to_docx;
use docx_builder::*;
use report_lint::input::{decode, InputError, Origin, Source};
use std::path::Path;

fn read(bytes: &[u8]) -> Source {
    decode("draft.docx", bytes).unwrap_or_else(|e| panic!("not read: {e}"))
}

fn lines(src: &Source) -> Vec<&str> {
    src.text.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn err(bytes: &[u8]) -> String {
    match decode("draft.docx", bytes) {
        Ok(s) => panic!("read a bad package:\n{}", s.text),
        Err(e) => e.to_string(),
    }
}

/// A list `numId` 1 → abstract 0 with the given levels.
fn list(levels: &[String]) -> String {
    numbering(&format!("{}{}", abstract_num(0, levels), num(1, 0, "")))
}

// ---------------------------------------------------------------------------
// Numbering

#[test]
fn decimal_numbering_shows_what_word_shows_not_what_the_author_meant() {
    // An author who picked a list with "%1、" in decimal sees 一、 nowhere:
    // Word draws 1、 2、 3、, and so does the published report.
    let numbering = list(&[lvl(0, "decimal", "%1、", 1, Some("nothing"))]);
    let body = [
        numbered("总体情况", 1, 0),
        p("正文。"),
        numbered("主动公开政府信息情况", 1, 0),
        numbered("收到和处理政府信息公开申请情况", 1, 0),
    ]
    .concat();
    let src = read(&package(&document(&body), None, Some(&numbering)));
    assert_eq!(
        lines(&src),
        [
            "1、总体情况",
            "正文。",
            "2、主动公开政府信息情况",
            "3、收到和处理政府信息公开申请情况"
        ]
    );
    let report = report_lint::parse::parse(&src);
    let h = report.sections[2].heading.as_ref().unwrap();
    assert_eq!(h.numbering, "3、");
    assert_ne!(h.style, "chinese");
    // …and the rules say so, about the number Word draws.
    let path = std::env::temp_dir().join(format!("rl-docx-decimal-{}.docx", std::process::id()));
    std::fs::write(&path, package(&document(&body), None, Some(&numbering))).unwrap();
    let v = common::check_json(path.to_str().unwrap());
    std::fs::remove_file(&path).ok();
    let msgs: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "section-numbering")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.contains(&"第三部分标题编号写成了“3、”，应为“三、”"),
        "{msgs:?}"
    );
}

#[test]
fn chinese_counting_numbering_and_levels() {
    let numbering = list(&[
        lvl(0, "chineseCounting", "%1、", 1, Some("nothing")),
        lvl(1, "chineseCounting", "（%2）", 1, Some("nothing")),
        lvl(2, "decimal", "%3.", 1, Some("nothing")),
    ]);
    let body = [
        numbered("总体情况", 1, 0),
        numbered("主动公开", 1, 1),
        numbered("依申请公开", 1, 1),
        numbered("第一条", 1, 2),
        numbered("第二条", 1, 2),
        numbered("主动公开政府信息情况", 1, 0),
        // Deeper levels restart after a higher level.
        numbered("重新开始", 1, 1),
        numbered("还是一", 1, 2),
    ]
    .concat();
    let src = read(&package(&document(&body), None, Some(&numbering)));
    assert_eq!(
        lines(&src),
        [
            "一、总体情况",
            "（一）主动公开",
            "（二）依申请公开",
            "1.第一条",
            "2.第二条",
            "二、主动公开政府信息情况",
            "（一）重新开始",
            "1.还是一"
        ]
    );
    let report = report_lint::parse::parse(&src);
    assert_eq!(
        report.sections[0].heading.as_ref().unwrap().style,
        "chinese"
    );
    assert_eq!(report.sections[1].canonical, "二、主动公开政府信息情况");
}

#[test]
fn numbering_through_styles_overrides_and_formats() {
    let styles_xml = styles(
        r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>
<w:style w:type="paragraph" w:styleId="H2"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#,
    );
    let mut h2 = lvl(1, "ideographTraditional", "%2．", 1, Some("space"));
    h2 = h2.replace("<w:lvlJc", r#"<w:pStyle w:val="H2"/><w:lvlJc"#);
    let numbering = numbering(&format!(
        "{}{}{}{}{}",
        abstract_num(
            0,
            &[lvl(0, "chineseCountingThousand", "第%1章", 1, None), h2]
        ),
        abstract_num(1, &[lvl(0, "upperLetter", "%1)", 1, Some("nothing"))]),
        num(1, 0, ""),
        num(2, 1, ""),
        // Same abstract list, restarted at 5.
        num(
            3,
            1,
            r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>"#
        ),
    ));
    let styled =
        |style: &str, text: &str| p_xml(&format!(r#"<w:pStyle w:val="{style}"/>"#), &run(text));
    let body = [
        styled("H1", "总则"),
        styled("H2", "范围"),
        styled("H2", "定义"),
        styled("H1b", "细则"),
        // numId 0 switches the style's numbering off.
        p_xml(
            r#"<w:pStyle w:val="H1"/><w:numPr><w:numId w:val="0"/></w:numPr>"#,
            &run("不编号"),
        ),
        numbered("甲", 2, 0),
        numbered("乙", 2, 0),
        numbered("戊", 3, 0),
        numbered("己", 3, 0),
        // An unknown list draws nothing.
        numbered("无此列表", 9, 0),
    ]
    .concat();
    let src = read(&package(
        &document(&body),
        Some(&styles_xml),
        Some(&numbering),
    ));
    assert_eq!(
        lines(&src),
        [
            "第一章 总则",
            "甲． 范围",
            "乙． 定义",
            "第二章 细则",
            "不编号",
            "A)甲",
            "B)乙",
            "E)戊",
            "F)己",
            "无此列表"
        ]
    );
}

#[test]
fn two_lists_of_one_abstract_continue_each_other() {
    let numbering = numbering(&format!(
        "{}{}{}",
        abstract_num(0, &[lvl(0, "decimal", "%1.", 1, Some("nothing"))]),
        num(1, 0, ""),
        num(2, 0, ""),
    ));
    let body = [
        numbered("a", 1, 0),
        numbered("b", 2, 0),
        numbered("c", 1, 0),
    ]
    .concat();
    let src = read(&package(&document(&body), None, Some(&numbering)));
    assert_eq!(lines(&src), ["1.a", "2.b", "3.c"]);
}

#[test]
fn tab_suffix_after_a_number_is_whitespace_the_rules_see() {
    // Word's default suffix is a tab: the published heading has a gap after
    // 一、, and heading-whitespace is right to say so.
    let numbering = list(&[lvl(0, "chineseCounting", "%1、", 1, None)]);
    let src = read(&package(
        &document(&numbered("总体情况", 1, 0)),
        None,
        Some(&numbering),
    ));
    assert_eq!(lines(&src), ["一、 总体情况"]);
    let report = report_lint::parse::parse(&src);
    assert!(!report.sections[0]
        .heading
        .as_ref()
        .unwrap()
        .whitespace
        .is_empty());
}

// ---------------------------------------------------------------------------
// Runs, fields, hidden text

#[test]
fn fields_bookmarks_and_hidden_text_do_not_leak() {
    let body = [
        // A complex field: only its result shows.
        r#"<w:p><w:bookmarkStart w:id="0" w:name="_Toc12345"/><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE \* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>"#.to_string(),
        // Nested fields: the inner code never shows, the outer result does.
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DATE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2024</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = 2024 "是" "否"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>是</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#.to_string(),
        // A simple field keeps its displayed content; a hyperlink its text.
        r#"<w:p><w:r><w:t>见</w:t></w:r><w:fldSimple w:instr=" REF _Ref1 \h "><w:r><w:t>表三</w:t></w:r></w:fldSimple><w:hyperlink r:id="rId9"><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>"#.to_string(),
        // Hidden runs, directly and through a character style.
        r#"<w:p><w:r><w:t>可见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Hidden"/></w:rPr><w:t>样式隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>文字</w:t></w:r></w:p>"#.to_string(),
        // A paragraph hidden by its style; one run in it shown again.
        r#"<w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr><w:r><w:t>整段隐藏</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr><w:r><w:t>段内隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>显示</w:t></w:r></w:p>"#.to_string(),
        // Tab, symbol, line break; a content control; a comment.
        r#"<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:sym w:font="Symbol" w:char="F0B7"/><w:br/><w:t>第二行</w:t></w:r></w:p>"#.to_string(),
        r#"<w:sdt><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent><w:p><w:commentRangeStart w:id="7"/><w:r><w:t>控件内容</w:t></w:r><w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r></w:p></w:sdtContent></w:sdt>"#.to_string(),
        // Escapes and a text box (skipped, with a notice).
        r#"<w:p><w:r><w:t>A&amp;B &lt;&#x4E00;&gt;</w:t></w:r><w:r><w:drawing><wp:inline xmlns:wp="urn:wp"><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></wp:inline></w:drawing></w:r></w:p>"#.to_string(),
    ]
    .concat();
    let styles_xml = styles(
        r#"<w:style w:type="character" w:styleId="Hidden"><w:rPr><w:vanish/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="HiddenPara"><w:rPr><w:vanish/></w:rPr></w:style>"#,
    );
    let src = read(&package(&document(&body), Some(&styles_xml), None));
    assert_eq!(
        lines(&src),
        [
            "第3页",
            "是",
            "见表三链接",
            "可见文字",
            "显示",
            "甲 乙●",
            "第二行",
            "控件内容",
            "A&B <一>"
        ]
    );
    for leak in [
        "PAGE",
        "MERGEFORMAT",
        "_Toc",
        "IF",
        "DATE",
        "REF",
        "隐藏",
        "文本框",
    ] {
        assert!(!src.text.contains(leak), "{leak} leaked:\n{}", src.text);
    }
    // The line break keeps the paragraph: both lines are paragraph 7.
    assert_eq!(
        src.origins[5].as_ref().unwrap().origin,
        Origin::DocxParagraph { paragraph: 7 }
    );
    assert_eq!(
        src.origins[6].as_ref().unwrap().origin,
        Origin::DocxParagraph { paragraph: 7 }
    );
    let kinds: Vec<&str> = src.notices.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, ["comments", "text-boxes"]);
    assert!(src.notices[0].message.contains("1 条批注"));
}

#[test]
fn word_made_template_parts_are_read() {
    // Word's own styles.xml and numbering.xml (python-docx's default
    // template; see tests/docx_builder/word_template_fixture.py): list
    // paragraphs numbered through their styles, a tab suffix, a bullet, a
    // horizontal and a vertical merge.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/inputs/docx/word-template-python-docx.docx");
    let src = read(&std::fs::read(path).unwrap());
    assert_eq!(
        lines(&src),
        [
            "株洲市2024年政府信息公开工作年度报告",
            "一、总体情况",
            "1. 第一项",
            "2. 第二项",
            "● 要点",
            "| 第二十条第（一）项 | 第二十条第（一）项 | 第二十条第（一）项 | 第二十条第（一）项 |",
            "| 信息内容 规章 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
            "| 信息内容 规章 | 0 | 0 | 0 |",
        ]
    );
    assert!(src.notices.is_empty());
}

// ---------------------------------------------------------------------------
// Tracked changes

#[test]
fn tracked_changes_are_accepted_and_reported() {
    let body = [
        r#"<w:p><w:r><w:t>本年新收申请</w:t></w:r><w:del w:id="1" w:author="甲"><w:r><w:delText>12</w:delText></w:r></w:del><w:ins w:id="2" w:author="甲"><w:r><w:t>13</w:t></w:r></w:ins><w:r><w:t>件。</w:t></w:r></w:p>"#,
        r#"<w:p><w:moveFrom w:id="3"><w:r><w:t>挪走的话</w:t></w:r></w:moveFrom><w:r><w:t>留下。</w:t></w:r></w:p>"#,
        // A deleted paragraph mark joins this paragraph to the next.
        r#"<w:p><w:pPr><w:rPr><w:del w:id="4"/></w:rPr></w:pPr><w:r><w:t>前半句，</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>后半句。</w:t></w:r><w:moveTo w:id="5"><w:r><w:t>挪来的话</w:t></w:r></w:moveTo></w:p>"#,
    ]
    .concat()
        + table(
            2,
            &[
                tr(vec![tc("行"), tc("值")]),
                // A deleted row disappears.
                tr(vec![tc("删掉的行"), tc("9")]),
                tr(vec![tc("行政许可"), tc("0")]),
            ],
        )
        .replacen(
            "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">删掉的行",
            "<w:tr><w:trPr><w:del w:id=\"6\"/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">删掉的行",
            1,
        )
        .as_str();
    let src = read(&docx(&body));
    assert_eq!(
        lines(&src),
        [
            "本年新收申请13件。",
            "留下。",
            "前半句，后半句。挪来的话",
            "| 行 | 值 |",
            "| 行政许可 | 0 |"
        ]
    );
    assert_eq!(src.notices.len(), 1);
    let n = &src.notices[0];
    assert_eq!(n.kind, "tracked-changes");
    assert!(
        n.message.contains("插入 2 处") && n.message.contains("删除 4 处"),
        "{}",
        n.message
    );
    assert_eq!(n.line, Some(1));
    let report = report_lint::parse::parse(&src);
    assert_eq!(report.notices, src.notices);
}

#[test]
fn a_clean_draft_has_no_notices() {
    assert!(read(&docx(&p("一、总体情况"))).notices.is_empty());
}

// ---------------------------------------------------------------------------
// Tables

#[test]
fn merged_cells_fill_every_slot_they_cover() {
    let rows = [
        // gridSpan
        tr(vec![tc("第二十条第（五）项").span(4)]),
        // vMerge restart / bare continue, gridSpan inside
        tr(vec![
            tc("信息内容").restart(),
            tc("本年处理决定数量").span(3),
        ]),
        tr(vec![tc("").cont(), tc("甲"), tc("乙"), tc("丙")]),
        // gridBefore / gridAfter leave empty slots
        Tr {
            before: 1,
            after: 1,
            cells: vec![tc("1"), tc("2")],
        },
        // explicit val="continue" under a cell that was not merged: own text
        tr(vec![
            Tc {
                vmerge: Some("continue"),
                ..tc("x")
            },
            tc("a"),
            tc("b"),
            tc("c"),
        ]),
    ];
    let body = [
        p("二、主动公开政府信息情况"),
        table(4, &rows),
        p("三、收到和处理政府信息公开申请情况"),
    ]
    .concat();
    let src = read(&docx(&body));
    assert_eq!(
        src.text,
        "二、主动公开政府信息情况\n\n\
| 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 |\n\
| 信息内容 | 本年处理决定数量 | 本年处理决定数量 | 本年处理决定数量 |\n\
| 信息内容 | 甲 | 乙 | 丙 |\n\
|  | 1 | 2 |  |\n\
| x | a | b | c |\n\n\
三、收到和处理政府信息公开申请情况\n"
    );
    // Origins: paragraphs and table rows, with per-cell ranges.
    assert_eq!(
        src.origins[0].as_ref().unwrap().origin,
        Origin::DocxParagraph { paragraph: 1 }
    );
    assert!(src.origins[1].is_none());
    let row3 = src.origins[4].as_ref().unwrap();
    assert_eq!(row3.origin, Origin::DocxTable { table: 1, row: 3 });
    assert_eq!(row3.cells.len(), 4);
    let at = src.text.find("乙").unwrap();
    let loc = src.locate(at).unwrap();
    assert_eq!(loc.column, Some(3));
    assert_eq!(loc.describe(), "DOCX 第 1 个表格 第 3 行 第 3 列");
    assert_eq!(
        src.origins[8].as_ref().unwrap().origin,
        Origin::DocxParagraph { paragraph: 2 }
    );
}

#[test]
fn legacy_hmerge_nested_tables_and_layout_frames() {
    let hmerge = |v: &str, text: &str| {
        Tc {
            xml: Some(p(text)),
            ..Tc::default()
        }
        .xml()
        .replace("</w:tcPr>", &format!(r#"<w:hMerge w:val="{v}"/></w:tcPr>"#))
    };
    let legacy = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>"#,
        hmerge("restart", "合并"),
        hmerge("continue", ""),
        tc("右").xml(),
        tc("a").xml(),
        tc("b").xml(),
        tc("c").xml()
    );
    let inner = table(
        2,
        &[tr(vec![tc("内1"), tc("内2")]), tr(vec![tc("内3"), tc("")])],
    );
    let nested = table(
        2,
        &[tr(vec![
            tc("外"),
            Tc {
                xml: Some([p("上"), inner].concat()),
                ..tc("")
            },
        ])],
    );
    // A whole report wrapped in a one-cell frame: read as the blocks inside.
    let frame = table(
        1,
        &[tr(vec![Tc {
            xml: Some([p("框内标题"), table(2, &[tr(vec![tc("k"), tc("v")])])].concat()),
            ..tc("")
        }])],
    );
    let src = read(&docx(&[legacy, nested, frame].concat()));
    assert_eq!(
        lines(&src),
        [
            "| 合并 | 合并 | 右 |",
            "| a | b | c |",
            "| 外 | 上 内1 内2 内3 |",
            "框内标题",
            "| k | v |"
        ]
    );
    let last = src.origins.iter().rev().flatten().next().unwrap();
    assert_eq!(last.origin, Origin::DocxTable { table: 3, row: 1 });
}

#[test]
fn content_controls_around_rows_and_cells() {
    let row = tr(vec![tc("a"), tc("b")]).xml();
    let cell = tc("d").xml();
    let body = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:sdt><w:sdtContent>{row}</w:sdtContent></w:sdt><w:tr>{}<w:sdt><w:sdtContent>{cell}</w:sdtContent></w:sdt></w:tr></w:tbl>"#,
        tc("c").xml()
    );
    assert_eq!(lines(&read(&docx(&body))), ["| a | b |", "| c | d |"]);
}

// ---------------------------------------------------------------------------
// Sniffing and bad input

#[test]
fn a_docx_is_sniffed_whatever_its_name() {
    let bytes = docx(&p("一、总体情况"));
    for name in ["report.txt", "report", "report.zip", "REPORT.DOCX"] {
        let src = decode(name, &bytes).unwrap();
        assert_eq!(src.format, "docx", "{name}");
    }
}

#[test]
fn other_zips_and_doc_files_are_unsupported() {
    let odt = zip_entries(&[("content.xml", b"<office:document/>".as_slice())]);
    match decode("a.docx", &odt) {
        Err(InputError::UnsupportedFormat(what)) => {
            assert!(what.contains("word/document.xml"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    doc.extend(vec![0u8; 600]);
    assert_eq!(
        decode("a.doc", &doc).unwrap_err(),
        InputError::UnsupportedFormat("DOC (Word 97-2003)")
    );
}

#[test]
fn an_encrypted_docx_says_so() {
    // A password-protected DOCX is an OLE compound file holding the streams
    // EncryptionInfo and EncryptedPackage (MS-OFFCRYPTO).
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(vec![0u8; 1000]);
    for name in ["EncryptionInfo", "EncryptedPackage"] {
        ole.extend(name.encode_utf16().flat_map(|u| u.to_le_bytes()));
        ole.extend(vec![0u8; 64]);
    }
    let e = err(&ole);
    assert!(e.contains("加密"), "{e}");
}

#[test]
fn truncated_and_corrupt_packages() {
    let good = docx(&[p("一、总体情况"), p("正文。")].concat());
    // Cut anywhere: the end of the package (central directory) is gone.
    for cut in [good.len() / 3, good.len() / 2, good.len() - 10] {
        let e = err(&good[..cut]);
        assert!(e.contains("DOCX") && e.contains("损坏"), "{e}");
    }
    // A deflate stream overwritten with junk: the part cannot be inflated
    // or is no longer UTF-8/XML. Either way a clear error, never a panic.
    let at = find(&good, b"word/document.xml") + 17 + 10;
    let mut bad = good.clone();
    for b in &mut bad[at..at + 40] {
        *b ^= 0x5A;
    }
    let e = err(&bad);
    assert!(e.contains("word/document.xml"), "{e}");
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn malformed_xml_names_the_part() {
    let broken = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>一</w:t></w:p></w:body></w:document>"#
    );
    let e = err(&package(&broken, None, None));
    assert!(e.contains("word/document.xml") && e.contains("XML"), "{e}");
    let unclosed = format!(r#"<w:document xmlns:w="{W_NS}"><w:body><w:p>"#);
    let e = err(&package(&unclosed, None, None));
    assert!(e.contains("不完整") || e.contains("XML"), "{e}");
    let bad_entity = document(r#"<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>"#);
    assert!(err(&package(&bad_entity, None, None)).contains("实体"));
    let no_body = format!(r#"<w:document xmlns:w="{W_NS}"/>"#);
    assert!(err(&package(&no_body, None, None)).contains("w:body"));
    let bad_numbering = "<w:numbering><oops></w:numbering>";
    let e = err(&package(&document(&p("x")), None, Some(bad_numbering)));
    assert!(e.contains("word/numbering.xml"), "{e}");
    let deep = format!(
        "<w:document xmlns:w=\"{W_NS}\"><w:body>{}{}</w:body></w:document>",
        "<w:sdt>".repeat(1000),
        "</w:sdt>".repeat(1000)
    );
    assert!(err(&package(&deep, None, None)).contains("嵌套"));
}

#[test]
fn empty_document_is_empty() {
    assert_eq!(
        decode("a.docx", &docx("<w:p/><w:p/>")).unwrap_err(),
        InputError::Empty
    );
}

#[test]
fn zip_bombs_are_cut_off() {
    // 65 MiB of spaces inside a valid document.xml deflate to ~64 KiB.
    let big = format!(
        "<w:document xmlns:w=\"{W_NS}\"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
        " ".repeat(65 * 1024 * 1024)
    );
    let bomb = zip_entries(&[("word/document.xml", big.as_bytes())]);
    drop(big);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let e = err(&bomb);
    assert!(e.contains("压缩炸弹"), "{e}");
    // Too many entries.
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let mut entries: Vec<(&str, &[u8])> =
        names.iter().map(|n| (n.as_str(), b"".as_slice())).collect();
    let doc = document(&p("x"));
    entries.push(("word/document.xml", doc.as_bytes()));
    let e = err(&zip_entries(&entries));
    assert!(e.contains("条目"), "{e}");
}

#[test]
fn element_count_is_bounded_but_formatting_does_not_count() {
    // 170 000 paragraphs of one run: 510 000 kept elements, over the limit.
    let many = "<w:p><w:r><w:t>x</w:t></w:r></w:p>".repeat(170_000);
    let e = err(&docx(&many));
    assert!(e.contains("元素超过"), "{e}");
    // 740 000 elements, 420 000 of them formatting, which is skipped.
    let run = r#"<w:r><w:rPr><w:rFonts w:ascii="宋体"/><w:b/><w:sz w:val="32"/><w:color w:val="000000"/></w:rPr><w:t>字</w:t></w:r>"#;
    let para = format!(
        r#"<w:p><w:pPr><w:spacing w:line="560"/><w:ind w:firstLine="640"/></w:pPr>{}</w:p>"#,
        run.repeat(10)
    );
    let src = read(&docx(&para.repeat(10_000)));
    assert_eq!(src.origins.len(), 10_000);
}

#[test]
fn merged_cells_cannot_amplify_the_view_without_bound() {
    // One 300 KB cell merged across 255 columns and down 1000 rows would
    // repeat into ~76 GB of view; the reader stops at its budget instead.
    let big = "字".repeat(100_000);
    let mut rows = vec![tr(vec![tc(&big).span(255).restart(), tc("x")])];
    for _ in 0..1000 {
        rows.push(tr(vec![tc("").span(255).cont(), tc("x")]));
    }
    let start = std::time::Instant::now();
    let e = err(&docx(&table(256, &rows)));
    assert!(e.contains("超过"), "{e}");
    assert!(start.elapsed().as_secs() < 30);
}

/// Flip and truncate bytes all over a real fixture: every outcome is a
/// source or an error, never a panic, and each takes little time.
#[test]
fn mutated_packages_never_panic() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inputs/docx/seed-003.docx");
    let good = std::fs::read(path).unwrap();
    let mut outcomes = [0usize; 2];
    let start = std::time::Instant::now();
    let step = (good.len() / 300).max(1);
    for (k, at) in (0..good.len()).step_by(step).enumerate() {
        let mut m = good.clone();
        m[at] ^= [0xFF, 0x01, 0x80, 0x20][k % 4];
        let r = std::panic::catch_unwind(|| decode("m.docx", &m).map(|s| s.text.len()));
        let r = r.unwrap_or_else(|_| panic!("panic with byte {at} flipped"));
        outcomes[r.is_ok() as usize] += 1;
        if k % 10 == 0 {
            let cut = &good[..at];
            std::panic::catch_unwind(|| decode("m.docx", cut).ok())
                .unwrap_or_else(|_| panic!("panic when cut at {at}"));
        }
    }
    // Both outcomes occur: flips in stored names or padding are harmless,
    // flips in compressed data are caught by the CRC or the XML parser.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
    assert!(start.elapsed().as_secs() < 120);
}

// ---------------------------------------------------------------------------
// Parity with the text seeds

/// (kind, row, col, raw, value) of every table cell.
fn cells(r: &report_lint::model::Report) -> Vec<(String, String, String, String, String)> {
    r.tables
        .iter()
        .flat_map(|t| {
            t.rows.iter().flat_map(move |row| {
                row.cells.iter().map(move |c| {
                    (
                        t.kind.clone(),
                        row.key.clone(),
                        c.col.clone(),
                        c.raw.clone(),
                        format!("{:?}", c.value),
                    )
                })
            })
        })
        .collect()
}

/// (number, canonical heading, heading as written, sub-headings, tables).
type Part = (i64, String, Option<String>, Vec<String>, Vec<String>);

fn parts(r: &report_lint::model::Report) -> Vec<Part> {
    r.sections
        .iter()
        .map(|s| {
            (
                s.number,
                s.canonical.clone(),
                s.heading.as_ref().map(|h| h.text.clone()),
                s.subsections.iter().map(|h| h.text.clone()).collect(),
                s.tables.clone(),
            )
        })
        .collect()
}

/// (rule, severity, message) of every finding, in order.
fn findings(file: &str) -> Vec<(String, String, String)> {
    let v = common::check_json(file);
    v["files"][0]["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics for {file}: {v}"))
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn rebuilt_seeds_read_like_their_text() {
    // Two seeds in the 2021 format and the 2019-format fixture (table 2 with
    // 上一年项目数量/本年增减 columns and an empty fourth cell).
    for (seed, text_path, docx_path) in [
        (
            "000",
            "fixtures/seeds/000.txt",
            "fixtures/inputs/docx/seed-000.docx",
        ),
        (
            "003",
            "fixtures/seeds/003.txt",
            "fixtures/inputs/docx/seed-003.docx",
        ),
        (
            "format-2019",
            "fixtures/inputs/format-2019.txt",
            "fixtures/inputs/docx/format-2019.docx",
        ),
    ] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join(text_path)).unwrap();
        let built = seed_to_docx(&text);
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(root.join(docx_path), &built).unwrap();
        }
        let committed = std::fs::read(root.join(docx_path)).unwrap();
        assert!(
            committed == built,
            "{docx_path} is not what the builder makes (BLESS=1 to rebuild)"
        );

        let t = report_lint::input::read_path(&root.join(text_path)).unwrap();
        let d = report_lint::input::read_path(&root.join(docx_path)).unwrap();
        assert_eq!(d.format, "docx");
        assert!(d.notices.is_empty());
        let (t, d) = (report_lint::parse::parse(&t), report_lint::parse::parse(&d));
        let (tc, dc) = (cells(&t), cells(&d));
        assert!(tc.len() >= 190, "{seed}: {} cells", tc.len());
        assert_eq!(tc, dc, "{seed}: table cells");
        assert_eq!(parts(&t), parts(&d), "{seed}: parts");
        for (a, b) in t.tables.iter().zip(&d.tables) {
            assert_eq!(
                a.shape_issues.len(),
                b.shape_issues.len(),
                "{seed} {}",
                a.kind
            );
        }
        assert_eq!(t.format.detected, d.format.detected);
        assert_eq!(
            t.metadata.title.as_ref().map(|x| &x.value),
            d.metadata.title.as_ref().map(|x| &x.value)
        );
        assert_eq!(
            t.metadata.year.as_ref().map(|y| y.value),
            d.metadata.year.as_ref().map(|y| y.value)
        );
        // The same narrative numbers, in the same parts.
        let nums = |r: &report_lint::model::Report| {
            r.numbers
                .iter()
                .map(|n| (n.text.clone(), n.section))
                .collect::<Vec<_>>()
        };
        assert_eq!(nums(&t), nums(&d));

        // The DOCX draws its headings with Word numbering (chineseCounting),
        // its tables with gridSpan/vMerge/gridAfter; the findings are the
        // same, word for word.
        let (ft, fd) = (findings(text_path), findings(docx_path));
        assert!(!ft.is_empty());
        assert_eq!(ft, fd, "{seed}: findings");
    }
}

#[test]
fn findings_on_a_docx_name_the_place_in_the_document() {
    let o = common::run(&["check", "--no-config", "fixtures/inputs/docx/seed-000.docx"]);
    let out = common::stdout(&o);
    assert!(out.contains("原文位置：DOCX 正文第 8 段"), "{out}");
    assert!(
        out.contains("原文位置：DOCX 第 3 个表格 第 4 行 第 5 列"),
        "{out}"
    );
}

#[test]
fn a_broken_docx_in_a_batch_is_reported_and_the_batch_goes_on() {
    let dir = std::env::temp_dir().join(format!("rl-docx-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = docx(&p("一、总体情况"));
    std::fs::write(dir.join("a-broken.docx"), &good[..good.len() / 2]).unwrap();
    std::fs::write(dir.join("b-good.docx"), &good).unwrap();
    // Word's lock file beside an open document is not taken.
    std::fs::write(dir.join("~$b-good.docx"), b"\x05user").unwrap();
    let o = common::run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = common::stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{out}");
    assert!(out.contains("压缩包不完整或已损坏"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn extreme_list_values_do_not_overflow() {
    let numbering = numbering(&format!(
        "{}{}{}",
        abstract_num(0, &[lvl(0, "decimal", "%1.", i64::MAX, Some("nothing"))]),
        num(1, 0, ""),
        num(
            2,
            0,
            &format!(
                r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{}"/></w:lvlOverride>"#,
                i64::MIN
            )
        ),
    ));
    let body = [
        numbered("a", 1, 0),
        numbered("b", 1, 0),
        numbered("c", 2, 0),
    ]
    .concat();
    let src = read(&package(&document(&body), None, Some(&numbering)));
    assert_eq!(
        lines(&src),
        [
            format!("{}.a", i64::MAX),
            format!("{}.b", i64::MAX),
            format!("{}.c", i64::MIN + 1)
        ]
    );
}

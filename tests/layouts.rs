//! Layouts real organs make their reports in (issue 13): signed cells of a
//! tab-indented DOCX export, CMS pages whose title is outside the article,
//! web footers after the report's end, signature dates.

mod common;
use common::{check_json, rule_lines};

fn rules(file: &str) -> Vec<String> {
    let mut r: Vec<String> = rule_lines(&check_json(file))
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    r.sort();
    r
}

fn parse(file: &str) -> report_lint::model::Report {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    report_lint::parse::parse(&report_lint::input::read_path(&root.join(file)).unwrap())
}

#[test]
fn signed_cells_of_a_tab_indented_export_are_values() {
    // The 2019 format's 本年增/减 of `-1` on its own tab line was read as a
    // page number, so as blank (`cell-value` “本年增/减为空白”).
    let r = parse("fixtures/inputs/format-2019-tab.txt");
    let t2 = r.tables.iter().find(|t| t.kind == "t2").unwrap();
    let raw: Vec<(&str, &str)> = t2
        .rows
        .iter()
        .flat_map(|row| row.cells.iter())
        .filter(|c| c.col == "change")
        .map(|c| (c.row.as_str(), c.raw.as_str()))
        .collect();
    assert!(raw.contains(&("other_services", "-1")), "{raw:?}");
    assert!(raw.contains(&("licensing", "+2")), "{raw:?}");
    assert_eq!(
        rules("fixtures/inputs/format-2019-tab.txt"),
        rules("fixtures/inputs/format-2019.txt")
    );
}

#[test]
fn a_cms_page_whose_title_is_outside_the_article() {
    // The title in the page's <h1>, in a title div with the date, or only in
    // <meta name="ArticleTitle"> and <title>; the article opens with a
    // sentence naming the report, which is not its title (nor its organ).
    for layout in ["h1", "divtitle", "meta"] {
        let file = format!("fixtures/inputs/html/cms-title-{layout}.html");
        let r = parse(&file);
        let title = r.metadata.title.as_ref().map(|t| t.value.as_str());
        assert_eq!(
            title,
            Some("湘源市河西县自然资源局2024年政府信息公开工作年度报告"),
            "{layout}"
        );
        let organ = r.metadata.organ.as_ref().map(|o| o.value.as_str());
        assert_eq!(organ, Some("湘源市河西县自然资源局"), "{layout}");
        assert_eq!(r.metadata.year.as_ref().map(|y| y.value), Some(2024));
        assert_eq!(rules(&file), Vec::<String>::new(), "{layout}");
    }
}

#[test]
fn one_cell_per_line_with_no_separator_is_a_table() {
    // A generated CMS page (examples/gen-corpus --format html --seed 31,
    // r000013) whose text was taken one block per line, as a crawler or a
    // copy from the browser gives it: `规章`, `0`, `0`, `0`, each on its own
    // line. Before, the values were breaks and every table was missing or
    // short (`缺少“规章”行` … `缺少表四`).
    let file = "fixtures/inputs/lines-crawled-page.txt";
    let r = parse(file);
    for kind in ["t2", "t3", "t4"] {
        let t = r.tables.iter().find(|t| t.kind == kind).unwrap();
        assert!(t.shape_issues.is_empty(), "{kind}: {:?}", t.shape_issues);
    }
    let t3 = r.tables.iter().find(|t| t.kind == "t3").unwrap();
    assert_eq!(t3.rows.len(), 25);
    // The page's own chrome (【打印本页】【关闭窗口】) is all that is reported.
    assert_eq!(rules(file), ["web-residue"]);
}

#[test]
fn the_same_report_one_cell_per_line_gets_the_same_findings() {
    // Seeds 000 and 003 and the 2019-format fixture, their pipe rows split
    // one cell to a line with the separators gone (`fixtures/inputs/lines-*.txt`).
    // Table 4's header words one to a line (`结果`, `其他`, `尚未`) were breaks,
    // and 003's table 4 was “只找到 0 个”.
    for (lines, pipes) in [
        ("fixtures/inputs/lines-000.txt", "fixtures/seeds/000.txt"),
        ("fixtures/inputs/lines-003.txt", "fixtures/seeds/003.txt"),
        (
            "fixtures/inputs/lines-format-2019.txt",
            "fixtures/inputs/format-2019.txt",
        ),
    ] {
        assert_eq!(rules(lines), rules(pipes), "{lines}");
    }
}

#[test]
fn text_copied_out_of_a_pdf_is_not_checked_on_guesses() {
    // Corpus 001 and 002 as `pdftotext` gives them without `-layout` (what a
    // copy from a PDF viewer gives): cells in reading order, table 4's header
    // words cut and mixed with its numbers. Before, the header words were
    // read as values (`cell-value` “不是数字：‘结 果’” ×11), then the numbers
    // in the wrong cells (`t4-group-total`, `t3-row-total`, `nvt-review-litigation`
    // errors on tables that add up). Now the table's reading is named as the
    // problem (`table-shape`), and checks on a table misread in three places or
    // more are notes.
    for file in [
        "fixtures/inputs/pdf-text-copied-001.txt",
        "fixtures/inputs/pdf-text-copied-002.txt",
    ] {
        let v = check_json(file);
        let found: Vec<(String, String)> = v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] != "note")
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let guessed: Vec<_> = found
            .iter()
            .filter(|(r, _)| {
                r.starts_with("t3-")
                    || r.starts_with("t4-")
                    || r.starts_with("nvt-")
                    || r == "cell-value"
            })
            .collect();
        assert!(guessed.is_empty(), "{file}: {guessed:?}");
        assert!(
            found
                .iter()
                .any(|(r, m)| r == "table-shape" && m.contains("表头文字和数字交错")),
            "{file}: {found:?}"
        );
    }
}

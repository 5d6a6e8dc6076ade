//! Text shapes from the corpus that once misled the parser.

mod common;
use common::{check_json, rule_lines};

fn rules_found(path: &str) -> Vec<(String, u64)> {
    rule_lines(&check_json(path))
}

#[test]
fn table_labels_cut_by_pdf_conversion_are_not_sub_headings() {
    // Corpus 006: `（三）不` / `予公开` and `（二）部分公开（区分处理的，只` are table 3
    // labels outside any readable table, not sub-headings of part 三.
    let found = rules_found("fixtures/inputs/markdown-006.md");
    assert!(
        !found.iter().any(|(r, _)| r == "subsection-numbering"),
        "{found:?}"
    );
}

#[test]
fn spacing_around_digits_in_a_heading_is_not_a_stray_space() {
    // Corpus 005: `（一）2024 年工作中存在问题的改进情况`.
    let found = rules_found("fixtures/inputs/markdown-005.md");
    assert!(
        !found.iter().any(|(r, _)| r == "heading-whitespace"),
        "{found:?}"
    );
}

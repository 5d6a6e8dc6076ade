//! Fuzz the DOCX reader: `cargo +nightly fuzz run docx` (see docs/inputs/docx.md).
//!
//! Input starting with `PK` goes through the whole package path (`decode`:
//! zip, limits, parts); anything else is taken as `word/document.xml` itself,
//! so mutations reach the XML reader and renderer instead of dying on the
//! zip's CRC. Either way: no panic, and a rendered view has one origin per
//! line and parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_lint::input::{decode, docx, Source};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        if let Ok(src) = decode("fuzz.docx", data) {
            check(&src);
        }
        return;
    }
    let xml = String::from_utf8_lossy(data);
    if let Ok(view) = docx::render_parts((&xml, "word/document.xml"), None, None) {
        assert_eq!(view.text.matches('\n').count(), view.origins.len());
        if !view.text.trim().is_empty() {
            check(&Source::from_view("fuzz.docx", view, "docx", "utf-8"));
        }
    }
});

fn check(src: &Source) {
    // `PK` followed by text is a text file, with no origin map.
    if src.format == "docx" {
        assert_eq!(src.text.matches('\n').count(), src.origins.len());
    }
    let report = report_lint::parse::parse(src);
    for t in &report.tables {
        assert!(t.span.end <= src.text.len());
    }
}

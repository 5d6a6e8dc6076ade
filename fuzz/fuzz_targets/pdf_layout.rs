//! The PDF layout→view conversion and the parser never panic, and the view
//! keeps one origin per line, whatever text `pdftotext -layout` might print.
//! Seed corpus: `fixtures/inputs/pdf/*.layout.txt`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_lint::input::{pdf, Source};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let view = pdf::layout_to_view(&text);
    assert_eq!(view.origins.len(), view.text.matches('\n').count());
    let src = Source::from_view("fuzz.pdf", view, "pdf", "utf-8");
    let _ = report_lint::parse::parse(&src);
});

//! The HTML reader on arbitrary text: parse, locate the report, form the
//! tables, render the view. It must return a view or an `InputError`, never
//! panic, and every origin's cell ranges must lie inside their line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(view) = report_lint::input::html::read(text) {
        let lines: Vec<&str> = view.text.split('\n').collect();
        assert_eq!(view.origins.len() + 1, lines.len());
        for (line, origin) in lines.iter().zip(&view.origins) {
            if let Some(o) = origin {
                for &(s, e) in &o.cells {
                    assert!(s <= e && e <= line.len());
                    assert!(line.is_char_boundary(s) && line.is_char_boundary(e));
                }
            }
        }
    }
});

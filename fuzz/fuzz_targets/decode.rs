//! The whole input path on arbitrary bytes: the encoding pipeline (BOM,
//! `<meta charset>` prescan, UTF-8, detection), content sniffing, the HTML or
//! text reader, and the parser. Errors are fine; panics and hangs are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_lint::input::{decode, encoding};

fuzz_target!(|data: &[u8]| {
    let d = encoding::decode(data, None, true);
    assert!(d.errors <= data.len());
    let _ = encoding::prescan_meta(data);
    for name in ["fuzz.html", "fuzz.txt"] {
        if let Ok(src) = decode(name, data) {
            let report = report_lint::parse::parse(&src);
            for l in &report.lines {
                let _ = src.locate(l.span.start);
            }
        }
    }
});

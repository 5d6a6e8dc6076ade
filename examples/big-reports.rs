//! Very large reports of several shapes, for the scaling benchmark
//! (`scripts/bench-scaling.sh`, `docs/performance.md`, "Scaling with report
//! size"): every per-report step must stay linear in the size of the input.
//!
//! ```sh
//! cargo run --release --example big-reports -- OUT_DIR 1 2 4 8   # sizes in MB
//! ```
//!
//! Writes `OUT_DIR/<shape>-<N>mb.txt` for each shape and size:
//! - `repeated`: seed 001 repeated;
//! - `one-line`: the same with every line break a space (a crawler's text);
//! - `replacement`: seed 001, then lines full of U+FFFD (a mis-decoded file);
//! - `headings`: part and sub-headings, over and over;
//! - `table-rows`: seed 001, then pipe-table rows of numbers.

use std::io::Write;

const SEED: &str = include_str!("../fixtures/seeds/001.txt");

fn fill(out: &mut Vec<u8>, size: usize, head: &str, unit: &str) {
    out.extend_from_slice(head.as_bytes());
    while out.len() + unit.len() <= size {
        out.extend_from_slice(unit.as_bytes());
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: big-reports OUT_DIR MB…"));
    std::fs::create_dir_all(&dir).expect("create the output folder");
    let sizes: Vec<usize> = args.map(|a| a.parse().expect("a size in MB")).collect();
    let one_line = SEED.replace('\n', " ");
    let headings = "一、总体情况\n（一）主动公开\n本年度主动公开政府信息。\n二、主动公开政府信息情况\n（二）依申请公开\n";
    let replacement = format!("{}\n", "\u{FFFD}好".repeat(40));
    let rows = "| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n";
    for mb in sizes {
        let size = mb << 20;
        let shapes: [(&str, &str, &str); 5] = [
            ("repeated", "", SEED),
            ("one-line", "", &one_line),
            ("replacement", SEED, &replacement),
            ("headings", "", headings),
            ("table-rows", SEED, rows),
        ];
        for (name, head, unit) in shapes {
            let mut out = Vec::with_capacity(size);
            fill(&mut out, size, head, unit);
            let path = dir.join(format!("{name}-{mb}mb.txt"));
            std::fs::File::create(&path)
                .and_then(|mut f| f.write_all(&out))
                .expect("write a report");
        }
    }
}

//! Write a corpus of generated annual reports (see `examples/corpus/mod.rs`).
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --count 10000 --seed 1 --format text --out /tmp/corpus
//! cargo run --release --example gen-corpus -- --count 200 --inject 50 --format html --out /tmp/bad
//! ```
//!
//! `--inject P` plants one known error in P% of the files and lists them in
//! `OUT/injected.tsv` (file, injection, the rules that must find it).

#[path = "corpus/mod.rs"]
mod corpus;

use corpus::Format;

fn main() {
    let mut count = 100usize;
    let mut seed = 1u64;
    let mut format = Format::Text;
    let mut inject = 0u64;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen-corpus --out DIR [--count N] [--seed S] [--format text|html|docx] [--inject PERCENT]";
    while let Some(a) = args.next() {
        let mut value = || {
            args.next().unwrap_or_else(|| {
                eprintln!("error: {a} needs a value\n{usage}");
                std::process::exit(2)
            })
        };
        let bad = |what: &str| -> ! {
            eprintln!("error: bad {what}\n{usage}");
            std::process::exit(2)
        };
        match a.as_str() {
            "--count" | "-n" => count = value().parse().unwrap_or_else(|_| bad("--count")),
            "--seed" => seed = value().parse().unwrap_or_else(|_| bad("--seed")),
            "--format" => format = Format::parse(&value()).unwrap_or_else(|| bad("--format")),
            "--inject" => {
                inject = value().parse().unwrap_or_else(|_| bad("--inject"));
                if inject > 100 {
                    bad("--inject (a percentage, 0–100)");
                }
            }
            "--out" | "-o" => out = Some(std::path::PathBuf::from(value())),
            "-h" | "--help" => {
                println!("{usage}");
                return;
            }
            _ => bad(&format!("argument {a}")),
        }
    }
    let Some(out) = out else {
        eprintln!("error: --out is required\n{usage}");
        std::process::exit(2)
    };
    match corpus::write_corpus(&out, count, seed, format, inject) {
        Ok(bytes) => println!(
            "wrote {count} {} reports ({:.1} MB) to {}",
            format.extension(),
            bytes as f64 / 1e6,
            out.display()
        ),
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            std::process::exit(1)
        }
    }
}

//! Write a corpus of generated annual reports (see `examples/corpus/mod.rs`).
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --count 10000 --seed 1 --format text --out /tmp/corpus
//! cargo run --release --example gen-corpus -- --count 200 --inject 50 --format html --out /tmp/bad
//! cargo run --release --example gen-corpus -- --count 50 --series 3 --inject 30 --out /tmp/series
//! ```
//!
//! `--inject P` plants one known error in P% of the files and lists them in
//! `OUT/injected.tsv` (file, injection, the rules that must find it).
//! `--series Y` writes COUNT organs × Y consecutive years (`s0000-2022.txt`, …),
//! each year following from the one before (carry-over, table 2's stock, the
//! year-on-year percentage); with `--inject`, P% of the later years break one
//! of these links (the cross-year rules must find it).

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
    let mut series: Option<usize> = None;
    let usage = "usage: gen-corpus --out DIR [--count N] [--seed S] [--format text|cells|tab|lines|md|html|docx] [--inject PERCENT] [--series YEARS]";
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
            "--series" => {
                let y: usize = value().parse().unwrap_or_else(|_| bad("--series"));
                if !(2..=5).contains(&y) {
                    bad("--series (consecutive years per organ, 2–5)");
                }
                series = Some(y);
            }
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
    let written = match series {
        Some(years) => corpus::write_series(&out, count, years, seed, format, inject),
        None => corpus::write_corpus(&out, count, seed, format, inject),
    };
    let files = count * series.unwrap_or(1);
    match written {
        Ok(bytes) => println!(
            "wrote {files} {} reports ({:.1} MB) to {}",
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

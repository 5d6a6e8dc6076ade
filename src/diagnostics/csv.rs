//! CSV output (`--format csv`): one row per checked file, for a spreadsheet.
//!
//! ```text
//! path,status,errors,warnings,notes,failing_rules
//! ```
//!
//! RFC 4180: CRLF line ends, a header row, fields with `,`, `"`, CR or LF
//! quoted and `"` doubled. The output starts with a UTF-8 byte-order mark so
//! that Excel reads Chinese paths as UTF-8 instead of the local code page.
//! `status` is `pass`, `fail` (a finding at or above the failing level) or
//! `error` (the file could not be read); `failing_rules` lists the rules with
//! such findings, separated by `;`.

use super::{FileReport, RunEnd, RunInfo, Severity, Writer};
use std::io::{self, Write};

pub const BOM: &str = "\u{FEFF}";
pub const HEADER: [&str; 6] = [
    "path",
    "status",
    "errors",
    "warnings",
    "notes",
    "failing_rules",
];

pub struct CsvWriter;

impl Writer for CsvWriter {
    fn begin(&mut self, out: &mut dyn Write, _run: &RunInfo) -> io::Result<()> {
        out.write_all(BOM.as_bytes())?;
        row(out, &HEADER)
    }

    fn file(&mut self, out: &mut dyn Write, run: &RunInfo, f: &FileReport) -> io::Result<()> {
        let failing = f.failing_rules(run.fail);
        let status = if f.error.is_some() {
            "error"
        } else if failing.is_empty() {
            "pass"
        } else {
            "fail"
        };
        let counts =
            [Severity::Error, Severity::Warning, Severity::Note].map(|s| f.count(s).to_string());
        row(
            out,
            &[
                f.path,
                status,
                &counts[0],
                &counts[1],
                &counts[2],
                &failing.join(";"),
            ],
        )
    }

    fn finish(&mut self, _out: &mut dyn Write, _run: &RunInfo, _end: &RunEnd) -> io::Result<()> {
        Ok(())
    }
}

fn row(out: &mut dyn Write, fields: &[&str]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// One field, quoted when RFC 4180 requires it.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quoting() {
        assert_eq!(field("报告.txt"), "报告.txt");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("x\ny"), "\"x\ny\"");
    }
}

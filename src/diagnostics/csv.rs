//! CSV output (`--format csv`): one row per finding, for a spreadsheet.
//!
//! ```text
//! file,organ,year,status,rule,severity,severity_en,message,line,column,place,label,notes,help,format
//! ```
//!
//! The columns are those of [`super::rows`] (shared with XLSX). A file with no
//! finding, or one that could not be read (its error in `message`), has one
//! row with an empty `rule`. `severity` is Chinese (错误/警告/提示),
//! `severity_en` the JSON's (`error`/`warning`/`note`); `place` names the
//! place in the original (“DOCX 第 1 个表格 第 7 行 第 2 列”, “PDF 第 3 页 第 12 行”,
//! or the line and column of a text file); `notes` holds every note, one per
//! line, so a list is never cut short. `status` is the file's: `pass`,
//! `fail` (a finding at or above the failing level) or `error`.
//!
//! RFC 4180: CRLF line ends, a header row, fields with `,`, `"`, CR or LF
//! quoted and `"` doubled. The output starts with a UTF-8 byte-order mark so
//! that Excel reads Chinese as UTF-8 instead of the local code page.

use super::rows::{finding_rows, FINDING_COLUMNS};
use super::{FileReport, RunEnd, RunInfo, Writer};
use std::io::{self, Write};

pub const BOM: &str = "\u{FEFF}";

pub struct CsvWriter;

impl Writer for CsvWriter {
    fn begin(&mut self, out: &mut dyn Write, _run: &RunInfo) -> io::Result<()> {
        out.write_all(BOM.as_bytes())?;
        row(out, &FINDING_COLUMNS.map(|(name, _)| name))
    }

    fn file(&mut self, out: &mut dyn Write, run: &RunInfo, f: &FileReport) -> io::Result<()> {
        for cells in finding_rows(run, f) {
            let texts: Vec<String> = cells.iter().map(|c| c.as_text()).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            row(out, &refs)?;
        }
        Ok(())
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

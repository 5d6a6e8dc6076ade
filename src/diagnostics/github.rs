//! GitHub Actions workflow commands (`--format github`): one line per finding,
//! which GitHub shows as an annotation on the file and line.
//!
//! ```text
//! ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE
//! ```
//!
//! `warning` stays `::warning`, `note` becomes `::notice`. The message is
//! followed by the notes and help, one per (escaped) line, as in the human
//! output. Unreadable files and rule errors are `::error` lines too.

use super::{rule_error_text, Diagnostic, FileReport, Position, RunEnd, RunInfo, Severity, Writer};
use crate::model::LineIndex;
use std::io::{self, Write};

pub struct GithubWriter;

impl Writer for GithubWriter {
    fn file(&mut self, out: &mut dyn Write, _run: &RunInfo, f: &FileReport) -> io::Result<()> {
        match (f.text, f.error) {
            (Some(text), _) => {
                let index = LineIndex::new(text);
                for d in f.diagnostics {
                    writeln!(out, "{}", line(f.path, &index, text, d))?;
                }
            }
            (None, Some(e)) => writeln!(
                out,
                "::error file={},title=read::{}",
                property(f.path),
                data(&format!("{}: {e}", f.path))
            )?,
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &RunInfo, end: &RunEnd) -> io::Result<()> {
        for e in end.rule_errors {
            let mut props = format!("file={}", property(&e.file));
            if let Some(l) = e.line {
                props.push_str(&format!(",line={l}"));
                if let Some(c) = e.column {
                    props.push_str(&format!(",col={c}"));
                }
            }
            let mut msg = rule_error_text(e);
            if let Some(r) = &e.report {
                msg.push_str(&format!("\n检查 {r} 时发生；其他规则照常运行"));
            }
            writeln!(out, "::error {props},title=rule-error::{}", data(&msg))?;
        }
        Ok(())
    }
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// The workflow command for one finding.
/// The workflow command for one finding; `index` is the line index of `text`.
pub fn line(path: &str, index: &LineIndex, text: &str, d: &Diagnostic) -> String {
    let p = Position::of(index, text, d.span);
    let mut msg = d.message.clone();
    for n in &d.notes {
        msg.push_str(&format!("\nnote: {n}"));
    }
    if let Some(h) = &d.help {
        msg.push_str(&format!("\nhelp: {h}"));
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        command(d.severity),
        property(path),
        p.line,
        p.column,
        p.end_line,
        p.end_column,
        property(&d.rule),
        data(&msg)
    )
}

/// Escape a command's message.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: as the message, and `:` and `,` too.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50%\r\n下一行: a,b"), "50%25%0D%0A下一行: a,b");
        assert_eq!(property("C:\\x,y%.txt"), "C%3A\\x%2Cy%25.txt");
    }
}

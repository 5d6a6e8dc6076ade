//! JUnit XML output (`--format junit`), for CI systems that show test reports.
//!
//! One `<testsuite>` per checked file, one `<testcase name="RULE"
//! classname="PATH">` per enabled rule. A rule with a finding at or above the
//! failing level fails: its `<failure>` lists the findings as `line:col
//! message`. Findings below the failing level go to the testcase's
//! `<system-out>`. A rule that failed on the file is an `<error>`; a file that
//! could not be read has a single testcase `read` with an `<error>`. Rules that
//! failed to load are testcases of a last suite named `rules`.

use super::{rule_error_text, Diagnostic, FileReport, Position, RunEnd, RunInfo, Writer};
use crate::model::LineIndex;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The totals go in the first line, so the suites wait in a spool: an
/// unlinked temporary file (memory stays flat however long the batch), or
/// memory if no temporary file can be made.
#[derive(Default)]
pub struct JunitWriter {
    spool: Option<Spool>,
    tests: usize,
    failures: usize,
    errors: usize,
}

enum Spool {
    File(io::BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

impl Spool {
    fn new() -> Spool {
        let path = std::env::temp_dir().join(format!(
            "report-lint-junit-{}-{:?}.xml",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(f) => {
                // Unlinked at once: the file goes away with the process.
                let _ = std::fs::remove_file(&path);
                Spool::File(io::BufWriter::new(f))
            }
            Err(_) => Spool::Memory(Vec::new()),
        }
    }
}

impl JunitWriter {
    /// Add a suite's totals and write it to the spool.
    fn emit(&mut self, s: &Suite) -> io::Result<()> {
        self.tests += s.tests;
        self.failures += s.failures;
        self.errors += s.errors;
        let spool = self.spool.get_or_insert_with(Spool::new);
        let w: &mut dyn Write = match spool {
            Spool::File(f) => f,
            Spool::Memory(v) => v,
        };
        write_suite(w, s)
    }
}

fn write_suite(out: &mut dyn Write, s: &Suite) -> io::Result<()> {
    writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
        attr(&s.name),
        s.tests,
        s.failures,
        s.errors
    )?;
    out.write_all(s.body.as_bytes())?;
    writeln!(out, "  </testsuite>")
}

struct Suite {
    name: String,
    tests: usize,
    failures: usize,
    errors: usize,
    body: String,
}

impl Suite {
    fn new(name: &str) -> Suite {
        Suite {
            name: name.to_string(),
            tests: 0,
            failures: 0,
            errors: 0,
            body: String::new(),
        }
    }
}

impl Writer for JunitWriter {
    fn file(&mut self, _out: &mut dyn Write, run: &RunInfo, f: &FileReport) -> io::Result<()> {
        let mut suite = Suite::new(f.path);
        let classname = attr(f.path);
        let Some(text) = f.text else {
            suite.tests = 1;
            suite.errors = 1;
            let msg = f.error.unwrap_or_default();
            let _ = write!(
                suite.body,
                "    <testcase name=\"read\" classname=\"{classname}\">\n      <error message=\"{}\" type=\"read\">{}</error>\n    </testcase>\n",
                attr(msg),
                text_node(msg)
            );
            return self.emit(&suite);
        };
        // Enabled rules, then any rule a finding or error names that is not among them.
        let mut ids: Vec<&str> = run
            .rules
            .iter()
            .filter(|r| r.severity.is_some())
            .map(|r| r.id.as_str())
            .collect();
        let mut others: Vec<&str> = f
            .diagnostics
            .iter()
            .map(|d| d.rule.as_str())
            .chain(f.rule_errors.iter().map(|e| e.rule.as_str()))
            .filter(|id| !id.is_empty() && !ids.contains(id))
            .collect();
        others.sort_unstable();
        others.dedup();
        ids.extend(others);

        for id in ids {
            suite.tests += 1;
            let diags: Vec<&Diagnostic> = f.diagnostics.iter().filter(|d| d.rule == id).collect();
            let (failing, passing): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
                diags.iter().partition(|d| d.severity >= run.fail);
            let errors: Vec<String> = f
                .rule_errors
                .iter()
                .filter(|e| e.rule == id)
                .map(rule_error_text)
                .collect();
            let _ = write!(
                suite.body,
                "    <testcase name=\"{}\" classname=\"{classname}\"",
                attr(id)
            );
            if failing.is_empty() && passing.is_empty() && errors.is_empty() {
                suite.body.push_str("/>\n");
                continue;
            }
            suite.body.push_str(">\n");
            if !failing.is_empty() {
                suite.failures += 1;
                let worst = failing.iter().map(|d| d.severity).max().unwrap_or(run.fail);
                let message = match failing.len() {
                    1 => failing[0].message.clone(),
                    n => format!("{n} 处问题，第一处：{}", failing[0].message),
                };
                let _ = writeln!(
                    suite.body,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    attr(&message),
                    worst.as_str(),
                    text_node(&finding_lines(text, &failing, false))
                );
            }
            if !errors.is_empty() {
                suite.errors += 1;
                let all = errors.join("\n");
                let _ = writeln!(
                    suite.body,
                    "      <error message=\"{}\" type=\"rule-error\">{}</error>",
                    attr(&errors[0]),
                    text_node(&all)
                );
            }
            if !passing.is_empty() {
                let _ = writeln!(
                    suite.body,
                    "      <system-out>{}</system-out>",
                    text_node(&finding_lines(text, &passing, true))
                );
            }
            suite.body.push_str("    </testcase>\n");
        }
        self.emit(&suite)
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &RunInfo, end: &RunEnd) -> io::Result<()> {
        let load_errors: Vec<_> = end
            .rule_errors
            .iter()
            .filter(|e| e.report.is_none())
            .collect();
        if !load_errors.is_empty() {
            let mut suite = Suite::new("rules");
            for e in load_errors {
                suite.tests += 1;
                suite.errors += 1;
                let name = if e.rule.is_empty() { &e.file } else { &e.rule };
                let msg = rule_error_text(e);
                let mut body = msg.clone();
                body.push_str(&format!("\n{}", e.file));
                if let Some(l) = e.line {
                    body.push_str(&format!(":{l}"));
                    if let Some(c) = e.column {
                        body.push_str(&format!(":{c}"));
                    }
                }
                let _ = write!(
                    suite.body,
                    "    <testcase name=\"{}\" classname=\"rules\">\n      <error message=\"{}\" type=\"rule-error\">{}</error>\n    </testcase>\n",
                    attr(name),
                    attr(&msg),
                    text_node(&body)
                );
            }
            self.emit(&suite)?;
        }
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"report-lint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            self.tests, self.failures, self.errors
        )?;
        match self.spool.take() {
            Some(Spool::File(f)) => {
                use std::io::{Seek, SeekFrom};
                let mut f = f.into_inner().map_err(|e| e.into_error())?;
                f.seek(SeekFrom::Start(0))?;
                io::copy(&mut io::BufReader::new(f), out)?;
            }
            Some(Spool::Memory(v)) => out.write_all(&v)?,
            None => {}
        }
        writeln!(out, "</testsuites>")
    }
}

/// `line:col message`, one finding per line (with the level when `level`).
fn finding_lines(text: &str, diags: &[&Diagnostic], level: bool) -> String {
    let index = LineIndex::new(text);
    let mut s = String::new();
    for d in diags {
        let p = Position::of(&index, text, d.span);
        if !s.is_empty() {
            s.push('\n');
        }
        if level {
            let _ = write!(
                s,
                "{}:{} {}: {}",
                p.line,
                p.column,
                d.severity.as_str(),
                d.message
            );
        } else {
            let _ = write!(s, "{}:{} {}", p.line, p.column, d.message);
        }
    }
    s
}

/// Characters XML 1.0 cannot carry at all become U+FFFD.
fn legal(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escape element text.
pub fn text_node(s: &str) -> String {
    escape(s, false)
}

/// Escape an attribute value (double-quoted); line breaks and tabs survive as
/// character references instead of being normalised to spaces.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, in_attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if in_attr => out.push_str("&quot;"),
            '\'' if in_attr => out.push_str("&apos;"),
            '\n' if in_attr => out.push_str("&#10;"),
            '\t' if in_attr => out.push_str("&#9;"),
            c if legal(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            attr("a<b>&\"c'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\u{FFFD}"
        );
        assert_eq!(text_node("x < y & \"z\"\n"), "x &lt; y &amp; \"z\"\n");
    }
}

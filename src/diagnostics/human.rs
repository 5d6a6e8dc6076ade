//! Human output in the rustc/clippy layout, through codespan-reporting.

use super::window::WindowedFiles;
use super::{
    rule_error_text, BaselineOutcome, Diagnostic, FileReport, RuleError, RunEnd, RunInfo, Severity,
    Writer,
};
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::term::{self, termcolor, Chars, Config};
use std::borrow::Cow;
use std::io::{self, Write};

/// A character a terminal would act on instead of showing: C0 controls but
/// line feed and tab, DEL, C1 controls, and the bidirectional overrides and
/// isolates (which reorder what is shown).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Text from a report, a rule or a file name, safe to print on a terminal:
/// each unsafe character written as `\u{1b}` (escape sequences cannot clear
/// the screen or set the window title; a lone carriage return cannot
/// overwrite the line).
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A report's text with each unsafe character replaced by a visible one of
/// the same UTF-8 length (`?`, `¿` or `\u{FFFD}`), so that every span, line
/// and column stays the same: what codespan shows of the report.
fn same_width(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // A carriage return ending a line (CRLF) is a line break, kept.
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        out.push(if !is_unsafe(c) || line_end {
            c
        } else {
            match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            }
        });
    }
    Cow::Owned(out)
}

fn config() -> Config {
    Config {
        chars: Chars::ascii(),
        ..Config::default()
    }
}

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Note => CsSeverity::Note,
    }
}

/// Render diagnostics on one report into text (ANSI colours when `color`).
pub fn render_report(path: &str, text: &str, diags: &[Diagnostic], color: bool) -> String {
    let text = same_width(text);
    // The previous year's reports labels point into, made safe once each.
    let other_texts: Vec<(&str, Cow<str>)> = {
        let mut v: Vec<(&str, Cow<str>)> = Vec::new();
        for f in diags
            .iter()
            .flat_map(|d| &d.labels)
            .filter_map(|l| l.file.as_ref())
        {
            if !v.iter().any(|(p, _)| *p == f.path) {
                v.push((&f.path, same_width(&f.text)));
            }
        }
        v
    };
    let mut files = WindowedFiles::default();
    let id = files.add(escape(path).into_owned(), &text);
    // Other files labels point into (the previous year's report), added once each.
    let mut others: Vec<(String, usize)> = Vec::new();
    let mut out = Buffer::new(color);
    for d in diags {
        let mut labels = vec![{
            let l = CsLabel::primary(id, d.span.start..d.span.end);
            match &d.label {
                Some(m) => l.with_message(escape(m)),
                None => l,
            }
        }];
        for l in &d.labels {
            let file_id = match &l.file {
                None => id,
                Some(f) => match others.iter().find(|(p, _)| *p == f.path) {
                    Some((_, fid)) => *fid,
                    None => {
                        let safe = other_texts
                            .iter()
                            .find(|(p, _)| *p == f.path)
                            .map_or("", |(_, t)| t.as_ref());
                        let fid = files.add(escape(&f.path).into_owned(), safe);
                        others.push((f.path.clone(), fid));
                        fid
                    }
                },
            };
            labels.push(
                CsLabel::secondary(file_id, l.span.start..l.span.end)
                    .with_message(escape(&l.message)),
            );
        }
        // Very long lines (a crawler's one-line report) are shown around the labels.
        let spans: Vec<(usize, std::ops::Range<usize>)> = labels
            .iter()
            .map(|l| (l.file_id, l.range.clone()))
            .collect();
        let mut notes: Vec<String> = files
            .frame(&spans)
            .into_iter()
            .map(|n| format!("note: {n}"))
            .collect();
        if let Some(o) = &d.origin {
            notes.push(format!("note: 原文位置：{}", escape(&o.describe())));
        }
        for l in &d.labels {
            if let Some(o) = &l.origin {
                if d.origin.as_ref() != Some(o) || l.file.is_some() {
                    notes.push(format!(
                        "note: 「{}」的原文位置：{}{}",
                        escape(&l.message),
                        l.file
                            .as_ref()
                            .map(|f| format!("{} ", escape(&f.path)))
                            .unwrap_or_default(),
                        escape(&o.describe())
                    ));
                }
            }
        }
        notes.extend(d.notes.iter().map(|n| format!("note: {}", escape(n))));
        if let Some(h) = &d.help {
            notes.push(format!("help: {}", escape(h)));
        }
        let cs = CsDiagnostic::new(cs_severity(d.severity))
            .with_code(escape(&d.rule))
            .with_message(escape(&d.message))
            .with_labels(labels)
            .with_notes(notes);
        out.emit(&files, &cs);
    }
    out.finish()
}

/// Render a rule error, pointing into the rule file when the position is known.
pub fn render_rule_error(e: &RuleError, color: bool) -> String {
    let mut files = WindowedFiles::default();
    let mut out = Buffer::new(color);
    let msg = rule_error_text(e);
    let mut cs = CsDiagnostic::error()
        .with_code("rule-error")
        .with_message(escape(&msg));
    let mut notes = Vec::new();
    let safe_source = e.source.as_deref().map(same_width);
    match (&safe_source, e.line) {
        (Some(src), Some(line)) => {
            let id = files.add(escape(&e.file).into_owned(), src);
            let start = offset_of(src, line, e.column.unwrap_or(1));
            let end = token_end(src, start);
            cs = cs.with_labels(vec![CsLabel::primary(id, start..end)]);
        }
        _ => notes.push(format!("note: 规则文件 {}", escape(&e.file))),
    }
    if let Some(r) = &e.report {
        notes.push(format!("note: 检查 {} 时发生；其他规则照常运行", escape(r)));
    }
    cs = cs.with_notes(notes);
    out.emit(&files, &cs);
    out.finish()
}

/// The clippy-style output of `check`: each file's findings as it is checked,
/// then rule errors and a summary (with findings per rule for a batch).
#[derive(Default)]
pub struct HumanWriter {
    pub color: bool,
    /// Findings per rule id so far.
    per_rule: std::collections::BTreeMap<String, usize>,
    /// Files that could not be read.
    unreadable: Vec<String>,
}

impl HumanWriter {
    pub fn new(color: bool) -> Self {
        HumanWriter {
            color,
            ..Default::default()
        }
    }
}

impl Writer for HumanWriter {
    fn file(&mut self, out: &mut dyn Write, _run: &RunInfo, f: &FileReport) -> io::Result<()> {
        for d in f.diagnostics {
            *self.per_rule.entry(d.rule.clone()).or_default() += 1;
        }
        if f.error.is_some() {
            self.unreadable.push(f.path.to_string());
        }
        let text = match (f.text, f.error) {
            (Some(text), _) => render_report(f.path, text, f.diagnostics, self.color),
            (None, Some(e)) => format!("error: {}: {}\n\n", escape(f.path), escape(e)),
            _ => String::new(),
        };
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &RunInfo, end: &RunEnd) -> io::Result<()> {
        for e in end.rule_errors {
            out.write_all(render_rule_error(e, self.color).as_bytes())?;
        }
        if let Some(b) = end.baseline.filter(|b| !b.unused.is_empty()) {
            out.write_all(render_unused(b).as_bytes())?;
        }
        out.write_all(render_unused_ignores(end.unused_ignores).as_bytes())?;
        let s = &end.summary;
        writeln!(
            out,
            "检查了 {} 个文件：{} 个错误，{} 个警告，{} 个提示；{} 个文件未通过{}",
            s.files,
            s.errors,
            s.warnings,
            s.notes,
            s.failed,
            if s.unreadable > 0 {
                format!("，{} 个文件无法读取", s.unreadable)
            } else {
                String::new()
            }
        )?;
        if s.files > 1 && !self.per_rule.is_empty() {
            // Most frequent first, then by id: what a supervising office fixes first.
            let mut rules: Vec<(&String, &usize)> = self.per_rule.iter().collect();
            rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let list: Vec<String> = rules.iter().map(|(id, n)| format!("{id} {n}")).collect();
            writeln!(out, "按规则：{}", list.join("，"))?;
        }
        out.write_all(render_skipped(end.skipped).as_bytes())?;
        if s.files > 1 && !self.unreadable.is_empty() {
            writeln!(out, "无法读取：{}", escape(&self.unreadable.join("，")))?;
        }
        if let Some(max) = run.max_warnings.filter(|&m| s.warnings > m) {
            writeln!(
                out,
                "警告数 {} 超过上限 {max}（--max-warnings）",
                s.warnings
            )?;
        }
        if !end.rule_errors.is_empty() {
            writeln!(
                out,
                "{} 个规则出错（见上文 rule-error）",
                end.rule_errors.len()
            )?;
        }
        if let Some(b) = end.baseline {
            let unused: usize = b.unused.iter().map(|u| u.count).sum();
            writeln!(
                out,
                "基线 {}：抑制了 {} 个已知问题{}",
                escape(&b.file),
                b.suppressed,
                if unused > 0 {
                    format!("，{unused} 个记录的问题已不存在")
                } else {
                    String::new()
                }
            )?;
        }
        Ok(())
    }
}

/// The files a folder run skipped, one a line with the reason; empty when none.
pub fn render_skipped(skipped: &[super::SkippedFile]) -> String {
    if skipped.is_empty() {
        return String::new();
    }
    let mut s = format!("跳过 {} 个文件：\n", skipped.len());
    for f in skipped {
        s.push_str(&format!("  {}（{}）\n", f.path, f.reason));
    }
    s
}

/// The note on `[[ignore]]` entries that accepted no finding; empty when none.
pub fn render_unused_ignores(unused: &[super::UnusedIgnore]) -> String {
    let mut s = String::new();
    for u in unused {
        s.push_str(&format!(
            "note[ignore-unused]: {}:{}: [[ignore]] {} 没有匹配任何问题（已修复，或报告已改名），可以删除\n  = files: {}{}\n  = reason: {}\n",
            u.config,
            u.line,
            u.rule,
            u.files.join(", "),
            u.fingerprint
                .as_ref()
                .map(|f| format!(" · fingerprint {f}"))
                .unwrap_or_default(),
            u.reason
        ));
    }
    s
}

/// The note on baseline entries that matched nothing.
pub fn render_unused(b: &BaselineOutcome) -> String {
    let n: usize = b.unused.iter().map(|u| u.count).sum();
    let mut s = format!(
        "{}[baseline-unused]: 基线 {} 中有 {n} 个问题已不存在（已修复，或报告已删除）\n",
        if b.strict { "error" } else { "note" },
        escape(&b.file)
    );
    for u in &b.unused {
        s.push_str(&format!(
            "  = {} · {}{} · {}{}\n",
            escape(&u.file),
            u.rule,
            if u.count > 1 {
                format!(" ×{}", u.count)
            } else {
                String::new()
            },
            escape(&u.message),
            if u.reason.is_empty() {
                String::new()
            } else {
                format!("（理由：{}）", escape(&u.reason))
            }
        ));
    }
    s.push_str("  = help: 重新运行 report-lint baseline 更新基线，去掉这些记录\n");
    if b.strict {
        s.push_str("  = note: --strict-baseline：基线中有用不到的记录即判为未通过\n");
    }
    s.push('\n');
    s
}

/// Byte offset of a 1-based line and character column.
fn offset_of(src: &str, line: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, l) in src.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return off
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map(|(b, _)| b)
                    .unwrap_or(0);
        }
        off += l.len();
    }
    src.len()
}

fn token_end(src: &str, start: usize) -> usize {
    let rest = &src[start..];
    let n = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let n = if n == 0 {
        rest.chars().next().map(|c| c.len_utf8()).unwrap_or(0)
    } else {
        n
    };
    start + n
}

struct Buffer {
    buf: termcolor::Buffer,
}

impl Buffer {
    fn new(color: bool) -> Self {
        Buffer {
            buf: if color {
                termcolor::Buffer::ansi()
            } else {
                termcolor::Buffer::no_color()
            },
        }
    }
    fn emit(&mut self, files: &WindowedFiles, d: &CsDiagnostic<usize>) {
        // A span outside the file cannot happen (the engine checks spans), so a
        // rendering error is a bug; show the message rather than lose it.
        if let Err(e) = term::emit_to_write_style(&mut self.buf, &config(), files, d) {
            let _ = self.buf.write_all(
                format!(
                    "{}: {} ({e})\n",
                    d.code.clone().unwrap_or_default(),
                    d.message
                )
                .as_bytes(),
            );
        }
    }
    fn finish(self) -> String {
        String::from_utf8_lossy(self.buf.as_slice()).into_owned()
    }
}

//! The source files the human output renders from (reports, the previous
//! year's report, rule files), showing only a window of a very long line. A crawler's text puts a whole report on one line (thousands of
//! characters); printing it in full for every finding buries the finding. For
//! each diagnostic, a line longer than [`LONG_LINE`] characters that a label
//! falls on is cut to the part around its labels, and the diagnostic gets a
//! note saying so. Line and column numbers stay those of the real file.

use crate::model::LineIndex;
use codespan_reporting::files::{self, Files};
use std::collections::BTreeMap;
use std::ops::Range;

/// Lines longer than this (in characters) are shown as a window.
pub const LONG_LINE: usize = 200;
/// Characters of context kept on each side of the labels in a window.
const CONTEXT: usize = 40;

pub struct File<'t> {
    name: String,
    text: &'t str,
    /// Lines and characters: every lookup in O(log n), so a report with many
    /// findings on one long line renders in linear time.
    index: LineIndex,
    /// Line index → the byte range shown, for the diagnostic being rendered.
    windows: BTreeMap<usize, Range<usize>>,
}

/// The files one report's diagnostics point into (the report, and the
/// previous year's report for cross-year findings).
#[derive(Default)]
pub struct WindowedFiles<'t> {
    files: Vec<File<'t>>,
}

impl<'t> WindowedFiles<'t> {
    pub fn add(&mut self, name: String, text: &'t str) -> usize {
        self.files.push(File {
            name,
            text,
            index: LineIndex::new(text),
            windows: BTreeMap::new(),
        });
        self.files.len() - 1
    }

    /// Set the windows for a diagnostic whose labels are `labels` (file id and
    /// byte range). Returns a note for each line cut, in label order.
    pub fn frame(&mut self, labels: &[(usize, Range<usize>)]) -> Vec<String> {
        for f in &mut self.files {
            f.windows.clear();
        }
        // Points to show, per file and line.
        let mut points: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (id, r) in labels {
            let Some(f) = self.files.get(*id) else {
                continue;
            };
            for at in [r.start, r.end] {
                let line = f.line_of(at);
                points.entry((*id, line)).or_default().push(at);
            }
        }
        let mut notes = Vec::new();
        let several = self.files.len() > 1;
        for ((id, line), at) in points {
            let f = &mut self.files[id];
            let full = f.full_range(line);
            let chars = f.chars(full.start, full.end);
            if chars <= LONG_LINE {
                continue;
            }
            let lo = *at.iter().min().unwrap_or(&full.start);
            let hi = *at.iter().max().unwrap_or(&full.start);
            let start = back(f.text, lo, CONTEXT).max(full.start);
            let end = forward(f.text, hi, CONTEXT).min(full.end);
            let first = f.chars(full.start, start) + 1;
            let last = first + f.chars(start, end).saturating_sub(1);
            notes.push(format!(
                "{}第 {} 行共 {chars} 字，只显示第 {first}–{last} 字",
                if several {
                    format!("{} ", f.name)
                } else {
                    String::new()
                },
                line + 1
            ));
            f.windows.insert(line, start..end);
        }
        notes
    }
}

impl File<'_> {
    fn line_of(&self, at: usize) -> usize {
        self.index.line_of(at)
    }

    /// Characters between two byte offsets.
    fn chars(&self, from: usize, to: usize) -> usize {
        self.index
            .char_offset(self.text, to)
            .saturating_sub(self.index.char_offset(self.text, from))
    }

    /// The whole line, without its line break.
    fn full_range(&self, line: usize) -> Range<usize> {
        let start = self.index.line_start(line).unwrap_or(self.text.len());
        let end = self.index.line_start(line + 1).unwrap_or(self.text.len());
        let body = self.text[start..end].trim_end_matches(['\n', '\r']);
        start..start + body.len()
    }
}

/// `n` characters before byte `at` (a char boundary).
fn back(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(i, _)| i)
}

/// `n` characters after byte `at` (a char boundary).
fn forward(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

impl<'a> Files<'a> for WindowedFiles<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(&self.get(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(self.get(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        Ok(self.get(id)?.line_of(byte_index))
    }

    /// The real column, counted from the start of the whole line.
    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let f = self.get(id)?;
        let start = f.index.line_start(line_index).unwrap_or(f.text.len());
        Ok(f.chars(start, byte_index.max(start)) + 1)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, files::Error> {
        let f = self.get(id)?;
        if let Some(w) = f.windows.get(&line_index) {
            return Ok(w.clone());
        }
        let start = f
            .index
            .line_start(line_index)
            .ok_or(files::Error::LineTooLarge {
                given: line_index,
                max: f.index.line_count().saturating_sub(1),
            })?;
        let end = f.index.line_start(line_index + 1).unwrap_or(f.text.len());
        Ok(start..end)
    }
}

impl WindowedFiles<'_> {
    fn get(&self, id: usize) -> Result<&File<'_>, files::Error> {
        self.files.get(id).ok_or(files::Error::FileMissing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "第一行\n第二行很短\n";
        let mut f = WindowedFiles::default();
        let id = f.add("a.txt".into(), text);
        let at = text.find("很短").unwrap();
        assert!(f.frame(&[(id, at..at + 6)]).is_empty());
        assert_eq!(f.line_range(id, 1).unwrap(), 10..26);
    }

    #[test]
    fn a_long_line_is_cut_around_its_labels_and_keeps_its_real_column() {
        let line = format!("{}目标{}", "甲".repeat(500), "乙".repeat(500));
        let text = format!("标题\n{line}\n");
        let mut f = WindowedFiles::default();
        let id = f.add("a.txt".into(), &text);
        let at = text.find("目标").unwrap();
        let notes = f.frame(&[(id, at..at + "目标".len())]);
        assert_eq!(notes, ["第 2 行共 1002 字，只显示第 461–542 字"]);
        let w = f.line_range(id, 1).unwrap();
        assert_eq!(text[w].chars().count(), 82);
        // The header's column is the real one: 500 characters before the label.
        assert_eq!(f.location(id, at).unwrap().column_number, 501);
        // The next diagnostic starts from the whole file again.
        assert!(f.frame(&[(id, 0..3)]).is_empty());
        assert_eq!(f.line_range(id, 1).unwrap().len(), line.len() + 1);
    }
}

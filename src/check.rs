//! A batch run: expand paths, read and parse each file once, run the rules,
//! and collect results in path order. A file that cannot be read gets an error
//! entry; the rest of the batch still runs.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, RuleError, Severity};
use crate::engine::RuleSet;
use crate::model::Report;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The result for one file.
pub struct FileResult {
    pub path: String,
    pub report: Option<Arc<Report>>,
    pub error: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub rule_errors: Vec<RuleError>,
    pub log: Vec<(String, String)>,
}

impl FileResult {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// What a batch keeps once the file is written: the findings for the
    /// totals, without the report model and without the previous year's text
    /// that labels in another file carry, so memory stays flat.
    pub fn into_summary(mut self) -> FileResult {
        self.report = None;
        for l in self
            .diagnostics
            .iter_mut()
            .flat_map(|d| d.labels.iter_mut())
        {
            l.file = None;
        }
        self
    }
}

/// A path argument that matched nothing.
pub struct Missing(pub String);

/// Expand files, directories (recursively, filtered by the config) and globs.
pub fn expand(args: &[String], cfg: &Config) -> (Vec<PathBuf>, Vec<Missing>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for a in args {
        let p = Path::new(a);
        if p.is_dir() {
            walk(p, cfg, &mut files);
        } else if p.exists() {
            files.push(p.to_path_buf());
        } else if a.contains(['*', '?', '[']) {
            let mut any = false;
            if let Ok(paths) = glob::glob(a) {
                for e in paths.flatten() {
                    any = true;
                    if e.is_dir() {
                        walk(&e, cfg, &mut files);
                    } else {
                        files.push(e);
                    }
                }
            }
            if !any {
                missing.push(Missing(format!("{a}: 没有匹配的文件")));
            }
        } else {
            missing.push(Missing(format!("{a}: 文件不存在")));
        }
    }
    files.sort();
    files.dedup();
    (files, missing)
}

fn walk(dir: &Path, cfg: &Config, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                walk(&p, cfg, out);
            }
        } else if cfg.selects(&p) {
            out.push(p);
        }
    }
}

/// Read, parse and check one file.
pub fn check_file(path: &Path, rules: &RuleSet) -> FileResult {
    check_file_with(path, rules, None, &crate::input::ReadOptions::default())
}

/// Read (with options such as a forced encoding), parse and check one file,
/// with the same organ's previous year's report (`crate::pairing`) that the
/// cross-year rules compare it with. A predecessor that cannot be read is left
/// out: it gets its own error entry when it is part of the batch, and the CLI
/// checks `--previous` up front.
pub fn check_file_with(
    path: &Path,
    rules: &RuleSet,
    previous: Option<&Path>,
    read: &crate::input::ReadOptions,
) -> FileResult {
    let name = path.display().to_string();
    match crate::input::read_path_with(path, read) {
        Err(e) => FileResult {
            path: name,
            report: None,
            error: Some(e.to_string()),
            diagnostics: Vec::new(),
            rule_errors: Vec::new(),
            log: Vec::new(),
        },
        Ok(src) => {
            let report = Arc::new(crate::parse::parse(&src));
            let previous = previous
                .and_then(|p| crate::input::read_path_with(p, read).ok())
                .map(|s| Arc::new(crate::parse::parse(&s)));
            let out = rules.run_with_previous(&report, previous.as_ref());
            FileResult {
                path: name,
                report: Some(report),
                error: None,
                diagnostics: out.diagnostics,
                rule_errors: out.errors,
                log: out.log,
            }
        }
    }
}

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

/// Each file's previous year's report for the cross-year rules: `previous`
/// (`--previous FILE`) for every file, or else the same organ's report of the
/// year before in the batch (`crate::pairing`). Skipped when no cross-year rule
/// is enabled. An unreadable `previous` is an error naming the file.
pub fn predecessors(
    files: &[PathBuf],
    cfg: &Config,
    rules: &RuleSet,
    previous: Option<&Path>,
) -> Result<std::collections::BTreeMap<PathBuf, PathBuf>, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(prev) = previous {
        let src = crate::input::read_path(prev)
            .map_err(|e| format!("{}: 无法读取上年报告（--previous）：{e}", prev.display()))?;
        let prev_id = crate::pairing::identify_source(&src, &cfg.organs);
        for f in files {
            if same_file(f, prev) {
                continue;
            }
            if let (Some(p), Some(me)) = (&prev_id, crate::pairing::identify(f, &cfg.organs)) {
                if p.year + 1 != me.year || p.organ != me.organ {
                    eprintln!(
                        "warning: {} 是“{}”{} 年度的报告，{} 是“{}”{} 年度的报告；仍按 --previous 比较",
                        prev.display(),
                        p.organ,
                        p.year,
                        f.display(),
                        me.organ,
                        me.year
                    );
                }
            }
            out.insert(f.clone(), prev.to_path_buf());
        }
        return Ok(out);
    }
    let cross_year = rules
        .rules
        .iter()
        .any(|r| r.family == "cross-year" && r.severity.is_some());
    if cross_year && files.len() > 1 {
        out = crate::pairing::pair(files, &cfg.organs);
    }
    Ok(out)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Read, parse and check one file.
pub fn check_file(path: &Path, rules: &RuleSet) -> FileResult {
    check_file_with(path, rules, None)
}

/// Read, parse and check one file with the same organ's previous year's
/// report (`crate::pairing`), which the cross-year rules compare it with. A
/// predecessor that cannot be read is left out: it gets its own error entry
/// when it is part of the batch, and the CLI checks `--previous` up front.
pub fn check_file_with(path: &Path, rules: &RuleSet, previous: Option<&Path>) -> FileResult {
    let name = path.display().to_string();
    match crate::input::read_path(path) {
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
                .and_then(|p| crate::input::read_path(p).ok())
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

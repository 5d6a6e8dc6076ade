//! What `check` and `rules` print.

use super::progress::Progress;
use super::timings::Timings;
use super::{exit, Format};
use crate::baseline::{self, Baseline};
use crate::check::{self, FileResult};
use crate::config::Config;
use crate::diagnostics::{
    csv::CsvWriter, github::GithubWriter, html::HtmlWriter, human, json::JsonWriter,
    junit::JunitWriter, sarif::SarifWriter, BaselineOutcome, FileReport, RuleError, RunEnd,
    RunInfo, Severity, Writer,
};
use crate::engine::{clock, RuleSet};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

/// How `check` reports: the format, where to, and what makes it fail.
pub struct CheckOptions {
    pub format: Format,
    /// Write to this file instead of stdout.
    pub output: Option<PathBuf>,
    pub color: bool,
    pub fail: Severity,
    pub max_warnings: Option<usize>,
    pub verbose: bool,
    /// Suppress the findings this baseline file lists.
    pub baseline: Option<PathBuf>,
    /// Unused baseline entries make the run fail (`--strict-baseline`).
    pub strict_baseline: bool,
    /// `--previous FILE`: last year's report for the cross-year rules.
    pub previous: Option<PathBuf>,
    /// How files are read (`--encoding`).
    pub read: crate::input::ReadOptions,
    /// Worker threads (`-j`); 1 checks the files on this thread.
    pub jobs: usize,
    /// Print time per phase and per rule on stderr after the run.
    pub timings: bool,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

fn writer(format: Format, color: bool) -> Box<dyn Writer> {
    match format {
        Format::Human => Box::new(human::HumanWriter::new(color)),
        Format::Json => Box::new(JsonWriter::default()),
        Format::Sarif => Box::new(SarifWriter::default()),
        Format::Github => Box::new(GithubWriter),
        Format::Junit => Box::new(JunitWriter::default()),
        Format::Csv => Box::new(CsvWriter),
        Format::Html => Box::new(HtmlWriter::default()),
    }
}

/// `check`: run the batch and hand every file, then the totals, to the
/// writer of the chosen format. Returns the exit status.
pub fn check(paths: &[String], cfg: &Config, rules: &RuleSet, opts: &CheckOptions) -> i32 {
    let mut baseline = match &opts.baseline {
        Some(p) => match Baseline::load(p) {
            Ok(b) => Some(b),
            Err(msg) => {
                eprintln!("error: {msg}");
                return exit::TOOL_ERROR;
            }
        },
        None => None,
    };
    let (mut files, missing) = check::expand(paths, cfg);
    let mut sink: Box<dyn Write> = match &opts.output {
        Some(path) => {
            // Never check the file being written.
            if let Ok(target) = std::fs::canonicalize(path) {
                files.retain(|f| std::fs::canonicalize(f).map_or(true, |c| c != target));
            }
            match std::fs::File::create(path) {
                Ok(f) => Box::new(io::BufWriter::new(f)),
                Err(e) => {
                    eprintln!("error: 无法写入 {}：{e}", path.display());
                    return exit::TOOL_ERROR;
                }
            }
        }
        None => Box::new(io::stdout().lock()),
    };
    let pairing = std::time::Instant::now();
    let pairs = match crate::pairing::predecessors(
        &files,
        cfg,
        rules,
        opts.previous.as_deref(),
        crate::pairing::PairingRun {
            read: &opts.read,
            jobs: opts.jobs,
        },
    ) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("error: {msg}");
            return exit::TOOL_ERROR;
        }
    };
    // Shown in --timings only when the pass ran (a cross-year rule is on).
    let pairing = if opts.previous.is_some() || crate::pairing::cross_year_on(rules) {
        pairing.elapsed()
    } else {
        std::time::Duration::ZERO
    };
    match run(
        &files,
        (&pairs, pairing),
        &missing,
        cfg,
        rules,
        opts,
        baseline.as_mut(),
        &mut *sink,
    )
    .and_then(|code| {
        sink.flush()?;
        Ok(code)
    }) {
        Ok(code) => code,
        // A closed pipe (`| head`) is not worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit::TOOL_ERROR,
        Err(e) => {
            match &opts.output {
                Some(p) => eprintln!("error: 写入 {} 失败：{e}", p.display()),
                None => eprintln!("error: 写入输出失败：{e}"),
            }
            exit::TOOL_ERROR
        }
    }
}

/// Report models kept for their successors at most (a few MB; beyond it a
/// successor reads its predecessor again).
const PREDECESSORS_KEPT: usize = 64;

/// Check one file and apply the configuration's per-path overrides.
fn check_one(
    path: &std::path::Path,
    previous: Option<&std::path::Path>,
    cfg: &Config,
    rules: &RuleSet,
    read: &crate::input::ReadOptions,
    cache: &check::Predecessors,
) -> FileResult {
    let mut r = check::check_file(path, rules, previous, read, cache);
    cfg.apply_overrides(path, &mut r.diagnostics);
    r
}

#[allow(clippy::too_many_arguments)]
fn run(
    files: &[PathBuf],
    (pairs, pairing): (&BTreeMap<PathBuf, PathBuf>, std::time::Duration),
    missing: &[check::Missing],
    cfg: &Config,
    rules: &RuleSet,
    opts: &CheckOptions,
    mut baseline: Option<&mut Baseline>,
    out: &mut dyn Write,
) -> io::Result<i32> {
    let infos = check::rule_infos(rules, cfg);
    let info = RunInfo {
        rules: &infos,
        fail: opts.fail,
        max_warnings: opts.max_warnings,
    };
    let mut w = writer(opts.format, opts.color);
    w.begin(out, &info)?;

    let started = std::time::Instant::now();
    // Thread CPU time for --timings: other work on the machine does not count.
    crate::engine::clock::use_cpu_time(opts.timings);
    let mut timings = opts.timings.then(|| Timings::new(rules));
    let mut progress = Progress::new(files.len(), opts.progress);
    // Totals kept as the files stream past; no file's results are kept.
    let mut tally = check::Tally::default();
    // One entry per distinct rule error, however many files it happened on.
    let mut rule_errors: BTreeMap<_, RuleError> = BTreeMap::new();
    let mut add_rule_error = |e: &RuleError| {
        rule_errors
            .entry((e.rule.clone(), e.file.clone(), e.message.clone(), e.line))
            .or_insert_with(|| e.clone());
    };
    for e in &rules.errors {
        add_rule_error(e);
    }
    for m in missing {
        let (path, msg) = m.0.split_once(": ").unwrap_or((&m.0, ""));
        w.file(
            out,
            &info,
            &FileReport {
                path,
                text: None,
                report: None,
                error: Some(msg),
                format: None,
                year: None,
                organ: None,
                diagnostics: &[],
                rule_errors: &[],
                suppressed: &[],
            },
        )?;
    }
    tally.summary.files += missing.len();
    tally.summary.failed += missing.len();
    tally.summary.unreadable += missing.len();
    // A predecessor in the batch is parsed once and handed to its successor.
    let cache = check::Predecessors::new(files, pairs, PREDECESSORS_KEPT);
    check::for_each_ordered(
        files,
        opts.jobs,
        |f| {
            check_one(
                f,
                pairs.get(f).map(PathBuf::as_path),
                cfg,
                rules,
                &opts.read,
                &cache,
            )
        },
        |_, mut r: FileResult| -> io::Result<()> {
            let rendering = clock::now();
            // The baseline is matched here, in path order, on the writer's side.
            let mut suppressed = Vec::new();
            if let (Some(b), Some(rep)) = (baseline.as_deref_mut(), r.report.as_deref()) {
                let (kept, gone) = b.apply(
                    std::path::Path::new(&r.path),
                    &rep.text,
                    std::mem::take(&mut r.diagnostics),
                );
                r.diagnostics = kept;
                suppressed = gone;
            }
            if !r.diagnostics.is_empty() || r.error.is_some() || (opts.verbose && !r.log.is_empty())
            {
                progress.clear();
            }
            if opts.verbose {
                for (rule, line) in &r.log {
                    eprintln!("[{rule}] {}: {line}", r.path);
                }
            }
            w.file(out, &info, &r.file_report(&suppressed))?;
            for e in &r.rule_errors {
                add_rule_error(e);
            }
            tally.add(&r, opts.fail);
            if let Some(t) = timings.as_mut() {
                t.add(&r.timings);
                t.render += clock::since(rendering);
            }
            progress.tick();
            // `r`, with its report model, is dropped here: memory stays flat
            // however long the batch is.
            Ok(())
        },
    )?;
    progress.clear();
    let rule_errors: Vec<RuleError> = rule_errors.into_values().collect();
    let summary = tally.summary;
    let unreadable = summary.unreadable;
    let too_many_warnings = opts.max_warnings.is_some_and(|m| summary.warnings > m);
    let outcome = baseline.map(|b| BaselineOutcome {
        file: b.path.display().to_string(),
        suppressed: b.suppressed,
        unused: b.unused(),
        strict: opts.strict_baseline,
    });
    let unused_fails = outcome
        .as_ref()
        .is_some_and(|o| o.strict && !o.unused.is_empty());
    let exit_code = if unreadable > 0 || !rule_errors.is_empty() {
        exit::TOOL_ERROR
    } else if tally.failing > 0 || too_many_warnings || unused_fails {
        exit::FINDINGS
    } else {
        exit::OK
    };
    // CSV has no place for rule errors: they go to stderr.
    if opts.format == Format::Csv {
        for e in &rule_errors {
            eprint!("{}", human::render_rule_error(e, false));
        }
    }
    // GitHub, JUnit, CSV and HTML have no place for unused baseline entries: stderr.
    if matches!(
        opts.format,
        Format::Github | Format::Junit | Format::Csv | Format::Html
    ) {
        if let Some(b) = outcome.as_ref().filter(|b| !b.unused.is_empty()) {
            eprint!("{}", human::render_unused(b));
        }
    }
    let rendering = clock::now();
    w.finish(
        out,
        &info,
        &RunEnd {
            rule_errors: &rule_errors,
            summary,
            exit_code,
            baseline: outcome.as_ref(),
        },
    )?;
    out.flush()?;
    if let Some(mut t) = timings {
        t.render += clock::since(rendering);
        t.pairing = pairing;
        eprint!(
            "{}",
            t.render(rules, started.elapsed() + pairing, opts.jobs)
        );
    }
    Ok(exit_code)
}

/// `baseline`: check the reports and write every finding to `out`.
pub fn write_baseline(
    paths: &[String],
    cfg: &Config,
    rules: &RuleSet,
    out: &std::path::Path,
) -> i32 {
    for e in &rules.errors {
        eprint!("{}", human::render_rule_error(e, false));
    }
    let (files, missing) = check::expand(paths, cfg);
    let mut failed = !rules.errors.is_empty();
    for m in &missing {
        eprintln!("error: {}", m.0);
        failed = true;
    }
    // Cross-year findings are baselined too: pair the reports as `check` does.
    let pairs = match crate::pairing::predecessors(
        &files,
        cfg,
        rules,
        None,
        crate::pairing::PairingRun {
            read: &crate::input::ReadOptions::default(),
            jobs: check::default_jobs(),
        },
    ) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("error: {msg}");
            return exit::TOOL_ERROR;
        }
    };
    let mut checked: Vec<(PathBuf, String, Vec<crate::diagnostics::Diagnostic>)> = Vec::new();
    let cache = check::Predecessors::new(&files, &pairs, PREDECESSORS_KEPT);
    for f in &files {
        let r = check_one(
            f,
            pairs.get(f).map(PathBuf::as_path),
            cfg,
            rules,
            &crate::input::ReadOptions::default(),
            &cache,
        );
        if let Some(e) = &r.error {
            eprintln!("error: {}: {e}", r.path);
            failed = true;
        }
        for e in &r.rule_errors {
            eprint!("{}", human::render_rule_error(e, false));
            failed = true;
        }
        if let Some(rep) = r.report {
            checked.push((f.clone(), rep.text.clone(), r.diagnostics));
        }
    }
    let entries = baseline::entries(
        out,
        checked
            .iter()
            .map(|(p, t, d)| (p.as_path(), t.as_str(), d.as_slice())),
    );
    let findings: usize = entries.iter().map(|e| e.count).sum();
    let reports = checked.iter().filter(|(_, _, d)| !d.is_empty()).count();
    if let Err(msg) = baseline::write(out, entries) {
        eprintln!("error: {msg}");
        return exit::TOOL_ERROR;
    }
    println!(
        "已将 {findings} 个问题写入基线 {}（检查了 {} 个文件，{reports} 个有问题）",
        out.display(),
        checked.len(),
    );
    if failed {
        eprintln!("error: 有文件无法读取或规则出错，基线不完整（见上文）");
        exit::TOOL_ERROR
    } else {
        exit::OK
    }
}

pub fn list_rules(rules: &RuleSet) {
    println!(
        "{:<26} {:<12} {:<8} {:<8} 说明",
        "规则", "类别", "默认", "生效"
    );
    for r in &rules.rules {
        println!(
            "{:<26} {:<12} {:<8} {:<8} {}{}",
            r.id,
            r.family,
            if r.default_enabled {
                r.default_severity.as_str()
            } else {
                "off"
            },
            r.severity.map(|s| s.as_str()).unwrap_or("off"),
            r.summary,
            if r.builtin {
                String::new()
            } else {
                format!("  [{}]", r.file)
            }
        );
    }
    for e in &rules.errors {
        eprint!("{}", human::render_rule_error(e, false));
    }
}

/// `test-rules`: run every fixture case under `dir`, print pass/fail and a diff.
pub fn test_rules(dir: &std::path::Path, rules: &RuleSet) -> i32 {
    for e in &rules.errors {
        eprint!("{}", human::render_rule_error(e, false));
    }
    let cases = crate::ruletest::find_cases(dir);
    if cases.is_empty() {
        eprintln!(
            "error: {} 下没有测试用例（报告文件旁须有同名 .expect 文件）",
            dir.display()
        );
        return exit::TOOL_ERROR;
    }
    let mut failed = 0;
    for case in &cases {
        let r = crate::ruletest::run_case(rules, case);
        if r.passed() {
            println!("ok    {}", case.display());
        } else {
            failed += 1;
            println!("FAIL  {}", case.display());
            for line in r.diff().lines() {
                println!("      {line}");
            }
        }
    }
    println!("{} passed, {} failed", cases.len() - failed, failed);
    if !rules.errors.is_empty() {
        exit::TOOL_ERROR
    } else if failed > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// `explain ID`: the rule's page ([`RuleSet::explain`]).
pub fn explain(rules: &RuleSet, id: &str) -> i32 {
    match rules.explain(id) {
        Ok(page) => {
            print!("{page}");
            exit::OK
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            eprintln!("（report-lint rules 列出全部规则）");
            exit::TOOL_ERROR
        }
    }
}

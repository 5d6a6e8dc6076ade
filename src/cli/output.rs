//! What `check` and `rules` print.

use super::progress::Progress;
use super::timings::Timings;
use super::{exit, Format};
use crate::baseline::{self, Baseline};
use crate::check::{self, FileResult};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::{
    csv::CsvWriter, github::GithubWriter, html::HtmlWriter, human, json::JsonWriter,
    junit::JunitWriter, sarif::SarifWriter, xlsx::XlsxWriter, BaselineOutcome, FileReport,
    RuleError, RunEnd, RunInfo, Severity, SkippedFile, UnusedIgnore, Writer,
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
    /// Findings below this level are neither shown nor counted
    /// (`--min-level`, `--quiet`).
    pub shown: Severity,
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
        Format::Xlsx => Box::new(XlsxWriter::default()),
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
    let check::Expanded {
        mut files,
        mut missing,
        mut skipped,
    } = check::expand(paths, cfg);
    // Reports fetched from the web: their address is their path.
    if let Some(f) = &opts.read.fetched {
        files.extend(f.docs().iter().map(|d| PathBuf::from(&d.address)));
        missing.extend(
            f.failures
                .iter()
                .map(|x| check::Missing(format!("{}: {}", x.address, x.cause))),
        );
    }
    let mut sink: Box<dyn Write> = match &opts.output {
        Some(path) => {
            // Never check the file being written, nor list it as skipped.
            if let Ok(target) = std::fs::canonicalize(path) {
                let other =
                    |f: &std::path::Path| std::fs::canonicalize(f).map_or(true, |c| c != target);
                files.retain(|f| other(f));
                skipped.retain(|s| other(&s.path));
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
    let skipped: Vec<SkippedFile> = skipped
        .into_iter()
        .map(|s| SkippedFile {
            path: s.path.display().to_string(),
            reason: s.reason,
        })
        .collect();
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
        (&missing, &skipped),
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

/// `annotate`: check a Word draft and write a copy with every finding as a
/// comment (`src/annotate.rs`). Refuses to write over the draft. Exit status
/// as `check` with the default failing level: 1 when there is an error-level
/// finding, 2 when the draft cannot be read or annotated or a rule failed.
pub fn annotate(
    draft: &std::path::Path,
    out: Option<PathBuf>,
    previous: Option<&std::path::Path>,
    cfg: &Config,
    rules: &RuleSet,
) -> i32 {
    let out = out.unwrap_or_else(|| {
        let stem = draft
            .file_stem()
            .map_or_else(|| "draft".into(), |s| s.to_string_lossy().into_owned());
        draft.with_file_name(format!("{stem}.report-lint.docx"))
    });
    let same = match (std::fs::canonicalize(draft), std::fs::canonicalize(&out)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same || out == draft {
        eprintln!(
            "error: {}: 不会覆盖原稿；请用 -o 指定另一个文件名",
            draft.display()
        );
        return exit::TOOL_ERROR;
    }
    let read = crate::input::ReadOptions::default();
    let files = [draft.to_path_buf()];
    let pairs = match crate::pairing::predecessors(
        &files,
        cfg,
        rules,
        previous,
        crate::pairing::PairingRun {
            read: &read,
            jobs: 1,
        },
    ) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("error: {msg}");
            return exit::TOOL_ERROR;
        }
    };
    let cache = check::Predecessors::new(&files, &pairs, 1);
    let r = check_one(
        draft,
        pairs.get(draft).map(PathBuf::as_path),
        cfg,
        rules,
        &read,
        &cache,
    );
    let report = match (&r.error, &r.report) {
        (Some(e), _) => {
            eprintln!("error: {}: {e}", draft.display());
            return exit::TOOL_ERROR;
        }
        (None, Some(rep)) if rep.input_format == "docx" => rep,
        (None, _) => {
            eprintln!(
                "error: {}: 不是 Word 文档（.docx），只能给 Word 文档加批注；其他格式请用 check",
                draft.display()
            );
            return exit::TOOL_ERROR;
        }
    };
    let written = std::fs::read(draft)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            crate::annotate::annotate(&bytes, &report.text, &r.diagnostics)
                .map_err(|e| e.to_string())
        })
        .and_then(|a| {
            std::fs::write(&out, &a.bytes)
                .map(|_| a)
                .map_err(|e| format!("无法写入 {}：{e}", out.display()))
        });
    let annotated = match written {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("error: {}: {msg}", draft.display());
            return exit::TOOL_ERROR;
        }
    };
    for e in &r.rule_errors {
        eprint!("{}", human::render_rule_error(e, false));
    }
    eprintln!(
        "已写入 {}：{} 条批注（错误 {}，警告 {}，提示 {}）；原稿未改动",
        out.display(),
        annotated.comments,
        r.count(Severity::Error),
        r.count(Severity::Warning),
        r.count(Severity::Note)
    );
    if !r.rule_errors.is_empty() {
        exit::TOOL_ERROR
    } else if r.count(Severity::Error) > 0 {
        exit::FINDINGS
    } else {
        exit::OK
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
    (missing, skipped): (&[check::Missing], &[SkippedFile]),
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
                input_format: None,
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
    let mut ignore_used = vec![0usize; cfg.ignores.len()];
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
            // `[[ignore]]` and the baseline are matched here, in path order,
            // on the writer's side.
            let mut suppressed = accept_ignored(cfg, &mut r, &mut ignore_used);
            if let (Some(b), Some(rep)) = (baseline.as_deref_mut(), r.report.as_deref()) {
                let (kept, gone) = b.apply(
                    std::path::Path::new(&r.path),
                    &rep.text,
                    std::mem::take(&mut r.diagnostics),
                );
                r.diagnostics = kept;
                suppressed.extend(gone);
            }
            r.diagnostics.retain(|d| d.severity >= opts.shown);
            if !r.diagnostics.is_empty() || r.error.is_some() || (opts.verbose && !r.log.is_empty())
            {
                progress.clear();
            }
            if opts.verbose {
                for (rule, line) in &r.log {
                    let safe = crate::diagnostics::human::escape;
                    eprintln!("[{rule}] {}: {}", safe(&r.path), safe(line));
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
    // CSV and XLSX have no place for rule errors: they go to stderr.
    if matches!(opts.format, Format::Csv | Format::Xlsx) {
        for e in &rule_errors {
            eprint!("{}", human::render_rule_error(e, false));
        }
    }
    let unused_ignores = unused_ignores(cfg, &ignore_used);
    // SARIF, GitHub, JUnit, CSV and XLSX have no place for skipped files and
    // unused ignores: stderr.
    if !matches!(opts.format, Format::Human | Format::Json) {
        eprint!("{}", human::render_skipped(skipped));
        eprint!("{}", human::render_unused_ignores(&unused_ignores));
    }
    // GitHub, JUnit, CSV, XLSX and HTML have no place for unused baseline entries: stderr.
    if matches!(
        opts.format,
        Format::Github | Format::Junit | Format::Csv | Format::Xlsx | Format::Html
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
            skipped,
            unused_ignores: &unused_ignores,
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

/// Move the findings `[[ignore]]` accepts out of `r` and return them;
/// `used` counts per ignore.
fn accept_ignored(cfg: &Config, r: &mut FileResult, used: &mut [usize]) -> Vec<Diagnostic> {
    match r.report.as_deref() {
        Some(rep) => cfg.apply_ignores(
            std::path::Path::new(&r.path),
            &rep.text,
            &mut r.diagnostics,
            used,
        ),
        None => Vec::new(),
    }
}

/// The `[[ignore]]` entries that accepted nothing (`used` from [`accept_ignored`]).
fn unused_ignores(cfg: &Config, used: &[usize]) -> Vec<UnusedIgnore> {
    let config = cfg
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    cfg.ignores
        .iter()
        .zip(used)
        .filter(|(_, &n)| n == 0)
        .map(|(i, _)| UnusedIgnore {
            config: config.clone(),
            line: i.line,
            rule: i.rule.clone(),
            files: i.files.iter().map(|p| p.as_str().to_string()).collect(),
            fingerprint: i.fingerprint.clone(),
            reason: i.reason.clone(),
        })
        .collect()
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
    let check::Expanded {
        files,
        missing,
        skipped,
    } = check::expand(paths, cfg);
    let mut failed = !rules.errors.is_empty();
    for s in &skipped {
        eprintln!("跳过 {}（{}）", s.path.display(), s.reason);
    }
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
    // Findings `[[ignore]]` accepts are not written to the baseline.
    let mut ignore_used = vec![0usize; cfg.ignores.len()];
    for f in &files {
        let mut r = check_one(
            f,
            pairs.get(f).map(PathBuf::as_path),
            cfg,
            rules,
            &crate::input::ReadOptions::default(),
            &cache,
        );
        accept_ignored(cfg, &mut r, &mut ignore_used);
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
    let mut entries = baseline::entries(
        out,
        checked
            .iter()
            .map(|(p, t, d)| (p.as_path(), t.as_str(), d.as_slice())),
    );
    baseline::keep_reasons(out, &mut entries);
    eprint!(
        "{}",
        human::render_unused_ignores(&unused_ignores(cfg, &ignore_used))
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

/// `rules`: the loaded rules; with `family`, only that family's; with
/// `search`, only those whose id, family, summary, reference, page or rule
/// text (the phrases it looks for, its comments) contain the word, any case.
pub fn list_rules(rules: &RuleSet, family: Option<&str>, search: Option<&str>) {
    let search = search.map(str::to_lowercase);
    let shown = |r: &&crate::engine::Rule| {
        family.is_none_or(|f| r.family == f)
            && search.as_deref().is_none_or(|w| {
                [&r.id, &r.family, &r.summary, &r.reference, &*r.source]
                    .iter()
                    .any(|t| t.to_lowercase().contains(w))
                    || RuleSet::page(r).is_some_and(|p| p.to_lowercase().contains(w))
            })
    };
    println!(
        "{:<26} {:<12} {:<8} {:<8} 说明",
        "规则", "类别", "默认", "生效"
    );
    let mut any = false;
    for r in rules.rules.iter().filter(shown) {
        any = true;
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
    if !any {
        eprintln!("没有符合条件的规则");
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
    let mut results = Vec::new();
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
        results.push(r);
    }
    for w in crate::ruletest::coverage_warnings(dir, rules, &results) {
        println!("warning: {w}");
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

/// `explain ID`: the rule's page ([`RuleSet::explain`], shared with the
/// `serve` API). `searched`: the rule folders loaded besides the built-in
/// rules (from the configuration and `--rules`), named when the rule is not
/// found.
pub fn explain(rules: &RuleSet, id: &str, searched: &[PathBuf]) -> i32 {
    match rules.explain(id) {
        Ok(page) => {
            print!("{page}");
            exit::OK
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            let builtin = rules.rules.iter().filter(|r| r.builtin).count();
            if searched.is_empty() {
                eprintln!(
                    "只查找了内置规则（{builtin} 条）；你自己的规则请用 --rules DIR 指定所在目录，或在 report-lint.toml 中写 rules-dirs = [\"DIR\"]"
                );
            } else {
                let dirs: Vec<String> = searched.iter().map(|d| d.display().to_string()).collect();
                eprintln!(
                    "查找了内置规则（{builtin} 条）和这些目录：{}",
                    dirs.join("、")
                );
            }
            eprintln!("（report-lint rules 列出全部规则）");
            exit::TOOL_ERROR
        }
    }
}

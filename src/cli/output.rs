//! What `check` and `rules` print.

use super::{exit, Format};
use crate::check::{self, FileResult};
use crate::config::Config;
use crate::diagnostics::{human, json, RuleError, Severity};
use crate::engine::RuleSet;
use std::collections::BTreeMap;
use std::io::Write;

pub fn check(
    paths: &[String],
    cfg: &Config,
    rules: &RuleSet,
    format: Format,
    color: bool,
    fail: Severity,
    verbose: bool,
) -> i32 {
    let (files, missing) = check::expand(paths, cfg);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut results: Vec<FileResult> = Vec::new();
    let mut rule_errors: Vec<RuleError> = rules.errors.clone();
    let mut json_files = Vec::new();
    for m in &missing {
        let (path, msg) = m.0.split_once(": ").unwrap_or((&m.0, ""));
        match format {
            Format::Human => {
                let _ = writeln!(out, "error: {path}: {msg}\n");
            }
            Format::Json => json_files.push(json::file_entry(
                path,
                None,
                Some(msg),
                None,
                None,
                None,
                &[],
            )),
        }
    }
    for f in &files {
        let r = check::check_file(f, rules);
        if verbose {
            for (rule, line) in &r.log {
                eprintln!("[{rule}] {}: {line}", r.path);
            }
        }
        match format {
            Format::Human => {
                let text = match (&r.report, &r.error) {
                    (Some(rep), _) => {
                        human::render_report(&r.path, &rep.text, &r.diagnostics, color)
                    }
                    (None, Some(e)) => format!("error: {}: {e}\n\n", r.path),
                    _ => String::new(),
                };
                let _ = out.write_all(text.as_bytes());
            }
            Format::Json => {
                let rep = r.report.as_deref();
                json_files.push(json::file_entry(
                    &r.path,
                    rep.map(|x| x.text.as_str()),
                    r.error.as_deref(),
                    rep.and_then(|x| x.format.detected.map(|f| f.as_str())),
                    rep.and_then(|x| x.metadata.year.as_ref().map(|y| y.value)),
                    rep.and_then(|x| x.metadata.organ.as_ref().map(|o| o.value.as_str())),
                    &r.diagnostics,
                ));
            }
        }
        rule_errors.extend(r.rule_errors.iter().cloned());
        results.push(FileResult { report: None, ..r });
    }
    // One entry per distinct rule error, however many files it happened on.
    let mut seen = BTreeMap::new();
    for e in rule_errors {
        seen.entry((e.rule.clone(), e.file.clone(), e.message.clone(), e.line))
            .or_insert(e);
    }
    let rule_errors: Vec<RuleError> = seen.into_values().collect();

    let count = |s: Severity| results.iter().map(|r| r.count(s)).sum::<usize>();
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    );
    let unreadable = results.iter().filter(|r| r.error.is_some()).count() + missing.len();
    let failed = results
        .iter()
        .filter(|r| r.error.is_some() || r.diagnostics.iter().any(|d| d.severity >= fail))
        .count()
        + missing.len();
    match format {
        Format::Human => {
            for e in &rule_errors {
                let _ = out.write_all(human::render_rule_error(e, color).as_bytes());
            }
            let _ = writeln!(
                out,
                "检查了 {} 个文件：{errors} 个错误，{warnings} 个警告，{notes} 个提示；{failed} 个文件未通过{}",
                results.len() + missing.len(),
                if unreadable > 0 { format!("，{unreadable} 个文件无法读取") } else { String::new() }
            );
            if !rule_errors.is_empty() {
                let _ = writeln!(out, "{} 个规则出错（见上文 rule-error）", rule_errors.len());
            }
        }
        Format::Json => {
            let doc = serde_json::json!({
                "version": 1,
                "files": json_files,
                "rule_errors": rule_errors.iter().map(json::rule_error).collect::<Vec<_>>(),
                "summary": {
                    "files": results.len() + missing.len(),
                    "errors": errors,
                    "warnings": warnings,
                    "notes": notes,
                    "failed": failed,
                },
            });
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
    }
    if unreadable > 0 || !rule_errors.is_empty() {
        exit::TOOL_ERROR
    } else if results
        .iter()
        .any(|r| r.diagnostics.iter().any(|d| d.severity >= fail))
    {
        exit::FINDINGS
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
            r.default_severity.as_str(),
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

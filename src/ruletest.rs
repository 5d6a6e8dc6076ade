//! Rule fixture tests: a report fixture `NAME.txt` beside `NAME.expect`, which
//! lists every finding the fixture must get, one `<line> <rule-id>` per line
//! (`#` starts a comment). An optional line `only: id-a, id-b` limits the
//! comparison to those rules; without it every rule's findings count. A case
//! passes when the findings are exactly those listed. The project's tests run
//! every case under `fixtures/rules/`; `report-lint test-rules DIR` runs a user's.
//!
//! Cross-year rules compare two reports: a line `previous: FILE` (relative to
//! the `.expect` file's folder) names the previous year's report the case is
//! checked with (`report.previous`). That file needs no `.expect` of its own
//! and is then not a case itself.

use crate::engine::RuleSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One fixture case and its outcome.
pub struct CaseResult {
    pub report: PathBuf,
    /// Rules compared (`only:`), or `None` for all.
    pub only: Option<Vec<String>>,
    pub expected: Vec<(usize, String)>,
    pub actual: Vec<(usize, String)>,
    /// Problems other than a mismatch (unreadable file, rule errors).
    pub errors: Vec<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.errors.is_empty() && self.expected == self.actual
    }

    /// `- expected` / `+ actual` lines for a failing case.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for e in &self.expected {
            if !self.actual.contains(e) {
                out.push_str(&format!("- {} {}\n", e.0, e.1));
            }
        }
        for a in &self.actual {
            if !self.expected.contains(a) {
                out.push_str(&format!("+ {} {}\n", a.0, a.1));
            }
        }
        for e in &self.errors {
            out.push_str(&format!("! {e}\n"));
        }
        out
    }
}

/// Parse an expectation file: (the `only:` rules, the expected findings).
pub type Expectation = (Option<Vec<String>>, Vec<(usize, String)>);

pub fn parse_expect(text: &str) -> Result<Expectation, String> {
    let mut out = Vec::new();
    let mut only = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with("previous:") {
            // Read by `previous_of`; not a finding.
            continue;
        }
        if let Some(ids) = line.strip_prefix("only:") {
            only = Some(
                ids.split([',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            );
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(l), Some(rule), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("第 {} 行应为“<行号> <规则 id>”：{line}", n + 1));
        };
        let l = l
            .parse()
            .map_err(|_| format!("第 {} 行的行号无效：{l}", n + 1))?;
        out.push((l, rule.to_string()));
    }
    out.sort();
    Ok((only, out))
}

/// The `previous: FILE` line of an expectation file, if any.
pub fn previous_of(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let l = l.split('#').next().unwrap_or("").trim();
        l.strip_prefix("previous:")
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
    })
}

/// Run one case.
pub fn run_case(rules: &RuleSet, report_path: &Path) -> CaseResult {
    let expect_path = report_path.with_extension("expect");
    let mut result = CaseResult {
        report: report_path.to_path_buf(),
        only: None,
        expected: Vec::new(),
        actual: Vec::new(),
        errors: Vec::new(),
    };
    let mut previous = None;
    match std::fs::read_to_string(&expect_path) {
        Ok(t) => match parse_expect(&t) {
            Ok((only, e)) => {
                // A misspelt id would make the case compare nothing and pass.
                let named: std::collections::BTreeSet<&String> = only
                    .iter()
                    .flatten()
                    .chain(e.iter().map(|(_, id)| id))
                    .collect();
                for id in named {
                    if rules.rule(id).is_none() {
                        result.errors.push(format!(
                            "{}: 没有名为 {id} 的规则（拼写错误？report-lint rules 列出已加载的规则）",
                            expect_path.display()
                        ));
                    }
                }
                result.only = only;
                result.expected = e;
                previous = previous_of(&t).map(|f| {
                    expect_path
                        .parent()
                        .unwrap_or_else(|| Path::new("."))
                        .join(f)
                });
            }
            Err(e) => result
                .errors
                .push(format!("{}: {e}", expect_path.display())),
        },
        Err(e) => result
            .errors
            .push(format!("{}: {e}", expect_path.display())),
    }
    match crate::input::read_path(report_path) {
        Err(e) => result
            .errors
            .push(format!("{}: {e}", report_path.display())),
        Ok(src) => {
            let report = Arc::new(crate::parse::parse(&src));
            let prev = match &previous {
                None => None,
                Some(p) => match crate::input::read_path(p) {
                    Ok(s) => Some(Arc::new(crate::parse::parse(&s))),
                    Err(e) => {
                        result
                            .errors
                            .push(format!("{}（previous）: {e}", p.display()));
                        None
                    }
                },
            };
            // `only:` names the rules under test: opt-in ones run too.
            let enable = result.only.clone().unwrap_or_default();
            let out = rules.run_on(None, &report, prev.as_ref(), &enable);
            for e in out.errors {
                result
                    .errors
                    .push(format!("规则 {} 出错：{}", e.rule, e.message));
            }
            let mut actual: Vec<(usize, String)> = out
                .diagnostics
                .iter()
                .filter(|d| result.only.as_ref().is_none_or(|ids| ids.contains(&d.rule)))
                .map(|d| (report.line_col(d.span.start).0, d.rule.clone()))
                .collect();
            actual.sort();
            result.actual = actual;
        }
    }
    result
}

/// All cases (`*.txt`, `*.md` with a `.expect` beside them) under `dir`, sorted.
pub fn find_cases(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x != "expect" && x != "rhai")
                && p.with_extension("expect").is_file()
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The rules under test in `dir`: the user rules loaded from it (the
/// built-in rules' cases are checked by the project's own tests).
fn rules_under_test<'a>(dir: &Path, rules: &'a RuleSet) -> Vec<&'a crate::engine::Rule> {
    rules
        .rules
        .iter()
        .filter(|r| !r.builtin && Path::new(&r.file).starts_with(dir))
        .collect()
}

/// A warning for every rule under test (see [`rules_under_test`]) without a
/// case where it fires or without one where it stays quiet: a rule with no
/// cases passes `test-rules` without being tested. A case without `only:`
/// compares every rule, so it is a quiet case for each rule it does not list.
pub fn coverage_warnings(dir: &Path, rules: &RuleSet, results: &[CaseResult]) -> Vec<String> {
    let mut out = Vec::new();
    for rule in rules_under_test(dir, rules) {
        let fires = results
            .iter()
            .any(|r| r.expected.iter().any(|(_, id)| *id == rule.id));
        let quiet = results.iter().any(|r| {
            r.only.as_ref().is_none_or(|ids| ids.contains(&rule.id))
                && !r.expected.iter().any(|(_, id)| *id == rule.id)
        });
        let missing: Vec<&str> = [
            (!fires).then_some("触发它的用例（fire-*）"),
            (!quiet).then_some("它应保持安静的用例（quiet-*）"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !missing.is_empty() {
            out.push(format!(
                "规则 {}（{}）没有{}；report-lint new-rule 生成的用例可作起点",
                rule.id,
                rule.file,
                missing.join("，也没有")
            ));
        }
    }
    out
}

//! The Rust helpers that hot rules call instead of Rhai library code must give
//! exactly what the Rhai code gives: `report.whole_of(i)` against
//! `narrative::whole_of(report.numbers, i)`, and `report.numbers_in(span)`
//! against `narrative::numbers_in(report.numbers, span)`, `find_in_sentences`
//! and `broken_identities` against the loops they replace, on every report
//! fixture of the repository.

use report_lint::engine::{RuleOptions, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const RULE: &str = r#"
const META = #{ id: "helper-equivalence", severity: "error", family: "consistency", summary: "test", reference: "test" };
import "narrative" as narrative;
import "headings" as headings;
fn check(report) {
    let out = [];
    let numbers = report.numbers;
    for i in 0..numbers.len() {
        let a = narrative::whole_of(numbers, i);
        let b = report.whole_of(i);
        let same = if a == () || b == () { a == () && b == () } else { a.span == b.span && a.text == b.text };
        if !same { out.push(#{ message: `whole_of(${i}) differs`, span: numbers[i].span }); }
    }
    for p in report.paragraphs {
        for s in p.sentences {
            let a = narrative::numbers_in(numbers, s.span);
            let b = report.numbers_in(s.span);
            let differs = a.len() != b.len();
            for k in 0..a.len() { if !differs && a[k].span != b[k].span { differs = true; } }
            if differs {
                out.push(#{ message: "numbers_in differs", span: s.span });
            }
        }
    }
    // find_in_sentences against the loop over paragraphs and sentences.
    for pattern in ["其中", "(较|比)上年(增长|下降)", "(未|没有)(收到|发生)"] {
        let direct = [];
        for p in report.paragraphs {
            for s in p.sentences {
                let ms = report.find_in(s.span, pattern);
                if !ms.is_empty() { direct.push([s.span, ms.len(), ms[0].span]); }
            }
        }
        let fast = report.find_in_sentences(pattern);
        let differs = direct.len() != fast.len();
        for k in 0..direct.len() {
            if !differs && (direct[k][0] != fast[k].span || direct[k][1] != fast[k].matches.len()
                || direct[k][2] != fast[k].matches[0].span) { differs = true; }
        }
        if differs { out.push(#{ message: `find_in_sentences(${pattern}) differs`, span: report.lines[0].span }); }
    }
    // numbers_with_unit, numbers_in_sentence, part_whole_pairs.
    let pct = numbers.filter(|n| n.unit == "%").map(|n| n.span);
    if pct != report.numbers_with_unit("%").map(|n| n.span) { out.push(#{ message: "numbers_with_unit differs", span: report.lines[0].span }); }
    for n in numbers {
        let a = numbers.filter(|m| m.sentence == n.sentence).map(|m| m.span);
        if a != report.numbers_in_sentence(n.sentence).map(|m| m.span) { out.push(#{ message: "numbers_in_sentence differs", span: n.span }); }
    }
    let pairs = [];
    for i in 0..numbers.len() {
        if !narrative::is_count(numbers[i]) { continue; }
        let w = narrative::whole_of(numbers, i);
        if w != () { pairs.push([numbers[i].span, w.span]); }
    }
    if pairs != report.part_whole_pairs().map(|p| [p[0].span, p[1].span]) { out.push(#{ message: "part_whole_pairs differs", span: report.lines[0].span }); }
    // is_count_unit(n.unit) against narrative::is_count(n).
    for n in numbers {
        if narrative::is_count(n) != is_count_unit(n.unit) { out.push(#{ message: "is_count_unit differs", span: n.span }); }
    }
    // top_numbering_issue(i) against headings::expected_top_numbering.
    let secs = report.sections;
    for si in 0..secs.len() {
        if secs[si].heading == () { continue; }
        if headings::expected_top_numbering(secs[si]) != report.top_numbering_issue(si) {
            out.push(#{ message: "top_numbering_issue differs", span: secs[si].span });
        }
    }
    // subsection_issues(i) against headings::sub_numbering_issues.
    let sections = report.sections;
    for si in 0..sections.len() {
        let a = headings::sub_numbering_issues(sections[si].subsections);
        let b = report.subsection_issues(si);
        if a != b { out.push(#{ message: `subsection_issues(${si}) differs: ${a} vs ${b}`, span: sections[si].span }); }
    }
    // short_lines(16): the short text lines, with () for each run of other non-blank lines.
    let expected = [];
    for line in report.lines {
        if line.kind == "blank" { continue; }
        let t = line.text;
        t.trim();
        if line.kind == "text" && t.len() <= 16 {
            expected.push(line.span);
        } else if expected.is_empty() || expected[-1] != () {
            expected.push(());
        }
    }
    let got = report.short_lines(16).map(|l| if l == () { () } else { l.span });
    if expected != got { out.push(#{ message: "short_lines differs", span: report.lines[0].span }); }
    // The cached sections, paragraphs and numbers: a rule's copy is its own.
    let a = report.sections;
    if a.len() > 0 { a[0].number = 99; a[0].subsections.push(1); }
    let b = report.sections;
    if b.len() > 0 && (b[0].number == 99 || b[0].subsections.len() == a[0].subsections.len()) {
        out.push(#{ message: "sections copy shared", span: report.lines[0].span });
    }
    let n = report.numbers;
    if n.len() > 0 { n[0].text += "x"; if report.numbers[0].text == n[0].text { out.push(#{ message: "numbers copy shared", span: n[0].span }); } }
    // broken_identities: the identities that do not hold, in the same order.
    for family in ["t3-balance", "t3-row-total", "t3-results-total", "t4-group-total"] {
        let all = report.identities(family).filter(|id| !id.holds).map(|id| id.scope);
        let broken = report.broken_identities(family).map(|id| id.scope);
        if all != broken { out.push(#{ message: `broken_identities(${family}) differs`, span: report.lines[0].span }); }
    }
    out
}
"#;

fn reports(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        // The real corpus has its own test (tests/real_corpus.rs); its long
        // one-line crawler reports exceed the time budget of this test's
        // deliberately heavy rule in a debug build.
        if p.is_dir() && p.ends_with("corpus") {
            continue;
        }
        // Nor real crawler reports copied as rule fixtures (the whole report on
        // one line, hundreds of numbers): this rule compares every helper on
        // every pair of numbers, beyond the engine's time budget in a debug
        // build. Their findings are checked by rule_fixtures.
        let one_line_crawler = |p: &Path| {
            std::fs::read(p).is_ok_and(|b| b.split(|&c| c == b'\n').any(|l| l.len() > 3_000))
        };
        if p.is_file() && one_line_crawler(&p) {
            continue;
        }
        // Nor pdftotext's layout text of generated and printed reports (the
        // PDF route's inputs, `tests/input_pdf.rs`): read as plain text they
        // are hundreds of numbers in space-aligned columns, past this rule's
        // budget in a debug build.
        if p.to_string_lossy().contains("/gen-") || p.to_string_lossy().contains("-browser-print") {
            continue;
        }
        if p.is_dir() {
            reports(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt" || x == "md")
            // The real corpus's findings snapshot is not a report.
            && p.file_name().is_some_and(|n| n != "expected-findings.txt")
        {
            out.push(p);
        }
    }
}

#[test]
fn rust_helpers_match_the_rhai_library() {
    let dir = std::env::temp_dir().join(format!("rl-helpers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("helper-equivalence.rhai"), RULE).unwrap();
    let rules = RuleSet::load(&RuleOptions {
        dirs: vec![dir.clone()],
        no_builtin: true,
        ..Default::default()
    });
    assert!(rules.errors.is_empty(), "{:?}", rules.errors[0].message);
    let mut files = Vec::new();
    reports(Path::new("fixtures"), &mut files);
    assert!(files.len() > 50, "{} fixtures", files.len());
    let mut wholes = 0;
    for f in &files {
        let Ok(src) = report_lint::input::read_path(f) else {
            continue;
        };
        let report = Arc::new(report_lint::parse::parse(&src));
        wholes += (0..report.numbers.len())
            .filter(|&i| report_lint::engine::api::whole_of(&report.numbers, i).is_some())
            .count();
        let out = rules.run(&report);
        assert!(
            out.errors.is_empty(),
            "{}: {}",
            f.display(),
            out.errors[0].message
        );
        assert!(
            out.diagnostics.is_empty(),
            "{}: {}",
            f.display(),
            out.diagnostics[0].message
        );
    }
    // The fixtures exercise the helper: many numbers do have a whole.
    assert!(wholes > 20, "only {wholes} parts with a whole");
    let _ = std::fs::remove_dir_all(&dir);
}

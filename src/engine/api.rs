//! The report model as Rhai sees it: cheap shared handles (`Report`, `Table`,
//! `Row`, `Cell`, `Span`) for the big structures, small maps for the rest, and
//! numeric helpers written in Rust. Documented in `docs/writing-rules.md`.

use crate::model::{self, calc, schema, Heading, Report, Span, Value};
use regex::Regex;
use rhai::{Array, Dynamic, Engine, ImmutableString, Map, INT};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// The report handle passed to `check(report)`, with the same organ's previous
/// year's report when the run has one (`report.previous`).
#[derive(Clone)]
pub struct ReportRef(pub Arc<Report>, pub Option<Arc<Report>>);

#[derive(Clone)]
pub struct TableRef {
    report: Arc<Report>,
    table: usize,
}

#[derive(Clone)]
pub struct RowRef {
    report: Arc<Report>,
    table: usize,
    row: usize,
}

#[derive(Clone)]
pub struct CellRef {
    report: Arc<Report>,
    table: usize,
    row: usize,
    cell: usize,
}

impl TableRef {
    fn get(&self) -> &model::Table {
        &self.report.tables[self.table]
    }
}

impl RowRef {
    fn get(&self) -> &model::Row {
        &self.report.tables[self.table].rows[self.row]
    }
}

impl CellRef {
    fn get(&self) -> &model::Cell {
        &self.report.tables[self.table].rows[self.row].cells[self.cell]
    }
    fn find(report: &Arc<Report>, table: usize, row: &str, col: &str) -> Option<CellRef> {
        let t = &report.tables[table];
        let r = t.rows.iter().position(|r| r.key == row)?;
        let c = t.rows[r].cells.iter().position(|c| c.col == col)?;
        Some(CellRef {
            report: report.clone(),
            table,
            row: r,
            cell: c,
        })
    }
}

thread_local! {
    /// The report being checked on this thread (its address), set by the engine.
    static CURRENT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The tag of a span value that points into another report than the one
/// being checked (`report.previous`): such a span cannot be a finding's
/// primary location, nor a label's without `report: report.previous`.
pub const OTHER_REPORT_TAG: rhai::INT = 0x5052;

/// Set (or clear) the report being checked on this thread.
pub(crate) fn set_current(report: Option<&Arc<Report>>) {
    CURRENT.set(report.map_or(0, |r| Arc::as_ptr(r) as usize));
}

fn is_other(report: &Report) -> bool {
    let current = CURRENT.get();
    current != 0 && current != report as *const Report as usize
}

/// A span of `report` as a Rhai value, tagged when `report` is not the
/// report being checked.
pub(crate) fn span_of(report: &Report, s: Span) -> Dynamic {
    let mut d = Dynamic::from(s);
    if is_other(report) {
        d.set_tag(OTHER_REPORT_TAG as _);
    }
    d
}

/// `values` of `report` with every span in them (in maps and arrays, at any
/// depth) tagged when `report` is not the report being checked.
fn mark(report: &Report, values: Array) -> Array {
    fn tag(d: Dynamic) -> Dynamic {
        if d.is::<Span>() {
            let mut d = d;
            d.set_tag(OTHER_REPORT_TAG as _);
            d
        } else if d.is_array() {
            Dynamic::from_array(d.cast::<Array>().into_iter().map(tag).collect())
        } else if d.is_map() {
            Dynamic::from_map(
                d.cast::<Map>()
                    .into_iter()
                    .map(|(k, v)| (k, tag(v)))
                    .collect(),
            )
        } else {
            d
        }
    }
    if is_other(report) {
        values.into_iter().map(tag).collect()
    } else {
        values
    }
}

/// Whether a span value came from another report ([`OTHER_REPORT_TAG`]).
pub(crate) fn from_other_report(d: &Dynamic) -> bool {
    d.tag() as rhai::INT == OTHER_REPORT_TAG
}

fn opt<T: Into<Dynamic>>(v: Option<T>) -> Dynamic {
    v.map(Into::into).unwrap_or(Dynamic::UNIT)
}

fn optc<T: Clone + Send + Sync + 'static>(v: Option<T>) -> Dynamic {
    v.map(Dynamic::from).unwrap_or(Dynamic::UNIT)
}

fn map(pairs: Vec<(&str, Dynamic)>) -> Dynamic {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Dynamic::from_map(m)
}

fn spans(list: &[Span]) -> Dynamic {
    Dynamic::from_array(list.iter().map(|s| Dynamic::from(*s)).collect())
}

/// A dated mention as rules see it: the date's fields, `span` and `source`.
fn date_mention_map(d: &crate::model::DateMention) -> Dynamic {
    let mut m = date_map(&d.date).cast::<Map>();
    m.insert("span".into(), Dynamic::from(d.span));
    m.insert("source".into(), d.source.clone().into());
    Dynamic::from_map(m)
}

fn date_map(d: &model::Date) -> Dynamic {
    map(vec![
        ("year", (d.year as INT).into()),
        ("month", (d.month as INT).into()),
        ("day", (d.day as INT).into()),
        ("iso", d.iso().into()),
        ("valid", d.is_valid().into()),
    ])
}

fn heading_map(h: &Heading) -> Dynamic {
    map(vec![
        ("text", h.text.clone().into()),
        ("span", Dynamic::from(h.span)),
        ("numbering", h.numbering.clone().into()),
        ("numbering_span", Dynamic::from(h.numbering_span)),
        ("number", (h.number as INT).into()),
        ("style", h.style.clone().into()),
        ("title", h.title.clone().into()),
        ("title_span", Dynamic::from(h.title_span)),
        ("whitespace", spans(&h.whitespace)),
        ("standalone", h.standalone.into()),
    ])
}

fn section_map(s: &model::Section) -> Dynamic {
    map(vec![
        ("number", (s.number as INT).into()),
        ("canonical", s.canonical.clone().into()),
        (
            "heading",
            s.heading.as_ref().map(heading_map).unwrap_or(Dynamic::UNIT),
        ),
        ("span", Dynamic::from(s.span)),
        (
            "subsections",
            Dynamic::from_array(s.subsections.iter().map(heading_map).collect()),
        ),
        (
            "tables",
            Dynamic::from_array(s.tables.iter().map(|t| t.clone().into()).collect()),
        ),
    ])
}

fn value_dynamic(v: &Value) -> Dynamic {
    match v {
        Value::Integer(i) => (*i as INT).into(),
        Value::Decimal(d) => (*d).into(),
        _ => Dynamic::UNIT,
    }
}

thread_local! {
    /// Compiled patterns, at most `limits::MAX_CACHED_REGEXES` (emptied when full).
    static REGEX_CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

fn with_regex<T>(
    pattern: &str,
    f: impl FnOnce(&Regex) -> T,
) -> Result<T, Box<rhai::EvalAltResult>> {
    use super::limits;
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            if pattern.len() > limits::MAX_PATTERN_BYTES {
                return Err(format!(
                    "正则表达式过长（{} 字节，上限 {} 字节）",
                    pattern.len(),
                    limits::MAX_PATTERN_BYTES
                )
                .into());
            }
            let re = regex::RegexBuilder::new(pattern)
                .size_limit(limits::MAX_REGEX_SIZE)
                .dfa_size_limit(limits::MAX_REGEX_DFA_SIZE)
                .build()
                .map_err(|e| format!("正则表达式无效或过大：{e}"))?;
            if cache.len() >= limits::MAX_CACHED_REGEXES {
                cache.clear();
            }
            cache.insert(pattern.to_string(), re);
        }
        Ok(f(&cache[pattern]))
    })
}

/// A table kind, row key or column key a rule asked for that no table of
/// the format has: a rule error naming it and the valid ones (a typo would
/// otherwise give `()` and fail a line later on a getter of `()`).
fn check_key(what: &str, key: &str, valid: &[&str]) -> Result<(), Box<rhai::EvalAltResult>> {
    if valid.contains(&key) {
        return Ok(());
    }
    Err(format!("未知的{what} “{key}”；可用的有：{}", valid.join("、")).into())
}

fn check_row_col(
    kind: &str,
    row: Option<&str>,
    col: Option<&str>,
) -> Result<(), Box<rhai::EvalAltResult>> {
    if let Some(row) = row {
        check_key(&format!("表 {kind} 行键"), row, &schema::row_keys(kind))?;
    }
    if let Some(col) = col {
        check_key(&format!("表 {kind} 列键"), col, &schema::col_keys(kind))?;
    }
    Ok(())
}

/// The matches of `pattern` in `within`, as maps: all of them (more than
/// `limits::MAX_MATCHES` is an error, never a silent part), or the first
/// `first` when given.
fn find_in(
    report: &Report,
    within: Span,
    pattern: &str,
    first: Option<usize>,
) -> Result<Array, Box<rhai::EvalAltResult>> {
    let text = report.slice(within);
    let index = report.index();
    let cap = first.unwrap_or(usize::MAX).min(super::limits::MAX_MATCHES);
    with_regex(pattern, |re| {
        let mut out = Array::new();
        for m in re.find_iter(text) {
            if out.len() == cap {
                if first.is_some() {
                    break;
                }
                return Err(format!(
                    "匹配超过 {} 处，未返回部分结果：请缩小查找范围或改用更具体的模式",
                    super::limits::MAX_MATCHES
                )
                .into());
            }
            let span = Span::new(within.start + m.start(), within.start + m.end());
            out.push(map(vec![
                ("text", m.as_str().to_string().into()),
                ("span", span_of(report, span)),
                (
                    "line",
                    (index.line_col(&report.text, span.start).0 as INT).into(),
                ),
            ]));
        }
        Ok(out)
    })?
}

/// What several rules ask of the same report, built once per report and
/// thread: the evaluated identities, and the `sections`, `paragraphs` and
/// `numbers` arrays (a rule gets a copy, which it may change freely: Rhai
/// arrays and maps are copied deep, strings copy on write). The `Weak` keeps
/// the report's allocation, so its address cannot be reused by another report
/// while the entry is here.
struct ReportCache {
    report: std::sync::Weak<Report>,
    evaluations: Option<std::rc::Rc<Vec<calc::Evaluation>>>,
    sections: Option<Array>,
    paragraphs: Option<Array>,
    numbers: Option<Array>,
}

thread_local! {
    static CACHE: RefCell<Option<ReportCache>> = const { RefCell::new(None) };
}

/// Run `f` on this thread's cache entry for `report` (a fresh one if the
/// entry was for another report).
fn cached<T>(report: &Arc<Report>, f: impl FnOnce(&mut ReportCache) -> T) -> T {
    CACHE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let fresh = !cell
            .as_ref()
            .is_some_and(|c| std::ptr::eq(c.report.as_ptr(), Arc::as_ptr(report)));
        if fresh {
            *cell = Some(ReportCache {
                report: Arc::downgrade(report),
                evaluations: None,
                sections: None,
                paragraphs: None,
                numbers: None,
            });
        }
        f(cell.as_mut().expect("cache entry"))
    })
}

/// `calc::evaluate(report, None)`, computed once per report and thread.
/// (Filtering it by family gives what `calc::evaluate(report, Some(family))`
/// gives: the suspect search always looks at every identity.)
fn evaluations(report: &Arc<Report>) -> std::rc::Rc<Vec<calc::Evaluation>> {
    cached(report, |c| {
        c.evaluations
            .get_or_insert_with(|| std::rc::Rc::new(calc::evaluate(report, None)))
            .clone()
    })
}

fn paragraph_map(p: &model::Paragraph) -> Dynamic {
    map(vec![
        ("text", p.text.clone().into()),
        ("span", Dynamic::from(p.span)),
        ("section", (p.section as INT).into()),
        (
            "sentences",
            Dynamic::from_array(
                p.sentences
                    .iter()
                    .map(|s| {
                        map(vec![
                            ("text", s.text.clone().into()),
                            ("span", Dynamic::from(s.span)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

/// How many places of a table were not read as the format lays it out: rows
/// or cells missing or extra, each once; header words and numbers interleaved
/// (text copied out of a PDF in reading order), three. Past a few, which
/// number is in which cell is in doubt, and so is every check on the table
/// (`Table.misread`, `Cell.misread` in Rhai).
fn misread(t: &crate::model::Table) -> usize {
    t.shape_issues
        .iter()
        .map(|i| match i.kind.as_str() {
            "missing-cells" | "extra-cells" | "missing-row" | "extra-row" => 1,
            "interleaved" => 3,
            _ => 0,
        })
        .sum()
}

fn identity_maps(report: &Arc<Report>, family: &str, broken_only: bool) -> Array {
    let table_idx = |kind: &str| report.tables.iter().position(|t| t.kind == kind);
    evaluations(report)
        .iter()
        .filter(|ev| ev.identity.family == family)
        .filter(|ev| !(broken_only && ev.holds))
        .filter_map(|ev| {
            let t = table_idx(ev.identity.table)?;
            let cells = |list: &[calc::CellAddr]| -> Dynamic {
                Dynamic::from_array(
                    list.iter()
                        .filter_map(|a| CellRef::find(report, t, &a.row, &a.col))
                        .map(Dynamic::from)
                        .collect(),
                )
            };
            let suspect = ev
                .suspect
                .as_ref()
                .and_then(|(a, _)| CellRef::find(report, t, &a.row, &a.col));
            // How many places of this table were not read as the format lays
            // it out (rows or cells missing or extra): past a few, which cell
            // is which is in doubt, and so is what the identity says.
            let misread = misread(&report.tables[t]);
            Some(map(vec![
                ("family", ev.identity.family.into()),
                ("misread", (misread as INT).into()),
                ("scope", ev.identity.scope.clone().into()),
                ("holds", ev.holds.into()),
                ("lhs", cells(&ev.identity.lhs)),
                ("rhs", cells(&ev.identity.rhs)),
                ("lhs_sum", (ev.lhs_sum as INT).into()),
                ("rhs_sum", (ev.rhs_sum as INT).into()),
                ("suspect", optc(suspect)),
                (
                    "suspect_value",
                    opt(ev.suspect.as_ref().map(|(_, v)| *v as INT)),
                ),
            ]))
        })
        .collect()
}

/// Register the model types and helpers on an engine.
pub fn register(engine: &mut Engine) {
    // Span: opaque, only handed out by the model.
    engine
        .register_type_with_name::<Span>("Span")
        .register_get("start", |s: &mut Span| s.start as INT)
        .register_get("end", |s: &mut Span| s.end as INT)
        .register_fn("to_string", |s: &mut Span| {
            format!("{}..{}", s.start, s.end)
        })
        .register_fn("to_debug", |s: &mut Span| {
            format!("Span({}..{})", s.start, s.end)
        })
        .register_fn("==", |a: Span, b: Span| a == b)
        .register_fn("!=", |a: Span, b: Span| a != b)
        .register_fn("join", |a: &mut Span, b: Span| a.join(b));

    engine
        .register_type_with_name::<ReportRef>("Report")
        .register_get("path", |r: &mut ReportRef| r.0.path.clone())
        .register_get("input_format", |r: &mut ReportRef| r.0.input_format.clone())
        .register_get("encoding", |r: &mut ReportRef| r.0.encoding.clone())
        // What an annual report has and this document lacks, when it lacks
        // all of it (a meeting notice); empty for a report.
        .register_get("not_a_report", |r: &mut ReportRef| -> Array {
            r.0.not_a_report.iter().map(|s| s.clone().into()).collect()
        })
        .register_get("input_notices", |r: &mut ReportRef| -> Array {
            // What the reader noticed: #{kind, message, line, span}; span is the
            // line's span when the notice concerns a line, else ().
            r.0.notices
                .iter()
                .map(|n| {
                    let mut m = Map::new();
                    m.insert("kind".into(), n.kind.clone().into());
                    m.insert("message".into(), n.message.clone().into());
                    m.insert("line".into(), opt(n.line.map(|l| l as INT)));
                    let span = n
                        .line
                        .and_then(|l| r.0.lines.iter().find(|x| x.number == l))
                        .map(|x| x.span);
                    m.insert("span".into(), optc(span));
                    Dynamic::from_map(m)
                })
                .collect()
        })
        .register_get("previous", |r: &mut ReportRef| {
            // The previous year's report has no `previous` of its own.
            optc(r.1.clone().map(|p| ReportRef(p, None)))
        })
        .register_get("title", |r: &mut ReportRef| {
            opt(r.0.metadata.title.as_ref().map(|t| t.value.clone()))
        })
        .register_get("title_span", |r: &mut ReportRef| {
            r.0.metadata
                .title
                .as_ref()
                .map_or(Dynamic::UNIT, |t| span_of(&r.0, t.span))
        })
        .register_get("organ", |r: &mut ReportRef| {
            opt(r.0.metadata.organ.as_ref().map(|t| t.value.clone()))
        })
        .register_get("organ_kind", |r: &mut ReportRef| {
            r.0.metadata.organ_kind.clone()
        })
        .register_get("year", |r: &mut ReportRef| {
            opt(r.0.metadata.year.as_ref().map(|y| y.value as INT))
        })
        .register_get("year_span", |r: &mut ReportRef| {
            r.0.metadata
                .year
                .as_ref()
                .map_or(Dynamic::UNIT, |y| span_of(&r.0, y.span))
        })
        .register_get("format", |r: &mut ReportRef| {
            opt(r.0.format.detected.map(|f| f.as_str().to_string()))
        })
        .register_get("expected_format", |r: &mut ReportRef| {
            opt(r.0.format.expected.map(|f| f.as_str().to_string()))
        })
        .register_get("publication_date", |r: &mut ReportRef| {
            opt(r.0.metadata.publication_date.as_ref().map(date_mention_map))
        })
        .register_get("signature_date", |r: &mut ReportRef| {
            opt(r.0.metadata.signature_date.as_ref().map(date_mention_map))
        })
        .register_get("stats_period", |r: &mut ReportRef| {
            opt(r.0.metadata.stats_period.as_ref().map(|p| {
                map(vec![
                    ("start", date_map(&p.start)),
                    ("end", date_map(&p.end)),
                    ("span", Dynamic::from(p.span)),
                ])
            }))
        })
        .register_get("fields", |r: &mut ReportRef| -> Array {
            r.0.metadata
                .fields
                .iter()
                .map(|f| {
                    map(vec![
                        ("key", f.key.clone().into()),
                        ("value", f.value.clone().into()),
                        ("span", Dynamic::from(f.span)),
                    ])
                })
                .collect()
        })
        .register_get("sections", |r: &mut ReportRef| -> Array {
            let report = &r.0;
            let list = cached(report, |c| {
                c.sections
                    .get_or_insert_with(|| report.sections.iter().map(section_map).collect())
                    .clone()
            });
            mark(report, list)
        })
        .register_fn("section", |r: &mut ReportRef, n: INT| {
            opt(r.0.section(n).map(section_map))
        })
        .register_get("paragraphs", |r: &mut ReportRef| -> Array {
            let report = &r.0;
            let list = cached(report, |c| {
                c.paragraphs
                    .get_or_insert_with(|| report.paragraphs.iter().map(paragraph_map).collect())
                    .clone()
            });
            mark(report, list)
        })
        .register_get("numbers", |r: &mut ReportRef| -> Array {
            let report = &r.0;
            let list = cached(report, |c| {
                c.numbers
                    .get_or_insert_with(|| report.numbers.iter().map(number_map).collect())
                    .clone()
            });
            mark(report, list)
        })
        // The sentences (of every paragraph, in order) where `pattern` matches:
        // #{ span, matches } with `matches` as `report.find_in(span, pattern)`
        // gives them. Saves a rule building every paragraph and sentence map.
        .register_fn(
            "find_in_sentences",
            |r: &mut ReportRef, pattern: &str| -> Result<Array, Box<rhai::EvalAltResult>> {
                let mut out = Array::new();
                for p in &r.0.paragraphs {
                    for s in &p.sentences {
                        let matches = find_in(&r.0, s.span, pattern, None)?;
                        if !matches.is_empty() {
                            out.push(map(vec![
                                ("span", Dynamic::from(s.span)),
                                ("matches", Dynamic::from_array(matches)),
                            ]));
                        }
                    }
                }
                Ok(out)
            },
        )
        // `headings::sub_numbering_issues(section.subsections)` for the i-th section
        // of `report.sections`, computed in Rust: [[index, expected numbering], …].
        .register_fn("subsection_issues", |r: &mut ReportRef, i: INT| -> Array {
            usize::try_from(i)
                .ok()
                .and_then(|i| r.0.sections.get(i))
                .map(|s| sub_numbering_issues(&s.subsections))
                .unwrap_or_default()
                .into_iter()
                .map(|(i, want)| Dynamic::from_array(vec![(i as INT).into(), want.into()]))
                .collect()
        })
        // The non-blank lines, in order, for a scan of short lines (page residue):
        // a line map (as in `report.lines`) for each text line of at most
        // `max_chars` characters once trimmed, and one () for each run of other
        // lines (table rows, headings, longer text), which ends whatever run of
        // short lines came before.
        .register_fn(
            "short_lines",
            |r: &mut ReportRef, max_chars: INT| -> Array {
                let mut out = Array::new();
                for l in r.0.lines.iter().filter(|l| l.kind != "blank") {
                    let text = r.0.slice(l.span);
                    let short = l.kind == "text" && text.trim().chars().count() as INT <= max_chars;
                    if short {
                        out.push(line_map(&r.0, l));
                    } else if out.last().is_none_or(|d| !d.is_unit()) {
                        out.push(Dynamic::UNIT);
                    }
                }
                out
            },
        )
        // The numbers with this unit (“%”, “件” …), in text order.
        .register_fn(
            "numbers_with_unit",
            |r: &mut ReportRef, unit: &str| -> Array {
                r.0.numbers
                    .iter()
                    .filter(|n| n.unit == unit)
                    .map(number_map)
                    .collect()
            },
        )
        // The number whose lead words are most like `lead` (similarity above
        // `at_least`, same unit, not off topic, bounded), or () when there is
        // none or two different values tie: `yoy-change-mismatch` looks up last
        // year's figure this way without copying every number of last year's
        // report into the script (a long report's numbers break the map limit).
        .register_fn(
            "most_similar_number",
            |r: &mut ReportRef, lead: &str, unit: &str, at_least: f64| -> Dynamic {
                use crate::parse::normalize::{fold, similarity};
                let lead = fold(lead);
                let mut best: Option<&crate::model::NarrativeNumber> = None;
                let mut best_sim = at_least;
                let mut tie = false;
                for q in r.0.numbers.iter() {
                    if q.unit != unit || q.off_topic || q.high > 1.0e300 {
                        continue;
                    }
                    let sim = similarity(&lead, &fold(&q.lead));
                    if sim > best_sim {
                        best = Some(q);
                        best_sim = sim;
                        tie = false;
                    } else if sim == best_sim && best.is_some_and(|b| b.value != q.value) {
                        tie = true;
                    }
                }
                match best {
                    Some(q) if !tie => number_map(q),
                    _ => Dynamic::UNIT,
                }
            },
        )
        // The numbers whose `sentence` is this span, in text order.
        .register_fn(
            "numbers_in_sentence",
            |r: &mut ReportRef, sentence: Span| -> Array {
                starting_in(&r.0.numbers, sentence)
                    .iter()
                    .filter(|n| n.sentence == sentence)
                    .map(number_map)
                    .collect()
            },
        )
        // [part, whole] for every count (件, 条 …) that is part of a whole
        // (`report.whole_of(i)`), in text order.
        .register_fn("part_whole_pairs", |r: &mut ReportRef| -> Array {
            let numbers = &r.0.numbers;
            (0..numbers.len())
                .filter(|&i| COUNT_UNITS.contains(&numbers[i].unit.as_str()))
                .filter_map(|i| {
                    whole_of(numbers, i).map(|j| {
                        Dynamic::from_array(vec![number_map(&numbers[i]), number_map(&numbers[j])])
                    })
                })
                .collect()
        })
        // `headings::expected_top_numbering(report.sections[i])` in Rust: the
        // numbering the part's heading should have (`三、`), or "" when it is right.
        .register_fn(
            "top_numbering_issue",
            |r: &mut ReportRef, i: INT| -> Result<ImmutableString, Box<rhai::EvalAltResult>> {
                let s = usize::try_from(i)
                    .ok()
                    .and_then(|i| r.0.sections.get(i))
                    .ok_or_else(|| format!("没有第 {i} 个部分"))?;
                let h = s
                    .heading
                    .as_ref()
                    .ok_or_else(|| format!("第 {i} 个部分没有标题"))?;
                let numeral = if (1..=10).contains(&s.number) {
                    schema::CHINESE_NUMERALS[s.number as usize - 1].to_string()
                } else {
                    s.number.to_string()
                };
                let want = format!("{numeral}、");
                Ok(
                    if h.style == "chinese" && h.number == s.number && h.numbering == want {
                        ImmutableString::new()
                    } else {
                        want.into()
                    },
                )
            },
        )
        .register_fn("numbers_in", |r: &mut ReportRef, within: Span| -> Array {
            starting_in(&r.0.numbers, within)
                .iter()
                .filter(|n| n.span.start >= within.start && n.span.end <= within.end)
                .map(number_map)
                .collect()
        })
        .register_fn("whole_of", |r: &mut ReportRef, i: INT| -> Dynamic {
            usize::try_from(i)
                .ok()
                .and_then(|i| whole_of(&r.0.numbers, i))
                .map_or(Dynamic::UNIT, |j| number_map(&r.0.numbers[j]))
        })
        .register_fn("number_index", |r: &mut ReportRef, span: Span| -> INT {
            let numbers = &r.0.numbers;
            let end = numbers.partition_point(|n| n.span.start <= span.start);
            numbers[..end]
                .iter()
                .rev()
                .take_while(|n| n.span.start == span.start)
                .position(|n| n.span == span)
                .map_or(-1, |back| (end - 1 - back) as INT)
        })
        .register_fn(
            "statements",
            |r: &mut ReportRef, query: Map| -> Result<Array, Box<rhai::EvalAltResult>> {
                let q = StatementQuery::from_map(&query)?;
                Ok(r.0
                    .numbers
                    .iter()
                    .filter(|n| q.matches(n))
                    .map(number_map)
                    .collect())
            },
        )
        .register_get("breakdowns", |r: &mut ReportRef| -> Array {
            r.0.breakdowns
                .iter()
                .map(|b| {
                    map(vec![
                        ("whole", number_map(&r.0.numbers[b.whole])),
                        (
                            "parts",
                            Dynamic::from_array(
                                b.parts
                                    .iter()
                                    .map(|&p| number_map(&r.0.numbers[p]))
                                    .collect(),
                            ),
                        ),
                        ("marker", b.marker.clone().into()),
                        ("complete", b.complete.into()),
                    ])
                })
                .collect()
        })
        .register_get("lines", |r: &mut ReportRef| -> Array {
            mark(&r.0, r.0.lines.iter().map(|l| line_map(&r.0, l)).collect())
        })
        .register_get("tables", |r: &mut ReportRef| -> Array {
            (0..r.0.tables.len())
                .map(|i| {
                    Dynamic::from(TableRef {
                        report: r.0.clone(),
                        table: i,
                    })
                })
                .collect()
        })
        .register_fn(
            "table",
            |r: &mut ReportRef, kind: &str| -> Result<Dynamic, Box<rhai::EvalAltResult>> {
                check_key("表类型", kind, &schema::TABLE_KINDS)?;
                Ok(optc(r.0.tables.iter().position(|t| t.kind == kind).map(
                    |i| TableRef {
                        report: r.0.clone(),
                        table: i,
                    },
                )))
            },
        )
        .register_get("dates", |r: &mut ReportRef| -> Array {
            crate::parse::metadata::all_dates(&r.0.text)
                .into_iter()
                .map(|(d, span)| {
                    let mut m = date_map(&d).cast::<Map>();
                    m.insert("span".into(), Dynamic::from(span));
                    Dynamic::from_map(m)
                })
                .collect()
        })
        .register_fn("text", |r: &mut ReportRef, s: Span| {
            r.0.slice(s).to_string()
        })
        .register_fn("line_of", |r: &mut ReportRef, s: Span| {
            r.0.line_col(s.start).0 as INT
        })
        .register_fn("end_line_of", |r: &mut ReportRef, s: Span| {
            r.0.line_col(s.end).0 as INT
        })
        // The span of the whole line `s` starts on (a finding about a table
        // pointing at its first line, not the whole table).
        .register_fn("line_span", |r: &mut ReportRef, s: Span| {
            let lines = &r.0.lines;
            let i = lines.partition_point(|l| l.span.start <= s.start);
            lines.get(i.saturating_sub(1)).map_or(s, |l| l.span)
        })
        .register_fn("find_all", |r: &mut ReportRef, pattern: &str| {
            find_in(&r.0, Span::new(0, r.0.text.len()), pattern, None)
        })
        // The first `n` matches only (at most `limits::MAX_MATCHES`).
        .register_fn("find_all", |r: &mut ReportRef, pattern: &str, n: INT| {
            let n = usize::try_from(n).unwrap_or(0);
            find_in(&r.0, Span::new(0, r.0.text.len()), pattern, Some(n))
        })
        .register_fn(
            "find_in",
            |r: &mut ReportRef, within: Span, pattern: &str| find_in(&r.0, within, pattern, None),
        )
        .register_fn(
            "find_in",
            |r: &mut ReportRef, within: Span, pattern: &str, n: INT| {
                let n = usize::try_from(n).unwrap_or(0);
                find_in(&r.0, within, pattern, Some(n))
            },
        )
        // How many matches, however many (nothing is built for them).
        .register_fn(
            "count_all",
            |r: &mut ReportRef, pattern: &str| -> Result<INT, Box<rhai::EvalAltResult>> {
                with_regex(pattern, |re| re.find_iter(&r.0.text).count() as INT)
            },
        )
        .register_fn("identities", |r: &mut ReportRef, family: &str| {
            identity_maps(&r.0, family, false)
        })
        // Only the identities that do not hold: what a rule reports (most hold).
        .register_fn("broken_identities", |r: &mut ReportRef, family: &str| {
            identity_maps(&r.0, family, true)
        });

    engine
        .register_type_with_name::<TableRef>("Table")
        .register_get("kind", |t: &mut TableRef| t.get().kind.clone())
        .register_get("misread", |t: &mut TableRef| misread(t.get()) as INT)
        .register_get("format", |t: &mut TableRef| {
            opt(t.get().format.map(|f| f.as_str().to_string()))
        })
        .register_get("span", |t: &mut TableRef| span_of(&t.report, t.get().span))
        .register_get("data_span", |t: &mut TableRef| {
            span_of(&t.report, t.get().data_span)
        })
        .register_get("rows", |t: &mut TableRef| -> Array {
            (0..t.get().rows.len())
                .map(|i| {
                    Dynamic::from(RowRef {
                        report: t.report.clone(),
                        table: t.table,
                        row: i,
                    })
                })
                .collect()
        })
        .register_get("columns", |t: &mut TableRef| -> Array {
            t.get()
                .columns
                .iter()
                .map(|c| {
                    map(vec![
                        ("key", c.key.clone().into()),
                        ("label", c.label.clone().into()),
                    ])
                })
                .collect()
        })
        // The cells that are not a non-negative integer (blank, placeholder,
        // text, decimal, negative or missing): what a value check must look at.
        .register_get("suspect_cells", |t: &mut TableRef| -> Array {
            let tb = t.get();
            let mut out = Array::new();
            for (ri, row) in tb.rows.iter().enumerate() {
                for (ci, cell) in row.cells.iter().enumerate() {
                    if matches!(cell.value, Value::Integer(v) if v >= 0) {
                        continue;
                    }
                    out.push(Dynamic::from(CellRef {
                        report: t.report.clone(),
                        table: t.table,
                        row: ri,
                        cell: ci,
                    }));
                }
            }
            out
        })
        .register_get("cells", |t: &mut TableRef| -> Array {
            let tb = t.get();
            let mut out = Array::new();
            for (ri, row) in tb.rows.iter().enumerate() {
                for ci in 0..row.cells.len() {
                    out.push(Dynamic::from(CellRef {
                        report: t.report.clone(),
                        table: t.table,
                        row: ri,
                        cell: ci,
                    }));
                }
            }
            out
        })
        .register_get("shape_issues", |t: &mut TableRef| -> Array {
            t.get()
                .shape_issues
                .iter()
                .map(|i| {
                    map(vec![
                        ("kind", i.kind.clone().into()),
                        ("message", i.message.clone().into()),
                        ("span", Dynamic::from(i.span)),
                        ("row", opt(i.row.clone())),
                        (
                            "candidates",
                            Dynamic::from_array(
                                i.candidates
                                    .iter()
                                    .map(|c| {
                                        Dynamic::from_array(
                                            c.iter().map(|&v| (v as INT).into()).collect(),
                                        )
                                    })
                                    .collect(),
                            ),
                        ),
                    ])
                })
                .collect()
        })
        .register_get("empty_runs", |t: &mut TableRef| spans(&t.get().empty_runs))
        .register_fn(
            "row",
            |t: &mut TableRef, key: &str| -> Result<Dynamic, Box<rhai::EvalAltResult>> {
                check_row_col(&t.get().kind, Some(key), None)?;
                Ok(optc(t.get().rows.iter().position(|r| r.key == key).map(
                    |i| RowRef {
                        report: t.report.clone(),
                        table: t.table,
                        row: i,
                    },
                )))
            },
        )
        .register_fn(
            "cell",
            |t: &mut TableRef, row: &str, col: &str| -> Result<Dynamic, Box<rhai::EvalAltResult>> {
                check_row_col(&t.get().kind, Some(row), Some(col))?;
                Ok(optc(CellRef::find(&t.report, t.table, row, col)))
            },
        );

    engine
        .register_type_with_name::<RowRef>("Row")
        .register_get("key", |r: &mut RowRef| r.get().key.clone())
        .register_get("label", |r: &mut RowRef| r.get().label.clone())
        .register_get("raw_label", |r: &mut RowRef| r.get().raw_label.clone())
        .register_get("span", |r: &mut RowRef| span_of(&r.report, r.get().span))
        .register_get("cells", |r: &mut RowRef| -> Array {
            (0..r.get().cells.len())
                .map(|i| {
                    Dynamic::from(CellRef {
                        report: r.report.clone(),
                        table: r.table,
                        row: r.row,
                        cell: i,
                    })
                })
                .collect()
        })
        .register_fn(
            "cell",
            |r: &mut RowRef, col: &str| -> Result<Dynamic, Box<rhai::EvalAltResult>> {
                check_row_col(&r.report.tables[r.table].kind, None, Some(col))?;
                Ok(optc(r.get().cells.iter().position(|c| c.col == col).map(
                    |i| CellRef {
                        report: r.report.clone(),
                        table: r.table,
                        row: r.row,
                        cell: i,
                    },
                )))
            },
        );

    engine
        .register_type_with_name::<CellRef>("Cell")
        .register_get("row", |c: &mut CellRef| c.get().row.clone())
        .register_get("col", |c: &mut CellRef| c.get().col.clone())
        .register_get("table", |c: &mut CellRef| {
            c.report.tables[c.table].kind.clone()
        })
        .register_get("misread", |c: &mut CellRef| {
            misread(&c.report.tables[c.table]) as INT
        })
        .register_get("name", |c: &mut CellRef| {
            let t = &c.report.tables[c.table];
            schema::cell_name(
                &t.kind,
                &t.rows[c.row].key,
                &t.rows[c.row].label,
                &c.get().col,
            )
        })
        .register_get("row_label", |c: &mut CellRef| {
            let row = &c.report.tables[c.table].rows[c.row];
            schema::row_short(&row.key, &row.label)
        })
        .register_get("col_label", |c: &mut CellRef| {
            let kind = &c.report.tables[c.table].kind;
            let name = schema::cell_name(kind, "", "", &c.get().col);
            name.trim_start_matches(" / ").to_string()
        })
        .register_get("raw", |c: &mut CellRef| c.get().raw.clone())
        .register_get("kind", |c: &mut CellRef| c.get().value.kind().to_string())
        .register_get("value", |c: &mut CellRef| value_dynamic(&c.get().value))
        .register_get("is_number", |c: &mut CellRef| {
            c.get().value.as_f64().is_some()
        })
        .register_get("span", |c: &mut CellRef| span_of(&c.report, c.get().span))
        .register_get("residue", |c: &mut CellRef| {
            opt(c.get().residue.as_ref().map(|r| {
                map(vec![
                    ("text", r.value.clone().into()),
                    ("span", Dynamic::from(r.span)),
                ])
            }))
        })
        .register_fn("==", |a: CellRef, b: CellRef| {
            Arc::ptr_eq(&a.report, &b.report)
                && (a.table, a.row, a.cell) == (b.table, b.row, b.cell)
        })
        .register_fn("to_string", |c: &mut CellRef| {
            format!("{}={}", c.get().col, c.get().raw)
        });

    // Numeric helpers.
    engine.register_fn("sum", |cells: Array| -> Dynamic {
        let mut int: INT = 0;
        let mut float = 0.0;
        let mut is_float = false;
        for c in cells {
            if let Some(c) = c.try_cast::<CellRef>() {
                match c.get().value {
                    Value::Integer(i) => int += i as INT,
                    Value::Decimal(d) => {
                        float += d;
                        is_float = true
                    }
                    _ => return Dynamic::UNIT,
                }
            } else {
                return Dynamic::UNIT;
            }
        }
        if is_float {
            (float + int as f64).into()
        } else {
            int.into()
        }
    });
    // `narrative::is_count(n)` without copying the number map: `is_count_unit(n.unit)`.
    engine.register_fn("is_count_unit", |unit: &str| COUNT_UNITS.contains(&unit));
    engine.register_fn("fold", |s: &str| crate::parse::normalize::fold(s));
    super::crossyear::register(engine);
    engine.register_fn("canonical_heading", |n: INT| {
        if (1..=6).contains(&n) {
            schema::canonical_heading(n)
        } else {
            String::new()
        }
    });
    engine.register_fn("measure_can_be_part", |part: &str, whole: &str| {
        crate::model::measure_can_be_part(part, whole)
    });
    engine.register_fn("similarity", |a: &str, b: &str| {
        crate::parse::normalize::similarity(a, b)
    });
    engine.register_fn("chinese_numeral", |n: INT| -> ImmutableString {
        let n = n as usize;
        if (1..=10).contains(&n) {
            schema::CHINESE_NUMERALS[n - 1].into()
        } else {
            n.to_string().into()
        }
    });
}

/// The numbers whose span starts inside `within`, by binary search: the
/// numbers are sorted by start (paragraphs in text order, each sorted), so a
/// rule asking for every sentence's numbers stays linear.
fn starting_in(
    numbers: &[crate::model::NarrativeNumber],
    within: Span,
) -> &[crate::model::NarrativeNumber] {
    let lo = numbers.partition_point(|n| n.span.start < within.start);
    let hi = numbers.partition_point(|n| n.span.start < within.end);
    &numbers[lo..hi.max(lo)]
}

/// A narrative number as a Rhai map (see docs/writing-rules.md, “Numbers in the text”).
fn number_map(n: &crate::model::NarrativeNumber) -> Dynamic {
    map(vec![
        ("text", n.text.clone().into()),
        ("span", Dynamic::from(n.span)),
        ("value", n.value.into()),
        ("low", n.low.into()),
        ("high", n.high.into()),
        ("low_inclusive", n.low_inclusive.into()),
        ("high_inclusive", n.high_inclusive.into()),
        ("unit", n.unit.clone().into()),
        (
            "qualifiers",
            Dynamic::from_array(n.qualifiers.iter().map(|q| q.clone().into()).collect()),
        ),
        ("exact", n.qualifiers.is_empty().into()),
        ("numeral", n.numeral.into()),
        ("paragraph", (n.paragraph as INT).into()),
        ("section", (n.section as INT).into()),
        ("depth", (n.depth as INT).into()),
        ("sentence", Dynamic::from(n.sentence)),
        ("clause", Dynamic::from(n.clause)),
        ("lead", n.lead.clone().into()),
        ("statement", Dynamic::from(n.statement)),
        ("tail", n.tail.clone().into()),
        ("context", n.context.clone().into()),
        ("off_topic", n.off_topic.into()),
        ("measure", n.measure.clone().into()),
        ("period", n.period.clone().into()),
    ])
}

fn line_map(report: &Report, l: &model::Line) -> Dynamic {
    map(vec![
        ("number", (l.number as INT).into()),
        ("text", report.slice(l.span).to_string().into()),
        ("span", Dynamic::from(l.span)),
        ("kind", l.kind.clone().into()),
        ("table", l.table.clone().into()),
    ])
}

/// `headings::sub_numbering_issues(subs)` of `rules/lib/headings.rhai`, in Rust:
/// the sub-headings whose numbering is wrong, with the numbering each should
/// have. Two levels are fine (（一）… with （1）… under each, or the reverse);
/// otherwise the items form one sequence 1, 2, 3 … in the style most use, and
/// numbers out of sequence in that style are reported once, at the first.
pub fn sub_numbering_issues(subs: &[Heading]) -> Vec<(usize, String)> {
    if subs.len() < 2 {
        return Vec::new();
    }
    let two_levels = |outer: &str, inner: &str| {
        if subs[0].style != outer {
            return false;
        }
        let (mut n, mut k, mut seen_inner) = (0, 0, false);
        for h in subs {
            if h.style == outer {
                n += 1;
                if h.number != n {
                    return false;
                }
                k = 0;
            } else if h.style == inner {
                k += 1;
                seen_inner = true;
                if h.number != k {
                    return false;
                }
            } else {
                return false;
            }
        }
        seen_inner
    };
    if two_levels("chinese_paren", "arabic_paren") || two_levels("arabic_paren", "chinese_paren") {
        return Vec::new();
    }
    let count = |style: &str| subs.iter().filter(|h| h.style == style).count();
    let style = if count("chinese_paren") >= count("arabic_paren") {
        "chinese_paren"
    } else {
        "arabic_paren"
    };
    let half_width = subs
        .iter()
        .filter(|h| h.style == style && h.numbering.starts_with('('))
        .count()
        * 2
        > count(style);
    let numbering_for = |n: usize| {
        let num = if style == "chinese_paren" && (1..=10).contains(&n) {
            schema::CHINESE_NUMERALS[n - 1].to_string()
        } else {
            n.to_string()
        };
        if half_width {
            format!("({num})")
        } else {
            format!("（{num}）")
        }
    };
    let out: Vec<(usize, String)> = subs
        .iter()
        .enumerate()
        .filter(|(i, h)| h.style != style || h.number != *i as i64 + 1)
        .map(|(i, _)| (i, numbering_for(i + 1)))
        .collect();
    let first_gap = out.iter().map(|p| p.0).find(|&i| subs[i].style == style);
    out.into_iter()
        .filter(|(i, _)| subs[*i].style != style || Some(*i) == first_gap)
        .collect()
}

/// `report.whole_of(i)`: the whole that `report.numbers[i]` is a part of, as
/// `narrative::whole_of(report.numbers, i)` in `rules/lib/narrative.rhai` finds
/// it (same rules, in Rust: that helper copies the whole number list on every
/// call). The last count before the last “其中”, “(含”, “（含” or “包括” of the
/// part's context, in the same sentence, at the part's depth or above, when no
/// “；” comes between marker and part and a “含” part is inside the parenthesis.
pub fn whole_of(numbers: &[crate::model::NarrativeNumber], i: usize) -> Option<usize> {
    let part = numbers.get(i)?;
    let ctx = &part.context;
    // (char index, marker) of the marker occurrence that starts last.
    let mut at: Option<(usize, &str)> = None;
    for m in ["其中", "(含", "（含", "包括"] {
        for (byte, _) in ctx.match_indices(m) {
            let k = ctx[..byte].chars().count();
            if at.is_none_or(|(a, _)| k > a) {
                at = Some((k, m));
            }
        }
    }
    let (at, marker) = at?;
    let between: String = ctx.chars().skip(at).collect();
    if between.contains('；') || between.contains(';') {
        return None;
    }
    if marker.ends_with('含') && part.depth == 0 {
        return None;
    }
    let whole = (0..i).rev().find_map(|j| {
        let n = &numbers[j];
        if n.sentence != part.sentence {
            return Some(None);
        }
        let count = COUNT_UNITS.contains(&n.unit.as_str());
        (n.context.chars().count() <= at && count && n.depth <= part.depth).then_some(Some(j))
    })??;
    // Another stage of the same thing is not a part (`…，其中自然人申请28件，…，
    // 依法办结43件`: the handled requests are not among the 40 received); a
    // parenthesis says what it includes (`（含上年结转2件）`).
    let w = &numbers[whole];
    if part.depth == w.depth && !crate::model::measure_can_be_part(&part.measure, &w.measure) {
        return None;
    }
    Some(whole)
}

pub use crate::model::COUNT_UNITS;

/// `report.statements(#{…})`: which numbers the text states about something,
/// without a regex per phrasing. Every key is optional:
/// `lead` / `lead_not` (words introducing the number: any / none),
/// `context` / `context_not` (the sentence up to the number: any / none),
/// `units` (default: the count units), `sections` (parts 1–6),
/// `max_depth` (parenthesis depth), `off_topic` (default false: clauses about
/// 留言、咨询、热线、投诉、举报、信访 are left out), `measure` (what the number
/// counts: `applications.received`, or a family such as `applications`, which
/// takes every `applications.*`; see `docs/report-model.md`), `period`
/// (`year`, the default: what the report's year counts; `years`: spans of
/// years and running totals; `other`: another year; `any`).
struct StatementQuery {
    measure: Vec<String>,
    period: String,
    lead: Vec<String>,
    lead_not: Vec<String>,
    context: Vec<String>,
    context_not: Vec<String>,
    units: Vec<String>,
    sections: Vec<i64>,
    max_depth: Option<usize>,
    off_topic: bool,
}

impl StatementQuery {
    fn from_map(m: &Map) -> Result<StatementQuery, Box<rhai::EvalAltResult>> {
        const KEYS: [&str; 10] = [
            "measure",
            "period",
            "lead",
            "lead_not",
            "context",
            "context_not",
            "units",
            "sections",
            "max_depth",
            "off_topic",
        ];
        for k in m.keys() {
            if !KEYS.contains(&k.as_str()) {
                return Err(format!(
                    "statements(): 未知的查询键 `{k}`（可用：{}）",
                    KEYS.join("、")
                )
                .into());
            }
        }
        let words = |k: &str| -> Result<Vec<String>, Box<rhai::EvalAltResult>> {
            match m.get(k) {
                None => Ok(Vec::new()),
                Some(v) if v.is_string() => Ok(vec![v.clone().into_string().unwrap_or_default()]),
                Some(v) => v
                    .clone()
                    .into_array()
                    .map_err(|_| format!("statements(): `{k}` 应为字符串或字符串数组"))?
                    .into_iter()
                    .map(|x| {
                        x.into_string()
                            .map_err(|_| format!("statements(): `{k}` 应为字符串数组").into())
                    })
                    .collect(),
            }
        };
        let mut units = words("units")?;
        if units.is_empty() {
            units = COUNT_UNITS.iter().map(|u| u.to_string()).collect();
        }
        let sections = match m.get("sections") {
            None => Vec::new(),
            Some(v) => v
                .clone()
                .into_array()
                .map_err(|_| "statements(): `sections` 应为整数数组".to_string())?
                .into_iter()
                .filter_map(|x| x.as_int().ok())
                .collect(),
        };
        let max_depth = match m.get("max_depth") {
            None => None,
            Some(v) => Some(
                v.as_int()
                    .map_err(|_| "statements(): `max_depth` 应为整数".to_string())?
                    .max(0) as usize,
            ),
        };
        let off_topic = m
            .get("off_topic")
            .map(|v| v.as_bool().unwrap_or(false))
            .unwrap_or(false);
        let period = match m.get("period") {
            None => "year".to_string(),
            Some(v) => {
                let p = v.clone().into_string().unwrap_or_default();
                if !["year", "years", "other", "any"].contains(&p.as_str()) {
                    return Err(
                        format!("statements(): `period` 应为 \"year\"、\"years\"、\"other\" 或 \"any\"，而不是 `{p}`").into(),
                    );
                }
                p
            }
        };
        Ok(StatementQuery {
            measure: words("measure")?,
            period,
            lead: words("lead")?,
            lead_not: words("lead_not")?,
            context: words("context")?,
            context_not: words("context_not")?,
            units,
            sections,
            max_depth,
            off_topic,
        })
    }

    fn matches(&self, n: &crate::model::NarrativeNumber) -> bool {
        let any = |hay: &str, words: &[String]| words.iter().any(|w| hay.contains(w.as_str()));
        let measure = |m: &String| {
            n.measure == *m
                || n.measure.starts_with(m.as_str()) && n.measure[m.len()..].starts_with('.')
        };
        (self.off_topic || !n.off_topic)
            && (self.period == "any" || self.period == n.period)
            && (self.measure.is_empty() || self.measure.iter().any(measure))
            && self.units.contains(&n.unit)
            && (self.sections.is_empty() || self.sections.contains(&n.section))
            && self.max_depth.is_none_or(|d| n.depth <= d)
            && (self.lead.is_empty() || any(&n.lead, &self.lead))
            && !any(&n.lead, &self.lead_not)
            && (self.context.is_empty() || any(&n.context, &self.context))
            && !any(&n.context, &self.context_not)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regex_cache_is_bounded() {
        for i in 0..(3 * super::super::limits::MAX_CACHED_REGEXES) {
            with_regex(&format!("a{{{i}}}"), |_| ()).unwrap();
            let n = REGEX_CACHE.with(|c| c.borrow().len());
            assert!(n <= super::super::limits::MAX_CACHED_REGEXES, "{n}");
        }
    }

    #[test]
    fn huge_and_long_patterns_are_refused() {
        // Compiles under the regex crate's default 10 MB limit, not under ours.
        let err = with_regex(r"\w{300}", |_| ()).unwrap_err();
        assert!(err.to_string().contains("过大"), "{err}");
        let long = "a".repeat(super::super::limits::MAX_PATTERN_BYTES + 1);
        assert!(with_regex(&long, |_| ())
            .unwrap_err()
            .to_string()
            .contains("过长"));
    }
}

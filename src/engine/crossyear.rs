//! Helpers for the cross-year rules, written in Rust because they are heavy:
//! `report.similar_passages(other, options)` finds the narrative this year's
//! report shares with another (last year's) after masking years and numbers.
//! Documented in `docs/writing-rules.md` ("Cross-year rules").

use super::api::ReportRef;
use crate::model::{Report, Span};
use crate::parse::normalize::{fold, similarity_chars};
use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, FLOAT, INT};
use std::collections::HashMap;

/// Default: a sentence counts as copied when its masked similarity is at least this.
pub const DEFAULT_THRESHOLD: f64 = 0.9;
/// Default: sentences shorter than this (masked, in characters) are ignored:
/// `现将有关情况报告如下。` is the same in every report.
pub const DEFAULT_MIN_CHARS: usize = 20;
/// How many candidates (by shared character pairs) get the exact comparison.
const CANDIDATES: usize = 4;
/// A character pair found in more of the other report's runs than this
/// (`政府`, `信息` in a huge report) does not pick candidates: counting it
/// for every sentence would make the search quadratic.
const MAX_POSTING: usize = 2_000;

/// A sentence of a report, masked for comparison.
struct Unit {
    span: Span,
    paragraph: usize,
    section: i64,
    masked: Vec<char>,
}

/// Fold widths and spaces, and turn every run of digits (with its decimal
/// point, thousands separators and a trailing `%`) into one `#`: `2023年`,
/// `60件`, `98.5%` become `#年`, `#件`, `#`.
pub fn mask(s: &str) -> Vec<char> {
    let folded = fold(s);
    let mut out = Vec::with_capacity(folded.len());
    let mut in_number = false;
    for c in folded.chars() {
        let digit = c.is_ascii_digit() || (in_number && matches!(c, '.' | ',' | '%'));
        if digit {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// The sentences compared: those of parts 一 to 六. The words before part 一
/// (a crawler's header, the title, the opening `根据《条例》…编制本报告`) are
/// the same every year and are left out, unless no part was recognised.
/// A sentence of numbers and punctuation only says nothing to copy.
fn sentences(report: &Report) -> Vec<Unit> {
    let mut out = Vec::new();
    let any_part = report.paragraphs.iter().any(|p| p.section >= 1);
    for (i, p) in report.paragraphs.iter().enumerate() {
        if any_part && p.section < 1 {
            continue;
        }
        for s in &p.sentences {
            let masked = mask(&s.text);
            let words = masked.iter().filter(|c| c.is_alphabetic()).count();
            if !masked.is_empty() && words * 2 >= masked.len() {
                out.push(Unit {
                    span: s.span,
                    paragraph: i,
                    section: p.section,
                    masked,
                });
            }
        }
    }
    out
}

fn bigrams(s: &[char]) -> Vec<(char, char)> {
    let mut v: Vec<(char, char)> = s.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// One passage this year's report shares with the other.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub span: Span,
    pub other_span: Span,
    /// Character-weighted mean similarity of its sentences (0–1).
    pub similarity: f64,
    /// Masked characters of this year's side.
    pub chars: usize,
    pub section: i64,
    pub sentences: usize,
}

/// What two reports share: the passages, and how much of this year's
/// narrative (masked characters of the sentences compared) they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub passages: Vec<Passage>,
    pub copied_chars: usize,
    pub total_chars: usize,
}

/// A run of consecutive sentences `first..=last` of one paragraph, as one
/// masked text.
#[derive(Clone, Copy)]
struct Run {
    first: usize,
    last: usize,
}

fn run_text(units: &[Unit], r: Run) -> Vec<char> {
    units[r.first..=r.last]
        .iter()
        .flat_map(|u| u.masked.iter().copied())
        .collect()
}

/// The other report's runs to compare with: every sentence of at least
/// `min_chars`, and every two consecutive sentences of a paragraph together
/// (so that a sentence written as two last year, `…培训。实行…`, or two
/// written as one, still match).
/// A run with its masked text and character pairs.
type IndexedRun = (Run, Vec<char>, Vec<(char, char)>);

struct Index {
    /// Runs with distinct texts (a repeated sentence is indexed once, at
    /// its first occurrence).
    runs: Vec<IndexedRun>,
    by_pair: HashMap<(char, char), Vec<usize>>,
    /// Per run, its pairs that pick candidates (posting list not over
    /// [`MAX_POSTING`]).
    picking: Vec<usize>,
}

impl Index {
    fn new(units: &[Unit], min_chars: usize) -> Index {
        let mut runs = Vec::new();
        let mut seen: std::collections::HashSet<Vec<char>> = std::collections::HashSet::new();
        for i in 0..units.len() {
            let mut push = |r: Run| {
                let text = run_text(units, r);
                if text.len() >= min_chars && seen.insert(text.clone()) {
                    let grams = bigrams(&text);
                    runs.push((r, text, grams));
                }
            };
            push(Run { first: i, last: i });
            if i + 1 < units.len() && units[i + 1].paragraph == units[i].paragraph {
                push(Run {
                    first: i,
                    last: i + 1,
                });
            }
        }
        let mut by_pair: HashMap<(char, char), Vec<usize>> = HashMap::new();
        for (k, (_, _, grams)) in runs.iter().enumerate() {
            for b in grams {
                by_pair.entry(*b).or_default().push(k);
            }
        }
        let picking = runs
            .iter()
            .map(|(_, _, grams)| {
                grams
                    .iter()
                    .filter(|b| by_pair[*b].len() <= MAX_POSTING)
                    .count()
            })
            .collect();
        Index {
            runs,
            by_pair,
            picking,
        }
    }

    /// The best run matching `text` with similarity ≥ `threshold`.
    fn best(&self, text: &[char], threshold: f64) -> Option<(Run, f64)> {
        let grams = bigrams(text);
        let mut count: HashMap<usize, usize> = HashMap::new();
        let mut picking = 0;
        for b in &grams {
            match self.by_pair.get(b) {
                Some(list) if list.len() <= MAX_POSTING => {
                    picking += 1;
                    for &k in list {
                        *count.entry(k).or_default() += 1;
                    }
                }
                Some(_) => {}
                None => picking += 1,
            }
        }
        let mut cands: Vec<(f64, usize)> = count
            .into_iter()
            .map(|(k, n)| {
                let dice = 2.0 * n as f64 / (picking + self.picking[k]).max(1) as f64;
                (dice, k)
            })
            // Dice on character pairs well below the threshold cannot reach it.
            .filter(|(d, _)| *d >= threshold * 0.6)
            .collect();
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut best: Option<(Run, f64)> = None;
        for &(_, k) in cands.iter().take(CANDIDATES) {
            let (run, other, _) = &self.runs[k];
            let sim = similarity_chars(text, other);
            if sim >= threshold && best.is_none_or(|(_, s)| sim > s) {
                best = Some((*run, sim));
            }
        }
        best
    }
}

/// Find the sentences of `report` whose masked text matches a sentence of
/// `other` (or two consecutive ones) with similarity ≥ `threshold` (longest
/// common subsequence over the longer length); sentences shorter than
/// `min_chars` only count together with their neighbour. Runs of matching
/// sentences of one paragraph whose matches follow each other in `other`
/// become one passage.
pub fn shared(report: &Report, other: &Report, threshold: f64, min_chars: usize) -> Shared {
    let mine = sentences(report);
    let theirs = sentences(other);
    let index = Index::new(&theirs, min_chars);
    let long = |u: &Unit| u.masked.len() >= min_chars;
    let total_chars = mine
        .iter()
        .filter(|u| long(u))
        .map(|u| u.masked.len())
        .sum();
    // Matches: (this report's run, the other's run, similarity).
    let mut matched = vec![false; mine.len()];
    let mut matches: Vec<(Run, Run, f64)> = Vec::new();
    // A repeated sentence is looked up once.
    let mut known: HashMap<Vec<char>, Option<(Run, f64)>> = HashMap::new();
    let mut best = |text: &[char]| {
        if let Some(found) = known.get(text) {
            return *found;
        }
        let found = index.best(text, threshold);
        known.insert(text.to_vec(), found);
        found
    };
    for (i, u) in mine.iter().enumerate() {
        if !long(u) {
            continue;
        }
        if let Some((r, sim)) = best(&u.masked) {
            matched[i] = true;
            matches.push((Run { first: i, last: i }, r, sim));
        }
    }
    // Two unmatched neighbours of a paragraph, together.
    for i in 0..mine.len().saturating_sub(1) {
        if matched[i] || matched[i + 1] || mine[i].paragraph != mine[i + 1].paragraph {
            continue;
        }
        let run = Run {
            first: i,
            last: i + 1,
        };
        let text = run_text(&mine, run);
        if text.len() < min_chars {
            continue;
        }
        if let Some((r, sim)) = best(&text) {
            matched[i] = true;
            matched[i + 1] = true;
            matches.push((run, r, sim));
        }
    }
    matches.sort_by_key(|(m, _, _)| m.first);
    let mut passages: Vec<Passage> = Vec::new();
    let mut last: Option<(Run, Run)> = None;
    for &(m, t, sim) in &matches {
        let span = mine[m.first].span.join(mine[m.last].span);
        let other_span = theirs[t.first].span.join(theirs[t.last].span);
        let n: usize = mine[m.first..=m.last]
            .iter()
            .filter(|u| long(u))
            .map(|u| u.masked.len())
            .sum();
        let sentences = m.last - m.first + 1;
        let joins = last.is_some_and(|(lm, lt)| {
            lm.last + 1 == m.first
                && mine[lm.last].paragraph == mine[m.first].paragraph
                && lt.last < t.first
                && t.first <= lt.last + 2
                && theirs[lt.last].paragraph == theirs[t.first].paragraph
        });
        match passages.last_mut() {
            Some(p) if joins => {
                let total = (p.chars + n).max(1) as f64;
                p.similarity = (p.similarity * p.chars as f64 + sim * n as f64) / total;
                p.chars += n;
                p.span = p.span.join(span);
                p.other_span = p.other_span.join(other_span);
                p.sentences += sentences;
            }
            _ => passages.push(Passage {
                span,
                other_span,
                similarity: sim,
                chars: n,
                section: mine[m.first].section,
                sentences,
            }),
        }
        last = Some((m, t));
    }
    let copied_chars = passages.iter().map(|p| p.chars).sum();
    Shared {
        passages,
        copied_chars,
        total_chars,
    }
}

fn options(opts: &Map) -> Result<(f64, usize), Box<EvalAltResult>> {
    let mut threshold = DEFAULT_THRESHOLD;
    let mut min_chars = DEFAULT_MIN_CHARS;
    for (k, v) in opts {
        match k.as_str() {
            "threshold" => {
                threshold = v
                    .as_float()
                    .or_else(|_| v.as_int().map(|i| i as FLOAT))
                    .map_err(|_| {
                        "similar_passages(): threshold 应为 0 到 1 之间的数".to_string()
                    })?;
                if !(0.0..=1.0).contains(&threshold) {
                    return Err("similar_passages(): threshold 应为 0 到 1 之间的数".into());
                }
            }
            "min_chars" => {
                min_chars = v
                    .as_int()
                    .map_err(|_| "similar_passages(): min_chars 应为整数".to_string())?
                    .max(2) as usize;
            }
            other => {
                return Err(format!(
                    "similar_passages(): 未知的选项 `{other}`（可用：threshold、min_chars）"
                )
                .into())
            }
        }
    }
    Ok((threshold, min_chars))
}

/// `s` as Rhai sees it; `other` is the report `other_span` points into.
fn to_map(s: Shared, other: &Report) -> Map {
    let mut m = Map::new();
    let passages: Array = s
        .passages
        .into_iter()
        .map(|p| {
            let mut pm = Map::new();
            pm.insert("span".into(), Dynamic::from(p.span));
            pm.insert(
                "other_span".into(),
                super::api::span_of(other, p.other_span),
            );
            pm.insert("similarity".into(), (p.similarity as FLOAT).into());
            pm.insert("chars".into(), (p.chars as INT).into());
            pm.insert("section".into(), (p.section as INT).into());
            pm.insert("sentences".into(), (p.sentences as INT).into());
            Dynamic::from_map(pm)
        })
        .collect();
    m.insert("passages".into(), passages.into());
    m.insert("copied_chars".into(), (s.copied_chars as INT).into());
    m.insert("total_chars".into(), (s.total_chars as INT).into());
    m
}

pub fn register(engine: &mut Engine) {
    engine.register_fn(
        "similar_passages",
        |r: &mut ReportRef, other: ReportRef, opts: Map| -> Result<Map, Box<EvalAltResult>> {
            let (threshold, min_chars) = options(&opts)?;
            Ok(to_map(
                shared(&r.0, &other.0, threshold, min_chars),
                &other.0,
            ))
        },
    );
    engine.register_fn(
        "similar_passages",
        |r: &mut ReportRef, other: ReportRef| -> Map {
            to_map(
                shared(&r.0, &other.0, DEFAULT_THRESHOLD, DEFAULT_MIN_CHARS),
                &other.0,
            )
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str) -> Report {
        crate::parse::parse(&crate::input::decode("x.txt", text.as_bytes()).unwrap())
    }

    const OPENING: &str =
        "本报告根据《中华人民共和国政府信息公开条例》要求编制，统计期限为全年。\n";

    #[test]
    fn finds_the_passages_shared_after_masking_numbers() {
        let last = report(&format!(
            "甲区人民政府2023年政府信息公开工作年度报告\n{OPENING}一、总体情况\n2023年，我区共主动公开政府信息1136条，持续完善公开目录和发布审核制度。全年组织政务公开业务培训3次，覆盖各部门工作人员。\n五、存在的主要问题及改进情况\n基层政务公开专区使用率不高，部分部门信息更新不够及时。下一步将推动专区进村入社区，建立信息发布超期提醒制度。\n"
        ));
        let this = report(&format!(
            "甲区人民政府2024年政府信息公开工作年度报告\n{OPENING}一、总体情况\n2024年，我区共主动公开政府信息2428条，持续完善公开目录和发布审核制度。今年新建了政策问答库，回应企业和群众关切的问题。\n五、存在的主要问题及改进情况\n基层政务公开专区使用率不高，部分部门信息更新不够及时。下一步将推动专区进村入社区，建立信息发布超期提醒制度。\n"
        ));
        let s = shared(&this, &last, DEFAULT_THRESHOLD, DEFAULT_MIN_CHARS);
        let texts: Vec<&str> = s.passages.iter().map(|p| this.slice(p.span)).collect();
        // The first sentence differs only in its numbers; the opening before
        // part 一 is not compared; part 五's two sentences make one passage.
        assert_eq!(s.passages.len(), 2, "{texts:?}");
        assert!(
            texts[0].starts_with("2024年，我区共主动公开政府信息2428条"),
            "{texts:?}"
        );
        assert_eq!(s.passages[1].section, 5);
        assert_eq!(s.passages[1].sentences, 2);
        assert!(last
            .slice(s.passages[1].other_span)
            .starts_with("基层政务公开专区"));
        assert!(s.copied_chars < s.total_chars);
        // A stricter threshold than the data allows finds nothing new; a
        // report never shares anything with an unrelated one.
        let other = report("乙镇2024年政府信息公开工作年度报告\n一、总体情况\n今年本镇围绕乡村振兴重点工作，公开惠农补贴发放和村务财务情况。\n");
        assert!(shared(&this, &other, DEFAULT_THRESHOLD, DEFAULT_MIN_CHARS)
            .passages
            .is_empty());
    }

    #[test]
    fn two_sentences_written_as_one_still_match() {
        let last = report("甲区2023年政府信息公开工作年度报告\n一、总体情况\n今年工作平稳。\n五、存在的主要问题及改进情况\n三是继续加强业务指导培训。实行政府信息公开工作人员跟班学习制度，不断提高思想认识和业务水平。\n");
        let this = report("甲区2024年政府信息公开工作年度报告\n一、总体情况\n今年新建政策问答库。\n五、存在的主要问题及改进情况\n三是继续加强业务指导培训，实行政府信息公开工作人员跟班学习制度，不断提高思想认识和业务水平。\n");
        let s = shared(&this, &last, DEFAULT_THRESHOLD, DEFAULT_MIN_CHARS);
        assert_eq!(s.passages.len(), 1);
        assert!(last
            .slice(s.passages[0].other_span)
            .starts_with("三是继续加强业务指导培训。实行"));
        // And the other way round: last year's one sentence, this year's two.
        let s = shared(&last, &this, DEFAULT_THRESHOLD, DEFAULT_MIN_CHARS);
        assert_eq!(s.passages.len(), 1);
        assert_eq!(s.passages[0].sentences, 2);
    }

    #[test]
    fn masks_years_and_numbers() {
        let m: String = mask("2023年共收到申请60件，同比增长 12.5%。")
            .iter()
            .collect();
        assert_eq!(m, "#年共收到申请#件,同比增长#。");
    }
}

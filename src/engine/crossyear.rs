//! Helpers for the cross-year rules, written in Rust because they are heavy:
//! `report.similar_passages(other, options)` finds the narrative this year's
//! report shares with another (last year's) after masking years and numbers.
//! Documented in `docs/writing-rules.md` ("Cross-year rules").

use super::api::ReportRef;
use crate::model::{Report, Span};
use crate::parse::normalize::{fold, lcs_len};
use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, FLOAT, INT};
use std::collections::HashMap;

/// Default: a sentence counts as copied when its masked similarity is at least this.
pub const DEFAULT_THRESHOLD: f64 = 0.9;
/// Default: sentences shorter than this (masked, in characters) are ignored:
/// `现将有关情况报告如下。` is the same in every report.
pub const DEFAULT_MIN_CHARS: usize = 20;
/// How many candidates (by shared character pairs) get the exact comparison.
const CANDIDATES: usize = 4;

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
fn units(report: &Report, min_chars: usize) -> Vec<Unit> {
    let mut out = Vec::new();
    let any_part = report.paragraphs.iter().any(|p| p.section >= 1);
    for (i, p) in report.paragraphs.iter().enumerate() {
        if any_part && p.section < 1 {
            continue;
        }
        for s in &p.sentences {
            let masked = mask(&s.text);
            // A sentence of numbers and punctuation only says nothing to copy.
            let words = masked.iter().filter(|c| c.is_alphabetic()).count();
            if masked.len() >= min_chars && words * 2 >= masked.len() {
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

/// Find the sentences of `report` whose masked text matches a sentence of
/// `other` with similarity ≥ `threshold` (longest common subsequence over the
/// longer length), and merge runs of them into passages: consecutive
/// sentences of one paragraph whose matches follow each other in `other`.
pub fn shared(report: &Report, other: &Report, threshold: f64, min_chars: usize) -> Shared {
    let mine = units(report, min_chars);
    let theirs = units(other, min_chars);
    // Inverted index of the other report's character pairs.
    let mut index: HashMap<(char, char), Vec<usize>> = HashMap::new();
    let their_grams: Vec<Vec<(char, char)>> = theirs.iter().map(|u| bigrams(&u.masked)).collect();
    for (i, g) in their_grams.iter().enumerate() {
        for b in g {
            index.entry(*b).or_default().push(i);
        }
    }
    let total_chars = mine.iter().map(|u| u.masked.len()).sum();
    // Per sentence of this report: (its index, the matched sentence, similarity).
    let mut matches: Vec<(usize, usize, f64)> = Vec::new();
    for (i, u) in mine.iter().enumerate() {
        let grams = bigrams(&u.masked);
        let mut shared_count: HashMap<usize, usize> = HashMap::new();
        for b in &grams {
            if let Some(list) = index.get(b) {
                for &j in list {
                    *shared_count.entry(j).or_default() += 1;
                }
            }
        }
        let mut cands: Vec<(f64, usize)> = shared_count
            .into_iter()
            .map(|(j, n)| {
                let dice = 2.0 * n as f64 / (grams.len() + their_grams[j].len()).max(1) as f64;
                (dice, j)
            })
            // Dice on character pairs well below the threshold cannot reach it.
            .filter(|(d, _)| *d >= threshold * 0.6)
            .collect();
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut best: Option<(usize, f64)> = None;
        for &(_, j) in cands.iter().take(CANDIDATES) {
            let t = &theirs[j];
            let a: String = u.masked.iter().collect();
            let b: String = t.masked.iter().collect();
            let sim = lcs_len(&a, &b) as f64 / u.masked.len().max(t.masked.len()) as f64;
            if sim >= threshold && best.is_none_or(|(_, s)| sim > s) {
                best = Some((j, sim));
            }
        }
        if let Some((j, sim)) = best {
            matches.push((i, j, sim));
        }
    }
    let mut passages: Vec<Passage> = Vec::new();
    let mut last: Option<(usize, usize)> = None;
    for &(i, j, sim) in &matches {
        let (u, t) = (&mine[i], &theirs[j]);
        let n = u.masked.len();
        let joins = last.is_some_and(|(li, lj)| {
            li + 1 == i
                && mine[li].paragraph == u.paragraph
                && lj < j
                && j <= lj + 2
                && theirs[lj].paragraph == t.paragraph
        });
        match passages.last_mut() {
            Some(p) if joins => {
                p.similarity =
                    (p.similarity * p.chars as f64 + sim * n as f64) / (p.chars + n) as f64;
                p.chars += n;
                p.span = p.span.join(u.span);
                p.other_span = p.other_span.join(t.span);
                p.sentences += 1;
            }
            _ => passages.push(Passage {
                span: u.span,
                other_span: t.span,
                similarity: sim,
                chars: n,
                section: u.section,
                sentences: 1,
            }),
        }
        last = Some((i, j));
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

fn to_map(s: Shared) -> Map {
    let mut m = Map::new();
    let passages: Array = s
        .passages
        .into_iter()
        .map(|p| {
            let mut pm = Map::new();
            pm.insert("span".into(), Dynamic::from(p.span));
            pm.insert("other_span".into(), Dynamic::from(p.other_span));
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
            Ok(to_map(shared(&r.0, &other.0, threshold, min_chars)))
        },
    );
    engine.register_fn(
        "similar_passages",
        |r: &mut ReportRef, other: ReportRef| -> Map {
            to_map(shared(&r.0, &other.0, DEFAULT_THRESHOLD, DEFAULT_MIN_CHARS))
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
    fn masks_years_and_numbers() {
        let m: String = mask("2023年共收到申请60件，同比增长 12.5%。")
            .iter()
            .collect();
        assert_eq!(m, "#年共收到申请#件,同比增长#。");
    }
}

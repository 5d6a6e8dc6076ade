//! Headings, the six parts, sub-headings, paragraphs and sentences.

use super::lexer::{LexLine, LineKind};
use super::normalize::fold;
use crate::model::schema;
use crate::model::{Heading, Paragraph, Section, Sentence, Span, Table};

/// Heading lines are recognised by the model's format knowledge, which the
/// readers use too (`crate::model::heading`).
pub use crate::model::heading::{markdown_body, parse_heading, top_level_part};

/// Words that loosely name a part, for a heading retitled by its organ
/// (`五、存在的主要问题及明年工作计划`, `五、当前存在的突出问题`,
/// `七、其他需说明事项`). Only used where the heading's place in the report
/// agrees (`assign_parts`).
pub fn loose_part(title: &str) -> Option<i64> {
    let t = fold(title);
    if t.chars().count() > 24 {
        return None;
    }
    schema::section_for_title(&t).or_else(|| {
        if t.starts_with("其他") && (t.contains("事项") || t.contains("说明") || t.contains("报告"))
        {
            Some(6)
        } else if [
            "问题",
            "不足",
            "改进",
            "整改",
            "下一步",
            "工作计划",
            "工作打算",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            Some(5)
        } else {
            None
        }
    })
}

/// A heading line that may be a part's heading: a numbered heading outside the
/// tables (`whole_line`: nothing follows it on its line).
pub struct Candidate {
    pub heading: Heading,
    pub whole_line: bool,
}

/// Which candidates are the six parts' headings, in document order.
///
/// 1. The canonical words (`top_level_part`), numbered as written or not.
/// 2. A retitled heading whose words loosely name a part (`loose_part`),
///    numbered `一、`…`十、` within one of the part, where that part has no
///    heading yet and the place agrees: every part recognised before it (by a
///    heading or by its table: 表二 is part 二, 表三 part 三, 表四 part 四)
///    comes earlier in the format, every one after it later.
/// 3. A heading numbered exactly as a part still without heading
///    (`一、年度工作核心成效`), standing on its own line at a place that agrees;
///    part 一 only as the report's first numbered heading.
///
/// A part that exists under another name is thus never missing: its heading
/// gets a heading-text (and numbering) warning instead.
pub fn assign_parts(candidates: Vec<Candidate>, tables: &[Table]) -> Vec<(i64, Heading)> {
    let mut parts: Vec<Option<i64>> = candidates
        .iter()
        .map(|c| top_level_part(&c.heading, c.whole_line))
        .collect();
    // Parts anchored by position: (offset, part) of the assigned headings and tables.
    let table_parts: Vec<(usize, i64)> = tables
        .iter()
        .map(|t| {
            let n = match t.kind.as_str() {
                "t2" => 2,
                "t3" => 3,
                _ => 4,
            };
            (t.span.start, n)
        })
        .collect();
    let fits = |parts: &[Option<i64>], i: usize, n: i64| -> bool {
        if parts.contains(&Some(n)) {
            return false;
        }
        let at = candidates[i].heading.span.start;
        let anchors = parts
            .iter()
            .enumerate()
            .filter_map(|(j, p)| p.map(|p| (candidates[j].heading.span.start, p)))
            .chain(table_parts.iter().copied());
        let mut ok = true;
        for (pos, p) in anchors {
            if (pos < at && p >= n) || (pos > at && p <= n) {
                ok = false;
            }
        }
        ok
    };
    // Only in a report: some part recognised by its words or its table.
    if parts.iter().all(Option::is_none) && table_parts.is_empty() {
        return Vec::new();
    }
    let chinese =
        |c: &Candidate| c.heading.style == "chinese" && c.heading.title.chars().count() <= 24;
    for i in 0..candidates.len() {
        let c = &candidates[i];
        if parts[i].is_some() || !chinese(c) {
            continue;
        }
        if let Some(n) = loose_part(&c.heading.title) {
            if (c.heading.number - n).abs() <= 1 && fits(&parts, i, n) {
                parts[i] = Some(n);
            }
        }
    }
    for n in 1..=6 {
        if parts.contains(&Some(n)) {
            continue;
        }
        let found = (0..candidates.len()).find(|&i| {
            let c = &candidates[i];
            parts[i].is_none()
                && chinese(c)
                && c.whole_line
                && c.heading.number == n
                && (n != 1 || !candidates[..i].iter().any(chinese))
                && fits(&parts, i, n)
                // Not the first of a run of sub-headings (`一、加强组织领导`,
                // `二、…`): the next numbered heading is another part's.
                && candidates[i + 1..]
                    .iter()
                    .position(chinese)
                    .is_none_or(|k| parts[i + 1 + k].is_some())
        });
        if let Some(i) = found {
            parts[i] = Some(n);
        }
    }
    candidates
        .into_iter()
        .zip(parts)
        .filter_map(|(c, p)| p.map(|p| (p, c.heading)))
        .collect()
}

/// The line of part 一's heading, where the report's head (title, metadata)
/// ends: the canonical words, or else the first heading numbered `一、` whose
/// words name no other part (`一、年度工作核心成效`).
pub fn first_part_line(src: &str, lines: &[LexLine]) -> Option<usize> {
    let headings = || {
        lines
            .iter()
            .filter(|l| l.kind == LineKind::Text)
            .filter_map(|l| {
                let h = parse_heading(l.text(src), l.span.start)?;
                Some((l.index, h))
            })
    };
    headings()
        .find(|(_, h)| top_level_part(h, true) == Some(1))
        .or_else(|| {
            headings().find(|(_, h)| {
                h.style == "chinese"
                    && h.number == 1
                    && h.standalone
                    && h.title.chars().count() <= 24
                    && loose_part(&h.title).is_none_or(|p| p == 1)
            })
        })
        .map(|(i, _)| i)
}

/// Build the parts from the top-level headings and the tables that imply parts
/// 二, 三 and 四 when their heading is missing. `headings` are in document order.
pub fn build_sections(
    headings: Vec<(i64, Heading)>,
    tables: &[Table],
    implicit: Option<(i64, Span)>,
    text_len: usize,
) -> Vec<Section> {
    let mut sections: Vec<Section> = headings
        .into_iter()
        .map(|(n, h)| Section {
            number: n,
            canonical: schema::canonical_heading(n),
            span: h.span,
            heading: Some(h),
            subsections: Vec::new(),
            tables: Vec::new(),
        })
        .collect();
    for t in tables {
        let n = match t.kind.as_str() {
            "t2" => 2,
            "t3" => 3,
            _ => 4,
        };
        if !sections.iter().any(|s| s.number == n) {
            sections.push(Section {
                number: n,
                canonical: schema::canonical_heading(n),
                heading: None,
                span: t.span,
                subsections: Vec::new(),
                tables: Vec::new(),
            });
        }
    }
    if let Some((n, span)) = implicit {
        sections.push(Section {
            number: n,
            canonical: schema::canonical_heading(n),
            heading: None,
            span,
            subsections: Vec::new(),
            tables: Vec::new(),
        });
    }
    sections.sort_by_key(|s| s.span.start);
    let starts: Vec<usize> = sections.iter().map(|s| s.span.start).collect();
    for (i, s) in sections.iter_mut().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text_len);
        s.span = Span::new(s.span.start, end.max(s.span.end));
        s.tables = tables
            .iter()
            .filter(|t| t.span.start >= s.span.start && t.span.start < s.span.end)
            .map(|t| t.kind.clone())
            .collect();
    }
    sections
}

/// Split a paragraph into sentences at `。！？`.
pub fn sentences(text: &str, base: usize) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '!' | '?') {
            let end = i + c.len_utf8();
            push_sentence(&mut out, text, base, start, end);
            start = end;
        }
    }
    push_sentence(&mut out, text, base, start, text.len());
    out
}

fn push_sentence(out: &mut Vec<Sentence>, text: &str, base: usize, start: usize, end: usize) {
    let s = &text[start..end];
    let t = s.trim();
    if t.is_empty() {
        return;
    }
    let off = start + (s.len() - s.trim_start().len());
    out.push(Sentence {
        text: t.to_string(),
        span: Span::new(base + off, base + off + t.len()),
    });
}

/// Attach sub-headings (`（一）…`) found at the start of paragraphs to their part.
pub fn attach_subsections(sections: &mut [Section], paragraphs: &[Paragraph]) {
    for p in paragraphs {
        if let Some(h) = parse_heading(&p.text, p.span.start) {
            if h.style.ends_with("_paren") {
                let i = sections.partition_point(|s| s.span.start <= p.span.start);
                if let Some(s) = i.checked_sub(1).map(|i| &mut sections[i]) {
                    if p.span.start < s.span.end {
                        s.subsections.push(h);
                    }
                }
            }
        }
    }
}

/// The last section starting at or before `offset` (sections are sorted by
/// start), by binary search: a report of many parts stays linear.
pub fn containing(sections: &[Section], offset: usize) -> Option<&Section> {
    let i = sections.partition_point(|s| s.span.start <= offset);
    i.checked_sub(1).map(|i| &sections[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        let h = parse_heading("3、 收到和处理政府信息公开申请情况", 0).unwrap();
        assert_eq!(
            (h.number, h.style.as_str(), h.numbering.as_str()),
            (3, "arabic", "3、")
        );
        assert_eq!(h.whitespace.len(), 1);
        assert_eq!(top_level_part(&h, true), Some(3));
        let h = parse_heading("（1） 组织推动政府信息公开工作。我街…", 0).unwrap();
        assert_eq!(
            (h.number, h.style.as_str(), h.title.as_str()),
            (1, "arabic_paren", "组织推动政府信息公开工作")
        );
        let h = parse_heading("三、主动公开工作情况", 0).unwrap();
        assert_eq!(
            top_level_part(&h, true),
            None,
            "numbered 三 but loosely about part 二"
        );
        let h = parse_heading("一、主动公开政府信息情况", 0).unwrap();
        assert_eq!(
            top_level_part(&h, true),
            Some(2),
            "the canonical words, misnumbered"
        );
        let h = parse_heading("(一)主动公开政府信息情况。2023年", 0).unwrap();
        assert_eq!(top_level_part(&h, false), None);
        // 119.txt: the 2019 format's own heading for part 四 says 申请 and 公开.
        let h = parse_heading("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 0).unwrap();
        assert_eq!(top_level_part(&h, true), Some(4));
        assert!(parse_heading("2024年,我街", 0).is_none());
        assert!(parse_heading("一是加强组织领导", 0).is_none());
    }

    fn parts_of(titles: &[&str]) -> Vec<(i64, String)> {
        let candidates = titles
            .iter()
            .enumerate()
            .map(|(i, t)| Candidate {
                heading: parse_heading(t, i * 100).unwrap(),
                whole_line: true,
            })
            .collect();
        assign_parts(candidates, &[])
            .into_iter()
            .map(|(n, h)| (n, h.text))
            .collect()
    }

    #[test]
    fn retitled_and_misnumbered_parts_are_parts() {
        // Corpus 129: part 一 retitled, part 五 in two headings, part 六 as 七.
        let got = parts_of(&[
            "一、年度工作核心成效",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、当前存在的突出问题",
            "六、下一步改进举措",
            "七、其他需说明事项",
        ]);
        let numbers: Vec<i64> = got.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6], "{got:?}");
        assert_eq!(got[5].1, "七、其他需说明事项");
        // Corpus 115: part 五 with its plans instead of its improvements.
        let got = parts_of(&[
            "一、总体情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及明年工作计划",
            "六、其他需要报告的事项",
        ]);
        assert_eq!(got[2], (5, "五、存在的主要问题及明年工作计划".into()));
        // Word's list numbering: Arabic numerals, a space after them.
        let got = parts_of(&["1、总体情况", "4、 政府信息公开行政复议、行政诉讼情况"]);
        assert_eq!(got.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 4]);
    }

    #[test]
    fn sub_headings_and_truly_missing_parts_stay_so() {
        // Part 一 without its heading, sub-headings numbered 一、二、: no part 一.
        let got = parts_of(&[
            "一、加强组织领导",
            "二、规范依申请公开",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
        ]);
        assert_eq!(got.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 3]);
        // A sub-heading about applications inside part 一 is not part 三.
        let got = parts_of(&[
            "一、总体情况",
            "三、依申请公开工作",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
        ]);
        assert_eq!(got.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 2, 3]);
        // Corpus 118: the report ends with part 五; nothing after it is part 六.
        let got = parts_of(&[
            "一、总体情况",
            "五、存在的主要问题及改进情况",
            "一、存在问题",
            "二、改进措施",
        ]);
        assert_eq!(got.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 5]);
        // A part's words numbered far from it are a sub-heading, not the part.
        let got = parts_of(&[
            "一、总体情况",
            "二、主动公开政府信息情况",
            "八、其他事项说明",
        ]);
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn first_part_line_finds_a_retitled_part_one() {
        let src = "某局2025年政府信息公开工作年度报告\n一、本年新收政府信息公开申请数量\n一、年度工作核心成效\n";
        let lines = crate::parse::lexer::lex(src);
        assert_eq!(first_part_line(src, &lines), Some(2));
    }
}

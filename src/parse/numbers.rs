//! Numbers in the narrative, as intervals (XBRL calculation-consistency style):
//! `11000余条` is (11000, 12000), `789.3万` is [7892500, 7893500), `逾280人次`
//! is (280, ∞), a plain `60件` is exactly 60.

use crate::model::{NarrativeNumber, Span};
use regex::Regex;
use std::sync::OnceLock;

fn number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<pre>约|近|逾|超过|不足|不到)?",
            r"(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9０-９]+)(?:[.．][0-9０-９]+)?)",
            r"\s*(?P<scale>万|亿)?",
            r"(?P<approx>余|多)?",
            r"(?P<unit>人次|万元|亿元|元|件|项|条|篇|次|个百分点|个|起|宗|期|人|家|份|%|％|场|批)?",
            r"(?P<post>以上|左右)?",
        ))
        .expect("valid regex")
    })
}

/// Extract the numbers of one paragraph. `base` is the paragraph's byte offset.
pub fn extract(text: &str, base: usize, paragraph: usize) -> Vec<NarrativeNumber> {
    let mut out = Vec::new();
    for caps in number_re().captures_iter(text) {
        let m = caps.get(0).expect("match");
        let num = caps.name("num").expect("num");
        // Not a quantity: part of a date, a phone number, an address or an identifier.
        let before = text[..num.start()].chars().next_back();
        let after = text[num.end()..].chars().next();
        if before.is_some_and(|c| {
            c.is_ascii_digit() || "-/—_#:：.．A-Za-z".contains(c) || c.is_ascii_alphabetic()
        }) {
            continue;
        }
        let mut scale = caps.name("scale").map(|s| s.as_str());
        let mut unit = caps.name("unit").map(|s| s.as_str()).unwrap_or("");
        if scale == Some("万") && unit == "元" {
            // `5万元`: an amount in 万元, the unit of table 2's fee cell.
            scale = None;
            unit = "万元";
        }
        if scale.is_none() && unit.is_empty() {
            if after.is_some_and(|c| "年月日号时分秒-/:：—_".contains(c) || c.is_ascii_alphabetic())
            {
                continue;
            }
            let after_ws = text[num.end()..].trim_start().chars().next();
            if after_ws.is_some_and(|c| "年月日".contains(c)) {
                continue;
            }
        }
        let digits: String = num
            .as_str()
            .chars()
            .map(super::normalize::fold_digit)
            .filter(|c| *c != ',')
            .collect();
        let Ok(value) = digits.parse::<f64>() else {
            continue;
        };
        let mut qualifiers = Vec::new();
        let pre = caps.name("pre").map(|s| s.as_str());
        let approx = caps.name("approx").map(|s| s.as_str());
        let post = caps.name("post").map(|s| s.as_str());
        for q in [pre, scale, approx, post].into_iter().flatten() {
            qualifiers.push(q.to_string());
        }
        let factor = match scale {
            Some("万") => 1e4,
            Some("亿") => 1e8,
            _ => 1.0,
        };
        let decimals = digits
            .split_once('.')
            .map(|(_, d)| d.len() as i32)
            .unwrap_or(0);
        // The value's last shown digit sets the rounding step.
        let step = if decimals > 0 {
            10f64.powi(-decimals)
        } else {
            let tz = digits.chars().rev().take_while(|c| *c == '0').count();
            if digits.chars().all(|c| c == '0') {
                1.0
            } else {
                10f64.powi(tz as i32)
            }
        };
        let v = value * factor;
        let (mut low, mut high, mut lo_inc, mut hi_inc) = (v, v, true, true);
        if decimals > 0 || scale.is_some() {
            // Rounded at the last shown digit.
            let half = if decimals > 0 {
                0.5 * step * factor
            } else {
                0.5 * factor
            };
            low = v - half;
            high = v + half;
            hi_inc = false;
        }
        if approx.is_some() {
            low = v;
            high = v + step * factor;
            lo_inc = false;
            hi_inc = false;
        }
        match pre.or(post) {
            Some("逾") | Some("超过") | Some("以上") => {
                low = v;
                high = f64::INFINITY;
                lo_inc = post == Some("以上");
                hi_inc = false;
            }
            Some("约") | Some("左右") => {
                low = v * 0.9;
                high = v * 1.1;
                lo_inc = true;
                hi_inc = true;
            }
            Some("近") => {
                low = v * 0.9;
                high = v;
                lo_inc = true;
                hi_inc = false;
            }
            Some("不足") | Some("不到") => {
                low = 0.0;
                high = v;
                lo_inc = true;
                hi_inc = false;
            }
            _ => {}
        }
        let depth = paren_depth(&text[..m.start()]);
        out.push(NarrativeNumber {
            depth,
            text: m.as_str().to_string(),
            span: Span::new(base + m.start(), base + m.end()),
            value: v,
            low,
            high,
            low_inclusive: lo_inc,
            high_inclusive: hi_inc,
            unit: unit.replace('％', "%"),
            qualifiers,
            paragraph,
            numeral: false,
            section: 0,
            sentence: Span::default(),
            clause: Span::default(),
            lead: String::new(),
            statement: Span::default(),
            tail: String::new(),
            context: String::new(),
            off_topic: false,
            measure: String::new(),
            period: String::new(),
        });
    }
    out.extend(chinese_quantities(text, base, paragraph));
    out.sort_by_key(|n| n.span.start);
    annotate(text, base, &mut out);
    out
}

fn chinese_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<pre>约|近|逾|超过|不足|不到)?",
            r"(?P<num>[零〇一二两三四五六七八九十百千]+)",
            r"(?P<approx>余|多)?",
            r"(?P<unit>人次|件|项|条|篇|次|个|起|宗|期|家|份|场|批)",
        ))
        .expect("valid regex")
    })
}

/// Quantities written in Chinese numerals with a counter (`两件`, `十一项`,
/// `三十余条`), but not enumerations or set phrases (`一是`, `第二次`,
/// `三审三校`, `一件事`, `一次性`, `两个维护`).
fn chinese_quantities(text: &str, base: usize, paragraph: usize) -> Vec<NarrativeNumber> {
    let mut out = Vec::new();
    for caps in chinese_re().captures_iter(text) {
        let m = caps.get(0).expect("match");
        let num = caps.name("num").expect("num").as_str();
        let unit = caps.name("unit").expect("unit").as_str();
        let before = text[..m.start()].chars().next_back();
        let rest = &text[m.end()..];
        // An ordinal, a distributive or part of a longer word: 第二次, 每一件, 统一, 唯一.
        if before.is_some_and(|c| "第每逐其之某唯统万千百十零〇一二两三四五六七八九".contains(c))
        {
            continue;
        }
        const SET_PHRASES: [&str; 12] = [
            "事", "性", "龙", "站", "窗", "网", "维护", "确保", "代表", "务必", "坚持", "一",
        ];
        if SET_PHRASES.iter().any(|p| rest.starts_with(p)) {
            continue;
        }
        let Some(value) = chinese_number(num) else {
            continue;
        };
        // `一个`, `一次`, `一条` are idioms far more often than counts.
        if value == 1 && !matches!(unit, "件" | "项" | "起" | "宗" | "篇" | "期") {
            continue;
        }
        let v = value as f64;
        let pre = caps.name("pre").map(|s| s.as_str());
        let approx = caps.name("approx").map(|s| s.as_str());
        let (mut low, mut high, mut lo_inc, mut hi_inc) = (v, v, true, true);
        let mut qualifiers = Vec::new();
        if let Some(a) = approx {
            qualifiers.push(a.to_string());
            let tz = value
                .to_string()
                .chars()
                .rev()
                .take_while(|c| *c == '0')
                .count();
            low = v;
            high = v + 10f64.powi(tz as i32);
            lo_inc = false;
            hi_inc = false;
        }
        if let Some(p) = pre {
            qualifiers.insert(0, p.to_string());
            match p {
                "逾" | "超过" => (low, high, lo_inc, hi_inc) = (v, f64::INFINITY, false, false),
                "约" => (low, high) = (v * 0.9, v * 1.1),
                "近" => (low, high, hi_inc) = (v * 0.9, v, false),
                _ => (low, high, hi_inc) = (0.0, v, false),
            }
        }
        let depth = paren_depth(&text[..m.start()]);
        out.push(NarrativeNumber {
            text: m.as_str().to_string(),
            span: Span::new(base + m.start(), base + m.end()),
            value: v,
            low,
            high,
            low_inclusive: lo_inc,
            high_inclusive: hi_inc,
            unit: unit.to_string(),
            qualifiers,
            paragraph,
            depth,
            numeral: true,
            section: 0,
            sentence: Span::default(),
            clause: Span::default(),
            lead: String::new(),
            statement: Span::default(),
            tail: String::new(),
            context: String::new(),
            off_topic: false,
            measure: String::new(),
            period: String::new(),
        });
    }
    out
}

/// The value of a Chinese numeral up to the thousands: `十一` → 11,
/// `两百零五` → 205, `三十` → 30. `None` for malformed numerals.
pub fn chinese_number(s: &str) -> Option<i64> {
    let digit = |c: char| {
        "零〇一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as i64 - 1)
            .map(|d| d.max(0))
    };
    let mut total = 0i64;
    let mut current: Option<i64> = None;
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '两' => {
                current = Some(2);
                continue;
            }
            _ => {
                let d = digit(c)?;
                if current.is_some() && d != 0 {
                    return None; // `一二` is a list, not a number
                }
                current = if d == 0 { None } else { Some(d) };
                continue;
            }
        };
        total += current.unwrap_or(1) * unit;
        current = None;
    }
    total += current.unwrap_or(0);
    (total > 0).then_some(total)
}

fn paren_depth(text: &str) -> usize {
    text.chars().fold(0i64, |d, c| match c {
        '(' | '（' => d + 1,
        ')' | '）' => (d - 1).max(0),
        _ => d,
    }) as usize
}

/// Clause boundaries within a sentence.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '；' | ';' | '：' | ':' | '。' | '！' | '？' | '(' | '（' | ')' | '）'
    )
}

fn is_sentence_break(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// Words that put a clause outside 依申请公开 (spec §10.4).
pub const OFF_TOPIC: [&str; 7] = ["留言", "咨询", "热线", "投诉", "举报", "信访", "12345"];

/// Fill in each number's sentence, clause, lead, context and off-topic flag.
/// `numbers` are in text order and all come from `text` (at `base`).
fn annotate(text: &str, base: usize, numbers: &mut [NarrativeNumber]) {
    let mut prev_end: Option<usize> = None; // end of the previous number, paragraph-relative
    for n in numbers.iter_mut() {
        let at = n.span.start - base;
        let end = n.span.end - base;
        let sentence_start = text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| is_sentence_break(c))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let sentence_end = text[end..]
            .char_indices()
            .find(|&(_, c)| is_sentence_break(c))
            .map(|(i, c)| end + i + c.len_utf8())
            .unwrap_or(text.len());
        let clause_start = text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| is_clause_break(c))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0)
            .max(sentence_start);
        let clause_end = text[end..]
            .char_indices()
            .find(|&(_, c)| is_clause_break(c))
            .map(|(i, _)| end + i)
            .unwrap_or(text.len());
        // A list runs on: the lead starts after the previous number of the clause.
        let lead_start = match prev_end {
            Some(p) if p > clause_start && p <= at => p,
            _ => clause_start,
        };
        let lead = text[lead_start..at]
            .trim()
            .trim_start_matches(['、', '和', '及', '与', '或', ' '])
            .trim();
        // `lead` is a slice of `text`: its offset is where the statement starts.
        let lead_at = if lead.is_empty() {
            at
        } else {
            lead.as_ptr() as usize - text.as_ptr() as usize
        };
        let clause = &text[clause_start..clause_end];
        n.sentence = Span::new(base + sentence_start, base + sentence_end);
        n.clause = Span::new(base + clause_start, base + clause_end);
        n.lead = lead.to_string();
        n.statement = Span::new(base + lead_at, n.span.end);
        n.tail = text[end..clause_end].to_string();
        n.context = text[sentence_start..at].trim_start().to_string();
        n.off_topic = OFF_TOPIC.iter().any(|w| clause.contains(w));
        prev_end = Some(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> NarrativeNumber {
        let v = extract(s, 0, 0);
        assert_eq!(v.len(), 1, "{s}: {v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn intervals() {
        let n = one("信息11000余条");
        assert_eq!((n.low, n.high, n.unit.as_str()), (11000.0, 12000.0, "条"));
        let n = one("阅读量789.3万人(次)");
        assert!((n.low - 7_892_500.0).abs() < 1e-6 && (n.high - 7_893_500.0).abs() < 1e-6);
        let n = one("培训逾280人次");
        assert!(n.high.is_infinite() && n.low == 280.0 && !n.low_inclusive);
        let n = one("共收到申请60件");
        assert_eq!((n.low, n.high), (60.0, 60.0));
        let n = one("收费5万元");
        assert_eq!((n.value, n.unit.as_str()), (5.0, "万元"));
        let n = one("共1,200件");
        assert_eq!((n.value, n.unit.as_str()), (1200.0, "件"));
        let n = one("较上年度上升261%");
        assert_eq!((n.value, n.unit.as_str()), (261.0, "%"));
    }

    #[test]
    fn chinese_numeral_quantities() {
        let n = one("共收到申请两件");
        assert_eq!((n.value, n.unit.as_str(), n.numeral), (2.0, "件", true));
        assert_eq!(one("办理十一项").value, 11.0);
        let n = one("发布三十余条");
        assert_eq!((n.low, n.high), (30.0, 40.0));
        assert_eq!(chinese_number("两百零五"), Some(205));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("一二"), None);
        for s in [
            "一是加强组织领导",
            "落实三审三校制度",
            "第二次会议",
            "高效办成一件事",
            "一次性告知",
            "做到两个维护",
            "建设一个平台",
            "每一件申请",
            "统一发布",
        ] {
            assert!(extract(s, 0, 0).is_empty(), "{s}: {:?}", extract(s, 0, 0));
        }
    }

    #[test]
    fn leads_clauses_and_off_topic() {
        let v = extract("共收到各类政府信息公开申请60件，较上年度上升261%。", 0, 0);
        assert_eq!(v[0].lead, "共收到各类政府信息公开申请");
        assert_eq!(
            v[0].statement,
            Span::new(0, "共收到各类政府信息公开申请60件".len())
        );
        let v2 = extract("实现了100%的办结率。", 0, 0);
        assert_eq!(v2[0].tail, "的办结率");
        assert_eq!(v[1].lead, "较上年度上升");
        assert!(v[1].context.starts_with("共收到"));
        let v = extract(
            "答复信息公开申请64件(含上年结转4件)，其中予以公开38件、部分公开5件。",
            0,
            0,
        );
        let leads: Vec<&str> = v.iter().map(|n| n.lead.as_str()).collect();
        assert_eq!(
            leads,
            ["答复信息公开申请", "含上年结转", "其中予以公开", "部分公开"]
        );
        assert_eq!(v[1].depth, 1);
        let v = extract("受理群众留言咨询120件，收到政府信息公开申请5件。", 0, 0);
        assert!(v[0].off_topic && !v[1].off_topic);
    }

    #[test]
    fn dates_and_phones_are_not_quantities() {
        assert!(extract("2024年1月17日", 0, 0).is_empty());
        assert!(extract("电话:023-61471099", 0, 0).is_empty());
    }
}

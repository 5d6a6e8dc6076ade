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
        let depth = text[..m.start()].chars().fold(0i64, |d, c| match c {
            '(' | '（' => d + 1,
            ')' | '）' => (d - 1).max(0),
            _ => d,
        }) as usize;
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
        });
    }
    out
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
    fn dates_and_phones_are_not_quantities() {
        assert!(extract("2024年1月17日", 0, 0).is_empty());
        assert!(extract("电话:023-61471099", 0, 0).is_empty());
    }
}

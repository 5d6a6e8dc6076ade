//! Title, organ, year, CMS metadata fields, publication date and statistics period.

use super::lexer::{LexLine, LineKind};
use crate::model::{Date, DateMention, MetaField, Metadata, Period, Span, Spanned};
use regex::Regex;
use std::sync::OnceLock;

const META_KEYS: [&str; 15] = [
    "标题",
    "发布时间",
    "栏目",
    "索引号",
    "文号",
    "发布机构",
    "生成日期",
    "发布日期",
    "成文日期",
    "信息名称",
    "主题分类",
    "公开方式",
    "公开范围",
    "所属机构",
    "发文机关",
];

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-./](\d{1,2})[-./](\d{1,2}))",
        )
        .unwrap()
    })
}

fn period_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*",
            r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
        ))
        .unwrap()
    })
}

fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"((?:19|20)\d{2})\s*年度?").unwrap())
}

/// Every full date written in `text` (`2024年1月17日`, `2022-02-11`), valid or not,
/// with its byte span.
pub fn all_dates(text: &str) -> Vec<(Date, Span)> {
    date_re()
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            let n = |i: usize| c.get(i).and_then(|x| x.as_str().parse::<i64>().ok());
            let (month, day) = match (n(2), n(3)) {
                (Some(mo), Some(d)) => (mo, d),
                _ => (n(4)?, n(5)?),
            };
            Some((
                Date {
                    year: n(1)?,
                    month,
                    day,
                },
                Span::new(m.start(), m.end()),
            ))
        })
        .collect()
}

/// A date in Chinese numerals, as official documents sign them
/// (`二〇二四年一月十二日`, `二○二三年十二月二十日`).
fn chinese_date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
            .unwrap()
    })
}

/// `一`…`九`, `十`, `十二`, `二十`, `二十一`, `三十一` → 1–39.
fn chinese_small(s: &str) -> Option<i64> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as i64)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        [u] => digit(*u),
        _ => None,
    }
}

fn parse_chinese_date(s: &str) -> Option<(Date, usize, usize)> {
    let c = chinese_date_re().captures(s)?;
    let m = c.get(0)?;
    let year = c[1]
        .chars()
        .map(|ch| match ch {
            '〇' | '○' | '零' => Some(0),
            _ => "一二三四五六七八九"
                .chars()
                .position(|d| d == ch)
                .map(|d| d as i64 + 1),
        })
        .try_fold(0i64, |acc, d| Some(acc * 10 + d?))?;
    let month = chinese_small(&c[2])?;
    let day = chinese_small(&c[3])?;
    Some((Date { year, month, day }, m.start(), m.end()))
}

/// Parse a date like `2022-02-11`, `2024年1月17日` or `二〇二四年一月十二日` in `s`
/// (the first one written).
pub fn parse_date(s: &str) -> Option<(Date, usize, usize)> {
    let arabic = parse_arabic_date(s);
    let chinese = parse_chinese_date(s);
    match (arabic, chinese) {
        (Some(a), Some(c)) => Some(if c.1 < a.1 { c } else { a }),
        (a, c) => a.or(c),
    }
}

fn parse_arabic_date(s: &str) -> Option<(Date, usize, usize)> {
    let c = date_re().captures(s)?;
    let m = c.get(0)?;
    let n = |i: usize| c.get(i).and_then(|x| x.as_str().parse::<i64>().ok());
    let year = n(1)?;
    let (month, day) = match (n(2), n(3)) {
        (Some(mo), Some(d)) => (mo, d),
        _ => (n(4)?, n(5)?),
    };
    Some((Date { year, month, day }, m.start(), m.end()))
}

/// Read the metadata block, title, organ and year from the lines before part 一.
pub fn read(src: &str, lines: &[LexLine], first_heading_line: usize) -> Metadata {
    let mut md = Metadata {
        organ_kind: "unknown".into(),
        ..Default::default()
    };
    // CMS metadata: `key | value | key | value |` rows.
    for line in lines.iter().take(first_heading_line) {
        if line.kind != LineKind::Cells {
            continue;
        }
        let cells = &line.cells;
        let mut i = 0;
        while i < cells.len() {
            let key = cells[i].text.trim_end_matches([':', '：']);
            if META_KEYS.contains(&key) {
                let value = cells
                    .get(i + 1)
                    .map(|c| (c.text.clone(), c.span))
                    .unwrap_or_default();
                md.fields.push(MetaField {
                    key: key.to_string(),
                    value: value.0,
                    span: value.1,
                });
                i += 2;
            } else {
                i += 1;
            }
        }
    }
    // Title: the first line before part 一 that names the annual report, joined
    // with the line before when the title is split in two.
    // A crawler's header: `标题: …`, `发布时间: …` lines.
    let mut header_lines = Vec::new();
    for line in lines
        .iter()
        .take(first_heading_line)
        .filter(|l| l.kind == LineKind::Text)
    {
        let text = line.text(src);
        let Some((key, value)) = text.split_once([':', '：']) else {
            continue;
        };
        let key = key.trim();
        if META_KEYS.contains(&key) {
            let value_start = line.span.start + text.len() - value.len();
            let v = value.trim();
            let off = value.len() - value.trim_start().len();
            md.fields.push(MetaField {
                key: key.to_string(),
                value: v.to_string(),
                span: Span::new(value_start + off, value_start + off + v.len()),
            });
            header_lines.push(line.index);
        }
    }
    let text_lines: Vec<&LexLine> = lines
        .iter()
        .take(first_heading_line)
        .filter(|l| l.kind == LineKind::Text && !header_lines.contains(&l.index))
        .collect();
    for (n, line) in text_lines.iter().enumerate() {
        let t = super::sections::markdown_body(line.text(src))
            .trim_end_matches("**")
            .trim();
        if !crate::model::schema::is_title_text(t) {
            continue;
        }
        let mut span = line.span;
        let mut title = t.to_string();
        let rest = organ_from_title(&title);
        if (rest.is_empty() || !year_re().is_match(&title)) && n > 0 {
            let prev = text_lines[n - 1];
            let p = super::sections::markdown_body(prev.text(src))
                .trim_end_matches("**")
                .trim();
            if p.chars().count() <= 40 && !p.contains('。') && prev.index + 2 >= line.index {
                title = format!("{p}{t}");
                span = prev.span.join(line.span);
            }
        }
        md.title = Some(Spanned {
            value: title,
            span: trim_span(src, span),
        });
        break;
    }
    if md.title.is_none() {
        if let Some(f) = md
            .fields
            .iter()
            .find(|f| (f.key == "信息名称" || f.key == "标题") && f.value.contains("报告"))
        {
            md.title = Some(Spanned {
                value: f.value.clone(),
                span: f.span,
            });
        }
    }
    if let Some(title) = &md.title {
        if let Some(c) = year_re().captures(&title.value) {
            let y: i64 = c[1].parse().unwrap_or(0);
            md.year = Some(Spanned {
                value: y,
                span: title.span,
            });
        }
        let organ = organ_from_title(&title.value);
        if !organ.is_empty() {
            md.organ_kind = organ_kind(&organ).to_string();
            md.organ = Some(Spanned {
                value: organ,
                span: title.span,
            });
        }
    }
    if md.organ.is_none() {
        if let Some(f) = md
            .fields
            .iter()
            .find(|f| f.key == "发布机构" && !f.value.is_empty())
        {
            md.organ_kind = organ_kind(&f.value).to_string();
            md.organ = Some(Spanned {
                value: f.value.clone(),
                span: f.span,
            });
        }
    }
    for key in ["发布日期", "发布时间", "成文日期", "生成日期"] {
        if md.publication_date.is_some() {
            break;
        }
        if let Some(f) = md.fields.iter().find(|f| f.key == key) {
            if let Some((date, _, _)) = parse_date(&f.value) {
                md.publication_date = Some(DateMention {
                    date,
                    span: f.span,
                    source: format!("metadata:{key}"),
                });
            }
        }
    }
    md
}

/// The organ's name: the title without its year and the report words.
pub fn organ_from_title(title: &str) -> String {
    let mut t: String = title.split_whitespace().collect();
    t = year_re().replace_all(&t, "").to_string();
    for w in [
        "政府信息公开工作年度报告",
        "政务公开工作年度报告",
        "政府信息公开年度报告",
        "年度报告",
        "度",
    ] {
        if let Some(i) = t.find(w) {
            t.truncate(i);
            break;
        }
    }
    let t = t.trim_end_matches(['(', '（']).trim_start_matches("关于");
    t.trim().to_string()
}

/// `government` (本级政府), `department` (部门) or `township` (乡镇、街道).
pub fn organ_kind(organ: &str) -> &'static str {
    let o = organ.trim_end_matches([')', '）']);
    if [
        "街道办事处",
        "街道",
        "镇",
        "乡",
        "镇人民政府",
        "乡人民政府",
        "苏木",
    ]
    .iter()
    .any(|s| o.ends_with(s))
    {
        "township"
    } else if [
        "局",
        "委",
        "委员会",
        "办",
        "办公室",
        "办公厅",
        "厅",
        "中心",
        "院",
        "署",
        "所",
        "站",
        "队",
        "会",
        "部",
    ]
    .iter()
    .any(|s| o.ends_with(s))
    {
        "department"
    } else if [
        "人民政府",
        "市",
        "区",
        "县",
        "旗",
        "州",
        "省",
        "自治区",
        "盟",
        "管委会",
    ]
    .iter()
    .any(|s| o.ends_with(s))
    {
        "government"
    } else {
        "unknown"
    }
}

/// The statistics period (统计期限) stated anywhere in the text.
pub fn stats_period(src: &str) -> Option<Period> {
    for c in period_re().captures_iter(src) {
        let m = c.get(0)?;
        let window_start = crate::model::floor_char_boundary(src, m.start().saturating_sub(90));
        let context = &src[window_start..m.start()];
        if !(context.contains("统计") || context.contains("数据")) {
            continue;
        }
        let n = |i: usize| c.get(i).and_then(|x| x.as_str().parse::<i64>().ok());
        let start = Date {
            year: n(1)?,
            month: n(2)?,
            day: n(3)?,
        };
        let end = Date {
            year: n(4).unwrap_or(start.year),
            month: n(5)?,
            day: n(6)?,
        };
        return Some(Period {
            start,
            end,
            span: Span::new(m.start(), m.end()),
        });
    }
    None
}

/// A signature date: a line after part 六 that is only a date.
pub fn signature_date(src: &str, lines: &[LexLine], from_line: usize) -> Option<DateMention> {
    for line in lines
        .iter()
        .skip(from_line)
        .filter(|l| l.kind == LineKind::Text)
    {
        let t = line.text(src).trim();
        if let Some((date, s, e)) = parse_date(t) {
            if s == 0 && e == t.len() {
                let off = line.text(src).find(t).unwrap_or(0);
                let start = line.span.start + off;
                return Some(DateMention {
                    date,
                    span: Span::new(start, start + t.len()),
                    source: "signature".into(),
                });
            }
        }
    }
    None
}

fn trim_span(src: &str, span: Span) -> Span {
    let s = &src[span.start..span.end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    Span::new(span.start + lead, span.end - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_chinese_numerals() {
        let d = |s: &str| parse_date(s).map(|(d, a, b)| (d.year, d.month, d.day, a, b));
        assert_eq!(d("二〇二四年一月十二日"), Some((2024, 1, 12, 0, 30)));
        assert_eq!(
            d("二○二三年十二月二十日").map(|t| (t.0, t.1, t.2)),
            Some((2023, 12, 20))
        );
        assert_eq!(
            d("二〇二五年三月三十一日").map(|t| (t.0, t.1, t.2)),
            Some((2025, 3, 31))
        );
        assert_eq!(
            d("2024年1月17日"),
            Some((2024, 1, 17, 0, "2024年1月17日".len()))
        );
        assert_eq!(d("二〇二四年"), None);
    }
}

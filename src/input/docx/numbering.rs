//! `word/numbering.xml` and Word's list counters: the list number of a
//! paragraph rendered as Word shows it.

use super::styles::Styles;
use super::xml::El;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Suffix {
    Tab,
    Space,
    Nothing,
}

#[derive(Debug, Clone)]
struct Level {
    start: i64,
    fmt: String,
    text: Option<String>,
    restart: Option<usize>,
    legal: bool,
    suffix: Suffix,
    pstyle: Option<String>,
}

impl Level {
    fn parse(l: &El) -> Level {
        let v = |n: &str| l.child(n).and_then(|e| e.val()).map(str::to_string);
        Level {
            start: v("start").and_then(|s| s.parse().ok()).unwrap_or(0),
            fmt: v("numFmt").unwrap_or_else(|| "decimal".into()),
            text: l
                .child("lvlText")
                .map(|e| e.val().unwrap_or("").to_string()),
            restart: v("lvlRestart").and_then(|s| s.parse().ok()),
            legal: l.on("isLgl").unwrap_or(false),
            suffix: match v("suff").as_deref() {
                Some("space") => Suffix::Space,
                Some("nothing") => Suffix::Nothing,
                _ => Suffix::Tab,
            },
            pstyle: v("pStyle"),
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Abstract {
    levels: Vec<Option<Level>>,
    num_style_link: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct Num {
    abstract_id: String,
    /// Level → (startOverride, replacement level).
    overrides: HashMap<usize, (Option<i64>, Option<Level>)>,
}

#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
}

impl Numbering {
    pub(super) fn parse(root: &El) -> Numbering {
        let mut n = Numbering::default();
        for a in root.elements().filter(|e| e.name == "abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut abs = Abstract {
                levels: vec![None; 9],
                num_style_link: a
                    .child("numStyleLink")
                    .and_then(|e| e.val())
                    .map(str::to_string),
            };
            for l in a.elements().filter(|e| e.name == "lvl") {
                if let Some(i) = l.attr("ilvl").and_then(|v| v.parse::<usize>().ok()) {
                    if i < 9 {
                        abs.levels[i] = Some(Level::parse(l));
                    }
                }
            }
            n.abstracts.insert(id.to_string(), abs);
        }
        for num in root.elements().filter(|e| e.name == "num") {
            let (Some(id), Some(aid)) = (
                num.attr("numId"),
                num.child("abstractNumId").and_then(|e| e.val()),
            ) else {
                continue;
            };
            let mut overrides = HashMap::new();
            for o in num.elements().filter(|e| e.name == "lvlOverride") {
                if let Some(i) = o.attr("ilvl").and_then(|v| v.parse::<usize>().ok()) {
                    if i < 9 {
                        let start = o
                            .child("startOverride")
                            .and_then(|e| e.val())
                            .and_then(|v| v.parse().ok());
                        let lvl = o.child("lvl").map(Level::parse);
                        overrides.insert(i, (start, lvl));
                    }
                }
            }
            n.nums.insert(
                id.to_string(),
                Num {
                    abstract_id: aid.to_string(),
                    overrides,
                },
            );
        }
        n
    }
}

/// List counters while walking the document. Counters belong to the abstract
/// list: two `w:num` instances of one `w:abstractNum` continue each other
/// unless one restarts with `w:startOverride`, as Word does.
pub(super) struct NumberingState<'a> {
    defs: &'a Numbering,
    counters: HashMap<String, [Option<i64>; 9]>,
    started: HashSet<String>,
}

impl<'a> NumberingState<'a> {
    pub(super) fn new(defs: &'a Numbering) -> Self {
        NumberingState {
            defs,
            counters: HashMap::new(),
            started: HashSet::new(),
        }
    }

    /// The abstract list of a `w:num`, following a `w:numStyleLink` through
    /// the numbering style it names.
    fn abstract_of(&self, num: &Num, styles: &Styles) -> Option<(String, &'a Abstract)> {
        let mut aid = num.abstract_id.clone();
        for _ in 0..4 {
            let abs = self.defs.abstracts.get(&aid)?;
            let Some(link) = &abs.num_style_link else {
                return Some((aid, abs));
            };
            let linked = styles
                .chain(Some(link))
                .iter()
                .find_map(|(_, s)| s.num_id.clone())?;
            aid = self.defs.nums.get(&linked)?.abstract_id.clone();
        }
        None
    }

    fn level(&self, num: &Num, abs: &Abstract, i: usize) -> Option<Level> {
        if let Some((_, Some(l))) = num.overrides.get(&i) {
            return Some(l.clone());
        }
        abs.levels.get(i).cloned().flatten()
    }

    /// Advance the counter of `num_id` at `ilvl` and render the number as
    /// Word shows it, with its suffix. `None` when the paragraph has no
    /// number (unknown list, `numId` 0, no such level).
    pub(super) fn next(
        &mut self,
        num_id: &str,
        ilvl: Option<usize>,
        style: Option<&str>,
        styles: &Styles,
    ) -> Option<String> {
        let num = self.defs.nums.get(num_id)?;
        let (aid, abs) = self.abstract_of(num, styles)?;
        // A paragraph style linked to a level of this list (w:lvl/w:pStyle).
        let ilvl = ilvl
            .or_else(|| {
                let style = style?;
                (0..9).find(|&i| {
                    self.level(num, abs, i)
                        .is_some_and(|l| l.pstyle.as_deref() == Some(style))
                })
            })
            .unwrap_or(0)
            .min(8);
        let levels: Vec<Option<Level>> = (0..9).map(|i| self.level(num, abs, i)).collect();
        let level = levels[ilvl].clone()?;
        let counters = self.counters.entry(aid).or_insert([None; 9]);
        if self.started.insert(num_id.to_string()) {
            for (&i, (start, lvl)) in &num.overrides {
                let s = start.or_else(|| lvl.as_ref().map(|l| l.start));
                if let Some(s) = s {
                    counters[i] = Some(s.saturating_sub(1));
                }
            }
        }
        counters[ilvl] = Some(counters[ilvl].map_or(level.start, |c| c.saturating_add(1)));
        for (d, slot) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = levels[d].as_ref().and_then(|l| l.restart).unwrap_or(d);
            if restart != 0 && ilvl < restart {
                *slot = None;
            }
        }
        let template = level.text.clone().unwrap_or_default();
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    if (1..=9).contains(&d) {
                        let k = d as usize - 1;
                        let lk = levels[k].as_ref();
                        let value = counters[k].unwrap_or(lk.map_or(1, |l| l.start));
                        let fmt = if level.legal {
                            "decimal"
                        } else {
                            lk.map_or("decimal", |l| l.fmt.as_str())
                        };
                        out.push_str(&format_number(value, fmt));
                    }
                    continue;
                }
            }
            out.push(c);
        }
        if level.fmt == "bullet" {
            out = out.chars().map(bullet_char).collect();
        }
        if out.is_empty() {
            return Some(String::new());
        }
        match level.suffix {
            Suffix::Tab => out.push('\t'),
            Suffix::Space => out.push(' '),
            Suffix::Nothing => {}
        }
        Some(out)
    }
}

/// Symbol-font private-use bullets shown as the characters they draw.
pub(super) fn bullet_char(c: char) -> char {
    match c as u32 {
        0xF0B7 | 0xF09F | 0xF06C => '●',
        0xF0A7 | 0xF06E => '■',
        0xF0D8 | 0xF0FC => '➢',
        0xE000..=0xF8FF => '•',
        _ => c,
    }
}

/// A counter value in a `w:numFmt` (ECMA-376 §17.18.59). Unknown formats
/// fall back to decimal, as Word does.
pub fn format_number(n: i64, fmt: &str) -> String {
    let u = n.max(0) as u64;
    match fmt {
        "none" => String::new(),
        "decimalZero" => format!("{n:02}"),
        "upperLetter" => letters(u, b'A'),
        "lowerLetter" => letters(u, b'a'),
        "upperRoman" => roman(u),
        "lowerRoman" => roman(u).to_lowercase(),
        "chineseCounting" | "japaneseCounting" | "taiwaneseCounting" => chinese_counting(u, false),
        "chineseCountingThousand" | "taiwaneseCountingThousand" | "koreanCounting" => {
            chinese_counting(u, true)
        }
        "chineseLegalSimplified" => chinese_legal(u),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => u
            .to_string()
            .chars()
            .map(|d| DIGITS[d.to_digit(10).unwrap() as usize])
            .collect(),
        "ideographTraditional" => cyclic(
            u,
            &["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"],
        ),
        "ideographZodiac" => cyclic(
            u,
            &[
                "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
            ],
        ),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&u) => {
            char::from_u32(0x2460 + u as u32 - 1).unwrap().to_string()
        }
        "decimalEnclosedParen" if (1..=20).contains(&u) => {
            char::from_u32(0x2474 + u as u32 - 1).unwrap().to_string()
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&u) => {
            char::from_u32(0x2488 + u as u32 - 1).unwrap().to_string()
        }
        "decimalFullWidth" | "decimalFullWidth2" => u
            .to_string()
            .chars()
            .map(|d| char::from_u32(0xFF10 + d.to_digit(10).unwrap()).unwrap())
            .collect(),
        _ => n.to_string(),
    }
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn letters(n: u64, base: u8) -> String {
    if n == 0 {
        return String::new();
    }
    // Word repeats the letter: 27 → AA, 28 → BB.
    let letter = (base + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(50) as usize;
    std::iter::repeat_n(letter, times).collect()
}

fn roman(mut n: u64) -> String {
    const R: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 || n > 39_999 {
        return n.to_string();
    }
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn cyclic(n: u64, items: &[&str]) -> String {
    if n == 0 {
        return n.to_string();
    }
    items[((n - 1) % items.len() as u64) as usize].to_string()
}

/// 一 … 十, 十一, 二十, 一百零一; with `thousand` the 千 place is written too
/// (Word's two Chinese counting formats differ above 999).
fn chinese_counting(n: u64, thousand: bool) -> String {
    if n == 0 {
        return "〇".into();
    }
    if n >= 10_000 || (!thousand && n >= 1000) {
        return n.to_string();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut s = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            if !s.is_empty() {
                zero = true;
            }
            continue;
        }
        if zero {
            s.push('〇');
            zero = false;
        }
        // 十一 not 一十一 when the number starts at the tens.
        if !(i == 2 && d == 1 && s.is_empty()) {
            s.push(DIGITS[d as usize]);
        }
        s.push_str(units[i]);
    }
    s.replace('〇', "零")
}

fn chinese_legal(n: u64) -> String {
    const D: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    let plain = chinese_counting(n, true);
    let plain = if (10..20).contains(&n) {
        format!("一{plain}")
    } else {
        plain
    };
    plain
        .chars()
        .map(|c| match c {
            '十' => '拾',
            '百' => '佰',
            '千' => '仟',
            _ => DIGITS.iter().position(|&d| d == c).map_or(c, |i| D[i]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        let f = |n, fmt| format_number(n, fmt);
        assert_eq!(f(3, "decimal"), "3");
        assert_eq!(f(3, "chineseCounting"), "三");
        assert_eq!(f(10, "chineseCounting"), "十");
        assert_eq!(f(11, "chineseCounting"), "十一");
        assert_eq!(f(20, "chineseCounting"), "二十");
        assert_eq!(f(101, "chineseCountingThousand"), "一百零一");
        assert_eq!(f(1010, "chineseCountingThousand"), "一千零一十");
        assert_eq!(f(2, "ideographTraditional"), "乙");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(4, "lowerRoman"), "iv");
        assert_eq!(f(3, "decimalEnclosedCircle"), "③");
        assert_eq!(f(12, "chineseLegalSimplified"), "壹拾贰");
        assert_eq!(f(7, "decimalZero"), "07");
        assert_eq!(f(5, "somethingNew"), "5");
    }
}

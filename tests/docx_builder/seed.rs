//! Rebuild a pipe-row seed report (the shape of fixtures/seeds/000.txt and
//! 003.txt) as the Word draft it came from, to prove the DOCX reader yields
//! the same report as the text.
//!
//! - Every line without `|` becomes a paragraph. The six part headings
//!   (`一、…`) and their sub-headings (`(一)…`) become list paragraphs whose
//!   numbers Word draws (`chineseCounting`, `%1、` and `(%2)`, no suffix), as
//!   long as the written number is the one the list would draw; the rest
//!   stays literal text.
//! - Every run of `|` lines becomes one table laid out like the national
//!   format's Word template: table 2 on a 4-column grid with `gridSpan`,
//!   table 3 on a 10-column grid (three label columns, seven values) with
//!   `vMerge` for the corner note, 自然人, 总计, 三、本年度办理结果 and the
//!   (三)/(四)/(五)/(六) groups, table 4 on a 15-column grid with `vMerge`
//!   for the review columns and `gridAfter` where the seed's header row is
//!   short. Cell texts are the seed's, word for word.

use super::*;

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn cells(line: &str) -> Vec<String> {
    line.split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The numbering definitions of the rebuilt drafts: list 1 draws `一、` at
/// level 0 and `(一)` at level 1.
pub fn seed_numbering() -> String {
    numbering(&format!(
        "{}{}",
        abstract_num(
            0,
            &[
                lvl(0, "chineseCounting", "%1、", 1, Some("nothing")),
                lvl(1, "chineseCounting", "(%2)", 1, Some("nothing")),
            ]
        ),
        num(1, 0, "")
    ))
}

pub fn seed_to_docx(text: &str) -> Vec<u8> {
    let mut body = String::new();
    let mut top = 1usize;
    let mut sub = 1usize;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.contains('|') {
            let start = i;
            while i < lines.len() && lines[i].contains('|') {
                i += 1;
            }
            body.push_str(&table_of(&lines[start..i]));
            continue;
        }
        i += 1;
        if line.trim().is_empty() {
            body.push_str("<w:p/>");
            continue;
        }
        let top_prefix = format!("{}、", NUMERALS[(top - 1).min(9)]);
        let sub_prefix = format!("({})", NUMERALS[(sub - 1).min(9)]);
        if top <= 6 && line.starts_with(&top_prefix) {
            body.push_str(&numbered(&line[top_prefix.len()..], 1, 0));
            top += 1;
            sub = 1;
        } else if sub <= 10 && top > 1 && line.starts_with(&sub_prefix) {
            body.push_str(&numbered(&line[sub_prefix.len()..], 1, 1));
            sub += 1;
        } else {
            body.push_str(&p(line));
        }
    }
    package(&document(&body), None, Some(&seed_numbering()))
}

fn table_of(lines: &[&str]) -> String {
    let first = lines[0];
    let rows = if first.starts_with("第二十条") {
        table2(lines)
    } else if first.contains("申请人情况") {
        table3(lines)
    } else if cells(first).first().map(String::as_str) == Some("行政复议") {
        table4(lines)
    } else {
        None
    };
    match rows {
        Some((cols, rows)) => table(cols, &rows),
        None => generic(lines),
    }
}

/// Cells as they come, short rows closed with `gridAfter`.
fn generic(lines: &[&str]) -> String {
    let rows: Vec<Vec<String>> = lines.iter().map(|l| cells(l)).collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let trs: Vec<Tr> = rows
        .into_iter()
        .map(|r| Tr {
            after: (width - r.len()) as u32,
            cells: r.iter().map(|c| tc(c)).collect(),
            ..Tr::default()
        })
        .collect();
    table(width, &trs)
}

/// Table 2: four columns. The title row (第二十条第(x)项) spans all four.
/// A block whose header names two columns (信息内容 | 本年处理决定数量, the
/// 2021 template) merges the value cell over the last three; a header of
/// three names (2019: 上一年项目数量 | 本年增/减, 采购项目数量 | 采购总金额)
/// merges its last cell over the last two grid columns, as the Word template
/// does (a merged cell is one cell, not one per grid column).
fn table2(lines: &[&str]) -> Option<(usize, Vec<Tr>)> {
    let mut rows = Vec::new();
    let mut header = 4;
    for l in lines {
        let c = cells(l);
        if c.is_empty() || c.len() > 4 {
            return None;
        }
        let n = c.len();
        let mut tcs: Vec<Tc> = c.iter().map(|x| tc(x)).collect();
        if c[0].starts_with("第二十条") {
            header = 4;
            tcs[0].span = 4;
            if n != 1 {
                return None;
            }
        } else {
            if c[0] == "信息内容" {
                header = n;
            }
            if n < header {
                return None;
            }
            if header <= 2 {
                tcs[n - 1].span = (5 - n) as u32;
            } else if header == 3 && n == 3 {
                tcs[2].span = 2;
            } else {
                tcs.extend((n..4).map(|_| tc("")));
            }
        }
        rows.push(tr(tcs));
    }
    Some((4, rows))
}

fn is_group(label: &str) -> bool {
    label.starts_with('(') || label.starts_with('（')
}

/// Table 3: the corner note over three header rows and three label columns,
/// 申请人情况 over seven value columns; data rows with their label columns
/// merged the way the template merges them.
fn table3(lines: &[&str]) -> Option<(usize, Vec<Tr>)> {
    if lines.len() < 4 {
        return None;
    }
    let h1 = cells(lines[0]);
    let h2 = cells(lines[1]);
    let h3 = cells(lines[2]);
    if h1.len() != 2 || h2.len() != 3 || h3.len() != 5 {
        return None;
    }
    let mut rows = vec![
        tr(vec![tc(&h1[0]).span(3).restart(), tc(&h1[1]).span(7)]),
        tr(vec![
            tc("").span(3).cont(),
            tc(&h2[0]).restart(),
            tc(&h2[1]).span(5),
            tc(&h2[2]).restart(),
        ]),
        {
            let mut r = vec![tc("").span(3).cont(), tc("").cont()];
            r.extend(h3.iter().map(|c| tc(c)));
            r.push(tc("").cont());
            tr(r)
        },
    ];
    let mut in_outcomes = false;
    for l in &lines[3..] {
        let c = cells(l);
        if c.len() < 8 {
            return None;
        }
        let (labels, values) = c.split_at(c.len() - 7);
        let mut tcs: Vec<Tc> = Vec::new();
        match labels {
            [a] if !is_group(a) && !a.starts_with(|ch: char| ch.is_ascii_digit()) => {
                in_outcomes = false;
                tcs.push(tc(a).span(3));
            }
            [a, b] if a.starts_with("三、") => {
                in_outcomes = true;
                tcs.push(tc(a).restart());
                tcs.push(tc(b).span(2));
            }
            [a, b, c3] if a.starts_with("三、") => {
                in_outcomes = true;
                tcs.push(tc(a).restart());
                tcs.push(tc(b).restart());
                tcs.push(tc(c3));
            }
            [g, item] if in_outcomes && is_group(g) => {
                tcs.push(tc("").cont());
                tcs.push(tc(g).restart());
                tcs.push(tc(item));
            }
            [g] if in_outcomes && is_group(g) => {
                tcs.push(tc("").cont());
                tcs.push(tc(g).span(2));
            }
            [item] if in_outcomes => {
                tcs.push(tc("").cont());
                tcs.push(tc("").cont());
                tcs.push(tc(item));
            }
            _ => return None,
        }
        tcs.extend(values.iter().map(|v| tc(v)));
        rows.push(tr(tcs));
    }
    Some((10, rows))
}

/// Table 4: 行政复议 over five columns and 行政诉讼 over ten; the review
/// columns' labels merged down over two header rows.
fn table4(lines: &[&str]) -> Option<(usize, Vec<Tr>)> {
    if lines.len() != 4 {
        return None;
    }
    let h1 = cells(lines[0]);
    let h2 = cells(lines[1]);
    let h3 = cells(lines[2]);
    let v = cells(lines[3]);
    if h1.len() != 2 || h2.len() != 7 || h3.len() > 15 || v.len() != 15 {
        return None;
    }
    let mut r2: Vec<Tc> = h2[..5].iter().map(|c| tc(c).restart()).collect();
    r2.push(tc(&h2[5]).span(5));
    r2.push(tc(&h2[6]).span(5));
    // The seed's third header row repeats the review labels when it was
    // crawled from a flat table; the template merges them from above.
    let suit = if h3.len() > 10 { &h3[5..] } else { &h3[..] };
    let mut r3: Vec<Tc> = (0..5).map(|_| tc("").cont()).collect();
    r3.extend(suit.iter().map(|c| tc(c)));
    let rows = vec![
        tr(vec![tc(&h1[0]).span(5), tc(&h1[1]).span(10)]),
        tr(r2),
        Tr {
            after: (10 - suit.len()) as u32,
            cells: r3,
            ..Tr::default()
        },
        tr(v.iter().map(|c| tc(c)).collect()),
    ];
    Some((15, rows))
}

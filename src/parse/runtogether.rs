//! Tables whose cells run together with no separator, as in a crawler's text
//! extract of a web page: `一、本年新收政府信息公开申请数量21710000218二、上年结转…`.
//!
//! The row labels are known (the format's schema), so each row's run of digits
//! can be cut out of the text. How the run splits into cells is then decided by
//! arithmetic, like a person would do it: every split into the row's number of
//! cells (no leading zeros, a space is always a cell boundary) is a candidate,
//! a candidate must satisfy the row's identities (table 3: 总计 = the six
//! applicant columns; table 4: each group's 总计 = its four results), and the
//! column identities among rows (table 3: 一 + 二 = (七) + 四, (七) = the sum of
//! the results) remove candidates once the other rows are known. A row is read
//! only when exactly one candidate is left; every other row is reported as
//! ambiguous. No value is ever guessed.

use super::normalize::fold;
use crate::model::schema::{self, RowSpec, T3_COLS, T3_COL_LABELS, T4_COLS, T4_COL_LABELS};
use crate::model::{Cell, Column, FormatVersion, Row, ShapeIssue, Span, Table};

/// Longest digit run taken for one row; longer runs are not a table row.
const MAX_RUN: usize = 64;
/// Longest cell, in digits.
const MAX_CELL_DIGITS: usize = 7;
/// Stop enumerating a row's splits after this many candidates.
const MAX_CANDIDATES: usize = 5_000;
/// Most search steps spent splitting one row.
const MAX_NODES: usize = 1_000_000;
/// Largest product of candidates tried jointly for one identity.
const MAX_COMBINATIONS: usize = 200_000;

/// One character of the region, folded, with its byte range in the source.
#[derive(Clone, Copy)]
struct Ch {
    c: char,
    start: usize,
    end: usize,
    /// Whitespace stood right before this character in the source.
    space_before: bool,
}

/// The characters of `src[span]`, folded, whitespace dropped but remembered.
fn chars_of(src: &str, span: Span) -> Vec<Ch> {
    let mut out = Vec::new();
    let mut space = false;
    for (i, c) in src[span.start..span.end].char_indices() {
        let start = span.start + i;
        let f = fold(&c.to_string());
        match f.chars().next() {
            None => space = true,
            Some(fc) => {
                out.push(Ch {
                    c: fc,
                    start,
                    end: start + c.len_utf8(),
                    space_before: space,
                });
                space = false;
            }
        }
    }
    out
}

fn find(chars: &[Ch], from: usize, phrase: &str) -> Option<usize> {
    let p: Vec<char> = fold(phrase).chars().collect();
    if p.is_empty() || chars.len() < p.len() {
        return None;
    }
    (from..=chars.len() - p.len())
        .find(|&i| p.iter().enumerate().all(|(k, c)| chars[i + k].c == *c))
}

/// A row's digits as cut out of the text: the digits with their byte ranges,
/// and which positions must start a new cell (a space stood before them).
struct Run {
    digits: Vec<Ch>,
    label: Span,
}

/// Cut the digit run of each row: after the row's label phrase, before the next
/// row's phrase; trailing digits that are the next label's own numbering
/// (`…0000002.其他法律…`) are given back to it.
fn cut_runs(chars: &[Ch], specs: &[RowSpec], decimal_rows: &[&str]) -> Vec<Option<Run>> {
    // A row with a signed column (2019's 本年增/减) may hold `-`: it starts a cell.
    let signed_row = |spec: &RowSpec| spec.cols.iter().any(|c| signed(c));
    let mut at = 0;
    let mut found: Vec<Option<(usize, usize)>> = Vec::new();
    for spec in specs {
        let hit = spec
            .phrases
            .iter()
            .filter_map(|p| find(chars, at, p).map(|i| (i, i + fold(p).chars().count())))
            .min();
        if let Some((_, e)) = hit {
            at = e;
        }
        found.push(hit);
    }
    let mut out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let Some((s, e)) = found[i] else {
            out.push(None);
            continue;
        };
        let limit = found[i + 1..]
            .iter()
            .flatten()
            .map(|(s, _)| *s)
            .next()
            .unwrap_or(chars.len());
        let decimal = decimal_rows.contains(&spec.key);
        let minus = signed_row(spec);
        let is_digit = |c: char| c.is_ascii_digit() || (decimal && c == '.') || (minus && c == '-');
        let Some(first) = (e..limit).find(|&k| chars[k].c.is_ascii_digit()) else {
            out.push(None);
            continue;
        };
        let mut end = first;
        while end < limit && is_digit(chars[end].c) {
            end += 1;
        }
        // The next label's numbering: `2.` or `3.` glued to this row's digits.
        if let Some(next) = specs.get(i + 1) {
            let prefix: String = next
                .label
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let dot = end < chars.len() && matches!(chars[end].c, '.' | '、');
            if !prefix.is_empty() && dot && end - first > prefix.len() {
                let tail: String = chars[end - prefix.len()..end].iter().map(|c| c.c).collect();
                if tail == prefix {
                    end -= prefix.len();
                }
            }
        }
        // The narrative's next sentence glued to the last row: a year
        // (`2000002` + `2025年，我局…`) is not part of the row.
        if end < chars.len() && matches!(chars[end].c, '年' | '—' | '-') && end - first > 4 {
            let year: String = chars[end - 4..end].iter().map(|c| c.c).collect();
            if (year.starts_with("19") || year.starts_with("20")) && !chars[end - 4].space_before {
                end -= 4;
            }
        }
        if end - first > MAX_RUN {
            out.push(None);
            continue;
        }
        out.push(Some(Run {
            digits: chars[first..end].to_vec(),
            label: Span::new(chars[s].start, chars[e - 1].end),
        }));
    }
    out
}

/// A column whose values may be negative (2019's 本年增/减).
fn signed(col: &str) -> bool {
    col == "change"
}

/// Every split of `run` into `k` cells that `accept` admits, as cell lengths.
/// `accept` also sees each prefix of the values (so a rule about complete groups
/// prunes early). A `-` starts a cell, and only a cell of a column `minus`
/// allows (by index; an empty `minus` allows none). `None` when the search is
/// too large to be sure of the answer.
fn splits(
    run: &[Ch],
    k: usize,
    minus: &[bool],
    accept: &dyn Fn(&[i64]) -> bool,
) -> Option<Vec<Vec<usize>>> {
    struct Search<'a> {
        run: &'a [Ch],
        k: usize,
        minus: &'a [bool],
        accept: &'a dyn Fn(&[i64]) -> bool,
        lens: Vec<usize>,
        vals: Vec<i64>,
        out: Vec<Vec<usize>>,
        budget: usize,
    }
    impl Search<'_> {
        /// false when the budget ran out.
        fn go(&mut self, pos: usize) -> bool {
            if self.budget == 0 || self.out.len() >= MAX_CANDIDATES {
                return false;
            }
            self.budget -= 1;
            let left = self.k - self.lens.len();
            let rest = self.run.len() - pos;
            if left == 0 {
                if rest == 0 && (self.accept)(&self.vals) {
                    self.out.push(self.lens.clone());
                }
                return true;
            }
            if rest < left || rest > left * MAX_CELL_DIGITS || !(self.accept)(&self.vals) {
                return true;
            }
            let negative = self.run[pos].c == '-';
            if negative && !self.minus.get(self.lens.len()).copied().unwrap_or(false) {
                return true;
            }
            let max = (MAX_CELL_DIGITS + usize::from(negative)).min(rest - (left - 1));
            for len in 1..=max {
                // A space or a `-` inside a cell is impossible; a cell of several
                // digits has no leading 0.
                if self.run[pos + 1..pos + len]
                    .iter()
                    .any(|c| c.space_before || c.c == '-')
                {
                    break;
                }
                let digits = if negative { pos + 1 } else { pos };
                if len > 1 + usize::from(negative) && self.run[digits].c == '0' {
                    break;
                }
                if negative && len == 1 {
                    continue;
                }
                let text: String = self.run[pos..pos + len].iter().map(|c| c.c).collect();
                let Ok(v) = text.parse::<i64>() else { break };
                self.lens.push(len);
                self.vals.push(v);
                let ok = self.go(pos + len);
                self.lens.pop();
                self.vals.pop();
                if !ok {
                    return false;
                }
            }
            true
        }
    }
    let mut s = Search {
        run,
        k,
        minus,
        accept,
        lens: Vec::new(),
        vals: Vec::new(),
        out: Vec::new(),
        budget: MAX_NODES,
    };
    s.go(0).then_some(s.out)
}

fn values(run: &[Ch], lens: &[usize]) -> Vec<i64> {
    let mut at = 0;
    lens.iter()
        .map(|&l| {
            let t: String = run[at..at + l].iter().map(|c| c.c).collect();
            at += l;
            t.parse().unwrap_or(0)
        })
        .collect()
}

fn cells_of(src: &str, row: &str, cols: &[&str], run: &[Ch], lens: &[usize]) -> Vec<Cell> {
    let mut at = 0;
    lens.iter()
        .zip(cols)
        .map(|(&l, col)| {
            let span = Span::new(run[at].start, run[at + l - 1].end);
            at += l;
            let raw = src[span.start..span.end].to_string();
            Cell {
                row: row.to_string(),
                col: col.to_string(),
                value: super::tables::parse_value(&raw),
                raw,
                span,
                residue: None,
            }
        })
        .collect()
}

/// What became of a run-together table's rows.
struct Outcome {
    rows: Vec<Row>,
    ambiguous: Vec<Ambiguous>,
    absent: Vec<String>,
}

/// A row whose digits split several ways (or none).
struct Ambiguous {
    label: String,
    /// The schema row, when the ambiguity is one row's.
    key: Option<String>,
    /// The row's digits.
    span: Span,
    /// How many splits fit.
    count: usize,
    /// When none fits: how many readings the digits allow (all of them break
    /// the row's identity); 0 otherwise.
    readings: usize,
    /// The splits as values, when few enough to keep (table 2 only).
    candidates: Vec<Vec<i64>>,
}

fn issues(kind: &str, o: &Outcome, anchor: Span) -> Vec<ShapeIssue> {
    let name = match kind {
        "t2" => "表二",
        "t3" => "表三",
        _ => "表四",
    };
    let mut out = vec![ShapeIssue {
        kind: "run-together".into(),
        message: format!(
            "{name}的单元格在文字中连在一起（常见于网页抓取的文字），已按行列的勾稽关系还原 {} 行",
            o.rows.len()
        ),
        span: anchor,
        row: None,
        candidates: Vec::new(),
    }];
    for a in &o.ambiguous {
        let (label, n) = (&a.label, a.count);
        if a.readings > 0 {
            let identity = if kind == "t4" {
                "各组“总计”都不等于四项结果之和"
            } else {
                "“总计”都不等于六类申请人之和"
            };
            out.push(ShapeIssue {
                kind: "broken-row".into(),
                message: format!(
                    "“{label}”行的数字无论怎样拆分（{} 种读法），{identity}",
                    a.readings
                ),
                span: a.span,
                row: a.key.clone(),
                candidates: a.candidates.clone(),
            });
            continue;
        }
        out.push(ShapeIssue {
            kind: "ambiguous".into(),
            message: if n == 0 {
                format!("“{label}”行的数字无法按勾稽关系拆分成单元格，未作核对")
            } else {
                format!("“{label}”行的数字有 {n} 种拆法都说得通，无法确定，未作核对")
            },
            span: a.span,
            row: a.key.clone(),
            candidates: a.candidates.clone(),
        });
    }
    for label in &o.absent {
        out.push(ShapeIssue {
            kind: "ambiguous".into(),
            message: format!("找不到“{label}”行的数字，未作核对"),
            span: anchor,
            row: None,
            candidates: Vec::new(),
        });
    }
    out
}

/// Table 3 or 4 from run-together text starting at `span`, or `None` when no
/// row could be read.
pub fn recover(
    src: &str,
    span: Span,
    kind: &str,
    expected: Option<FormatVersion>,
) -> Option<Table> {
    let chars = chars_of(src, span);
    match kind {
        "t2" => recover_t2(src, &chars, span, expected),
        "t3" => recover_t3(src, &chars, span),
        "t4" => recover_t4(src, &chars, span),
        _ => None,
    }
}

fn recover_t3(src: &str, chars: &[Ch], span: Span) -> Option<Table> {
    let start = find(chars, 0, "本年新收")?;
    let chars = &chars[start.saturating_sub(8)..];
    let format = if find(chars, 0, "逾期不补正").is_some() {
        FormatVersion::V2021
    } else {
        FormatVersion::V2019
    };
    let specs = schema::t3_rows(format);
    let runs = cut_runs(chars, &specs, &[]);
    let row_sum = |v: &[i64]| v.len() < 7 || v[..6].iter().sum::<i64>() == v[6];
    // Every reading the digits allow; a row with one reading is read as it
    // stands, right or wrong (`8100008`: 8 1 0 0 0 0 8, whose total is then
    // checked like any table's). Where there are several, the row identity
    // picks; none fitting means every reading breaks it.
    let mut broken: Vec<usize> = vec![0; runs.len()];
    let mut cands: Vec<Option<Vec<Vec<usize>>>> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let r = r.as_ref()?;
            let all = splits(&r.digits, 7, &[], &|_| true).unwrap_or_default();
            if all.len() <= 1 {
                return Some(all);
            }
            let fit: Vec<Vec<usize>> = all
                .iter()
                .filter(|c| row_sum(&values(&r.digits, c)))
                .cloned()
                .collect();
            if fit.is_empty() {
                broken[i] = all.len();
            }
            Some(fit)
        })
        .collect();
    // Column identities narrow the rows that are still open.
    let idx = |key: &str| specs.iter().position(|s| s.key == key);
    let leaves: Vec<usize> = schema::t3_leaf_keys(format)
        .iter()
        .filter_map(|k| idx(k))
        .collect();
    let (new, carried_in, total, carried_out) = (
        idx("new")?,
        idx("carried_in")?,
        idx("r7_total")?,
        idx("carried_out")?,
    );
    // Each identity: (rows on the left, rows on the right).
    let identities: Vec<(Vec<usize>, Vec<usize>)> = vec![
        (vec![new, carried_in], vec![total, carried_out]),
        (vec![total], leaves),
    ];
    let vals = |i: usize, c: &Vec<usize>| values(&runs[i].as_ref().unwrap().digits, c);
    // Keep, for every row of an identity, the candidates that take part in at
    // least one combination satisfying it in all seven columns; repeat until
    // nothing changes. Sound: a candidate is dropped only when no choice of the
    // other rows' candidates can make the identity hold.
    loop {
        let mut changed = false;
        for (lhs, rhs) in &identities {
            let rows: Vec<usize> = lhs.iter().chain(rhs).copied().collect();
            if rows
                .iter()
                .any(|&i| cands[i].as_ref().is_none_or(|c| c.is_empty()))
            {
                continue;
            }
            let sizes: Vec<usize> = rows
                .iter()
                .map(|&i| cands[i].as_ref().unwrap().len())
                .collect();
            let combos = sizes.iter().try_fold(1usize, |a, &n| a.checked_mul(n));
            if sizes.iter().all(|&n| n == 1) || combos.is_none_or(|c| c > MAX_COMBINATIONS) {
                continue;
            }
            let table: Vec<Vec<Vec<i64>>> = rows
                .iter()
                .map(|&i| {
                    cands[i]
                        .as_ref()
                        .unwrap()
                        .iter()
                        .map(|c| vals(i, c))
                        .collect()
                })
                .collect();
            let mut used: Vec<Vec<bool>> = sizes.iter().map(|&n| vec![false; n]).collect();
            let mut pick = vec![0usize; rows.len()];
            loop {
                let holds = (0..7).all(|k| {
                    let side = |range: std::ops::Range<usize>| -> i64 {
                        range.map(|r| table[r][pick[r]][k]).sum()
                    };
                    side(0..lhs.len()) == side(lhs.len()..rows.len())
                });
                if holds {
                    for (r, &p) in pick.iter().enumerate() {
                        used[r][p] = true;
                    }
                }
                // Next combination (odometer).
                let mut r = 0;
                while r < rows.len() {
                    pick[r] += 1;
                    if pick[r] < sizes[r] {
                        break;
                    }
                    pick[r] = 0;
                    r += 1;
                }
                if r == rows.len() {
                    break;
                }
            }
            if used.iter().all(|u| !u.iter().any(|&x| x)) {
                continue; // the identity fails whatever the split: a real error, not ours to fix
            }
            for (r, &i) in rows.iter().enumerate() {
                let before = cands[i].as_ref().unwrap().clone();
                let keep: Vec<Vec<usize>> = before
                    .iter()
                    .zip(&used[r])
                    .filter(|(_, &u)| u)
                    .map(|(c, _)| c.clone())
                    .collect();
                if keep.len() < before.len() {
                    cands[i] = Some(keep);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut o = Outcome {
        rows: Vec::new(),
        ambiguous: Vec::new(),
        absent: Vec::new(),
    };
    for (i, spec) in specs.iter().enumerate() {
        match (&runs[i], &cands[i]) {
            (Some(run), Some(c)) if c.len() == 1 => o.rows.push(Row {
                key: spec.key.to_string(),
                label: spec.label.to_string(),
                raw_label: src[run.label.start..run.label.end].to_string(),
                span: run.label,
                cells: cells_of(src, spec.key, &T3_COLS, &run.digits, &c[0]),
            }),
            (Some(run), Some(c)) => o.ambiguous.push(Ambiguous {
                label: schema::short_label(spec.label).to_string(),
                key: Some(spec.key.to_string()),
                span: Span::new(run.digits[0].start, run.digits[run.digits.len() - 1].end),
                count: c.len(),
                readings: broken[i],
                candidates: Vec::new(),
            }),
            _ => o.absent.push(schema::short_label(spec.label).to_string()),
        }
    }
    let columns = T3_COLS
        .iter()
        .zip(T3_COL_LABELS)
        .map(|(k, l)| Column {
            key: k.to_string(),
            label: l.to_string(),
        })
        .collect();
    table("t3", Some(format), columns, o, span)
}

fn recover_t4(src: &str, chars: &[Ch], span: Span) -> Option<Table> {
    let head = find(chars, 0, "结果维持")?;
    let first = (head..chars.len()).find(|&k| chars[k].c.is_ascii_digit())?;
    let mut end = first;
    while end < chars.len() && chars[end].c.is_ascii_digit() {
        end += 1;
    }
    if end - first > MAX_RUN {
        return None;
    }
    let run = &chars[first..end];
    let groups_ok = |v: &[i64]| {
        v.chunks(5)
            .all(|g| g.len() < 5 || g[..4].iter().sum::<i64>() == g[4])
    };
    // Check each group as soon as it is complete.
    let partial = |v: &[i64]| groups_ok(v);
    // As for table 3: one reading is read as it stands (`100000000000000`:
    // 维持 1, 总计 0), several are narrowed by the group totals.
    let all = splits(run, 15, &[], &|_| true);
    let mut readings = 0;
    let found = match all {
        Some(all) if all.len() == 1 => all,
        Some(all) => {
            let fit: Vec<Vec<usize>> = all
                .iter()
                .filter(|c| partial(&values(run, c)))
                .cloned()
                .collect();
            if fit.is_empty() {
                readings = all.len();
            }
            fit
        }
        None => splits(run, 15, &[], &partial).unwrap_or_default(),
    };
    let label = Span::new(chars[head].start, chars[first - 1].end);
    let mut o = Outcome {
        rows: Vec::new(),
        ambiguous: Vec::new(),
        absent: Vec::new(),
    };
    if found.len() == 1 {
        let cells = cells_of(src, "", &[""; 15], run, &found[0]);
        for (g, (key, glabel)) in schema::T4_GROUPS
            .iter()
            .zip(schema::T4_GROUP_LABELS)
            .enumerate()
        {
            let mut group: Vec<Cell> = cells[g * 5..g * 5 + 5].to_vec();
            for (c, col) in group.iter_mut().zip(T4_COLS) {
                c.row = key.to_string();
                c.col = col.to_string();
            }
            o.rows.push(Row {
                key: key.to_string(),
                label: glabel.to_string(),
                raw_label: glabel.to_string(),
                span: label,
                cells: group,
            });
        }
    } else {
        o.ambiguous.push(Ambiguous {
            label: "行政复议、行政诉讼".into(),
            key: None,
            span: Span::new(run[0].start, run[run.len() - 1].end),
            count: found.len(),
            readings,
            candidates: Vec::new(),
        });
    }
    let columns = T4_COLS
        .iter()
        .zip(T4_COL_LABELS)
        .map(|(k, l)| Column {
            key: k.to_string(),
            label: l.to_string(),
        })
        .collect();
    table("t4", None, columns, o, span)
}

fn recover_t2(
    src: &str,
    chars: &[Ch],
    span: Span,
    expected: Option<FormatVersion>,
) -> Option<Table> {
    let format = if find(chars, 0, "本年新制作").is_some()
        || find(chars, 0, "第二十条第(九)项").is_some()
    {
        FormatVersion::V2019
    } else if find(chars, 0, "本年制发").is_some() {
        FormatVersion::V2021
    } else {
        expected?
    };
    let specs: Vec<RowSpec> = schema::t2_rows(format)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let fee_rows: Vec<&str> = specs
        .iter()
        .filter(|s| s.cols.len() == 1 && s.label.contains("收费"))
        .map(|s| s.key)
        .collect();
    let runs = cut_runs(chars, &specs, &fee_rows);
    let mut o = Outcome {
        rows: Vec::new(),
        ambiguous: Vec::new(),
        absent: Vec::new(),
    };
    for (spec, run) in specs.iter().zip(&runs) {
        let Some(run) = run else {
            o.absent.push(spec.label.to_string());
            continue;
        };
        let k = spec.cols.len();
        // Table 2 has no identity inside a row: a split is known only when it is the only one.
        let lens = if k == 1 {
            vec![vec![run.digits.len()]]
        } else {
            let minus: Vec<bool> = spec.cols.iter().map(|c| signed(c)).collect();
            splits(&run.digits, k, &minus, &|_| true).unwrap_or_default()
        };
        if lens.len() == 1 {
            o.rows.push(Row {
                key: spec.key.to_string(),
                label: spec.label.to_string(),
                raw_label: src[run.label.start..run.label.end].to_string(),
                span: run.label,
                cells: cells_of(src, spec.key, spec.cols, &run.digits, &lens[0]),
            });
        } else {
            let candidates = if lens.len() <= ShapeIssue::MAX_CANDIDATES {
                lens.iter().map(|l| values(&run.digits, l)).collect()
            } else {
                Vec::new()
            };
            o.ambiguous.push(Ambiguous {
                label: spec.label.to_string(),
                key: Some(spec.key.to_string()),
                span: Span::new(run.digits[0].start, run.digits[run.digits.len() - 1].end),
                count: lens.len(),
                readings: 0,
                candidates,
            });
        }
    }
    let mut columns: Vec<Column> = Vec::new();
    for c in specs.iter().flat_map(|s| s.cols.iter()) {
        if !columns.iter().any(|x| x.key == *c) {
            columns.push(Column {
                key: c.to_string(),
                label: schema::t2_col_label(c).to_string(),
            });
        }
    }
    table("t2", Some(format), columns, o, span)
}

fn table(
    kind: &str,
    format: Option<FormatVersion>,
    columns: Vec<Column>,
    o: Outcome,
    region: Span,
) -> Option<Table> {
    let first = o.rows.first().map(|r| r.span)?;
    let last = o
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.span))
        .chain(o.ambiguous.iter().map(|a| a.span))
        .max_by_key(|s| s.end)
        .unwrap_or(first);
    let data = first.join(last);
    Some(Table {
        kind: kind.to_string(),
        format,
        span: Span::new(data.start.max(region.start), data.end),
        data_span: data,
        columns,
        shape_issues: issues(kind, &o, first),
        rows: o.rows,
        empty_runs: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(s: &str) -> Span {
        Span::new(0, s.len())
    }

    fn row<'a>(t: &'a Table, key: &str) -> Option<Vec<&'a str>> {
        t.rows
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.cells.iter().map(|c| c.raw.as_str()).collect())
    }

    const T3_2021: &str = "一、本年新收政府信息公开申请数量21710000218二、上年结转政府信息公开申请数量0000000三、本年度办 理结果 （一）予以公开710000071（二）部分公开（区分处理的，只计这一情形，不计其他情形）290000029（三）不予公开1.属于国家秘密40000042.其他法律行政法规禁止公开00000003.危及“三安全一稳定”00000004.保护第三方合法权益30000035.属于三类内部事务信息3200000326.属于四类过程性信息00000007.属于行政执法案卷00000008.属于行政查询事项0000000（四）无法提供1.本机关不掌握相关政府信息7500000752.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请10000013.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 10000012.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 00000003.其他1100002（七）总计21710000218四、结转下年度继续办理0000000";

    #[test]
    fn table_three_rows_split_by_their_totals() {
        let t = recover(T3_2021, whole(T3_2021), "t3", None).unwrap();
        assert_eq!(t.format, Some(FormatVersion::V2021));
        assert_eq!(t.rows.len(), 25, "{:?}", t.shape_issues);
        assert_eq!(
            row(&t, "new").unwrap(),
            ["217", "1", "0", "0", "0", "0", "218"]
        );
        // `…40000042.其他法律…`: the 2 is the next label's numbering.
        assert_eq!(
            row(&t, "r3_1_state_secret").unwrap(),
            ["4", "0", "0", "0", "0", "0", "4"]
        );
        assert_eq!(
            row(&t, "r6_3_other").unwrap(),
            ["1", "1", "0", "0", "0", "0", "2"]
        );
        // Spans point at the digits in the text.
        let c = &t.rows[0].cells[0];
        assert_eq!(&T3_2021[c.span.start..c.span.end], "217");
        assert_eq!(t.shape_issues.len(), 1);
        assert_eq!(t.shape_issues[0].kind, "run-together");
    }

    #[test]
    fn a_space_is_always_a_cell_boundary() {
        // `20 0 00 0 121`: 20,0,0,0,0,1,21 — without the spaces 200,0,0,... would not sum anyway,
        // but `1 21` must not be read as 12,1.
        let s = "一、本年新收政府信息公开申请数量200 000121二、上年结转";
        let chars = chars_of(s, whole(s));
        let specs = schema::t3_rows(FormatVersion::V2019);
        let runs = cut_runs(&chars, &specs[..1], &[]);
        let run = runs[0].as_ref().unwrap();
        let found = splits(&run.digits, 7, &[], &|v| {
            v.len() < 7 || v[..6].iter().sum::<i64>() == v[6]
        })
        .unwrap();
        let vals: Vec<Vec<i64>> = found.iter().map(|c| values(&run.digits, c)).collect();
        assert_eq!(vals, [vec![20, 0, 0, 0, 0, 1, 21]]);
    }

    #[test]
    fn table_four_groups_split_by_their_totals() {
        let s = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计21317000001324019五、存在的主要问题";
        let t = recover(s, whole(s), "t4", None).unwrap();
        assert_eq!(row(&t, "review").unwrap(), ["2", "1", "3", "1", "7"]);
        assert_eq!(row(&t, "suit_direct").unwrap(), ["0", "0", "0", "0", "0"]);
        assert_eq!(
            row(&t, "suit_after_review").unwrap(),
            ["13", "2", "4", "0", "19"]
        );
    }

    #[test]
    fn rows_that_split_several_ways_are_reported_not_guessed() {
        let s = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件6233440第二十条第（五）项信息内容本年处理决定数量行政许可4529第二十条第（六）项信息内容本年处理决定数量行政处罚1100行政强制65第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费18651.06三、收到";
        let t = recover(s, whole(s), "t2", None).unwrap();
        assert_eq!(row(&t, "regulations").unwrap(), ["0", "0", "0"]);
        assert_eq!(row(&t, "licensing").unwrap(), ["4529"]);
        assert_eq!(row(&t, "fees").unwrap(), ["18651.06"]);
        assert!(row(&t, "normative_documents").is_none());
        let open: Vec<&ShapeIssue> = t
            .shape_issues
            .iter()
            .filter(|i| i.kind == "ambiguous")
            .collect();
        assert_eq!(open.len(), 1);
        assert!(
            open[0].message.contains("行政规范性文件"),
            "{}",
            open[0].message
        );
        assert_eq!(&s[open[0].span.start..open[0].span.end], "6233440");
        // Every split is kept for the rules, in the schema's column order.
        assert_eq!(open[0].row.as_deref(), Some("normative_documents"));
        let c = &open[0].candidates;
        assert_eq!(c.len(), 15, "{c:?}");
        assert!(c.contains(&vec![62, 33, 440]) && c.contains(&vec![6, 2, 33440]));
        assert!(c.iter().all(|v| v.len() == 3));
    }

    #[test]
    fn a_minus_sign_starts_a_signed_cell_and_is_never_dropped() {
        // 2019 format, 行政事业性收费 上一年项目数量 35, 本年增/减 −15: once read
        // as 3 / 5 (the run stopped at the `-`), an invented value.
        let s = "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费35-15第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购1357539元三、收到";
        let t = recover(s, whole(s), "t2", Some(FormatVersion::V2019)).unwrap();
        assert_eq!(row(&t, "fees").unwrap(), ["35", "-15"]);
        // Only the signed column takes a `-`: 行政处罚 `2648-18538` splits after
        // 上一年项目数量 2648, and each reading is kept.
        let s = "第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚2648-18538行政强制000第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费350三、收到";
        let t = recover(s, whole(s), "t2", Some(FormatVersion::V2019)).unwrap();
        let amb: Vec<&ShapeIssue> = t
            .shape_issues
            .iter()
            .filter(|i| i.row.as_deref() == Some("punishment"))
            .collect();
        assert_eq!(
            amb[0].candidates,
            [
                vec![2648, -1, 8538],
                vec![2648, -18, 538],
                vec![2648, -185, 38],
                vec![2648, -1853, 8]
            ]
        );
    }

    #[test]
    fn digits_that_fit_no_identity_leave_the_table_unread() {
        // 9 + 9 ≠ 5 however the run is cut: nothing is invented.
        let s = "结果维持结果纠正其他结果尚未审结总计995";
        assert!(recover(s, whole(s), "t4", None).is_none());
    }

    #[test]
    fn long_runs_end_quickly_and_unread() {
        let s = format!("结果维持结果纠正其他结果尚未审结总计{}", "1".repeat(60));
        let t0 = std::time::Instant::now();
        let t = recover(&s, whole(&s), "t4", None);
        assert!(t.is_none());
        assert!(t0.elapsed().as_secs() < 5, "bounded search");
    }

    /// 平潭 自然资源与生态环境局 2023: `（二）部分公开…8100008` has one reading
    /// (8 1 0 0 0 0 8) and is read as it stands, so its wrong total is found;
    /// `（七）总计191000019` breaks the row total however it is split.
    #[test]
    fn a_single_reading_is_read_and_every_broken_reading_is_named() {
        let s = T3_2021
            .replace(
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）290000029",
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）8100008",
            )
            .replace("（七）总计21710000218", "（七）总计191000019");
        let t = recover(&s, whole(&s), "t3", None).unwrap();
        assert_eq!(
            row(&t, "r2_partial").unwrap(),
            ["8", "1", "0", "0", "0", "0", "8"]
        );
        assert!(row(&t, "r7_total").is_none());
        let broken: Vec<&ShapeIssue> = t
            .shape_issues
            .iter()
            .filter(|i| i.kind == "broken-row")
            .collect();
        assert_eq!(broken.len(), 1, "{:?}", t.shape_issues);
        assert_eq!(broken[0].row.as_deref(), Some("r7_total"));
        assert!(
            broken[0].message.contains("无论怎样拆分"),
            "{}",
            broken[0].message
        );
        // 平潭 行政审批局 2024, table 4: fifteen digits for fifteen cells.
        let s = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计100000000000000五、存在";
        let t = recover(s, whole(s), "t4", None).unwrap();
        assert_eq!(row(&t, "review").unwrap(), ["1", "0", "0", "0", "0"]);
    }

    /// 平潭 市场监督管理局 2025: the last row runs into the next sentence
    /// (`四、结转下年度继续办理2000002` + `2025年，我局…`).
    #[test]
    fn a_year_after_the_last_row_is_not_its_digits() {
        let s = T3_2021.replace(
            "四、结转下年度继续办理0000000",
            "四、结转下年度继续办理00000002025年，我局共收到申请",
        );
        let t = recover(&s, whole(&s), "t3", None).unwrap();
        assert_eq!(row(&t, "carried_out").unwrap(), ["0"; 7]);
    }
}

//! The calculation network of the format: every identity among table cells
//! (spec §5.3, §6.2), evaluated like an XBRL calculation linkbase. Identities are
//! data; rules decide what to report about them.

use super::schema::{self, T3_COLS, T3_COL_LABELS, T4_COLS, T4_GROUPS, T4_GROUP_LABELS};
use super::{FormatVersion, Report, Table};

/// A cell address inside one table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CellAddr {
    pub row: String,
    pub col: String,
}

fn addr(row: &str, col: &str) -> CellAddr {
    CellAddr {
        row: row.to_string(),
        col: col.to_string(),
    }
}

/// `sum(lhs) == sum(rhs)`.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The identity family, named like the rule that checks it: `t3-balance`, …
    pub family: &'static str,
    pub table: &'static str,
    /// Where it applies, in words: `自然人列`, `（七）总计行`, `行政复议`.
    pub scope: String,
    pub lhs: Vec<CellAddr>,
    pub rhs: Vec<CellAddr>,
}

/// An evaluated identity.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub identity: &'static Identity,
    pub lhs_sum: i64,
    pub rhs_sum: i64,
    pub holds: bool,
    /// The one cell whose change would satisfy every failing identity of the table.
    pub suspect: Option<(CellAddr, i64)>,
}

/// All identities of table 3 and table 4 for a format.
pub fn identities(format: FormatVersion) -> Vec<Identity> {
    let mut out = Vec::new();
    let leaves = schema::t3_leaf_keys(format);
    for (i, col) in T3_COLS.iter().enumerate() {
        let scope = format!("{}列", T3_COL_LABELS[i]);
        out.push(Identity {
            family: "t3-balance",
            table: "t3",
            scope: scope.clone(),
            lhs: vec![addr("new", col), addr("carried_in", col)],
            rhs: vec![addr("r7_total", col), addr("carried_out", col)],
        });
        out.push(Identity {
            family: "t3-results-total",
            table: "t3",
            scope,
            lhs: vec![addr("r7_total", col)],
            rhs: leaves.iter().map(|r| addr(r, col)).collect(),
        });
    }
    for row in schema::t3_rows(format) {
        out.push(Identity {
            family: "t3-row-total",
            table: "t3",
            scope: format!("{}行", schema::short_label(row.label)),
            lhs: vec![addr(row.key, "total")],
            rhs: T3_COLS[..6].iter().map(|c| addr(row.key, c)).collect(),
        });
    }
    for (g, label) in T4_GROUPS.iter().zip(T4_GROUP_LABELS) {
        out.push(Identity {
            family: "t4-group-total",
            table: "t4",
            scope: label.to_string(),
            lhs: vec![addr(g, "total")],
            rhs: T4_COLS[..4].iter().map(|c| addr(g, c)).collect(),
        });
    }
    out
}

/// The identities of a format, built once per process.
fn identities_of(format: FormatVersion) -> &'static [Identity] {
    static V2019: std::sync::OnceLock<Vec<Identity>> = std::sync::OnceLock::new();
    static V2021: std::sync::OnceLock<Vec<Identity>> = std::sync::OnceLock::new();
    match format {
        FormatVersion::V2019 => V2019.get_or_init(|| identities(format)),
        FormatVersion::V2021 => V2021.get_or_init(|| identities(format)),
    }
}

/// A table's rows by key (the first row with a key, as `Table::row` finds it),
/// so that looking up the cells of 45 identities does not scan the table each time.
struct RowIndex<'a> {
    table: &'a Table,
    rows: std::collections::HashMap<&'a str, usize>,
}

impl<'a> RowIndex<'a> {
    fn new(table: &'a Table) -> RowIndex<'a> {
        let mut rows = std::collections::HashMap::with_capacity(table.rows.len());
        for (i, r) in table.rows.iter().enumerate() {
            rows.entry(r.key.as_str()).or_insert(i);
        }
        RowIndex { table, rows }
    }

    /// `table.cell(row, col)`'s value when it is an integer.
    fn int_value(&self, a: &CellAddr) -> Option<i64> {
        let row = &self.table.rows[*self.rows.get(a.row.as_str())?];
        match row.cells.iter().find(|c| c.col == a.col)?.value {
            super::Value::Integer(i) => Some(i),
            _ => None,
        }
    }
}

/// Evaluate every identity of `family` (or all families when `None`) whose cells
/// are all integers. Identities with a blank, text or missing cell are skipped:
/// `cell-value` and `table-shape` report those cells.
pub fn evaluate(report: &Report, family: Option<&str>) -> Vec<Evaluation> {
    let Some(format) = report.format.detected else {
        return Vec::new();
    };
    let indexes: Vec<(&str, RowIndex)> = ["t3", "t4"]
        .into_iter()
        .filter_map(|kind| Some((kind, RowIndex::new(report.table(kind)?))))
        .collect();
    let index = |kind: &str| indexes.iter().find(|(k, _)| *k == kind).map(|(_, i)| i);
    let all: Vec<(&'static Identity, i64, i64)> = identities_of(format)
        .iter()
        .filter_map(|id| {
            let table = index(id.table)?;
            let sum = |cells: &[CellAddr]| -> Option<i64> {
                cells
                    .iter()
                    .map(|a| table.int_value(a))
                    .sum::<Option<i64>>()
            };
            let l = sum(&id.lhs)?;
            let r = sum(&id.rhs)?;
            Some((id, l, r))
        })
        .collect();
    let failing: Vec<&(&Identity, i64, i64)> = all.iter().filter(|(_, l, r)| l != r).collect();
    all.iter()
        .filter(|(id, _, _)| family.is_none_or(|f| id.family == f))
        .map(|(id, l, r)| {
            let holds = l == r;
            let suspect = if holds {
                None
            } else {
                find_suspect(report, id.table, &all, &failing)
            };
            Evaluation {
                identity: id,
                lhs_sum: *l,
                rhs_sum: *r,
                holds,
                suspect,
            }
        })
        .collect()
}

/// A cell is the suspect when every identity containing it fails, every failing
/// identity of its table contains it, and all of them are repaired by one value.
fn find_suspect(
    report: &Report,
    table_kind: &str,
    all: &[(&Identity, i64, i64)],
    failing: &[&(&Identity, i64, i64)],
) -> Option<(CellAddr, i64)> {
    let table = RowIndex::new(report.table(table_kind)?);
    let failing: Vec<_> = failing
        .iter()
        .filter(|(id, _, _)| id.table == table_kind)
        .collect();
    let first = failing.first()?;
    let candidates = first.0.lhs.iter().chain(first.0.rhs.iter());
    let mut found = None;
    for cand in candidates {
        let current = table.int_value(cand)?;
        let mut needed: Option<i64> = None;
        let mut ok = true;
        for (id, l, r) in all.iter().filter(|(id, _, _)| id.table == table_kind) {
            let in_lhs = id.lhs.contains(cand);
            let in_rhs = id.rhs.contains(cand);
            if !in_lhs && !in_rhs {
                if l != r {
                    ok = false;
                    break;
                }
                continue;
            }
            if l == r {
                ok = false;
                break;
            }
            let v = if in_lhs {
                current + (r - l)
            } else {
                current + (l - r)
            };
            if needed.is_some_and(|n| n != v) {
                ok = false;
                break;
            }
            needed = Some(v);
        }
        if let (true, Some(v)) = (ok, needed) {
            if v >= 0 {
                if found.is_some() {
                    return None; // ambiguous
                }
                found = Some((cand.clone(), v));
            }
        }
    }
    found
}

//! Pairing reports with the same organ's previous year, for the cross-year
//! rules (`family: "cross-year"`, `report.previous`).
//!
//! A cheap pre-pass over a batch reads each file's organ and year from its
//! head (title, or the CMS `发布机构` field; the same reading as the parser's
//! metadata), normalises the organ's name, maps aliases and renamed organs
//! through the `[organs]` table of `report-lint.toml`, and pairs each report
//! of year Y with the report of year Y − 1 of the same organ (or, when exactly
//! one fits, of the same name with or without the city in front). Only the paths
//! are kept: the predecessor is parsed again when its successor is checked,
//! so one report model (plus its predecessor) is in memory at a time.

use crate::input::ReadOptions;
use crate::input::Source;
use crate::parse::{lexer, metadata, sections};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How much of the head of a file the pre-pass reads: the title and metadata
/// come before part 一.
const HEAD_BYTES: usize = 8 * 1024;

/// A report's organ (normalised, aliases applied) and year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Identity {
    pub organ: String,
    pub year: i64,
}

/// The organ's name for comparison: widths folded, spaces, punctuation and
/// brackets dropped, a leading `关于` removed. `平潭综合实验区（管委会）` and
/// `平潭综合实验区管委会` compare equal.
pub fn normalise_organ(name: &str) -> String {
    let folded = crate::parse::normalize::fold(name);
    let kept: String = folded
        .chars()
        .filter(|c| c.is_alphanumeric() && !matches!(c, '·' | '•'))
        .collect();
    kept.trim_start_matches("关于").to_string()
}

/// The organ under its one name: an alias from `[organs]` maps to its target.
pub fn canonical_organ(name: &str, organs: &BTreeMap<String, String>) -> String {
    let n = normalise_organ(name);
    organs.get(&n).cloned().unwrap_or(n)
}

/// Organ and year of a decoded file, read from its head only.
pub fn identify_source(src: &Source, organs: &BTreeMap<String, String>) -> Option<Identity> {
    let text = src.text.as_str();
    let mut end = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Cut at a line end so the last line is whole.
    let head = match text[..end].rfind('\n') {
        Some(i) if end < text.len() => &text[..=i],
        _ => &text[..end],
    };
    let lines = lexer::lex(head);
    let first_heading = sections::first_part_line(head, &lines).unwrap_or(lines.len().min(20));
    let md = metadata::read(head, &lines, first_heading);
    let mut id = identity_of(&md, organs)?;
    // A title whose year the statistics period contradicts (`2022年度…年度报告`
    // over data from 2023年1月1日 to 12月31日) is a slip the report is checked
    // for (`year-consistency`); pairing follows the data's year, so the slip
    // does not make the report last year's report of its own organ's others.
    if let Some(p) = metadata::stats_period(head) {
        let whole_year = p.start.year == p.end.year && p.start.month == 1 && p.end.month == 12;
        if whole_year && p.start.year != id.year {
            id.year = p.start.year;
        }
    }
    Some(id)
}

fn identity_of(md: &crate::model::Metadata, organs: &BTreeMap<String, String>) -> Option<Identity> {
    let organ = canonical_organ(&md.organ.as_ref()?.value, organs);
    let year = md.year.as_ref()?.value;
    (!organ.is_empty()).then_some(Identity { organ, year })
}

/// Organ and year of a file, read with the batch's read options (only its
/// head); `None` when it cannot be read or names neither.
pub fn identify_with(
    path: &Path,
    organs: &BTreeMap<String, String>,
    read: &ReadOptions,
) -> Option<Identity> {
    let head = ReadOptions {
        head_only: true,
        ..read.clone()
    };
    let src = crate::input::read_path_with(path, &head).ok()?;
    identify_source(&src, organs)
}

/// How `predecessors` reads the batch: the read options of the run and the
/// worker threads for the pass that reads each file's organ and year.
#[derive(Clone, Copy)]
pub struct PairingRun<'a> {
    pub read: &'a ReadOptions,
    pub jobs: usize,
}

/// Each file's previous year's report for the cross-year rules: `previous`
/// (`--previous FILE`) for every file, or else the same organ's report of the
/// year before in the batch ([`pair_with`]). Skipped when no cross-year rule
/// is enabled. An unreadable `previous` is an error naming the file.
pub fn predecessors(
    files: &[PathBuf],
    cfg: &crate::config::Config,
    rules: &crate::engine::RuleSet,
    previous: Option<&Path>,
    run: PairingRun,
) -> Result<std::collections::BTreeMap<PathBuf, PathBuf>, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(prev) = previous {
        let src = crate::input::read_path_with(prev, run.read)
            .map_err(|e| format!("{}: 无法读取上年报告（--previous）：{e}", prev.display()))?;
        let prev_id = identify_source(&src, &cfg.organs);
        for f in files {
            if same_file(f, prev) {
                continue;
            }
            if let (Some(p), Some(me)) = (&prev_id, identify_with(f, &cfg.organs, run.read)) {
                if p.year + 1 != me.year || p.organ != me.organ {
                    eprintln!(
                        "warning: {} 是“{}”{} 年度的报告，{} 是“{}”{} 年度的报告；仍按 --previous 比较",
                        prev.display(),
                        p.organ,
                        p.year,
                        f.display(),
                        me.organ,
                        me.year
                    );
                }
            }
            out.insert(f.clone(), prev.to_path_buf());
        }
        return Ok(out);
    }
    if cross_year_on(rules) && files.len() > 1 {
        out = pair_with(files, &cfg.organs, run);
    }
    Ok(out)
}

/// Whether any cross-year rule runs: without one, nothing is paired.
pub fn cross_year_on(rules: &crate::engine::RuleSet) -> bool {
    rules
        .rules
        .iter()
        .any(|r| r.family == "cross-year" && r.severity.is_some())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Each file's predecessor in the batch: the file of the same organ and the
/// year before. When two files claim the same organ and year, the first in
/// path order is the predecessor of the next year (and both get one). The
/// files are read with the run's read options on `run.jobs` threads.
pub fn pair_with(
    files: &[PathBuf],
    organs: &BTreeMap<String, String>,
    run: PairingRun,
) -> BTreeMap<PathBuf, PathBuf> {
    let mut ids: Vec<(PathBuf, Identity)> = Vec::new();
    let r: Result<(), std::convert::Infallible> = crate::check::for_each_ordered(
        files,
        run.jobs,
        |f| identify_with(f, organs, run.read),
        |i, id| {
            if let Some(id) = id {
                ids.push((files[i].clone(), id));
            }
            Ok(())
        },
    );
    let Ok(()) = r;
    pair_identities(&ids)
}

/// [`pair_with`] on identities already read.
pub fn pair_identities(ids: &[(PathBuf, Identity)]) -> BTreeMap<PathBuf, PathBuf> {
    let mut by_key: BTreeMap<(&str, i64), &PathBuf> = BTreeMap::new();
    for (path, id) in ids {
        let key = (id.organ.as_str(), id.year);
        match by_key.get(&key) {
            Some(p) if *p <= path => {}
            _ => {
                by_key.insert(key, path);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (path, id) in ids {
        if let Some(prev) = by_key.get(&(id.organ.as_str(), id.year - 1)) {
            out.insert(path.clone(), (*prev).clone());
            continue;
        }
        // The same organ with or without the name of the province or city above
        // it (`洪泽区人民政府` / `淮安市洪泽区人民政府`), when exactly one report of
        // the year before fits.
        let fits: Vec<&&PathBuf> = by_key
            .iter()
            .filter(|((organ, year), _)| *year == id.year - 1 && same_with_prefix(organ, &id.organ))
            .map(|(_, p)| p)
            .collect();
        if let [prev] = fits.as_slice() {
            out.insert(path.clone(), (**prev).clone());
        }
    }
    out
}

/// Whether one name is the other preceded by the name of a higher-level
/// division (`淮安市`, `江苏省`, `延边朝鲜族自治州`): `淮安市洪泽区人民政府` and
/// `洪泽区人民政府`. The shorter name must itself name a place (at least four
/// characters), so `人民政府` alone never matches.
pub fn same_with_prefix(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if short.chars().count() < 4 || !long.ends_with(short) {
        return false;
    }
    let prefix = &long[..long.len() - short.len()];
    prefix.chars().count() >= 2
        && ["省", "市", "州", "盟", "地区", "自治区"]
            .iter()
            .any(|s| prefix.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(organ: &str, year: i64) -> Identity {
        Identity {
            organ: organ.into(),
            year,
        }
    }

    #[test]
    fn normalises_names() {
        assert_eq!(
            normalise_organ(" 平潭综合实验区（管委会）"),
            "平潭综合实验区管委会"
        );
        assert_eq!(
            normalise_organ("关于淮安市洪泽区人民政府"),
            "淮安市洪泽区人民政府"
        );
    }

    #[test]
    fn aliases_map_to_one_name() {
        let mut organs = BTreeMap::new();
        organs.insert(
            "洪泽县人民政府".to_string(),
            "淮安市洪泽区人民政府".to_string(),
        );
        assert_eq!(
            canonical_organ("洪泽县人民政府", &organs),
            "淮安市洪泽区人民政府"
        );
        assert_eq!(canonical_organ("某某局", &organs), "某某局");
    }

    #[test]
    fn pairs_consecutive_years_of_one_organ() {
        let ids = vec![
            (PathBuf::from("a/2023.txt"), id("甲区人民政府", 2023)),
            (PathBuf::from("a/2024.txt"), id("甲区人民政府", 2024)),
            (PathBuf::from("b/2024.txt"), id("乙局", 2024)),
            (PathBuf::from("b/2022.txt"), id("乙局", 2022)),
            (PathBuf::from("c/2020.txt"), id("甲区人民政府", 2020)),
        ];
        let p = pair_identities(&ids);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[&PathBuf::from("a/2024.txt")], PathBuf::from("a/2023.txt"));
    }

    #[test]
    fn a_city_prefix_pairs_only_when_one_report_fits() {
        assert!(same_with_prefix("淮安市洪泽区人民政府", "洪泽区人民政府"));
        assert!(!same_with_prefix("淮安市洪泽区人民政府", "人民政府"));
        assert!(!same_with_prefix("洪泽区人民政府办公室", "洪泽区人民政府"));
        let ids = vec![
            (PathBuf::from("hz/2023.txt"), id("洪泽区人民政府", 2023)),
            (
                PathBuf::from("hz/2024.txt"),
                id("淮安市洪泽区人民政府", 2024),
            ),
            (
                PathBuf::from("gl/2023-nj.txt"),
                id("南京市鼓楼区人民政府", 2023),
            ),
            (
                PathBuf::from("gl/2023-fz.txt"),
                id("福州市鼓楼区人民政府", 2023),
            ),
            (PathBuf::from("gl/2024.txt"), id("鼓楼区人民政府", 2024)),
        ];
        let p = pair_identities(&ids);
        assert_eq!(
            p[&PathBuf::from("hz/2024.txt")],
            PathBuf::from("hz/2023.txt")
        );
        // Two cities have a 鼓楼区: which one is meant cannot be told.
        assert!(!p.contains_key(&PathBuf::from("gl/2024.txt")), "{p:?}");
    }

    #[test]
    fn reads_organ_and_year_from_the_head() {
        let src = crate::input::decode(
            "x.txt",
            "淮安市洪泽区人民政府2024年政府信息公开工作年度报告\n\n一、总体情况\n正文。\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            identify_source(&src, &BTreeMap::new()),
            Some(id("淮安市洪泽区人民政府", 2024))
        );
    }
}

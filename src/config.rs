//! `report-lint.toml`: extra rule folders, rule levels, include/exclude globs.
//! Found in the current directory or its parents, or given with `--config`.
//! Also the baseline file (`baseline = "FILE"`, docs/baseline.md) and per-path
//! rule levels (`[[overrides]]`, README "Configuration").

use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::RuleSet;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "report-lint.toml";
/// A configuration larger than this is refused unread.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    baseline: Option<String>,
    #[serde(default)]
    overrides: Vec<toml::Spanned<RawOverride>>,
    #[serde(default)]
    rules_dirs: Vec<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<String>>,
    /// Per-rule settings: `[options.publication-late]` → `township = "02-20"`.
    #[serde(default)]
    options: BTreeMap<String, toml::Spanned<toml::Table>>,
    #[serde(default)]
    organs: BTreeMap<String, toml::Spanned<toml::Value>>,
    /// Accepted findings: `[[ignore]]` tables.
    #[serde(default)]
    ignore: Vec<toml::Spanned<RawIgnore>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    files: Vec<toml::Spanned<String>>,
    rule: String,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// `[[ignore]]`: findings of one rule accepted on the reports whose path
/// matches `files` (all of them, or the one with `fingerprint`), with the
/// reason they are accepted (required).
#[derive(Debug, Clone)]
pub struct Ignore {
    pub files: Vec<glob::Pattern>,
    pub rule: String,
    /// 16 hex digits, as in the JSON output and baselines; `None`: every
    /// finding of the rule on those reports.
    pub fingerprint: Option<String>,
    pub reason: String,
    /// The line of the `[[ignore]]` table.
    pub line: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Vec<toml::Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<String>>,
}

/// `[[overrides]]`: rule levels for the reports whose path matches `files`.
#[derive(Debug, Clone)]
pub struct Override {
    pub files: Vec<glob::Pattern>,
    /// Rule id → level (`None` = off), with the 1-based line it was set on.
    pub levels: BTreeMap<String, (Option<Severity>, usize)>,
    /// The line of the `[[overrides]]` table.
    pub line: usize,
}

/// A loaded configuration.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// `baseline = "FILE"`, relative to the config file.
    pub baseline: Option<PathBuf>,
    /// `[[overrides]]` in file order; later ones win.
    pub overrides: Vec<Override>,
    pub rules_dirs: Vec<PathBuf>,
    pub include: Vec<glob::Pattern>,
    pub exclude: Vec<glob::Pattern>,
    /// Rule id → level (`None` = off), with the 1-based line it was set on.
    pub levels: BTreeMap<String, (Option<Severity>, usize)>,
    /// Rule id → its settings (`[options.<id>]`), with the 1-based line of the table.
    pub options: BTreeMap<String, (toml::Table, usize)>,
    /// `[organs]`: an alias or former name → the one name the organ's reports
    /// are paired under (cross-year rules), both normalised
    /// ([`crate::pairing::normalise_organ`]).
    pub organs: BTreeMap<String, String>,
    /// Rules that are off (in `[rules]`, or opt-in and not named there) but
    /// run because an override turns them on for some paths
    /// ([`Config::enable_for_overrides`]); their findings elsewhere are dropped.
    pub only_by_override: std::collections::BTreeSet<String>,
    /// `[[ignore]]` in file order.
    pub ignores: Vec<Ignore>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Rule levels of `[rules]` or of an override's `rules`, each with its line.
fn levels(
    raw: BTreeMap<String, toml::Spanned<String>>,
    text: &str,
    path: &Path,
) -> Result<BTreeMap<String, (Option<Severity>, usize)>, String> {
    let mut out = BTreeMap::new();
    for (id, level) in raw {
        let line = line_of(text, level.span().start);
        let sev = match level.get_ref().as_str() {
            "off" => None,
            s => Some(Severity::parse(s).ok_or_else(|| {
                format!(
                    "{}:{line}: 配置错误：规则 {id} 的级别 “{s}” 无效，应为 error、warning、note 或 off",
                    path.display()
                )
            })?),
        };
        out.insert(id, (sev, line));
    }
    Ok(out)
}

/// A report path relative to `base`, `/` separated (lexically; `..` where it
/// lies outside).
fn relative(path: &Path, base: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    std::fs::canonicalize(&abs).unwrap_or(abs)
}

impl Config {
    /// Find `report-lint.toml` in `dir` or its parents.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        let mut d = Some(dir);
        while let Some(cur) = d {
            let p = cur.join(FILE_NAME);
            if p.is_file() {
                return Some(p);
            }
            d = cur.parent();
        }
        None
    }

    /// Load and validate a config file (a regular file of at most
    /// [`MAX_CONFIG_BYTES`]). Errors name the file and the line.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = crate::input::read_text(path, MAX_CONFIG_BYTES)
            .map_err(|e| format!("{}: 无法读取配置文件：{e}", path.display()))?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            format!("{}:{line}: 配置错误：{}", path.display(), e.message())
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut cfg = Config {
            path: Some(path.to_path_buf()),
            ..Default::default()
        };
        cfg.rules_dirs = raw.rules_dirs.iter().map(|d| base.join(d)).collect();
        let pattern = |p: &String| {
            glob::Pattern::new(p)
                .map_err(|e| format!("{}: 配置错误：无效的 glob “{p}”：{e}", path.display()))
        };
        cfg.include = raw.include.iter().map(pattern).collect::<Result<_, _>>()?;
        cfg.exclude = raw.exclude.iter().map(pattern).collect::<Result<_, _>>()?;
        cfg.baseline = raw.baseline.map(|b| base.join(b));
        for o in raw.overrides {
            let line = line_of(text, o.span().start);
            let o = o.into_inner();
            if o.files.is_empty() {
                return Err(format!(
                    "{}:{line}: 配置错误：[[overrides]] 的 files 不能为空",
                    path.display()
                ));
            }
            let files = o
                .files
                .iter()
                .map(|p| {
                    glob::Pattern::new(p.get_ref()).map_err(|e| {
                        format!(
                            "{}:{}: 配置错误：无效的 glob “{}”：{e}",
                            path.display(),
                            line_of(text, p.span().start),
                            p.get_ref()
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            cfg.overrides.push(Override {
                files,
                levels: levels(o.rules, text, path)?,
                line,
            });
        }
        for i in raw.ignore {
            let line = line_of(text, i.span().start);
            let i = i.into_inner();
            let err = |msg: &str| format!("{}:{line}: 配置错误：[[ignore]] {msg}", path.display());
            let reason = i.reason.map(|r| r.trim().to_string()).unwrap_or_default();
            if reason.is_empty() {
                return Err(err(
                    "缺少 reason：写明为什么接受这个问题（如“原表如此，已与发布机关核实”）",
                ));
            }
            if i.files.is_empty() {
                return Err(err("的 files 不能为空"));
            }
            if let Some(fp) = &i.fingerprint {
                if fp.len() != 16 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(err(&format!(
                        "的 fingerprint “{fp}” 应为 16 位十六进制数（JSON 输出中每个问题的 fingerprint）"
                    )));
                }
            }
            let files = i
                .files
                .iter()
                .map(|p| {
                    glob::Pattern::new(p.get_ref()).map_err(|e| {
                        format!(
                            "{}:{}: 配置错误：无效的 glob “{}”：{e}",
                            path.display(),
                            line_of(text, p.span().start),
                            p.get_ref()
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            cfg.ignores.push(Ignore {
                files,
                rule: i.rule,
                fingerprint: i.fingerprint.map(|f| f.to_ascii_lowercase()),
                reason,
                line,
            });
        }
        cfg.levels.extend(levels(raw.rules, text, path)?);
        for (id, table) in raw.options {
            let line = line_of(text, table.span().start);
            cfg.options.insert(id, (table.into_inner(), line));
        }
        let mut lines = BTreeMap::new();
        for (alias, name) in &raw.organs {
            let line = line_of(text, name.span().start);
            let err = |msg: String| format!("{}:{line}: 配置错误：[organs] {msg}", path.display());
            let Some(value) = name.get_ref().as_str() else {
                return Err(err(format!("“{alias}”的值应为字符串（统一后的机关名称）")));
            };
            let (a, v) = (
                crate::pairing::normalise_organ(alias),
                crate::pairing::normalise_organ(value),
            );
            if a.is_empty() || v.is_empty() {
                return Err(err(format!("“{alias}” = “{value}”：机关名称不能为空")));
            }
            if a == v {
                return Err(err(format!("“{alias}”映射到它自己")));
            }
            cfg.organs.insert(a.clone(), v);
            lines.insert(a, line);
        }
        // One step only: a name mapped to must not itself be mapped elsewhere.
        for (a, v) in &cfg.organs {
            if cfg.organs.contains_key(v) {
                let line = lines[a];
                return Err(format!(
                    "{}:{line}: 配置错误：[organs] “{a}”映射到“{v}”，而“{v}”又映射到“{}”；请直接映射到最终名称",
                    path.display(),
                    cfg.organs[v]
                ));
            }
        }
        Ok(cfg)
    }

    /// Every rule id the file names (`[rules]`, `[options.<id>]`,
    /// `[[overrides]]`) must be a loaded rule (or one that failed to load).
    /// The error names the file and the line.
    pub fn check_rule_ids(&self, rules: &RuleSet) -> Result<(), String> {
        let known =
            |id: &str| rules.rule(id).is_some() || rules.errors.iter().any(|e| e.rule == id);
        let named = self
            .levels
            .iter()
            .map(|(id, (_, line))| (id, line))
            .chain(self.options.iter().map(|(id, (_, line))| (id, line)))
            .chain(
                self.overrides
                    .iter()
                    .flat_map(|o| o.levels.iter())
                    .map(|(id, (_, line))| (id, line)),
            )
            .chain(self.ignores.iter().map(|i| (&i.rule, &i.line)));
        for (id, line) in named {
            if !known(id) {
                let file = self
                    .path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                return Err(format!(
                    "{file}:{line}: 配置错误：没有名为 {id} 的规则（report-lint rules 列出全部规则）"
                ));
            }
        }
        Ok(())
    }

    /// A rule turned off in `[rules]` still has to run when an override turns
    /// it on for some paths: give it the override's level here;
    /// [`Config::apply_overrides`] drops its findings on the other paths.
    pub fn enable_for_overrides(&mut self, rules: &mut RuleSet) {
        for rule in &mut rules.rules {
            if rule.severity.is_some() {
                continue;
            }
            let on = self
                .overrides
                .iter()
                .rev()
                .find_map(|o| o.levels.get(&rule.id).and_then(|(s, _)| *s));
            if let Some(level) = on {
                rule.severity = Some(level);
                rule.configured = true;
                self.only_by_override.insert(rule.id.clone());
            }
        }
    }

    /// `--select` and `--ignore` (rule ids or families, on top of the file):
    /// with `select`, only the rules it names run, opt-in and configured-off
    /// ones included (at their configured level, else their default one);
    /// then `ignore` turns off the rules it names. An unknown name is an
    /// error naming it.
    pub fn select_rules(
        &mut self,
        rules: &mut RuleSet,
        select: &[String],
        ignore: &[String],
    ) -> Result<(), String> {
        let names = |list: &[String], option: &str| -> Result<Vec<String>, String> {
            let mut out = Vec::new();
            for name in list.iter().flat_map(|s| s.split(',')).map(str::trim) {
                if name.is_empty() {
                    continue;
                }
                if rules.rule(name).is_none()
                    && !crate::engine::FAMILIES.contains(&name)
                    && !rules.errors.iter().any(|e| e.rule == name)
                {
                    return Err(format!(
                        "{option} {name}：没有这个规则或类别（类别：{}；report-lint rules 列出全部规则）",
                        crate::engine::FAMILIES.join("、")
                    ));
                }
                out.push(name.to_string());
            }
            Ok(out)
        };
        let select = names(select, "--select")?;
        let ignore = names(ignore, "--ignore")?;
        let named = |list: &[String], r: &crate::engine::Rule| {
            list.iter().any(|n| *n == r.id || *n == r.family)
        };
        for rule in &mut rules.rules {
            if !select.is_empty() {
                if named(&select, rule) {
                    if rule.severity.is_none() || self.only_by_override.contains(&rule.id) {
                        // Asked for by name: runs on every report.
                        self.only_by_override.remove(&rule.id);
                        rule.severity = Some(rule.default_severity);
                    }
                } else {
                    rule.severity = None;
                }
            }
            if named(&ignore, rule) {
                rule.severity = None;
            }
        }
        Ok(())
    }

    /// The checked path as overrides see it: relative to the config file's
    /// folder, `/` separated.
    fn override_path(&self, report: &Path) -> String {
        let base = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."));
        relative(&absolute(report), &absolute(base))
    }

    /// The level the last matching `[[overrides]]` gives `rule` on a report
    /// (`rel` from [`Config::override_path`]): `None` when none names it,
    /// `Some(None)` when it is turned off there.
    fn override_level(&self, rel: &str, rule: &str) -> Option<Option<Severity>> {
        self.overrides
            .iter()
            .rev()
            .filter(|o| Self::path_matches(&o.files, rel))
            .find_map(|o| o.levels.get(rule).map(|(s, _)| *s))
    }

    /// Do `files` patterns (of `[[overrides]]` or `[[ignore]]`) match a
    /// report path `rel` ([`Config::override_path`])? `*` also matches
    /// across `/`; a pattern without `/` is also tried on the file name.
    fn path_matches(files: &[glob::Pattern], rel: &str) -> bool {
        let opts = glob::MatchOptions {
            require_literal_separator: false,
            ..Default::default()
        };
        let name = rel.rsplit('/').next().unwrap_or(rel);
        files.iter().any(|p| {
            p.matches_with(rel, opts) || (!p.as_str().contains('/') && p.matches_with(name, opts))
        })
    }

    /// Apply `[[ignore]]` to the findings on one report (`text` its text
    /// view, for fingerprints): the accepted findings are moved out and
    /// returned; `used[i]` counts the findings ignore `i` accepted (an
    /// ignore that accepts nothing in a run is reported as unused).
    pub fn apply_ignores(
        &self,
        report: &Path,
        text: &str,
        diags: &mut Vec<Diagnostic>,
        used: &mut [usize],
    ) -> Vec<Diagnostic> {
        if self.ignores.is_empty() {
            return Vec::new();
        }
        let rel = self.override_path(report);
        let applying: Vec<usize> = (0..self.ignores.len())
            .filter(|&i| Self::path_matches(&self.ignores[i].files, &rel))
            .collect();
        let mut accepted = Vec::new();
        if applying.is_empty() {
            return accepted;
        }
        let mut kept = Vec::with_capacity(diags.len());
        for d in diags.drain(..) {
            // Computed at most once per finding, and only when an ignore names one.
            let mut fingerprint: Option<String> = None;
            let hit = applying.iter().copied().find(|&i| {
                let ig = &self.ignores[i];
                ig.rule == d.rule
                    && ig.fingerprint.as_ref().is_none_or(|fp| {
                        *fp == *fingerprint
                            .get_or_insert_with(|| crate::baseline::fingerprint(text, &d))
                    })
            });
            match hit {
                Some(i) => {
                    if let Some(n) = used.get_mut(i) {
                        *n += 1;
                    }
                    accepted.push(d);
                }
                None => kept.push(d),
            }
        }
        *diags = kept;
        accepted
    }

    /// Apply `[[overrides]]` to the findings on one report: a rule turned off
    /// there loses its findings, a level replaces the findings' own.
    pub fn apply_overrides(&self, report: &Path, diags: &mut Vec<Diagnostic>) {
        if self.overrides.is_empty() {
            return;
        }
        let rel = self.override_path(report);
        diags.retain_mut(|d| match self.override_level(&rel, &d.rule) {
            Some(None) => false,
            Some(Some(level)) => {
                d.severity = level;
                // The level is the configuration's: the 2019 "one level lower"
                // note no longer applies.
                d.notes.retain(|n| !n.contains("降一级报告"));
                true
            }
            // Off, and only run for the paths an override names.
            None => !self.only_by_override.contains(&d.rule),
        });
    }

    /// Patterns of a folder walk match the path or the file name alone,
    /// whatever the case (`A.DOCX` is a `*.docx`).
    fn walk_matches(patterns: &[glob::Pattern], path: &Path) -> bool {
        let opts = glob::MatchOptions {
            case_sensitive: false,
            require_literal_separator: false,
            require_literal_leading_dot: false,
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        patterns
            .iter()
            .any(|p| p.matches_path_with(path, opts) || p.matches_with(&name, opts))
    }

    /// Is a file found while walking a folder left out by `exclude`? Such a
    /// file is not mentioned (the configuration asked for it).
    pub fn excludes(&self, path: &Path) -> bool {
        Self::walk_matches(&self.exclude, path)
    }

    /// Does `include` take a file found while walking a folder? `None` when
    /// the configuration has no `include` (every supported format is taken).
    pub fn includes(&self, path: &Path) -> Option<bool> {
        (!self.include.is_empty()).then(|| Self::walk_matches(&self.include, path))
    }

    /// The `include` patterns as written, for the reason a file is skipped.
    pub fn include_text(&self) -> String {
        let list: Vec<String> = self
            .include
            .iter()
            .map(|p| format!("\"{}\"", p.as_str()))
            .collect();
        format!("include = [{}]", list.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_key_names_the_line() {
        let e = Config::parse(
            "include = [\"*.txt\"]\nrule-dirs = []\n",
            Path::new("report-lint.toml"),
        )
        .unwrap_err();
        assert!(e.contains("report-lint.toml:2:"), "{e}");
    }

    #[test]
    fn wrong_level_names_the_line() {
        let e = Config::parse("[rules]\nt3-balance = \"loud\"\n", Path::new("x.toml")).unwrap_err();
        assert!(e.contains("x.toml:2:") && e.contains("loud"), "{e}");
    }

    #[test]
    fn organ_aliases_are_normalised_and_checked() {
        let c = Config::parse(
            "[organs]\n\"平潭综合实验区管委会\" = \"平潭综合实验区\"\n\"洪泽县人民政府\" = \"淮安市洪泽区人民政府\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(c.organs["平潭综合实验区管委会"], "平潭综合实验区");
        let e = Config::parse("[organs]\n\"甲\" = 3\n", Path::new("x.toml")).unwrap_err();
        assert!(e.contains("x.toml:2:") && e.contains("字符串"), "{e}");
        let e = Config::parse(
            "[organs]\n\"甲局\" = \"乙局\"\n\"乙局\" = \"丙局\"\n",
            Path::new("x.toml"),
        )
        .unwrap_err();
        assert!(e.contains("x.toml:2:") && e.contains("丙局"), "{e}");
        let e = Config::parse("[organs]\n\"甲局\" = \" 甲局\"\n", Path::new("x.toml")).unwrap_err();
        assert!(e.contains("x.toml:2:") && e.contains("它自己"), "{e}");
    }

    #[test]
    fn levels_and_dirs() {
        let c = Config::parse(
            "rules-dirs = [\"r\"]\n[rules]\nheading-whitespace = \"off\"\n",
            Path::new("/p/x.toml"),
        )
        .unwrap();
        assert_eq!(c.rules_dirs, vec![PathBuf::from("/p/r")]);
        assert_eq!(c.levels["heading-whitespace"], (None, 3));
    }

    #[test]
    fn ignores_need_a_reason_and_a_well_formed_fingerprint() {
        let c = Config::parse(
            "[[ignore]]\nfiles = [\"乡镇/*.html\"]\nrule = \"cell-value\"\nfingerprint = \"A94045325ED4AFE1\"\nreason = \" 原表如此 \"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        let i = &c.ignores[0];
        assert_eq!(
            (i.rule.as_str(), i.line, i.reason.as_str()),
            ("cell-value", 1, "原表如此")
        );
        assert_eq!(i.fingerprint.as_deref(), Some("a94045325ed4afe1"));
        let e = Config::parse(
            "[rules]\n\n[[ignore]]\nfiles = [\"a.txt\"]\nrule = \"cell-value\"\nreason = \"  \"\n",
            Path::new("x.toml"),
        )
        .unwrap_err();
        assert!(e.contains("x.toml:3:") && e.contains("reason"), "{e}");
        let e = Config::parse(
            "[[ignore]]\nfiles = [\"a.txt\"]\nrule = \"x\"\nfingerprint = \"12\"\nreason = \"r\"\n",
            Path::new("x.toml"),
        )
        .unwrap_err();
        assert!(e.contains("fingerprint") && e.contains("16"), "{e}");
    }

    #[test]
    fn rule_options_keep_their_line() {
        let c = Config::parse(
            "[rules]\nx = \"off\"\n[options.publication-late]\ntownship = \"02-20\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        let (table, line) = &c.options["publication-late"];
        assert_eq!(table["township"].as_str(), Some("02-20"));
        assert_eq!(*line, 3);
    }
}

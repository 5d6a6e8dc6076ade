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
}

/// Default file patterns when walking a directory.
pub const DEFAULT_INCLUDE: [&str; 7] = [
    "*.txt",
    "*.md",
    "*.markdown",
    "*.html",
    "*.htm",
    "*.pdf",
    "*.docx",
];

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
            );
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
        let opts = glob::MatchOptions {
            require_literal_separator: false,
            ..Default::default()
        };
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.overrides
            .iter()
            .rev()
            .filter(|o| {
                o.files.iter().any(|p| {
                    p.matches_with(rel, opts)
                        || (!p.as_str().contains('/') && p.matches_with(name, opts))
                })
            })
            .find_map(|o| o.levels.get(rule).map(|(s, _)| *s))
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

    /// Should a file found while walking a directory be checked?
    pub fn selects(&self, path: &Path) -> bool {
        let opts = glob::MatchOptions {
            require_literal_separator: false,
            ..Default::default()
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let matches =
            |p: &glob::Pattern| p.matches_path_with(path, opts) || p.matches_with(&name, opts);
        // Word's lock file of an open document (`~$报告.docx`) is not a report.
        if self.exclude.iter().any(matches) || name.starts_with("~$") {
            return false;
        }
        if self.include.is_empty() {
            DEFAULT_INCLUDE.iter().any(|p| {
                glob::Pattern::new(p)
                    .map(|p| p.matches(&name))
                    .unwrap_or(false)
            })
        } else {
            self.include.iter().any(matches)
        }
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

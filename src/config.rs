//! `report-lint.toml`: extra rule folders, rule levels, include/exclude globs.
//! Found in the current directory or its parents, or given with `--config`.

use crate::diagnostics::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "report-lint.toml";

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules_dirs: Vec<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<String>>,
    #[serde(default)]
    organs: BTreeMap<String, toml::Spanned<toml::Value>>,
}

/// A loaded configuration.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    pub rules_dirs: Vec<PathBuf>,
    pub include: Vec<glob::Pattern>,
    pub exclude: Vec<glob::Pattern>,
    /// Rule id → level (`None` = off), with the 1-based line it was set on.
    pub levels: BTreeMap<String, (Option<Severity>, usize)>,
    /// `[organs]`: an alias or former name → the one name the organ's reports
    /// are paired under (cross-year rules), both normalised
    /// ([`crate::pairing::normalise_organ`]).
    pub organs: BTreeMap<String, String>,
}

/// Default file patterns when walking a directory.
pub const DEFAULT_INCLUDE: [&str; 3] = ["*.txt", "*.md", "*.markdown"];

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
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

    /// Load and validate a config file. Errors name the file and the line.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
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
        for (id, level) in raw.rules {
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
            cfg.levels.insert(id, (sev, line));
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
        if self.exclude.iter().any(matches) {
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
}

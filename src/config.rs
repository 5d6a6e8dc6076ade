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
}

/// Default file patterns when walking a directory.
pub const DEFAULT_INCLUDE: [&str; 4] = ["*.txt", "*.md", "*.markdown", "*.docx"];

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

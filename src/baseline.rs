//! Baselines: a sidecar file of accepted findings.
//!
//! Reports cannot carry suppression comments (HTML, DOCX and PDF are not ours
//! to edit), so `report-lint baseline` writes the current findings to a JSON
//! file and `check --baseline FILE` suppresses the findings that match an
//! entry: later runs fail only on new findings. Documented in `docs/baseline.md`.
//!
//! An entry is keyed by the report (its path relative to the baseline file, `/`
//! separated), the rule id and a location fingerprint. The fingerprint hashes
//! the rule id, the message with line references masked, and the
//! whitespace-normalised text of the primary span with a little context on
//! its line, so it survives edits elsewhere in the report (lines inserted above,
//! another sentence reworded) and changes when the offending text changes.
//! Where one fingerprint occurs several times in a report the entry has a count.

use crate::diagnostics::{Diagnostic, UnusedEntry};
use crate::model::{floor_char_boundary, Span};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// The file `report-lint baseline` writes when neither `-o` nor the
/// configuration names one.
pub const DEFAULT_FILE: &str = "report-lint-baseline.json";

/// The format version written in the file.
pub const VERSION: u64 = 1;

/// Characters of context taken on each side of the primary span, on its line.
const CONTEXT_CHARS: usize = 24;
/// Longer span texts keep their first and last this many characters.
const SPAN_CHARS: usize = 120;

/// One accepted finding (or several with the same fingerprint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The report, relative to the baseline file's folder, `/` separated.
    pub file: String,
    pub rule: String,
    /// 16 hex digits (see [`fingerprint`]).
    pub fingerprint: String,
    /// How many findings in `file` have this rule and fingerprint.
    #[serde(default = "one")]
    pub count: usize,
    /// The finding's message, for people reading the file; not used to match.
    #[serde(default)]
    pub message: String,
    /// Why the finding is accepted, written by people; kept when
    /// `report-lint baseline` rewrites the file and shown with an unused entry.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

fn one() -> usize {
    1
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u64,
    #[serde(default)]
    tool: String,
    entries: Vec<Entry>,
}

/// 64-bit FNV-1a: stable across platforms and releases, no dependency.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            // A separator that cannot occur in text, so ("ab","c") ≠ ("a","bc").
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Collapse every run of whitespace (including the ideographic space) to one
/// space and trim.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The message with what depends on the finding's position masked: line
/// references such as `第 12–15 行`, `第12行` and `path:12:3`.
pub fn positionless(message: &str) -> String {
    use std::sync::OnceLock;
    static LINES: OnceLock<regex::Regex> = OnceLock::new();
    static COLONS: OnceLock<regex::Regex> = OnceLock::new();
    let lines = LINES.get_or_init(|| {
        regex::Regex::new(r"第\s*\d+\s*(?:[–—\-~～至到]\s*\d+\s*)?行").expect("valid regex")
    });
    let colons = COLONS.get_or_init(|| regex::Regex::new(r":\d+(?::\d+)?").expect("valid regex"));
    let m = lines.replace_all(message, "第#行");
    let m = colons.replace_all(&m, ":#");
    squash(&m)
}

/// The text of `span` with up to [`CONTEXT_CHARS`] characters on each side,
/// never past the span's own line(s); each part whitespace-normalised.
fn span_text(text: &str, span: Span) -> (String, String, String) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    // Only the context is read (never the whole line: a one-line report
    // with many findings stays linear).
    let before: String = {
        let mut chars: Vec<char> = text[..start]
            .chars()
            .rev()
            .take_while(|&c| c != '\n')
            .take(CONTEXT_CHARS)
            .collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let after: String = text[end..]
        .chars()
        .take_while(|&c| c != '\n')
        .take(CONTEXT_CHARS)
        .collect();
    let primary = squash(&text[start..end]);
    let chars: Vec<char> = primary.chars().collect();
    let primary = if chars.len() > 2 * SPAN_CHARS {
        let head: String = chars[..SPAN_CHARS].iter().collect();
        let tail: String = chars[chars.len() - SPAN_CHARS..].iter().collect();
        format!("{head}…{tail}")
    } else {
        primary
    };
    (squash(&before), primary, squash(&after))
}

/// The location fingerprint of a finding in `text` (the report's text view):
/// 16 hex digits.
pub fn fingerprint(text: &str, d: &Diagnostic) -> String {
    let (before, primary, after) = span_text(text, d.span);
    let message = positionless(&d.message);
    format!(
        "{:016x}",
        fnv1a(&[&d.rule, &message, &before, &primary, &after])
    )
}

/// Make `path` absolute (against the current directory), resolve symbolic
/// links where it exists and drop `.` and `..` lexically where it does not.
fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    if let Ok(c) = std::fs::canonicalize(&abs) {
        return c;
    }
    // The file is gone: resolve its folder if that still exists.
    if let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) {
        if let Ok(c) = std::fs::canonicalize(parent) {
            return c.join(name);
        }
    }
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to the folder `base` (both absolute), `/` separated, with
/// `..` where it lies outside.
fn relative_to(path: &Path, base: &Path) -> String {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &p[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// The folder a baseline file's paths are relative to.
fn base_dir(baseline: &Path) -> PathBuf {
    let parent = match baseline.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    absolute(&parent)
}

/// The key of a report in a baseline at `baseline`.
pub fn file_key(baseline: &Path, report: &Path) -> String {
    relative_to(&absolute(report), &base_dir(baseline))
}

/// Build the entries of a new baseline from the findings of each report
/// (its path, its text view, its findings). Sorted, counts merged.
pub fn entries<'a>(
    baseline: &Path,
    reports: impl IntoIterator<Item = (&'a Path, &'a str, &'a [Diagnostic])>,
) -> Vec<Entry> {
    let base = base_dir(baseline);
    let mut map: BTreeMap<(String, String, String), Entry> = BTreeMap::new();
    for (path, text, diags) in reports {
        let file = relative_to(&absolute(path), &base);
        for d in diags {
            let fp = fingerprint(text, d);
            map.entry((file.clone(), d.rule.clone(), fp.clone()))
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    file: file.clone(),
                    rule: d.rule.clone(),
                    fingerprint: fp,
                    count: 1,
                    message: d.message.clone(),
                    reason: String::new(),
                });
        }
    }
    map.into_values().collect()
}

/// Give `entries` the reasons written in the baseline file at `old` (the
/// file being rewritten) for the same report, rule and fingerprint. A
/// missing or unreadable old file gives none.
pub fn keep_reasons(old: &Path, entries: &mut [Entry]) {
    let Ok(prev) = Baseline::load(old) else {
        return;
    };
    for e in entries.iter_mut() {
        let key = (e.file.clone(), e.rule.clone(), e.fingerprint.clone());
        if let Some(&i) = prev.index.get(&key) {
            e.reason = prev.entries[i].reason.clone();
        }
    }
}

/// Write a baseline file. Errors name the file.
pub fn write(path: &Path, entries: Vec<Entry>) -> Result<(), String> {
    let doc = BaselineFile {
        version: VERSION,
        tool: format!("report-lint {}", env!("CARGO_PKG_VERSION")),
        entries,
    };
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    text.push('\n');
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: 无法创建基线文件所在的目录：{e}", path.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: 无法写入基线文件：{e}", path.display()))
}

/// A loaded baseline, consumed as findings match its entries.
#[derive(Debug)]
pub struct Baseline {
    pub path: PathBuf,
    base: PathBuf,
    entries: Vec<Entry>,
    /// Matches still available per entry (parallel to `entries`).
    left: Vec<usize>,
    /// Index of the entry for (file, rule, fingerprint).
    index: std::collections::HashMap<(String, String, String), usize>,
    /// Keys of the reports checked so far.
    checked: HashSet<String>,
    /// Findings suppressed so far.
    pub suppressed: usize,
}

impl Baseline {
    /// Read and validate a baseline file. Errors name the file and the cause.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        if !path.exists() {
            return Err(format!(
                "{}: 基线文件不存在（先运行 report-lint baseline 生成）",
                path.display()
            ));
        }
        let text = crate::input::read_text(path, crate::input::MAX_INPUT_BYTES)
            .map_err(|e| format!("{}: 无法读取基线文件：{e}", path.display()))?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Baseline, String> {
        let bad = |why: String| format!("{}: 基线文件无效：{why}", path.display());
        let doc: BaselineFile = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| bad(format!("{e}")))?;
        if doc.version != VERSION {
            return Err(bad(format!(
                "不支持的版本 {}（本版本读写版本 {VERSION}）",
                doc.version
            )));
        }
        let mut index = std::collections::HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        for (i, e) in doc.entries.into_iter().enumerate() {
            if e.file.is_empty() || e.rule.is_empty() {
                return Err(bad(format!("第 {} 条记录缺少 file 或 rule", i + 1)));
            }
            if e.fingerprint.len() != 16 || !e.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(format!(
                    "第 {} 条记录的 fingerprint “{}” 应为 16 位十六进制数",
                    i + 1,
                    e.fingerprint
                )));
            }
            if e.count == 0 {
                return Err(bad(format!("第 {} 条记录的 count 应至少为 1", i + 1)));
            }
            let file = e.file.replace('\\', "/");
            let key = (
                file.clone(),
                e.rule.clone(),
                e.fingerprint.to_ascii_lowercase(),
            );
            // The same key twice (hand-merged files): add the counts up.
            if let Some(&j) = index.get(&key) {
                let prev: &mut Entry = &mut entries[j];
                prev.count += e.count;
                if prev.reason.is_empty() {
                    prev.reason = e.reason;
                }
                continue;
            }
            index.insert(key, entries.len());
            entries.push(Entry { file, ..e });
        }
        let left = entries.iter().map(|e| e.count).collect();
        Ok(Baseline {
            path: path.to_path_buf(),
            base: base_dir(path),
            entries,
            left,
            index,
            checked: HashSet::new(),
            suppressed: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Split the findings on one report into (kept, suppressed).
    pub fn apply(
        &mut self,
        report: &Path,
        text: &str,
        diags: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let file = relative_to(&absolute(report), &self.base);
        self.checked.insert(file.clone());
        let mut kept = Vec::new();
        let mut suppressed = Vec::new();
        for d in diags {
            let key = (file.clone(), d.rule.clone(), fingerprint(text, &d));
            match self.index.get(&key) {
                Some(&i) if self.left[i] > 0 => {
                    self.left[i] -= 1;
                    self.suppressed += 1;
                    suppressed.push(d);
                }
                _ => kept.push(d),
            }
        }
        (kept, suppressed)
    }

    /// Entries (or parts of their counts) that matched nothing: on reports
    /// checked in this run, and on reports that no longer exist. Entries for
    /// reports that exist but were not checked are not judged.
    pub fn unused(&self) -> Vec<UnusedEntry> {
        self.entries
            .iter()
            .zip(&self.left)
            .filter(|(e, &left)| {
                left > 0 && (self.checked.contains(&e.file) || !self.base.join(&e.file).exists())
            })
            .map(|(e, &left)| UnusedEntry {
                file: e.file.clone(),
                rule: e.rule.clone(),
                fingerprint: e.fingerprint.clone(),
                count: left,
                message: e.message.clone(),
                reason: e.reason.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    fn diag(rule: &str, message: &str, text: &str, needle: &str) -> Diagnostic {
        let start = text.find(needle).unwrap();
        Diagnostic {
            rule: rule.into(),
            severity: Severity::Error,
            message: message.into(),
            span: Span::new(start, start + needle.len()),
            label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            origin: None,
            table_place: None,
        }
    }

    #[test]
    fn fingerprint_ignores_lines_elsewhere_and_sees_the_span() {
        let a = "标题\n表三 | 合计 | 63 | 其他 |\n结尾\n";
        let b = "新增一行\n\n标题（改）\n表三 | 合计 | 63 | 其他 |\n结尾改了\n";
        let c = "标题\n表三 | 合计 | 64 | 其他 |\n结尾\n";
        let fa = fingerprint(a, &diag("t3", "合计不符（第 2 行）", a, "63"));
        let fb = fingerprint(b, &diag("t3", "合计不符（第 4 行）", b, "63"));
        let fc = fingerprint(c, &diag("t3", "合计不符（第 2 行）", c, "64"));
        assert_eq!(fa, fb);
        assert_ne!(fa, fc);
        assert_eq!(fa.len(), 16);
        // The rule is part of the key.
        assert_ne!(
            fa,
            fingerprint(a, &diag("t4", "合计不符（第 2 行）", a, "63"))
        );
    }

    #[test]
    fn messages_lose_line_references() {
        assert_eq!(
            positionless("表三中第 12–15 行是空行"),
            positionless("表三中第 20–23 行是空行")
        );
        assert_eq!(positionless("见 a.txt:3:4"), "见 a.txt:#");
        assert_ne!(positionless("合计 63"), positionless("合计 64"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to(Path::new("/a/b/c.txt"), Path::new("/a")),
            "b/c.txt"
        );
        assert_eq!(
            relative_to(Path::new("/x/c.txt"), Path::new("/a/b")),
            "../../x/c.txt"
        );
    }

    #[test]
    fn corrupt_files_name_the_file() {
        let p = Path::new("bl.json");
        for bad in [
            "{",
            "[]",
            r#"{"version": 2, "entries": []}"#,
            r#"{"version": 1, "entries": [{"file": "a", "rule": "r", "fingerprint": "xyz"}]}"#,
            r#"{"version": 1, "entries": [{"file": "a", "rule": "r", "fingerprint": "0123456789abcdef", "count": 0}]}"#,
            r#"{"version": 1, "entries": [], "extra": 1}"#,
        ] {
            let e = Baseline::parse(bad, p).unwrap_err();
            assert!(e.starts_with("bl.json: 基线文件无效"), "{e}");
        }
        let ok = Baseline::parse(
            r#"{"version": 1, "entries": [{"file": "a", "rule": "r", "fingerprint": "0123456789abcdef"}]}"#,
            p,
        )
        .unwrap();
        assert_eq!(ok.len(), 1);
    }
}

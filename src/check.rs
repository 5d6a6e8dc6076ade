//! A batch run: expand paths, read and parse each file once, run the rules,
//! and collect results in path order. A file that cannot be read gets an error
//! entry; the rest of the batch still runs.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, FileReport, RuleError, RuleInfo, Severity, Summary};
use crate::engine::clock;
use crate::engine::RuleSet;
use crate::model::Report;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Where one file's time went (for `--timings`).
#[derive(Debug, Clone, Default)]
pub struct FileTimings {
    /// Reading and decoding the file into its text view.
    pub read: Duration,
    /// Building the report model.
    pub parse: Duration,
    /// Each rule's time, by index in `RuleSet::rules`.
    pub rules: Vec<Duration>,
}

/// The result for one file.
pub struct FileResult {
    pub path: String,
    pub report: Option<Arc<Report>>,
    pub error: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub rule_errors: Vec<RuleError>,
    pub log: Vec<(String, String)>,
    pub timings: FileTimings,
}

impl FileResult {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// The file as the writers see it; `suppressed`: findings a baseline
    /// took out of `diagnostics`.
    pub fn file_report<'a>(&'a self, suppressed: &'a [Diagnostic]) -> FileReport<'a> {
        let rep = self.report.as_deref();
        FileReport {
            path: &self.path,
            text: rep.map(|x| x.text.as_str()),
            report: rep,
            error: self.error.as_deref(),
            format: rep.and_then(|x| x.format.detected.map(|f| f.as_str())),
            input_format: rep.map(|x| x.input_format.as_str()),
            year: rep.and_then(|x| x.metadata.year.as_ref().map(|y| y.value)),
            organ: rep.and_then(|x| x.metadata.organ.as_ref().map(|o| o.value.as_str())),
            diagnostics: &self.diagnostics,
            rule_errors: &self.rule_errors,
            suppressed,
        }
    }

    /// What a batch keeps once the file is written: the findings for the
    /// totals, without the report model and without the previous year's text
    /// that labels in another file carry, so memory stays flat.
    pub fn into_summary(mut self) -> FileResult {
        self.report = None;
        for l in self
            .diagnostics
            .iter_mut()
            .flat_map(|d| d.labels.iter_mut())
        {
            l.file = None;
        }
        self
    }
}

/// The rules as the writers see them (SARIF and JUnit metadata), after the
/// configuration.
pub fn rule_infos(rules: &RuleSet, cfg: &Config) -> Vec<RuleInfo> {
    rules
        .rules
        .iter()
        .map(|r| RuleInfo {
            id: r.id.clone(),
            summary: r.summary.clone(),
            family: r.family.clone(),
            reference: r.reference.clone(),
            default_severity: r.default_severity,
            // Off, but run for the paths an override turns it on for.
            severity: if cfg.only_by_override.contains(&r.id) {
                None
            } else {
                r.severity
            },
            default_enabled: r.default_enabled,
            builtin: r.builtin,
            file: r.file.clone(),
        })
        .collect()
}

/// Running totals of a batch, kept as the files stream past.
#[derive(Default)]
pub struct Tally {
    pub summary: Summary,
    /// Files with a finding at or above the failing level.
    pub failing: usize,
}

impl Tally {
    pub fn add(&mut self, r: &FileResult, fail: Severity) {
        let s = &mut self.summary;
        s.files += 1;
        s.errors += r.count(Severity::Error);
        s.warnings += r.count(Severity::Warning);
        s.notes += r.count(Severity::Note);
        let failing = r.diagnostics.iter().any(|d| d.severity >= fail);
        if failing {
            self.failing += 1;
        }
        if r.error.is_some() {
            s.unreadable += 1;
        }
        if failing || r.error.is_some() {
            s.failed += 1;
        }
    }
}

/// A path argument that matched nothing.
pub struct Missing(pub String);

/// A file found in a folder and not checked, with the reason (a format
/// report-lint does not read, or one the configuration's `include` leaves
/// out). Listed in the run's summary, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// What the path arguments expand to.
#[derive(Default)]
pub struct Expanded {
    /// Files to check, sorted, once each.
    pub files: Vec<PathBuf>,
    pub missing: Vec<Missing>,
    /// Files found in folders and not checked, sorted.
    pub skipped: Vec<Skipped>,
}

/// Expand files, directories (recursively: every file whose extension or
/// content is a supported format, filtered by the config) and globs. A file
/// named (or matched by a glob) is always checked. A folder reached twice (a
/// symlink loop, `ln -s . a`, or two links to one folder) is walked once, and
/// a file reached through two names is checked once: folders and files are
/// known by their identity (device and inode).
pub fn expand(args: &[String], cfg: &Config) -> Expanded {
    let mut out = Expanded::default();
    let mut seen = Seen::default();
    for a in args {
        let p = Path::new(a);
        if p.is_dir() {
            walk(p, cfg, &mut out, &mut seen);
        } else if p.exists() {
            out.files.push(p.to_path_buf());
        } else if a.contains(['*', '?', '[']) {
            let mut any = false;
            if let Ok(paths) = glob::glob(a) {
                for e in paths.flatten() {
                    any = true;
                    if e.is_dir() {
                        walk(&e, cfg, &mut out, &mut seen);
                    } else {
                        out.files.push(e);
                    }
                }
            }
            if !any {
                out.missing.push(Missing(format!("{a}: 没有匹配的文件")));
            }
        } else {
            out.missing.push(Missing(format!("{a}: 文件不存在")));
        }
    }
    out.files.sort();
    out.files.dedup();
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out.skipped.dedup();
    // A file named as well as found in a folder is checked, not skipped.
    out.skipped
        .retain(|s| out.files.binary_search(&s.path).is_err());
    out
}

/// Identities of the folders walked and files taken by [`expand`].
#[derive(Default)]
struct Seen {
    dirs: std::collections::HashSet<FileId>,
    files: std::collections::HashSet<FileId>,
}

/// What identifies a file or folder whatever the path it is reached by:
/// device and inode (the real path where there are none).
#[derive(PartialEq, Eq, Hash)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::metadata(path).ok()?;
            Some(FileId((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            Some(FileId(path.canonicalize().ok()?))
        }
    }
}

fn walk(dir: &Path, cfg: &Config, out: &mut Expanded, seen: &mut Seen) {
    // A folder whose identity cannot be read is walked (once per path).
    if FileId::of(dir).is_some_and(|id| !seen.dirs.insert(id)) {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if p.is_dir() {
            if !name.starts_with('.') {
                walk(&p, cfg, out, seen);
            }
            continue;
        }
        // Word's lock file of an open document (`~$报告.docx`) is not a
        // report, nor are report-lint's own files.
        if name.starts_with("~$")
            || name == crate::config::FILE_NAME
            || name == crate::baseline::DEFAULT_FILE
            || cfg.excludes(&p)
        {
            continue;
        }
        match crate::input::kind::classify(&p) {
            crate::input::kind::Kind::Report => match cfg.includes(&p) {
                Some(false) => out.skipped.push(Skipped {
                    reason: format!("不在配置文件的 {} 之内", cfg.include_text()),
                    path: p,
                }),
                _ => {
                    if FileId::of(&p).is_none_or(|id| seen.files.insert(id)) {
                        out.files.push(p);
                    }
                }
            },
            // Hidden files (`.DS_Store`) are not worth a line.
            crate::input::kind::Kind::Skip(_) if name.starts_with('.') => {}
            crate::input::kind::Kind::Skip(reason) => out.skipped.push(Skipped { path: p, reason }),
        }
    }
}

/// Report models of a batch kept for the reports that will be compared with
/// them, so a predecessor checked in the same batch is not read and parsed a
/// second time. Bounded: beyond `capacity` models, or when the successor
/// comes first, the successor reads the predecessor itself (the result is the
/// same either way; only the time differs).
#[derive(Default)]
pub struct Predecessors {
    /// Paths some report of the batch will ask for.
    wanted: std::collections::HashSet<PathBuf>,
    kept: std::sync::Mutex<std::collections::HashMap<PathBuf, Arc<Report>>>,
    capacity: usize,
    /// Predecessors that are not files of the batch (`--previous FILE`, the
    /// same for every report): read and parsed once, on first use.
    outside: std::collections::HashMap<PathBuf, std::sync::OnceLock<Option<Arc<Report>>>>,
}

impl Predecessors {
    /// A cache for the batch `files` (in the order they are checked) and
    /// `pairs` (report → its predecessor), holding at most `capacity` models.
    /// Only a predecessor checked before its successor and at most `capacity`
    /// files ahead of it is kept (an archive filed by organ has each year next
    /// to the one before; elsewhere the successor reads its predecessor).
    pub fn new(
        files: &[PathBuf],
        pairs: &std::collections::BTreeMap<PathBuf, PathBuf>,
        capacity: usize,
    ) -> Predecessors {
        let index: std::collections::HashMap<&PathBuf, usize> =
            files.iter().enumerate().map(|(i, f)| (f, i)).collect();
        let wanted = pairs
            .iter()
            .filter(|(succ, pred)| match (index.get(succ), index.get(pred)) {
                (Some(&s), Some(&p)) => p < s && s - p <= capacity,
                _ => false,
            })
            .map(|(_, pred)| pred.clone())
            .collect();
        let outside = pairs
            .values()
            .filter(|p| !index.contains_key(p))
            .map(|p| (p.clone(), std::sync::OnceLock::new()))
            .collect();
        Predecessors {
            wanted,
            kept: Default::default(),
            capacity,
            outside,
        }
    }

    fn offer(&self, path: &Path, report: &Arc<Report>) {
        if self.capacity == 0 || !self.wanted.contains(path) {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() < self.capacity {
            kept.insert(path.to_path_buf(), report.clone());
        }
    }

    /// The predecessor's model, kept or read now. A predecessor in the batch
    /// is handed out once (a report has one successor), which frees its place;
    /// one from outside the batch stays for every report that asks.
    fn take(
        &self,
        path: &Path,
        read: &crate::input::ReadOptions,
        timings: &mut FileTimings,
    ) -> Option<Arc<Report>> {
        if let Some(once) = self.outside.get(path) {
            return once.get_or_init(|| Self::read(path, read, timings)).clone();
        }
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
        if kept.is_some() {
            return kept;
        }
        Self::read(path, read, timings)
    }

    fn read(
        path: &Path,
        read: &crate::input::ReadOptions,
        timings: &mut FileTimings,
    ) -> Option<Arc<Report>> {
        let started = clock::now();
        let src = crate::input::read_path_with(path, read).ok();
        timings.read += clock::since(started);
        let started = clock::now();
        let report = src.and_then(|s| parse_guarded(&s).ok().map(Arc::new));
        timings.parse += clock::since(started);
        report
    }
}

/// Read (with options such as a forced encoding), parse and check one file:
/// one read and decode, one parse, every rule once. This is the unit of work a
/// batch worker runs. `previous` is the same organ's previous year's report
/// (`crate::pairing`) the cross-year rules compare it with, taken from `cache`
/// when the batch kept it; the file's own model is offered to `cache` when
/// another report of the batch is compared with it. A predecessor that cannot
/// be read is left out: it gets its own error entry when it is part of the
/// batch, and the CLI checks `--previous` up front.
pub fn check_file(
    path: &Path,
    rules: &RuleSet,
    previous: Option<&Path>,
    read: &crate::input::ReadOptions,
    cache: &Predecessors,
) -> FileResult {
    let started = clock::now();
    let source = crate::input::read_path_with(path, read);
    let mut timings = FileTimings {
        read: clock::since(started),
        ..FileTimings::default()
    };
    let name = crate::input::display_path(path);
    check_source(name, source, rules, &mut timings, |report, timings| {
        cache.offer(path, report);
        previous.and_then(|p| cache.take(p, read, timings))
    })
}

/// Check a file already in memory (`report-lint serve`: an upload is never
/// written to disk), with last year's report already parsed when there is
/// one. The same parse and rules as [`check_file`].
pub fn check_bytes(
    name: &str,
    bytes: &[u8],
    rules: &RuleSet,
    previous: Option<&Arc<Report>>,
) -> FileResult {
    let started = clock::now();
    let source = crate::input::decode(name, bytes);
    let mut timings = FileTimings {
        read: clock::since(started),
        ..FileTimings::default()
    };
    check_source(name.to_string(), source, rules, &mut timings, |_, _| {
        previous.cloned()
    })
}

/// Read and parse last year's report from memory for [`check_bytes`]; the
/// error is the reader's message, as the CLI prints it.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Arc<Report>, String> {
    let src = crate::input::decode(name, bytes).map_err(|e| e.to_string())?;
    parse_guarded(&src).map(Arc::new)
}

/// Parse behind `catch_unwind`: a parser bug on one file is that file's
/// error (named in the output, exit status 2), never the end of the batch.
pub fn parse_guarded(src: &crate::input::Source) -> Result<Report, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crate::parse::parse(src))).map_err(
        |panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let what: String = what.chars().take(200).collect();
            format!("内部错误：解析这个文件时出错（{what}）。这是 report-lint 的缺陷，请连同文件一起报告")
        },
    )
}

/// The one check path: a decoded source (or the reader's error), parsed once,
/// every rule once; `previous` is called with the parsed report and gives the
/// previous year's report, if any.
fn check_source(
    name: String,
    source: Result<crate::input::Source, crate::input::InputError>,
    rules: &RuleSet,
    timings: &mut FileTimings,
    previous: impl FnOnce(&Arc<Report>, &mut FileTimings) -> Option<Arc<Report>>,
) -> FileResult {
    match source {
        Err(e) => FileResult {
            path: name,
            report: None,
            error: Some(e.to_string()),
            diagnostics: Vec::new(),
            rule_errors: Vec::new(),
            log: Vec::new(),
            timings: std::mem::take(timings),
        },
        Ok(src) => {
            let started = clock::now();
            let report = match parse_guarded(&src) {
                Ok(r) => Arc::new(r),
                Err(e) => {
                    return FileResult {
                        path: name,
                        report: None,
                        error: Some(e),
                        diagnostics: Vec::new(),
                        rule_errors: Vec::new(),
                        log: Vec::new(),
                        timings: std::mem::take(timings),
                    }
                }
            };
            drop(src);
            timings.parse = clock::since(started);
            let previous = previous(&report, timings);
            let out = rules.run_with_previous(&report, previous.as_ref());
            timings.rules = out.timings;
            FileResult {
                path: name,
                report: Some(report),
                error: None,
                diagnostics: out.diagnostics,
                rule_errors: out.errors,
                log: out.log,
                timings: std::mem::take(timings),
            }
        }
    }
}

/// Worker threads to use when none are asked for: every available core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Run `work` on every item on `jobs` threads and hand each result to `emit`
/// in item order, as soon as it and every result before it are done.
///
/// Memory stays bounded whatever the number of items: a worker does not start
/// item `i` until item `i - window` has been emitted, so at most `window`
/// results wait at any time (`window` is a few items per thread). The order of
/// `emit` calls never depends on thread timing. When `emit` fails, the workers
/// stop taking items and the error is returned.
pub fn for_each_ordered<T, R, E>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
    mut emit: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let jobs = jobs.clamp(1, items.len().max(1));
    if jobs == 1 {
        for (i, item) in items.iter().enumerate() {
            emit(i, work(item))?;
        }
        return Ok(());
    }
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{mpsc, Condvar, Mutex};

    let window = jobs * 8;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results have been emitted, and a signal when that changes.
    let emitted = (Mutex::new(0usize), Condvar::new());

    /// Wakes everyone and stops the batch if its worker panics, so the
    /// writer never waits for a result that will not come.
    struct PanicGuard<'a>(&'a AtomicBool, &'a (Mutex<usize>, Condvar));
    impl Drop for PanicGuard<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.store(true, Ordering::SeqCst);
                let _lock = self.1 .0.lock();
                self.1 .1.notify_all();
            }
        }
    }

    /// Stops the workers when the writer's side ends, normally or by a panic
    /// (otherwise a worker waiting for the window would never wake up).
    struct StopGuard<'a>(&'a AtomicBool, &'a (Mutex<usize>, Condvar));
    impl Drop for StopGuard<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
            let _lock = self.1 .0.lock();
            self.1 .1.notify_all();
        }
    }

    std::thread::scope(|s| {
        let _stop = StopGuard(&stop, &emitted);
        let (tx, rx) = mpsc::channel::<(usize, R)>();
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, stop, emitted, work) = (&next, &stop, &emitted, &work);
            s.spawn(move || {
                let _guard = PanicGuard(stop, emitted);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= items.len() {
                        break;
                    }
                    {
                        let mut done = emitted.0.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *done + window && !stop.load(Ordering::SeqCst) {
                            done = emitted.1.wait(done).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let r = work(&items[i]);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);

        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut next_out = 0usize;
        let mut result = Ok(());
        'recv: while let Ok((i, r)) = rx.recv() {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&next_out) {
                if let Err(e) = emit(next_out, r) {
                    result = Err(e);
                    break 'recv;
                }
                next_out += 1;
                let mut done = emitted.0.lock().unwrap_or_else(|e| e.into_inner());
                *done = next_out;
                emitted.1.notify_all();
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
        }
        drop(rx);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::for_each_ordered;

    #[test]
    fn results_come_in_item_order_whatever_the_timing() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        let r: Result<(), ()> = for_each_ordered(
            &items,
            4,
            |&n| {
                // Later items finish first now and then.
                std::thread::sleep(std::time::Duration::from_micros((200 - n) % 7 * 50));
                n * 2
            },
            |i, v| {
                seen.push((i, v));
                Ok(())
            },
        );
        assert!(r.is_ok());
        let expected: Vec<(usize, u64)> = items.iter().map(|&n| (n as usize, n * 2)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_failing_writer_stops_the_batch() {
        let items: Vec<u32> = (0..10_000).collect();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let r = for_each_ordered(
            &items,
            2,
            |&n| {
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                n
            },
            |i, _| if i == 5 { Err("closed") } else { Ok(()) },
        );
        assert_eq!(r, Err("closed"));
        // The window keeps the workers from running far ahead of the writer.
        assert!(done.load(std::sync::atomic::Ordering::SeqCst) < 100);
    }

    #[test]
    fn a_panicking_writer_does_not_hang_the_workers() {
        let items: Vec<u32> = (0..1000).collect();
        let r = std::panic::catch_unwind(|| {
            let _: Result<(), ()> = for_each_ordered(
                &items,
                2,
                |&n| n,
                |i, _| {
                    assert!(i < 3, "writer bug");
                    Ok(())
                },
            );
        });
        assert!(r.is_err());
    }

    #[test]
    fn one_job_runs_in_order_on_this_thread() {
        let items = ["a", "b", "c"];
        let mut out = String::new();
        let r: Result<(), ()> = for_each_ordered(
            &items,
            1,
            |s| s.to_uppercase(),
            |_, s| {
                out.push_str(&s);
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(out, "ABC");
    }
}

#[cfg(test)]
mod predecessor_tests {
    use super::*;
    use std::collections::BTreeMap;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn only_predecessors_checked_shortly_before_their_successor_are_kept() {
        let files = [
            p("a/2022"),
            p("a/2023"),
            p("b/2023"),
            p("c/2021"),
            p("d/2021"),
            p("z/2024"),
        ];
        let pairs: BTreeMap<PathBuf, PathBuf> = [
            (p("a/2023"), p("a/2022")), // next file: kept
            (p("b/2023"), p("z/2024")), // predecessor checked after: not kept
            (p("z/2024"), p("c/2021")), // one file between, capacity 1: not kept
        ]
        .into_iter()
        .collect();
        let cache = Predecessors::new(&files, &pairs, 1);
        assert_eq!(
            cache.wanted,
            [p("a/2022")]
                .into_iter()
                .collect::<std::collections::HashSet<_>>()
        );
        let cache = Predecessors::new(&files, &pairs, 2);
        assert!(cache.wanted.contains(&p("c/2021")));
    }

    #[test]
    fn a_kept_model_is_handed_out_once_then_read_again() {
        let dir = std::env::temp_dir().join(format!("rl-pred-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let prev = dir.join("2023.txt");
        std::fs::write(&prev, "某某局2023年政府信息公开工作年度报告\n").unwrap();
        let next = dir.join("2024.txt");
        let pairs: BTreeMap<PathBuf, PathBuf> = [(next.clone(), prev.clone())].into();
        let cache = Predecessors::new(&[prev.clone(), next.clone()], &pairs, 8);
        let read = crate::input::ReadOptions::default();
        let model = Arc::new(crate::parse::parse(
            &crate::input::read_path_with(&prev, &read).unwrap(),
        ));
        cache.offer(&prev, &model);
        let mut t = FileTimings::default();
        let first = cache.take(&prev, &read, &mut t).unwrap();
        assert!(Arc::ptr_eq(&first, &model), "the kept model itself");
        assert!(t.parse.is_zero(), "nothing parsed again");
        let second = cache.take(&prev, &read, &mut t).unwrap();
        assert!(!Arc::ptr_eq(&second, &model), "read again once handed out");
        assert_eq!(second.text, model.text);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_predecessor_outside_the_batch_is_read_once_for_every_report() {
        // `--previous FILE`: the same model for each draft of the batch.
        let dir = std::env::temp_dir().join(format!("rl-pred-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let prev = dir.join("published-2023.txt");
        std::fs::write(&prev, "某某局2023年政府信息公开工作年度报告\n").unwrap();
        let drafts = [dir.join("a.txt"), dir.join("b.txt")];
        let pairs: BTreeMap<PathBuf, PathBuf> =
            drafts.iter().map(|d| (d.clone(), prev.clone())).collect();
        let cache = Predecessors::new(&drafts, &pairs, 8);
        let read = crate::input::ReadOptions::default();
        let mut t = FileTimings::default();
        let first = cache.take(&prev, &read, &mut t).unwrap();
        let second = cache.take(&prev, &read, &mut t).unwrap();
        assert!(Arc::ptr_eq(&first, &second), "parsed once");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

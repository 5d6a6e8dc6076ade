//! The rule engine: loads `.rhai` rules once per run, runs each on every report
//! in a locked-down Rhai engine, and turns what they return into diagnostics.

pub mod api;
pub mod clock;
mod crossyear;
mod resolver;

use crate::diagnostics::{Diagnostic, Label, OtherFile, RuleError, Severity};
use crate::model::{Report, Span};
use rhai::{CallFnOptions, Dynamic, Engine, EvalAltResult, Map, Position, Scope, AST};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// Limits every rule runs under, the same in debug and release builds.
pub mod limits {
    /// Operations per rule per report.
    pub const MAX_OPERATIONS: u64 = 2_000_000;
    pub const MAX_CALL_LEVELS: usize = 48;
    pub const MAX_EXPR_DEPTH: usize = 64;
    pub const MAX_FN_EXPR_DEPTH: usize = 48;
    pub const MAX_STRING_SIZE: usize = 1 << 20;
    pub const MAX_ARRAY_SIZE: usize = 100_000;
    /// Counted over nested values: an array of N narrative numbers (about 25
    /// keys each) holds 25·N entries, so this allows about 8,000 of them.
    pub const MAX_MAP_SIZE: usize = 200_000;
    pub const MAX_MODULES: usize = 16;
    pub const MAX_VARIABLES: usize = 1_000;
    pub const MAX_FUNCTIONS: usize = 512;
    /// Time per rule per report (and per rule file while it loads), Rust
    /// helpers included, checked every [`TIME_CHECK_EVERY`] operations: CPU
    /// time of the worker thread (what the rule costs, however busy the
    /// machine is), and wall-clock time as a backstop.
    pub const MAX_RULE_TIME: std::time::Duration = std::time::Duration::from_secs(10);
    pub const MAX_RULE_WALL_TIME: std::time::Duration = std::time::Duration::from_secs(60);
    pub const TIME_CHECK_EVERY: u64 = 256;
    /// What is kept of a rule's `print`/`debug` output per report (bytes).
    pub const MAX_PRINT_BYTES: usize = 64 * 1024;
    /// A rule file or rule library larger than this is refused unread.
    pub const MAX_RULE_FILE_BYTES: u64 = 1 << 20;
    /// Compiled regular expressions kept per thread (`find_all`, `find_in`, …).
    pub const MAX_CACHED_REGEXES: usize = 64;
    /// Size limits of one compiled regular expression (program, lazy DFA),
    /// and the longest pattern accepted (bytes).
    pub const MAX_REGEX_SIZE: usize = 1 << 20;
    pub const MAX_REGEX_DFA_SIZE: usize = 1 << 20;
    pub const MAX_PATTERN_BYTES: usize = 4096;
    /// Matches `find_all`/`find_in` return at most; past it the call fails
    /// (a rule error) rather than return a part of the matches.
    pub const MAX_MATCHES: usize = 3_000;
}

/// Rule families, as in the rule catalog.
/// The rule that reports a document that is not an annual report
/// (`Report::not_a_report`); on such a document only it and the `artifact`
/// rules run.
pub const NOT_A_REPORT: &str = "not-a-report";

pub const FAMILIES: [&str; 9] = [
    "arithmetic",
    "structure",
    "artifact",
    "plausibility",
    "narrative",
    "consistency",
    "dates",
    "content",
    "cross-year",
];

/// A loaded rule.
pub struct Rule {
    pub id: String,
    pub family: String,
    /// The level the rule reports at when it runs without configuration.
    pub default_severity: Severity,
    /// Whether it runs without configuration (`META.enabled`, default true).
    /// An opt-in rule (`enabled: false`) runs only when `[rules]` gives it a
    /// level, e.g. for a supervising office's stricter profile.
    pub default_enabled: bool,
    /// Effective severity after configuration; `None` when turned off.
    pub severity: Option<Severity>,
    /// The configuration set this rule's level.
    pub configured: bool,
    pub summary: String,
    pub reference: String,
    /// `rules/t3-balance.rhai` for built-ins, the file path otherwise.
    pub file: String,
    pub builtin: bool,
    pub source: Arc<str>,
    /// Settings from `[options.<id>]` in the configuration (`rule_options()` in Rhai).
    pub options: rhai::Map,
    ast: AST,
}

/// Where rules come from and how configuration changes them.
#[derive(Default, Clone)]
pub struct RuleOptions {
    /// Extra rule folders (each may have a `lib/` of helpers).
    pub dirs: Vec<PathBuf>,
    /// Severity overrides; `None` turns a rule off.
    pub levels: HashMap<String, Option<Severity>>,
    /// Skip the built-in rules (used by `test-rules` on a user folder).
    pub no_builtin: bool,
    /// Per-rule settings, handed to the rule as `rule_options()`.
    pub settings: HashMap<String, rhai::Map>,
}

pub struct RuleSet {
    /// One engine for the whole run, shared by every worker thread (`sync`,
    /// strings interner off: see `docs/performance.md`).
    engine: Engine,
    /// The `lib/` folders of the user rule folders, to build another engine
    /// configured the same way ([`RuleSet::new_engine`]).
    lib_dirs: Vec<PathBuf>,
    pub rules: Vec<Rule>,
    /// Rules that failed to load.
    pub errors: Vec<RuleError>,
}

/// Output of one report's run.
#[derive(Default)]
pub struct RunOutput {
    pub diagnostics: Vec<Diagnostic>,
    pub errors: Vec<RuleError>,
    /// What rules printed with `print`/`debug`: (rule id, text).
    pub log: Vec<(String, String)>,
    /// Time each rule took on this report, by index in [`RuleSet::rules`]
    /// (zero for a rule that is off).
    pub timings: Vec<Duration>,
}

thread_local! {
    static PRINT_LOG: RefCell<PrintLog> = const { RefCell::new(PrintLog { lines: Vec::new(), bytes: 0, dropped: 0 }) };
    /// When the rule running on this thread must stop: thread CPU time
    /// (`limits::MAX_RULE_TIME`) and wall-clock instant (`MAX_RULE_WALL_TIME`).
    static DEADLINE: std::cell::Cell<Option<(Option<Duration>, Instant)>> = const { std::cell::Cell::new(None) };
    /// The settings of the rule running on this thread (`rule_options()`).
    static RULE_OPTIONS: RefCell<rhai::Map> = const { RefCell::new(rhai::Map::new()) };
}

/// What the running rule printed on this report, at most
/// `limits::MAX_PRINT_BYTES`; the rest is counted, not kept.
struct PrintLog {
    lines: Vec<String>,
    bytes: usize,
    dropped: usize,
}

impl PrintLog {
    fn push(&mut self, s: &str) {
        if self.bytes + s.len() > limits::MAX_PRINT_BYTES {
            self.dropped += 1;
            return;
        }
        self.bytes += s.len();
        self.lines.push(s.to_string());
    }
    /// The kept lines, and a last line saying how many were dropped; empties the log.
    fn take(&mut self) -> Vec<String> {
        let mut out = std::mem::take(&mut self.lines);
        if self.dropped > 0 {
            out.push(format!(
                "（另有 {} 条输出超出每条规则每份报告 {} 字节的上限，未保留）",
                self.dropped,
                limits::MAX_PRINT_BYTES
            ));
        }
        self.bytes = 0;
        self.dropped = 0;
        out
    }
}

/// Run `f` (one rule on one report, or a rule file's top level) under the
/// time budget and with a panic turned into an error: nothing a rule does
/// can stop the batch.
fn guarded<T>(f: impl FnOnce() -> Result<T, Box<EvalAltResult>>) -> Result<T, Box<EvalAltResult>> {
    DEADLINE.set(Some((
        clock::thread_cpu_time().map(|t| t + limits::MAX_RULE_TIME),
        Instant::now() + limits::MAX_RULE_WALL_TIME,
    )));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    DEADLINE.set(None);
    result.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(EvalAltResult::ErrorRuntime(
            format!("规则执行时内部出错（已中止这条规则）：{what}").into(),
            Position::NONE,
        )
        .into())
    })
}

/// The token `on_progress` stops a rule with when its time is up.
const TIME_UP: &str = "report-lint:time-up";

/// A TOML value as a Rhai value (tables become maps, datetimes strings).
pub fn toml_to_dynamic(v: &toml::Value) -> Dynamic {
    match v {
        toml::Value::String(s) => s.clone().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => (*f).into(),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a
            .iter()
            .map(toml_to_dynamic)
            .collect::<rhai::Array>()
            .into(),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| (k.as_str().into(), toml_to_dynamic(v)))
            .collect::<rhai::Map>()
            .into(),
    }
}

fn build_engine(lib_dirs: Vec<PathBuf>) -> Engine {
    // Engine::new() brings the standard library; everything unsafe about its
    // defaults (file imports, print to stdout, no limits) is replaced below.
    let mut engine = Engine::new();
    engine
        .set_max_operations(limits::MAX_OPERATIONS)
        .set_max_call_levels(limits::MAX_CALL_LEVELS)
        .set_max_expr_depths(limits::MAX_EXPR_DEPTH, limits::MAX_FN_EXPR_DEPTH)
        .set_max_string_size(limits::MAX_STRING_SIZE)
        .set_max_array_size(limits::MAX_ARRAY_SIZE)
        .set_max_map_size(limits::MAX_MAP_SIZE)
        .set_max_modules(limits::MAX_MODULES)
        .set_max_variables(limits::MAX_VARIABLES)
        .set_max_functions(limits::MAX_FUNCTIONS)
        .set_max_strings_interned(0)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true);
    engine.disable_symbol("eval");
    // The standard packages' time functions: `sleep` blocks the worker (and
    // panics on a huge float), `timestamp` measures. A function registered on
    // the engine is found before the packages' ones.
    let no_time = |name: &str| -> Result<(), Box<EvalAltResult>> {
        Err(format!("规则不能使用 {name}()：报告检查不应依赖时间").into())
    };
    engine
        .register_fn("sleep", move |_: rhai::INT| no_time("sleep"))
        .register_fn("sleep", move |_: rhai::FLOAT| no_time("sleep"))
        .register_fn("timestamp", move || no_time("timestamp"));
    engine.on_progress(|ops| {
        if ops % limits::TIME_CHECK_EVERY == 0 {
            if let Some((cpu, wall)) = DEADLINE.get() {
                let cpu_up = cpu
                    .zip(clock::thread_cpu_time())
                    .is_some_and(|(d, t)| t > d);
                if cpu_up || Instant::now() > wall {
                    return Some(TIME_UP.into());
                }
            }
        }
        None
    });
    // A way for the engine's own tests to fail inside a Rust function.
    #[cfg(test)]
    engine.register_fn("test_panic", |what: &str| -> bool { panic!("{what}") });
    engine.on_print(|s| PRINT_LOG.with(|l| l.borrow_mut().push(s)));
    engine.on_debug(|s, _, pos| {
        PRINT_LOG.with(|l| l.borrow_mut().push(&format!("[debug {pos}] {s}")))
    });
    let builtin_lib: HashMap<String, &'static str> = builtin::BUILTIN_RULES
        .iter()
        .filter_map(|(p, s)| {
            p.strip_prefix("lib/")
                .map(|n| (n.trim_end_matches(".rhai").to_string(), *s))
        })
        .collect();
    engine.set_module_resolver(resolver::LibResolver::new(builtin_lib, lib_dirs));
    api::register(&mut engine);
    engine.register_fn("rule_options", || {
        RULE_OPTIONS.with(|o| Dynamic::from_map(o.borrow().clone()))
    });
    engine
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && id.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Convert a Rhai position to (line, column) if it has one.
fn pos_of(p: Position) -> (Option<usize>, Option<usize>) {
    (p.line(), p.position())
}

fn rule_error(
    rule: &str,
    file: &str,
    source: &Arc<str>,
    err: &EvalAltResult,
    report: Option<&str>,
) -> RuleError {
    let inner = err.unwrap_inner();
    let mut pos = inner.position();
    if pos.is_none() {
        pos = err.position();
    }
    let (mut line, mut column) = pos_of(pos);
    if line.is_none() {
        // Rhai gives no position when the operation budget runs out: point at
        // the rule's entry function instead.
        if let Some(n) = source
            .lines()
            .position(|l| l.trim_start().starts_with("fn check"))
        {
            line = Some(n + 1);
            column = Some(
                source
                    .lines()
                    .nth(n)
                    .map(|l| l.len() - l.trim_start().len())
                    .unwrap_or(0)
                    + 1,
            );
        }
    }
    let message = match inner {
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "规则超出运算次数上限（{} 次），可能陷入死循环",
            limits::MAX_OPERATIONS
        ),
        EvalAltResult::ErrorTerminated(token, _)
            if token.clone().into_string().is_ok_and(|t| t == TIME_UP) =>
        {
            format!(
                "规则超出时间上限（每份报告 {} 秒 CPU 时间，或 {} 秒），已中止",
                limits::MAX_RULE_TIME.as_secs(),
                limits::MAX_RULE_WALL_TIME.as_secs()
            )
        }
        other => other.to_string(),
    };
    RuleError {
        rule: rule.to_string(),
        file: file.to_string(),
        line,
        column,
        message,
        report: report.map(str::to_string),
        source: Some(source.clone()),
    }
}

impl RuleSet {
    /// Load the built-in rules and the rules of `opts.dirs`. A rule that fails to
    /// compile or has bad metadata is recorded in `errors`; the rest still load.
    pub fn load(opts: &RuleOptions) -> RuleSet {
        let lib_dirs: Vec<PathBuf> = opts.dirs.iter().map(|d| d.join("lib")).collect();
        let engine = build_engine(lib_dirs.clone());
        let mut set = RuleSet {
            engine,
            lib_dirs,
            rules: Vec::new(),
            errors: Vec::new(),
        };
        if !opts.no_builtin {
            for (path, src) in builtin::BUILTIN_RULES
                .iter()
                .filter(|(p, _)| !p.starts_with("lib/"))
            {
                set.add(&format!("rules/{path}"), src, true);
            }
        }
        for dir in &opts.dirs {
            set.load_dir(dir);
        }
        for rule in &mut set.rules {
            if let Some(settings) = opts.settings.get(&rule.id) {
                rule.options = settings.clone();
            }
            rule.configured = opts.levels.contains_key(&rule.id);
            rule.severity = match opts.levels.get(&rule.id) {
                Some(level) => *level,
                None => rule.default_enabled.then_some(rule.default_severity),
            };
        }
        set.rules.sort_by(|a, b| a.id.cmp(&b.id));
        set
    }

    /// Load the rules of a user folder: its regular `.rhai` files (a symlink
    /// only to a file inside the folder), each at most
    /// `limits::MAX_RULE_FILE_BYTES`; and check its `lib/`, where a library
    /// may not take a built-in library's name.
    fn load_dir(&mut self, dir: &Path) {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
                .collect(),
            Err(e) => {
                self.errors
                    .push(RuleError::unreadable(dir, format!("无法读取规则目录：{e}")));
                return;
            }
        };
        files.sort();
        for f in files {
            match read_rule_file(dir, &f) {
                Ok(src) => self.add(&crate::input::display_path(&f), &src, false),
                Err(e) => self
                    .errors
                    .push(RuleError::unreadable(&f, format!("无法读取规则文件：{e}"))),
            }
        }
        let Ok(rd) = std::fs::read_dir(dir.join("lib")) else {
            return;
        };
        let mut libs: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        libs.sort();
        for lib in libs {
            let name = lib.file_stem().and_then(|n| n.to_str()).unwrap_or_default();
            if lib.extension().is_some_and(|x| x == "rhai") && resolver::is_builtin_lib(name) {
                self.errors.push(RuleError::unreadable(
                    &lib,
                    format!(
                        "规则库 {name}.rhai 与内置规则库同名，未使用：内置规则只使用内置规则库，\
                         自己的规则库请换一个名字"
                    ),
                ));
            }
        }
    }

    fn add(&mut self, file: &str, src: &str, builtin: bool) {
        let source: Arc<str> = Arc::from(src);
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        match self.compile_rule(file, &source, builtin) {
            Ok(rule) => {
                if rule.id != stem {
                    self.errors.push(RuleError {
                        rule: rule.id.clone(),
                        file: file.to_string(),
                        line: None,
                        column: None,
                        message: format!("规则 id “{}” 与文件名 “{stem}.rhai” 不一致", rule.id),
                        report: None,
                        source: Some(source),
                    });
                    return;
                }
                // A user rule with a built-in's id replaces the built-in.
                self.rules.retain(|r| r.id != rule.id);
                self.rules.push(rule);
            }
            Err(e) => self.errors.push(*e),
        }
    }

    fn compile_rule(
        &self,
        file: &str,
        source: &Arc<str>,
        builtin: bool,
    ) -> Result<Rule, Box<RuleError>> {
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let fail = |msg: String, pos: Position| {
            let (line, column) = pos_of(pos);
            Box::new(RuleError {
                rule: stem.clone(),
                file: file.to_string(),
                line,
                column,
                message: msg,
                report: None,
                source: Some(source.clone()),
            })
        };
        let mut ast = self
            .engine
            .compile(source.as_ref())
            .map_err(|e| fail(e.0.to_string(), e.1))?;
        ast.set_source(file);
        let mut scope = Scope::new();
        guarded(|| self.engine.run_ast_with_scope(&mut scope, &ast))
            .map_err(|e| Box::new(rule_error(&stem, file, source, &e, None)))?;
        let meta = scope.get_value::<Map>("META").ok_or_else(|| {
            fail(
                "规则缺少元数据：const META = #{ id: …, severity: …, family: …, summary: …, reference: … }"
                    .into(),
                Position::NONE,
            )
        })?;
        let get = |k: &str| meta.get(k).and_then(|v| v.clone().into_string().ok());
        let id =
            get("id").ok_or_else(|| fail("META.id 缺失或不是字符串".into(), Position::NONE))?;
        if !is_kebab(&id) {
            return Err(fail(
                format!("META.id “{id}” 应为小写 kebab-case，如 t3-balance"),
                Position::NONE,
            ));
        }
        let sev = get("severity").unwrap_or_default();
        let default_severity = Severity::parse(&sev).ok_or_else(|| {
            fail(
                format!("META.severity “{sev}” 应为 error、warning 或 note"),
                Position::NONE,
            )
        })?;
        let family = get("family").unwrap_or_default();
        if !FAMILIES.contains(&family.as_str()) {
            return Err(fail(
                format!("META.family “{family}” 应为 {} 之一", FAMILIES.join("、")),
                Position::NONE,
            ));
        }
        let summary = get("summary")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| fail("META.summary 缺失".into(), Position::NONE))?;
        let reference = get("reference")
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                fail(
                    "META.reference 缺失：写明规则依据（文件名称、条款，如“国办公开办函〔2021〕30号”）"
                        .into(),
                    Position::NONE,
                )
            })?;
        let default_enabled = match meta.get("enabled") {
            None => true,
            Some(v) => v
                .as_bool()
                .map_err(|_| fail("META.enabled 应为 true 或 false".into(), Position::NONE))?,
        };
        for key in meta.keys() {
            if ![
                "id",
                "severity",
                "family",
                "summary",
                "reference",
                "enabled",
            ]
            .contains(&key.as_str())
            {
                return Err(fail(format!("META 中有未知字段 “{key}”"), Position::NONE));
            }
        }
        if !ast
            .iter_functions()
            .any(|f| f.name == "check" && f.params.len() == 1)
        {
            return Err(fail(
                "规则缺少入口函数 fn check(report)".into(),
                Position::NONE,
            ));
        }
        Ok(Rule {
            id,
            family,
            default_severity,
            default_enabled,
            severity: default_enabled.then_some(default_severity),
            configured: false,
            options: rhai::Map::new(),
            summary,
            reference,
            file: file.to_string(),
            builtin,
            source: source.clone(),
            ast,
        })
    }

    /// Run every enabled rule on a report. A failing rule yields a [`RuleError`]
    /// and never stops the other rules.
    pub fn run(&self, report: &Arc<Report>) -> RunOutput {
        self.run_on(None, report, None, &[])
    }

    /// Run every enabled rule on a report, with the same organ's previous
    /// year's report when there is one (`report.previous` in rules; labels may
    /// point into it).
    pub fn run_with_previous(
        &self,
        report: &Arc<Report>,
        previous: Option<&Arc<Report>>,
    ) -> RunOutput {
        self.run_on(None, report, previous, &[])
    }

    /// A new engine configured like the shared one (same limits, API and rule
    /// libraries), for running the rules on an engine of one's own.
    pub fn new_engine(&self) -> Engine {
        build_engine(self.lib_dirs.clone())
    }

    /// [`RuleSet::run_with_previous`] on `engine` (the shared one when `None`,
    /// or one made by [`RuleSet::new_engine`]), also running the rules
    /// `enable` names that are off (opt-in rules, or rules turned off) at
    /// their default level: a rule's fixture tests its rule whatever the
    /// configuration.
    pub fn run_on(
        &self,
        engine: Option<&Engine>,
        report: &Arc<Report>,
        previous: Option<&Arc<Report>>,
        enable: &[String],
    ) -> RunOutput {
        let engine = engine.unwrap_or(&self.engine);
        let mut out = RunOutput {
            timings: vec![Duration::ZERO; self.rules.len()],
            ..RunOutput::default()
        };
        let other = previous.map(|p| {
            (
                p.clone(),
                OtherFile {
                    path: p.path.clone(),
                    text: Arc::from(p.text.as_str()),
                    index: Arc::new(p.index().clone()),
                },
            )
        });
        // 2019 reports could follow the new format "参照" (国办公开办函〔2019〕60号).
        let trial_year = report
            .metadata
            .year
            .as_ref()
            .is_some_and(|y| y.value == 2019);
        // A document that is not an annual report gets one finding, not one
        // per missing part: only `not-a-report` and the rules about the file
        // itself (`artifact`: encoding, residue, reader notices) run on it.
        let not_a_report = !report.not_a_report.is_empty();
        api::set_current(Some(report));
        for (index, rule) in self.rules.iter().enumerate() {
            if not_a_report && rule.id != NOT_A_REPORT && rule.family != "artifact" {
                continue;
            }
            let Some(severity) = rule
                .severity
                .or_else(|| enable.contains(&rule.id).then_some(rule.default_severity))
            else {
                continue;
            };
            let started = clock::now();
            PRINT_LOG.with(|l| l.borrow_mut().take());
            RULE_OPTIONS.with(|o| *o.borrow_mut() = rule.options.clone());
            let result: Result<Dynamic, _> = guarded(|| {
                let mut scope = Scope::new();
                let options = CallFnOptions::new().eval_ast(true).rewind_scope(true);
                engine.call_fn_with_options(
                    options,
                    &mut scope,
                    &rule.ast,
                    "check",
                    (api::ReportRef(report.clone(), previous.cloned()),),
                )
            });
            PRINT_LOG.with(|l| {
                out.log.extend(
                    l.borrow_mut()
                        .take()
                        .into_iter()
                        .map(|s| (rule.id.clone(), s)),
                )
            });
            match result {
                Ok(value) => match findings(value, rule, severity, report, other.as_ref()) {
                    Ok(mut d) => {
                        if trial_year && rule.family == "structure" && !rule.configured {
                            relax(&mut d);
                        }
                        out.diagnostics.append(&mut d)
                    }
                    Err(msg) => out.errors.push(RuleError {
                        rule: rule.id.clone(),
                        file: rule.file.clone(),
                        line: None,
                        column: None,
                        message: msg,
                        report: Some(report.path.clone()),
                        source: Some(rule.source.clone()),
                    }),
                },
                Err(e) => out.errors.push(rule_error(
                    &rule.id,
                    &rule.file,
                    &rule.source,
                    &e,
                    Some(&report.path),
                )),
            }
            out.timings[index] = clock::since(started);
        }
        api::set_current(None);
        out.diagnostics.sort_by(|a, b| {
            (a.span.start, &a.rule, &a.message).cmp(&(b.span.start, &b.rule, &b.message))
        });
        for d in &mut out.diagnostics {
            if report.origins.is_empty() {
                d.table_place = report.table_place(d.span.start);
            } else {
                d.attach_origins(report);
            }
        }
        if let Some((prev, _)) = other.as_ref().filter(|(p, _)| !p.origins.is_empty()) {
            for l in out
                .diagnostics
                .iter_mut()
                .flat_map(|d| d.labels.iter_mut())
                .filter(|l| l.file.is_some())
            {
                l.origin = prev.locate(l.span.start);
            }
        }
        out
    }

    /// The documentation page of a built-in rule (`docs/rules/<id>.md`).
    pub fn builtin_page(id: &str) -> Option<&'static str> {
        builtin::RULE_PAGES
            .iter()
            .find(|(p, _)| *p == id)
            .map(|(_, text)| *text)
    }

    /// A rule's page (`explain`, `GET /api/rules/{id}`): a built-in rule's
    /// page from `docs/rules/`; a user rule's `<id>.md` beside its file, or
    /// its metadata. The error names the rule not found and near ids.
    /// A rule's documentation page: `docs/rules/<id>.md` for a built-in rule,
    /// `<id>.md` beside a user rule's file.
    pub fn page(rule: &Rule) -> Option<String> {
        if rule.builtin {
            RuleSet::builtin_page(&rule.id).map(str::to_string)
        } else {
            std::fs::read_to_string(std::path::Path::new(&rule.file).with_extension("md")).ok()
        }
    }

    pub fn explain(&self, id: &str) -> Result<String, String> {
        let Some(rule) = self.rule(id) else {
            let near: Vec<&str> = self
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .filter(|r| r.contains(id) || id.contains(*r))
                .collect();
            return Err(format!(
                "没有名为 {id} 的规则{}",
                if near.is_empty() {
                    String::new()
                } else {
                    format!("；是否要找：{}", near.join("、"))
                }
            ));
        };
        Ok(match RuleSet::page(rule) {
            Some(text) => text,
            None => {
                let mut s = format!("# {}\n", rule.id);
                s.push_str(&format!(
                    "类别：{} · 默认级别：{} · 规则文件：`{}`\n\n",
                    rule.family,
                    if rule.default_enabled {
                        rule.default_severity.as_str().to_string()
                    } else {
                        format!("off（启用时为 {}）", rule.default_severity.as_str())
                    },
                    rule.file
                ));
                s.push_str(&format!("{}\n\n", rule.summary));
                if !rule.reference.is_empty() {
                    s.push_str(&format!("依据：{}\n", rule.reference));
                }
                s
            }
        })
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// A user rule or library file as text: a regular file inside the rule
/// folder `root`, at most `limits::MAX_RULE_FILE_BYTES`, UTF-8.
pub(crate) fn read_rule_file(root: &Path, file: &Path) -> Result<String, String> {
    let bytes = crate::input::read_file_inside(root, file, limits::MAX_RULE_FILE_BYTES)
        .map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "规则文件不是 UTF-8 文本".to_string())
}

/// Format-compliance findings on a 2019 report drop one level (error → warning,
/// warning → note); arithmetic keeps its level.
fn relax(diags: &mut [Diagnostic]) {
    for d in diags {
        d.severity = match d.severity {
            Severity::Error => Severity::Warning,
            _ => Severity::Note,
        };
        d.notes.push(
            "2019 年度报告可参照统一格式发布（国办公开办函〔2019〕60号），格式问题降一级报告"
                .into(),
        );
    }
}

/// Convert a rule's return value (an array of finding maps, or `()`) into diagnostics.
fn findings(
    value: Dynamic,
    rule: &Rule,
    severity: Severity,
    report: &Arc<Report>,
    previous: Option<&(Arc<Report>, OtherFile)>,
) -> Result<Vec<Diagnostic>, String> {
    let text_len = report.text.len();
    if value.is_unit() {
        return Ok(Vec::new());
    }
    let Some(list) = value.try_cast::<rhai::Array>() else {
        return Err("check(report) 应返回由发现组成的数组（或 ()）".into());
    };
    let mut out = Vec::new();
    for (i, item) in list.into_iter().enumerate() {
        let Some(m) = item.try_cast::<Map>() else {
            return Err(format!(
                "第 {} 个发现不是对象映射 #{{ message, span, … }}",
                i + 1
            ));
        };
        let ctx = |msg: &str| format!("第 {} 个发现：{msg}", i + 1);
        for key in m.keys() {
            if ![
                "message", "span", "label", "labels", "notes", "help", "severity",
            ]
            .contains(&key.as_str())
            {
                return Err(ctx(&format!(
                    "未知字段 “{key}”（可用：message、span、label、labels、notes、help、severity）"
                )));
            }
        }
        let message = m
            .get("message")
            .and_then(|v| v.clone().into_string().ok())
            .ok_or_else(|| ctx("缺少 message 字符串"))?;
        let span_value = m.get("span");
        if span_value.is_some_and(api::from_other_report) {
            return Err(ctx(
                "span 取自上年报告（report.previous）：发现的主位置必须在本报告中；\
                 上年报告中的位置请放进 labels，并写 report: report.previous",
            ));
        }
        let span = span_value
            .and_then(|v| v.clone().try_cast::<Span>())
            .ok_or_else(|| ctx("缺少 span（从报告模型取得的 Span）"))?;
        let check_span = |s: Span| {
            if s.end <= text_len {
                Ok(s)
            } else {
                Err(ctx("span 超出报告范围"))
            }
        };
        let span = check_span(span)?;
        let string = |k: &str| {
            m.get(k).filter(|v| !v.is_unit()).map(|v| {
                v.clone()
                    .into_string()
                    .map_err(|_| ctx(&format!("{k} 应为字符串")))
            })
        };
        let label = string("label").transpose()?;
        let help = string("help").transpose()?;
        let mut notes = Vec::new();
        if let Some(v) = m.get("notes").filter(|v| !v.is_unit()) {
            let arr = v
                .clone()
                .try_cast::<rhai::Array>()
                .ok_or_else(|| ctx("notes 应为字符串数组"))?;
            for n in arr {
                notes.push(n.into_string().map_err(|_| ctx("notes 应为字符串数组"))?);
            }
        }
        let mut labels = Vec::new();
        if let Some(v) = m.get("labels").filter(|v| !v.is_unit()) {
            let arr = v
                .clone()
                .try_cast::<rhai::Array>()
                .ok_or_else(|| ctx("labels 应为数组"))?;
            for l in arr {
                let lm = l
                    .try_cast::<Map>()
                    .ok_or_else(|| ctx("labels 的元素应为 #{ span, message }"))?;
                let s_value = lm.get("span");
                let s = s_value
                    .and_then(|v| v.clone().try_cast::<Span>())
                    .ok_or_else(|| ctx("label 缺少 span"))?;
                let msg = lm
                    .get("message")
                    .and_then(|v| v.clone().into_string().ok())
                    .unwrap_or_default();
                // `report: report.previous` puts the label in the previous
                // year's report; any other report handle is the checked one.
                let in_other = match lm.get("report").filter(|v| !v.is_unit()) {
                    None => None,
                    Some(v) => {
                        let r = v.clone().try_cast::<api::ReportRef>().ok_or_else(|| {
                            ctx("label 的 report 应为报告句柄（如 report.previous）")
                        })?;
                        if Arc::ptr_eq(&r.0, report) {
                            None
                        } else {
                            match previous {
                                Some((p, f)) if Arc::ptr_eq(&r.0, p) => Some((p, f)),
                                _ => {
                                    return Err(ctx(
                                        "label 的 report 既不是本报告也不是 report.previous",
                                    ))
                                }
                            }
                        }
                    }
                };
                let (span, file) = match in_other {
                    None if s_value.is_some_and(api::from_other_report) => {
                        return Err(ctx(
                            "label 的 span 取自上年报告：请同时写 report: report.previous",
                        ))
                    }
                    None => (check_span(s)?, None),
                    Some((p, f)) if s.end <= p.text.len() => (s, Some(f.clone())),
                    Some(_) => return Err(ctx("label 的 span 超出上年报告范围")),
                };
                labels.push(Label {
                    span,
                    message: msg,
                    origin: None,
                    file,
                });
            }
        }
        // A finding may state its own level (cell-value: text is an error, a blank a
        // warning); a level set in the configuration overrides it.
        let own = string("severity")
            .transpose()?
            .map(|s| Severity::parse(&s).ok_or_else(|| ctx("severity 应为 error、warning 或 note")))
            .transpose()?;
        let severity = match own {
            Some(s) if !rule.configured => s,
            _ => severity,
        };
        out.push(Diagnostic {
            rule: rule.id.clone(),
            severity,
            message,
            span,
            label,
            labels,
            notes,
            help,
            origin: None,
            table_place: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_set(id: &str, body: &str) -> RuleSet {
        let mut set = RuleSet::load(&RuleOptions {
            no_builtin: true,
            ..RuleOptions::default()
        });
        let src = format!(
            "const META = #{{ id: \"{id}\", severity: \"note\", family: \"structure\", summary: \"t\", reference: \"test\" }};\n{body}"
        );
        set.add(&format!("{id}.rhai"), &src, false);
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        set
    }

    fn report() -> Arc<Report> {
        let src = crate::input::decode("r.txt", "一、总体情况\n正文。\n".as_bytes()).unwrap();
        Arc::new(crate::parse::parse(&src))
    }

    #[test]
    fn a_panic_inside_a_rule_is_a_rule_error_and_the_next_rule_runs() {
        let mut set = rule_set("panics", "fn check(report) { test_panic(\"boom\"); [] }");
        let other = rule_set(
            "quiet",
            "fn check(report) { [#{ message: \"ran\", span: report.lines[0].span }] }",
        );
        set.rules.extend(other.rules);
        let out = set.run(&report());
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert!(out.errors[0].message.contains("boom"), "{:?}", out.errors);
        assert_eq!(out.diagnostics.len(), 1, "the other rule ran");
        // The thread is still usable: the same rule fails the same way again.
        assert_eq!(set.run(&report()).errors.len(), 1);
    }

    #[test]
    fn a_panic_while_a_rule_loads_is_a_load_error() {
        let mut set = RuleSet::load(&RuleOptions {
            no_builtin: true,
            ..RuleOptions::default()
        });
        set.add(
            "p.rhai",
            "let x = test_panic(\"at load\");\nfn check(r) { [] }",
            false,
        );
        assert_eq!(set.errors.len(), 1);
        assert!(set.errors[0].message.contains("at load"));
    }

    #[test]
    fn time_functions_are_refused() {
        for call in ["sleep(1e300)", "sleep(9223372036854775807)", "timestamp()"] {
            let set = rule_set("t", &format!("fn check(report) {{ {call}; [] }}"));
            let out = set.run(&report());
            assert_eq!(out.errors.len(), 1, "{call}");
            assert!(
                out.errors[0].message.contains("不能使用"),
                "{:?}",
                out.errors
            );
        }
    }
}

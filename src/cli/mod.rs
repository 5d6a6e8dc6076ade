//! The command line: `check`, `baseline`, `annotate`, `dump`, `rules`,
//! `explain`, `new-rule`, `test-rules`, `serve`.

mod dump;
mod fetch;
mod output;
mod progress;
mod timings;

use crate::config::Config;
use crate::diagnostics::Severity;
use crate::engine::{RuleOptions, RuleSet};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Exit statuses.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const TOOL_ERROR: i32 = 2;
}

#[derive(Parser)]
#[command(
    name = "report-lint",
    version,
    about = "检查政府信息公开工作年度报告（格式、表格勾稽关系、结构与文字问题）"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Clippy-style text for people.
    Human,
    /// The stable JSON document (docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML: a test suite per file, a test case per rule.
    Junit,
    /// One CSV row per finding (UTF-8 with BOM, for Excel).
    Csv,
    /// An Excel workbook: a summary sheet (one row per file) and a findings sheet.
    Xlsx,
    /// One self-contained page: each report with its findings marked at their
    /// place, a summary table for a batch; printable.
    Html,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Note,
        }
    }
}

#[derive(clap::Args)]
struct RuleArgs {
    /// Configuration file (default: report-lint.toml in the current directory or a parent).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Do not look for report-lint.toml.
    #[arg(long)]
    no_config: bool,
    /// Extra rule folder (repeatable); rules there are loaded at run time.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
}

/// Which rules run, on top of the configuration (as ruff's options).
#[derive(clap::Args)]
struct SelectArgs {
    /// Run only these rules: ids or families (arithmetic, structure, …),
    /// comma-separated or repeated; opt-in rules named here run too.
    #[arg(long, value_name = "ID|FAMILY,…")]
    select: Vec<String>,
    /// Do not run these rules: ids or families, comma-separated or repeated.
    #[arg(long, value_name = "ID|FAMILY,…")]
    ignore: Vec<String>,
}

#[derive(clap::Args)]
struct BaselineArgs {
    /// Suppress the findings listed in this baseline file (default: `baseline`
    /// in report-lint.toml).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Ignore the baseline named in report-lint.toml.
    #[arg(long, conflicts_with = "baseline")]
    no_baseline: bool,
    /// Fail (exit status 1) when a baseline entry matches no finding any more.
    #[arg(long)]
    strict_baseline: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports: files, directories (recursively), glob patterns and
    /// http(s) addresses (docs/inputs/url.md).
    Check {
        #[arg(required_unless_present_any = ["index", "urls"], value_name = "PATH")]
        paths: Vec<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Write the output to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Colours in human output (auto: only on a terminal, never with --output).
        #[arg(long, value_enum, default_value = "auto")]
        color: ColorChoice,
        /// Lowest severity that makes the run fail (exit status 1).
        #[arg(long, value_enum, default_value = "error")]
        fail_on: Level,
        /// Also fail (exit status 1) when there are more than N warnings.
        #[arg(long, value_name = "N")]
        max_warnings: Option<usize>,
        /// Show (and count) only findings at or above this level.
        #[arg(long, value_enum, value_name = "LEVEL")]
        min_level: Option<Level>,
        /// Show only errors: the same as --min-level error.
        #[arg(short, long, conflicts_with = "min_level")]
        quiet: bool,
        /// Show what rules print with print()/debug() (on stderr).
        #[arg(short, long)]
        verbose: bool,
        /// Files checked at once (default: every available core).
        #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// After the run, print on stderr the time per phase and per rule.
        #[arg(long)]
        timings: bool,
        /// Last year's published report, compared with the report(s) checked by
        /// the cross-year rules (without it, reports in the batch are paired by
        /// organ and year).
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        /// Read every file in this encoding (a WHATWG label: gbk, gb18030, utf-8, utf-16le, big5 …)
        /// instead of detecting it.
        #[arg(long, value_name = "LABEL")]
        encoding: Option<String>,
        #[command(flatten)]
        baseline_args: BaselineArgs,
        #[command(flatten)]
        select_args: SelectArgs,
        #[command(flatten)]
        rule_args: RuleArgs,
        #[command(flatten)]
        fetch_args: Box<fetch::FetchArgs>,
    },
    /// Write the current findings to a baseline file; `check --baseline FILE`
    /// then reports only new findings (docs/baseline.md).
    Baseline {
        #[arg(value_name = "PATH", default_value = ".")]
        paths: Vec<String>,
        /// The baseline file (default: `baseline` in report-lint.toml, else
        /// report-lint-baseline.json).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        select_args: SelectArgs,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Write a copy of a Word draft (.docx) in which every finding is a Word
    /// comment on its words, paragraph or table cell; the draft is not changed.
    Annotate {
        #[arg(value_name = "DRAFT.docx")]
        draft: PathBuf,
        /// The annotated copy (default: DRAFT.report-lint.docx beside the draft);
        /// never the draft itself.
        #[arg(short, long, value_name = "OUT.docx")]
        output: Option<PathBuf>,
        /// Last year's published report, for the cross-year rules.
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Print the report model of a file as JSON, as rules see it (cell kind
    /// and value, every span with its lines and columns), or with --view the
    /// text view the parser reads (for HTML, DOCX and PDF: the rendered document).
    Dump {
        file: PathBuf,
        /// Print the text view instead of the model.
        #[arg(long)]
        view: bool,
        /// Read the file in this encoding instead of detecting it.
        #[arg(long, value_name = "LABEL")]
        encoding: Option<String>,
    },
    /// Serve the web page for report authors and the HTTP API (docs/serve.md).
    Serve {
        /// Address to listen on (127.0.0.1: this computer only; 0.0.0.0: the
        /// office network, behind its reverse proxy).
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Largest upload accepted, in MB.
        #[arg(long, value_name = "MB", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1024))]
        max_upload_mb: u32,
        /// Time limit of one check, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Checks run at once (default: every available core); others wait.
        #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// List the loaded rules.
    Rules {
        /// Only the rules of this family (arithmetic, structure, …).
        #[arg(long, value_name = "FAMILY")]
        family: Option<String>,
        /// Only the rules whose id, summary, reference or family contain WORD
        /// (e.g. 未收到), to find a built-in rule before writing one.
        #[arg(long, value_name = "WORD")]
        search: Option<String>,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Scaffold a new rule in DIR: the rule file, a firing and a quiet fixture with
    /// their expectations, and a documentation page.
    NewRule {
        id: String,
        #[arg(default_value = "my-rules")]
        dir: PathBuf,
    },
    /// Print a rule's documentation page.
    Explain {
        id: String,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Run rule tests: every report fixture under DIR with a `.expect` file beside it.
    /// DIR's rules are loaded with the built-in ones.
    TestRules {
        #[arg(default_value = "fixtures/rules")]
        dir: PathBuf,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
}

/// Run the CLI; returns the exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::TOOL_ERROR
            } else {
                exit::OK
            };
        }
    };
    match cli.command {
        Command::Check {
            mut paths,
            format,
            output: output_file,
            color,
            fail_on,
            max_warnings,
            min_level,
            quiet,
            verbose,
            baseline_args,
            select_args,
            previous,
            encoding,
            jobs,
            timings,
            rule_args,
            fetch_args,
        } => {
            let Some(mut read) = read_options(encoding.as_deref()) else {
                return exit::TOOL_ERROR;
            };
            let (mut cfg, mut rules) = match load(&rule_args) {
                Ok(x) => x,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    return exit::TOOL_ERROR;
                }
            };
            cfg.enable_for_overrides(&mut rules);
            if let Err(msg) = cfg.select_rules(&mut rules, &select_args.select, &select_args.ignore)
            {
                eprintln!("error: {msg}");
                return exit::TOOL_ERROR;
            }
            let human_bar = format == Format::Human && std::io::stderr().is_terminal();
            match fetch::gather(&mut paths, &fetch_args, human_bar) {
                Ok(fetched) => read.fetched = fetched,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    return exit::TOOL_ERROR;
                }
            }
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    output_file.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let fail = fail_on.severity();
            let shown = if quiet {
                Severity::Error
            } else {
                min_level.map_or(Severity::Note, Level::severity)
            };
            let opts = output::CheckOptions {
                format,
                output: output_file,
                color,
                fail,
                max_warnings,
                shown,
                verbose,
                baseline: match baseline_args.baseline {
                    Some(b) => Some(b),
                    None if baseline_args.no_baseline => None,
                    None => cfg.baseline.clone(),
                },
                strict_baseline: baseline_args.strict_baseline,
                previous,
                read,
                jobs: jobs.map_or_else(crate::check::default_jobs, usize::from),
                timings,
                progress: human_bar,
            };
            output::check(&paths, &cfg, &rules, &opts)
        }
        Command::Baseline {
            paths,
            output: out,
            select_args,
            rule_args,
        } => match load(&rule_args) {
            Ok((mut cfg, mut rules)) => {
                cfg.enable_for_overrides(&mut rules);
                if let Err(msg) =
                    cfg.select_rules(&mut rules, &select_args.select, &select_args.ignore)
                {
                    eprintln!("error: {msg}");
                    return exit::TOOL_ERROR;
                }
                let out = out
                    .or_else(|| cfg.baseline.clone())
                    .unwrap_or_else(|| PathBuf::from(crate::baseline::DEFAULT_FILE));
                output::write_baseline(&paths, &cfg, &rules, &out)
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                exit::TOOL_ERROR
            }
        },
        Command::Annotate {
            draft,
            output: out,
            previous,
            rule_args,
        } => match load(&rule_args) {
            Ok((mut cfg, mut rules)) => {
                cfg.enable_for_overrides(&mut rules);
                output::annotate(&draft, out, previous.as_deref(), &cfg, &rules)
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                exit::TOOL_ERROR
            }
        },
        Command::Dump {
            file,
            view,
            encoding,
        } => match read_options(encoding.as_deref())
            .map(|read| crate::input::read_path_with(&file, &read))
        {
            None => exit::TOOL_ERROR,
            Some(Ok(src)) if view => {
                print!("{}", src.text);
                exit::OK
            }
            Some(Ok(src)) => {
                let report = crate::parse::parse(&src);
                println!(
                    "{}",
                    serde_json::to_string_pretty(&dump::rule_view(&report)).unwrap_or_default()
                );
                exit::OK
            }
            Some(Err(e)) => {
                eprintln!("error: {}: {e}", file.display());
                exit::TOOL_ERROR
            }
        },
        Command::TestRules { dir, mut rule_args } => {
            if dir.join("lib").is_dir() || has_rules(&dir) {
                rule_args.rules.push(dir.clone());
            }
            match load(&rule_args) {
                Ok((_, rules)) => output::test_rules(&dir, &rules),
                Err(msg) => {
                    eprintln!("error: {msg}");
                    exit::TOOL_ERROR
                }
            }
        }
        Command::NewRule { id, dir } => match crate::scaffold::new_rule(&id, &dir) {
            Ok(files) => {
                for f in files {
                    println!("created {}", f.display());
                }
                println!("next: report-lint test-rules {}", dir.display());
                exit::OK
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                exit::TOOL_ERROR
            }
        },
        Command::Explain { id, rule_args } => match load(&rule_args) {
            Ok((cfg, rules)) => {
                let mut searched = cfg.rules_dirs.clone();
                searched.extend(rule_args.rules.iter().cloned());
                output::explain(&rules, &id, &searched)
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                exit::TOOL_ERROR
            }
        },
        Command::Serve {
            host,
            port,
            max_upload_mb,
            timeout,
            jobs,
            rule_args,
        } => match load(&rule_args) {
            Ok((mut cfg, mut rules)) => {
                cfg.enable_for_overrides(&mut rules);
                for e in &rules.errors {
                    eprint!("{}", crate::diagnostics::human::render_rule_error(e, false));
                }
                crate::server::serve(
                    cfg,
                    rules,
                    crate::server::ServeOptions {
                        host,
                        port,
                        max_upload: max_upload_mb as usize * 1024 * 1024,
                        jobs: jobs.map_or_else(crate::check::default_jobs, usize::from),
                        timeout: std::time::Duration::from_secs(timeout),
                    },
                )
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                exit::TOOL_ERROR
            }
        },
        Command::Rules {
            family,
            search,
            rule_args,
        } => match load(&rule_args) {
            Ok((_, rules)) => {
                if let Some(f) = family
                    .as_deref()
                    .filter(|f| !crate::engine::FAMILIES.contains(f))
                {
                    eprintln!(
                        "error: 没有类别 {f}（类别：{}）",
                        crate::engine::FAMILIES.join("、")
                    );
                    return exit::TOOL_ERROR;
                }
                output::list_rules(&rules, family.as_deref(), search.as_deref());
                if rules.errors.is_empty() {
                    exit::OK
                } else {
                    exit::TOOL_ERROR
                }
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                exit::TOOL_ERROR
            }
        },
    }
}

/// `--encoding LABEL` → read options; an unknown label is a usage error
/// (printed here, `None` returned).
fn read_options(label: Option<&str>) -> Option<crate::input::ReadOptions> {
    let encoding = match label {
        None => None,
        Some(l) => match crate::input::encoding::for_label(l) {
            Some(e) => Some(e),
            None => {
                eprintln!(
                    "error: 未知的编码名称“{l}”（--encoding 可用 gbk、gb18030、utf-8、utf-16le、utf-16be、big5 等）"
                );
                return None;
            }
        },
    };
    Some(crate::input::ReadOptions {
        encoding,
        ..Default::default()
    })
}

fn has_rules(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "rhai"))
        })
        .unwrap_or(false)
}

/// Load the configuration and the rules it names.
fn load(args: &RuleArgs) -> Result<(Config, RuleSet), String> {
    let cfg_path = match &args.config {
        Some(p) => Some(p.clone()),
        None if args.no_config => None,
        None => Config::discover(
            &std::env::current_dir().unwrap_or_else(|_| Path::new(".").to_path_buf()),
        ),
    };
    let cfg = match cfg_path {
        Some(p) => Config::load(&p)?,
        None => Config::default(),
    };
    let mut opts = RuleOptions {
        dirs: cfg.rules_dirs.clone(),
        ..Default::default()
    };
    opts.dirs.extend(args.rules.iter().cloned());
    opts.levels = cfg
        .levels
        .iter()
        .map(|(k, (v, _))| (k.clone(), *v))
        .collect();
    opts.settings = cfg
        .options
        .iter()
        .map(|(k, (t, _))| {
            let map = t
                .iter()
                .map(|(k, v)| (k.as_str().into(), crate::engine::toml_to_dynamic(v)))
                .collect();
            (k.clone(), map)
        })
        .collect();
    let rules = RuleSet::load(&opts);
    cfg.check_rule_ids(&rules)?;
    Ok((cfg, rules))
}

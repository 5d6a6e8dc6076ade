//! The command line: `check`, `baseline`, `dump`, `rules`, `explain`,
//! `new-rule`, `test-rules`, `serve`.

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
    /// One CSV row per file (UTF-8 with BOM, for Excel).
    Csv,
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
    /// Check reports: files, directories (recursively) and glob patterns.
    Check {
        #[arg(required = true, value_name = "PATH")]
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
        rule_args: RuleArgs,
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
        rule_args: RuleArgs,
    },
    /// Print the report model of a file as JSON, or with --view the text view
    /// the parser reads (for HTML, DOCX and PDF: the rendered document).
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
            paths,
            format,
            output: output_file,
            color,
            fail_on,
            max_warnings,
            verbose,
            baseline_args,
            previous,
            encoding,
            jobs,
            timings,
            rule_args,
        } => {
            let Some(read) = read_options(encoding.as_deref()) else {
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
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    output_file.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let fail = match fail_on {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Note => Severity::Note,
            };
            let opts = output::CheckOptions {
                format,
                output: output_file,
                color,
                fail,
                max_warnings,
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
                progress: format == Format::Human && std::io::stderr().is_terminal(),
            };
            output::check(&paths, &cfg, &rules, &opts)
        }
        Command::Baseline {
            paths,
            output: out,
            rule_args,
        } => match load(&rule_args) {
            Ok((mut cfg, mut rules)) => {
                cfg.enable_for_overrides(&mut rules);
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
                    serde_json::to_string_pretty(&report).unwrap_or_default()
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
            Ok((_, rules)) => output::explain(&rules, &id),
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
        Command::Rules { rule_args } => match load(&rule_args) {
            Ok((_, rules)) => {
                output::list_rules(&rules);
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
        head_only: false,
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

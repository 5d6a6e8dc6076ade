//! `check`'s options for reports on the web (`docs/inputs/url.md`): addresses
//! among the paths, `--index URL`, `--urls FILE`, and the fetcher's limits.

use super::progress::Progress;
use crate::input::fetch::{self, FetchOptions, Fetched};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(clap::Args)]
pub struct FetchArgs {
    /// A column page listing annual reports (repeatable): every linked report
    /// is fetched and checked, following the column's next-page links.
    #[arg(long, value_name = "URL")]
    pub index: Vec<String>,
    /// A file of report addresses, one per line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    pub urls: Option<PathBuf>,
    /// Download again instead of using the download cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Where downloads are cached (default: ~/.cache/report-lint/http, or the
    /// platform's cache folder).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Milliseconds at least between two requests to one site.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub fetch_delay: u64,
    /// Seconds at most for one request (connection, at most 10 s of it, and body).
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub fetch_timeout: u64,
    /// Largest response accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub fetch_max_mib: u64,
}

/// Take the addresses out of `paths`, read `--urls`, and fetch them and the
/// reports of `--index` pages. `None` when there is nothing to fetch.
/// `progress`: show a bar on stderr.
pub fn gather(
    paths: &mut Vec<String>,
    args: &FetchArgs,
    progress: bool,
) -> Result<Option<Arc<Fetched>>, String> {
    let mut addresses: Vec<String> = Vec::new();
    paths.retain(|p| {
        let a = fetch::is_address(p);
        if a {
            addresses.push(p.clone());
        }
        !a
    });
    if let Some(file) = &args.urls {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("{}: 无法读取网址列表（--urls）：{e}", file.display()))?;
        addresses.extend(
            text.lines()
                .map(|l| l.trim().trim_start_matches('\u{feff}'))
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    if addresses.is_empty() && args.index.is_empty() {
        return Ok(None);
    }
    let cache_dir = if args.no_cache {
        None
    } else {
        match args.cache_dir.clone().or_else(fetch::cache::default_dir) {
            Some(d) => Some(d),
            None => return Err("找不到下载缓存目录；请用 --cache-dir 指定，或用 --no-cache".into()),
        }
    };
    let opts = FetchOptions {
        delay: Duration::from_millis(args.fetch_delay),
        timeout: Duration::from_secs(args.fetch_timeout),
        max_bytes: args.fetch_max_mib * 1024 * 1024,
        cache_dir,
    };
    let bar: Mutex<Option<Progress>> = Mutex::new(None);
    let report = |p: fetch::Progress| {
        let mut bar = bar.lock().unwrap_or_else(|e| e.into_inner());
        match p {
            fetch::Progress::Start(n) => *bar = Some(Progress::new(n, progress)),
            fetch::Progress::Done(_) => {
                if let Some(b) = bar.as_mut() {
                    b.tick();
                }
            }
        }
    };
    let fetched = fetch::gather(&addresses, &args.index, &opts, &report)?;
    drop(bar);
    Ok(Some(Arc::new(fetched)))
}

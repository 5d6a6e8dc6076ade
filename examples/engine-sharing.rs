//! Measure how to run the rules on several threads: one shared engine (strings
//! interner off, as `report-lint` runs), one shared engine with Rhai's default
//! interner (256 strings), or one engine per worker thread.
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --count 1000 --out /tmp/rl-1k
//! cargo run --release --example engine-sharing -- /tmp/rl-1k 2
//! ```
//!
//! Reports are read and parsed first; only the rules are timed, by the wall
//! clock (what parallelism buys) and by the process's CPU time (what the work
//! costs, whatever else the machine is doing).

use report_lint::engine::{RuleOptions, RuleSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// CPU time (user + system) of the whole process so far, in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .expect("usage: engine-sharing DIR [THREADS] [ROUNDS]");
    let threads: usize = args.next().map_or(2, |s| s.parse().expect("THREADS"));
    let rounds: usize = args.next().map_or(3, |s| s.parse().expect("ROUNDS"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("DIR")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let reports: Vec<_> = paths
        .iter()
        .filter_map(|p| report_lint::input::read_path(p).ok())
        .map(|src| Arc::new(report_lint::parse::parse(&src)))
        .collect();
    let rules = RuleSet::load(&RuleOptions::default());
    println!(
        "{} reports, {} rules, {threads} threads, best of {rounds} rounds",
        reports.len(),
        rules.rules.len()
    );

    let run = |name: &str, make: &(dyn Fn() -> Option<rhai::Engine> + Sync), shared: bool| {
        let mut best = f64::MAX;
        let mut best_cpu = f64::MAX;
        let mut findings = 0;
        for _ in 0..rounds {
            let next = AtomicUsize::new(0);
            let total = AtomicUsize::new(0);
            let shared_engine = if shared { make() } else { None };
            let t0 = Instant::now();
            let c0 = cpu_seconds();
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {
                        let own = if shared { None } else { make() };
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(r) = reports.get(i) else { break };
                            let out = match (&own, &shared_engine) {
                                (Some(e), _) | (None, Some(e)) => {
                                    rules.run_on(Some(e), r, None, &[])
                                }
                                (None, None) => rules.run(r),
                            };
                            total.fetch_add(out.diagnostics.len(), Ordering::Relaxed);
                        }
                    });
                }
            });
            best = best.min(t0.elapsed().as_secs_f64());
            best_cpu = best_cpu.min(cpu_seconds() - c0);
            findings = total.load(Ordering::Relaxed);
        }
        println!(
            "{name:<42} wall {:>7.1} µs/report ({:>5.0} reports/s), CPU {:>7.1} µs/report ({findings} findings)",
            best * 1e6 / reports.len() as f64,
            reports.len() as f64 / best,
            best_cpu * 1e6 / reports.len() as f64,
        );
    };
    run("shared engine, interner off (report-lint)", &|| None, true);
    run(
        "shared engine, default interner (256)",
        &|| {
            let mut e = rules.new_engine();
            e.set_max_strings_interned(256);
            Some(e)
        },
        true,
    );
    run(
        "engine per worker thread (interner off)",
        &|| Some(rules.new_engine()),
        false,
    );
}

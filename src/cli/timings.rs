//! `check --timings`: where a run's time went, per phase and per rule, printed
//! on stderr after the run (like ESLint's `TIMING=1`).

use crate::check::FileTimings;
use crate::engine::RuleSet;
use std::fmt::Write as _;
use std::time::Duration;

#[derive(Default)]
pub struct Timings {
    pub files: usize,
    pub read: Duration,
    pub parse: Duration,
    pub rules: Duration,
    pub render: Duration,
    /// Wall time of the pass that reads each file's organ and year to pair
    /// reports across years (zero when no cross-year rule runs).
    pub pairing: Duration,
    /// Per rule (by index in `RuleSet::rules`): total time and reports run on.
    pub per_rule: Vec<(Duration, usize)>,
}

impl Timings {
    pub fn new(rules: &RuleSet) -> Timings {
        Timings {
            per_rule: vec![(Duration::ZERO, 0); rules.rules.len()],
            ..Timings::default()
        }
    }

    pub fn add(&mut self, t: &FileTimings) {
        self.files += 1;
        self.read += t.read;
        self.parse += t.parse;
        for (slot, d) in self.per_rule.iter_mut().zip(&t.rules) {
            if !d.is_zero() {
                slot.0 += *d;
                slot.1 += 1;
            }
            self.rules += *d;
        }
    }

    /// The report: phases, then rules sorted by time (slowest first).
    pub fn render(&self, rules: &RuleSet, wall: Duration, jobs: usize) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut s = String::new();
        let phases = [
            ("read", self.read),
            ("parse", self.parse),
            ("rules", self.rules),
            ("render", self.render),
        ];
        let total: Duration = phases.iter().map(|p| p.1).sum();
        let share = |d: Duration, of: Duration| {
            if of.is_zero() {
                0.0
            } else {
                100.0 * d.as_secs_f64() / of.as_secs_f64()
            }
        };
        let _ = writeln!(
            s,
            "\n计时：{} 个文件，{jobs} 个线程，墙钟 {:.1} ms；各阶段与各规则为线程 CPU 时间之和",
            self.files,
            ms(wall)
        );
        if !self.pairing.is_zero() {
            let _ = writeln!(
                s,
                "跨年度配对（读取每个文件的机关和年度）：墙钟 {:.1} ms，已计入上面的墙钟",
                ms(self.pairing)
            );
        }
        let _ = writeln!(s, "{:<14} | {:>11} | {:>7}", "Phase", "Time (ms)", "Share");
        let _ = writeln!(
            s,
            ":{}|{}:|{}:",
            "-".repeat(14),
            "-".repeat(12),
            "-".repeat(8)
        );
        for (name, d) in phases {
            let _ = writeln!(
                s,
                "{name:<14} | {:>11.3} | {:>6.1}%",
                ms(d),
                share(d, total)
            );
        }
        let mut order: Vec<usize> = (0..self.per_rule.len())
            .filter(|&i| self.per_rule[i].1 > 0)
            .collect();
        order.sort_by(|&a, &b| {
            self.per_rule[b]
                .0
                .cmp(&self.per_rule[a].0)
                .then_with(|| rules.rules[a].id.cmp(&rules.rules[b].id))
        });
        let width = order
            .iter()
            .map(|&i| rules.rules[i].id.len())
            .max()
            .unwrap_or(0)
            .max(10);
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<width$} | {:>11} | {:>7} | {:>9} | {:>7}",
            "Rule", "Time (ms)", "Count", "Mean (µs)", "Share"
        );
        let _ = writeln!(
            s,
            ":{}|{}:|{}:|{}:|{}:",
            "-".repeat(width),
            "-".repeat(12),
            "-".repeat(8),
            "-".repeat(10),
            "-".repeat(8)
        );
        for i in order {
            let (d, n) = self.per_rule[i];
            let _ = writeln!(
                s,
                "{:<width$} | {:>11.3} | {:>7} | {:>9.1} | {:>6.1}%",
                rules.rules[i].id,
                ms(d),
                n,
                d.as_secs_f64() * 1e6 / n as f64,
                share(d, self.rules)
            );
        }
        s
    }
}

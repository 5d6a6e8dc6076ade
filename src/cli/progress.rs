//! The progress bar of a long batch: on stderr, only when stderr is a terminal
//! and the output is the human format (never in machine formats or a pipe).

use std::io::Write;
use std::time::{Duration, Instant};

/// Start drawing only once a batch has run this long: short runs stay quiet.
const DELAY: Duration = Duration::from_millis(400);
/// Redraw at most this often.
const EVERY: Duration = Duration::from_millis(100);
const WIDTH: usize = 24;

pub struct Progress {
    enabled: bool,
    total: usize,
    done: usize,
    started: Instant,
    last: Option<Instant>,
    /// A bar is on the screen now.
    shown: bool,
}

impl Progress {
    pub fn new(total: usize, enabled: bool) -> Progress {
        Progress {
            enabled: enabled && total > 1,
            total,
            done: 0,
            started: Instant::now(),
            last: None,
            shown: false,
        }
    }

    /// One more file is done.
    pub fn tick(&mut self) {
        self.done += 1;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.started) < DELAY
            || self.last.is_some_and(|t| now.duration_since(t) < EVERY)
        {
            return;
        }
        self.last = Some(now);
        let line = render(
            self.done,
            self.total,
            now.duration_since(self.started).as_secs_f64(),
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.shown = true;
    }

    /// Take the bar off the screen (before other output, and at the end).
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `[########----------------] 1234/10000 个文件 · 850 个/秒 · 剩余 0:10`
pub fn render(done: usize, total: usize, secs: f64) -> String {
    let filled = (done * WIDTH).checked_div(total).unwrap_or(0).min(WIDTH);
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    let eta = if rate > 0.0 {
        let left = (total.saturating_sub(done)) as f64 / rate;
        let s = left.round() as u64;
        format!("{}:{:02}", s / 60, s % 60)
    } else {
        "?".into()
    };
    format!(
        "[{}{}] {done}/{total} 个文件 · {rate:.0} 个/秒 · 剩余 {eta}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
    )
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn bar_shows_count_rate_and_time_left() {
        assert_eq!(
            render(250, 1000, 0.5),
            "[######------------------] 250/1000 个文件 · 500 个/秒 · 剩余 0:02"
        );
        assert_eq!(
            render(0, 10, 0.0),
            "[------------------------] 0/10 个文件 · 0 个/秒 · 剩余 ?"
        );
        assert!(render(10, 10, 1.0).starts_with("[########################] 10/10"));
    }
}

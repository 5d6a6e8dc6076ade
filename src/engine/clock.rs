//! The clock behind `--timings`. Normally a monotonic wall clock (cheap, ~20 ns);
//! with [`use_cpu_time`] on, the calling thread's CPU time, so that a machine
//! busy with other work does not inflate a rule's or a phase's figure (each
//! reading then costs a system call, about 1 µs, which is why it is opt-in).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static CPU_TIME: AtomicBool = AtomicBool::new(false);

/// Measure thread CPU time from now on (set once, before a batch starts).
pub fn use_cpu_time(on: bool) {
    CPU_TIME.store(on, Ordering::Relaxed);
}

/// The calling thread's CPU time, where the system can tell.
pub fn thread_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Some(Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32));
        }
    }
    None
}

/// A reading of the clock; subtract two readings of the same thread.
pub fn now() -> Duration {
    if CPU_TIME.load(Ordering::Relaxed) {
        if let Some(t) = thread_cpu_time() {
            return t;
        }
    }
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

/// Time since an earlier reading `start` (zero if the clock was switched between).
pub fn since(start: Duration) -> Duration {
    now().saturating_sub(start)
}

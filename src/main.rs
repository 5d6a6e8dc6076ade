// mimalloc: the rules build and drop many small Rhai maps and strings; with
// glibc's allocator about 15% of a batch was spent in malloc and free
// (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    restore_sigpipe();
    std::process::exit(report_lint::cli::run());
}

/// `report-lint rules | head` must end quietly when the reader goes away, as
/// other Unix tools do, instead of panicking on a broken pipe: Rust ignores
/// SIGPIPE by default, so put the default action back.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

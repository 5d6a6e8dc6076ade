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

fn main() {
    std::process::exit(report_lint::cli::run());
}

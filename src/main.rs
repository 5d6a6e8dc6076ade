use std::path::Path;
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let src = report_lint::input::read_path(Path::new(&p)).unwrap();
    let r = report_lint::parse::parse(&src);
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
}

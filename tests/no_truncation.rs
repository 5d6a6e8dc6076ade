//! No silent truncation: a finding about many items (a table missing eight
//! rows, a table with 126 blank cells) names every item in its notes, and
//! every machine format (JSON, SARIF, CSV, XLSX through the same rows) carries
//! all the notes.

mod common;
use common::{run, stdout};
use serde_json::Value;

/// Seed 000 with the first eight rows of table 3 deleted.
fn eight_rows_missing(dir: &std::path::Path) -> std::path::PathBuf {
    let seed = std::fs::read_to_string("fixtures/seeds/000.txt").unwrap();
    let lines: Vec<&str> = seed.split('\n').collect();
    let rows: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains(" | ") && l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(i, _)| i)
        .take(8)
        .collect();
    assert_eq!(rows.len(), 8);
    let kept: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !rows.contains(i))
        .map(|(_, l)| *l)
        .collect();
    let path = dir.join("eight-rows-missing.txt");
    std::fs::write(&path, kept.join("\n")).unwrap();
    path
}

fn json(path: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(&stdout(&run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        path,
    ])))
    .unwrap();
    v["files"][0]["diagnostics"].as_array().unwrap().clone()
}

/// The number just before `unit` in a message (“8 处”, “126 个”).
fn count_before(message: &str, unit: &str) -> usize {
    let at = message.find(unit).unwrap();
    message[..at]
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn every_item_is_in_the_notes_of_every_machine_format() {
    let dir = std::env::temp_dir().join(format!("rl-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shape = eight_rows_missing(&dir);
    let shape = shape.to_str().unwrap();

    // table-shape: one finding for eight problems, each named in a note.
    let d = json(shape);
    let f = d
        .iter()
        .find(|d| d["rule"] == "table-shape" && d["message"].as_str().unwrap().contains(" 处缺行"))
        .expect("one grouped table-shape finding");
    let n = count_before(f["message"].as_str().unwrap(), " 处");
    assert_eq!(n, 8);
    let notes: Vec<&str> = f["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), n, "{notes:?}");
    assert!(notes.iter().all(|n| !n.contains('…')), "{notes:?}");

    // cell-value: 126 blank cells, all named.
    let html = "fixtures/rules/cell-value/fire-007-many-blank-cells.html";
    let d = json(html);
    let f = d
        .iter()
        .find(|d| {
            d["rule"] == "cell-value" && d["message"].as_str().unwrap().contains("空白单元格")
        })
        .unwrap();
    let n = count_before(f["message"].as_str().unwrap(), " 个空白");
    let note = f["notes"][0].as_str().unwrap();
    let listed = note.split_once('：').unwrap().1.split('；').count();
    assert_eq!(listed, n, "{note}");
    assert!(!note.contains('…'), "{note}");

    // SARIF and CSV carry the same notes.
    let sarif: Value = serde_json::from_str(&stdout(&run(&[
        "check",
        "--no-config",
        "--format",
        "sarif",
        shape,
    ])))
    .unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "table-shape")
        .unwrap();
    assert_eq!(
        result["properties"]["notes"].as_array().unwrap().len(),
        notes.len()
    );
    let csv = run(&["check", "--no-config", "--format", "csv", shape]).stdout;
    let csv = String::from_utf8(csv).unwrap();
    for n in &notes {
        assert!(csv.contains(n), "CSV carries “{n}”");
    }
    std::fs::remove_dir_all(&dir).ok();
}

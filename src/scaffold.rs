//! `report-lint new-rule ID [DIR]`: a new rule with everything it needs to be
//! tested and documented, ready for `report-lint test-rules DIR`.

use std::path::{Path, PathBuf};

/// The bundled example report the fixtures start from (seed 000).
const EXAMPLE: &str = include_str!("../fixtures/seeds/000.txt");

/// The word the template rule looks for; the firing fixture contains it.
const MARKER: &str = "示例问题";

fn rule_source(id: &str) -> String {
    format!(
        r#"// {id}: describe what this rule checks, in one line.
const META = #{{
    id: "{id}",
    severity: "warning",
    family: "content",
    summary: "一句话说明检查什么",
    reference: "依据（文件名称、条款）",
}};

fn check(report) {{
    let out = [];
    // Replace this with your check. The model is described in docs/writing-rules.md;
    // `report-lint dump REPORT` shows it for a report.
    for m in report.find_all("{MARKER}") {{
        out.push(#{{
            message: `报告中出现“${{m.text}}”`,
            span: m.span,
            label: "在这里",
            help: "说明如何修改报告",
        }});
    }}
    out
}}
"#
    )
}

fn page(id: &str) -> String {
    format!(
        "# {id}\n类别：content · 默认级别：warning · 规则文件：`{id}.rhai`\n\n## 检查什么\n\n## 为什么\n\n## 示例\n\n## 如何修改报告\n\n## 不会报告的情况\n\n## 依据\n\n## 配置\n```toml\n[rules]\n{id} = \"off\"   # 或 \"error\" / \"warning\" / \"note\"\n```\n"
    )
}

/// Create the files; refuses to overwrite anything. Returns the created paths.
pub fn new_rule(id: &str, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let kebab = !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !kebab {
        return Err(format!(
            "规则 id “{id}” 应为小写 kebab-case，如 part-five-rectification"
        ));
    }
    let fire_report = EXAMPLE.replacen(
        "一、总体情况",
        &format!("一、总体情况\n本年度存在{MARKER}。"),
        1,
    );
    let fire_line = fire_report
        .lines()
        .position(|l| l.contains(MARKER))
        .map(|i| i + 1)
        .unwrap_or(1);
    let files: Vec<(PathBuf, String)> = vec![
        (dir.join(format!("{id}.rhai")), rule_source(id)),
        (dir.join(format!("{id}.md")), page(id)),
        (dir.join(format!("fire-{id}.txt")), fire_report),
        (
            dir.join(format!("fire-{id}.expect")),
            format!("# The rule must fire here.\nonly: {id}\n{fire_line} {id}\n"),
        ),
        (dir.join(format!("quiet-{id}.txt")), EXAMPLE.to_string()),
        (
            dir.join(format!("quiet-{id}.expect")),
            format!("# A near miss: the rule must stay quiet.\nonly: {id}\n"),
        ),
    ];
    if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(format!("{} 已存在，不会覆盖", p.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: 无法创建目录：{e}", dir.display()))?;
    let mut created = Vec::new();
    for (p, text) in files {
        std::fs::write(&p, text).map_err(|e| format!("{}: 无法写入：{e}", p.display()))?;
        created.push(p);
    }
    Ok(created)
}

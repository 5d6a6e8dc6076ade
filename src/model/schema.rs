//! The canonical format: the six headings and the rows and columns of tables
//! 2, 3 and 4 in the 2019 trial and 2021 formats (spec §2, §4–§6, §12).

use super::FormatVersion;

/// The six canonical part headings, in order (number 1–6).
pub const SECTION_HEADINGS: [&str; 6] = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
];

pub const CHINESE_NUMERALS: [&str; 10] =
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// `一、总体情况` for part 1.
pub fn canonical_heading(number: i64) -> String {
    let i = (number - 1) as usize;
    format!("{}、{}", CHINESE_NUMERALS[i], SECTION_HEADINGS[i])
}

/// Whether a line can be a report's title: it names the annual report
/// (`…年度报告`, `…工作报告`), is short, and is no sentence. The first
/// paragraph of a CMS article (`依据《条例》规定，现公布××局2024年政府信息公开
/// 工作年度报告。`) names the report too, but is not its title.
pub fn is_title_text(text: &str) -> bool {
    let t = text.trim();
    (t.contains("年度报告") || t.ends_with("工作报告"))
        && t.chars().count() <= 60
        && !t.contains(['。', '，', '；'])
}

/// Which part a heading title refers to, by its words (not by its numbering).
pub fn section_for_title(title: &str) -> Option<i64> {
    let t = title;
    if t.contains("总体情况") || t == "概述" || t.contains("基本情况") {
        Some(1)
    } else if t.contains("主动公开") {
        Some(2)
    } else if t.contains("行政复议") || t.contains("行政诉讼") {
        // Before part 三's words: the 2019 heading `四、因政府信息公开工作被申请
        // 行政复议、提起行政诉讼情况` also says 申请 and 公开.
        Some(4)
    } else if t.contains("收到和处理")
        || t.contains("收到的处理")
        || (t.contains("申请") && t.contains("公开"))
    {
        Some(3)
    } else if t.contains("问题") && (t.contains("改进") || t.contains("整改") || t.contains("措施"))
    {
        Some(5)
    } else if t.contains("其他需要报告") || t.contains("其他事项") || t == "其他" {
        Some(6)
    } else {
        None
    }
}

/// A data row of a canonical table.
#[derive(Debug, Clone, Copy)]
pub struct RowSpec {
    pub key: &'static str,
    pub label: &'static str,
    /// Phrases that identify the row label after normalization (any one suffices).
    pub phrases: &'static [&'static str],
    /// Column keys of this row's values.
    pub cols: &'static [&'static str],
}

pub const T3_COLS: [&str; 7] = [
    "natural",
    "org_business",
    "org_research",
    "org_public_welfare",
    "org_legal_service",
    "org_other",
    "total",
];

pub const T3_COL_LABELS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

const C7: &[&str] = &T3_COLS;

macro_rules! t3row {
    ($key:expr, $label:expr, [$($p:expr),*]) => {
        RowSpec { key: $key, label: $label, phrases: &[$($p),*], cols: C7 }
    };
}

/// Table 3 rows shared by both formats, before (六).
const T3_HEAD: [RowSpec; 17] = [
    t3row!("new", "一、本年新收政府信息公开申请数量", ["本年新收"]),
    t3row!(
        "carried_in",
        "二、上年结转政府信息公开申请数量",
        ["上年结转"]
    ),
    t3row!("r1_disclosed", "（一）予以公开", ["予以公开"]),
    t3row!(
        "r2_partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ["部分公开"]
    ),
    t3row!("r3_1_state_secret", "1.属于国家秘密", ["国家秘密"]),
    t3row!(
        "r3_2_law_forbids",
        "2.其他法律行政法规禁止公开",
        ["行政法规禁止"]
    ),
    t3row!(
        "r3_3_security_stability",
        "3.危及“三安全一稳定”",
        ["三安全一稳定"]
    ),
    t3row!(
        "r3_4_third_party",
        "4.保护第三方合法权益",
        ["第三方合法权益"]
    ),
    t3row!(
        "r3_5_internal_affairs",
        "5.属于三类内部事务信息",
        ["内部事务"]
    ),
    t3row!("r3_6_process_info", "6.属于四类过程性信息", ["过程性信息"]),
    t3row!(
        "r3_7_enforcement_file",
        "7.属于行政执法案卷",
        ["行政执法案卷"]
    ),
    t3row!("r3_8_admin_query", "8.属于行政查询事项", ["行政查询"]),
    t3row!("r4_1_not_held", "1.本机关不掌握相关政府信息", ["不掌握"]),
    t3row!(
        "r4_2_needs_creation",
        "2.没有现成信息需要另行制作",
        ["另行制作"]
    ),
    t3row!("r4_3_still_unclear", "3.补正后申请内容仍不明确", ["补正后"]),
    t3row!("r5_1_petition", "1.信访举报投诉类申请", ["信访举报"]),
    t3row!("r5_2_repeat", "2.重复申请", ["重复申请"]),
];

const T3_MID: [RowSpec; 3] = [
    t3row!("r5_3_publication", "3.要求提供公开出版物", ["公开出版物"]),
    t3row!("r5_4_mass_repeat", "4.无正当理由大量反复申请", ["大量反复"]),
    t3row!(
        "r5_5_confirm_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        ["重新出具"]
    ),
];

const T3_R6_2021: [RowSpec; 3] = [
    t3row!(
        "r6_1_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ["逾期不补正"]
    ),
    t3row!(
        "r6_2_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ["收费通知", "缴纳费用"]
    ),
    t3row!("r6_3_other", "3.其他", ["3.其他"]),
];

const T3_R6_2019: RowSpec = t3row!("r6_other", "（六）其他处理", ["其他处理"]);

const T3_TAIL: [RowSpec; 2] = [
    t3row!("r7_total", "（七）总计", ["(七)总计", "七)总计", "(七)"]),
    t3row!("carried_out", "四、结转下年度继续办理", ["结转下年度"]),
];

/// Table 3 data rows for a format (25 rows in 2021, 23 in 2019).
pub fn t3_rows(format: FormatVersion) -> Vec<RowSpec> {
    let mut rows: Vec<RowSpec> = T3_HEAD.to_vec();
    rows.extend_from_slice(&T3_MID);
    match format {
        FormatVersion::V2021 => rows.extend_from_slice(&T3_R6_2021),
        FormatVersion::V2019 => rows.push(T3_R6_2019),
    }
    rows.extend_from_slice(&T3_TAIL);
    rows
}

/// Keys of the table 3 rows that (七)总计 sums.
pub fn t3_leaf_keys(format: FormatVersion) -> Vec<&'static str> {
    t3_rows(format)
        .into_iter()
        .map(|r| r.key)
        .filter(|k| k.starts_with('r') && *k != "r7_total")
        .collect()
}

/// Group labels of table 3 that share a line with their first item and carry no values.
pub const T3_GROUP_PHRASES: [&str; 6] = [
    "本年度办理结果",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "申请人情况",
];

pub const T4_GROUPS: [&str; 3] = ["review", "suit_direct", "suit_after_review"];
pub const T4_GROUP_LABELS: [&str; 3] = [
    "行政复议",
    "行政诉讼（未经复议直接起诉）",
    "行政诉讼（复议后起诉）",
];
pub const T4_COLS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];
pub const T4_COL_LABELS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// The kinds of statistics table a report has.
pub const TABLE_KINDS: [&str; 3] = ["t2", "t3", "t4"];

/// Every row key a table of `kind` can have, in either format, in order
/// (what `table.row(key)` and `table.cell(row, col)` accept in rules).
pub fn row_keys(kind: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = match kind {
        "t2" => [FormatVersion::V2021, FormatVersion::V2019]
            .into_iter()
            .flat_map(t2_rows)
            .map(|(_, r)| r.key)
            .collect(),
        "t3" => [FormatVersion::V2021, FormatVersion::V2019]
            .into_iter()
            .flat_map(t3_rows)
            .map(|r| r.key)
            .collect(),
        "t4" => T4_GROUPS.to_vec(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(*k));
    keys
}

/// Every column key a table of `kind` can have, in either format, in order.
pub fn col_keys(kind: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = match kind {
        "t2" => [FormatVersion::V2021, FormatVersion::V2019]
            .into_iter()
            .flat_map(t2_rows)
            .flat_map(|(_, r)| r.cols.iter().copied())
            .collect(),
        "t3" => T3_COLS.to_vec(),
        "t4" => T4_COLS.to_vec(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(*k));
    keys
}

/// Table 2 rows of a format, in order, with the block caption each belongs to.
pub fn t2_rows(format: FormatVersion) -> Vec<(&'static str, RowSpec)> {
    match format {
        FormatVersion::V2021 => vec![
            (
                "（一）",
                RowSpec {
                    key: "regulations",
                    label: "规章",
                    phrases: &["规章"],
                    cols: &["issued", "repealed", "in_force"],
                },
            ),
            (
                "（一）",
                RowSpec {
                    key: "normative_documents",
                    label: "行政规范性文件",
                    phrases: &["规范性文件"],
                    cols: &["issued", "repealed", "in_force"],
                },
            ),
            (
                "（五）",
                RowSpec {
                    key: "licensing",
                    label: "行政许可",
                    phrases: &["行政许可"],
                    cols: &["decisions"],
                },
            ),
            (
                "（六）",
                RowSpec {
                    key: "punishment",
                    label: "行政处罚",
                    phrases: &["行政处罚"],
                    cols: &["decisions"],
                },
            ),
            (
                "（六）",
                RowSpec {
                    key: "coercion",
                    label: "行政强制",
                    phrases: &["行政强制"],
                    cols: &["decisions"],
                },
            ),
            (
                "（八）",
                RowSpec {
                    key: "fees",
                    label: "行政事业性收费",
                    phrases: &["事业性收费"],
                    cols: &["amount"],
                },
            ),
        ],
        FormatVersion::V2019 => vec![
            (
                "（一）",
                RowSpec {
                    key: "regulations",
                    label: "规章",
                    phrases: &["规章"],
                    cols: &["made", "published", "total_public"],
                },
            ),
            (
                "（一）",
                RowSpec {
                    key: "normative_documents",
                    label: "规范性文件",
                    phrases: &["规范性文件"],
                    cols: &["made", "published", "total_public"],
                },
            ),
            (
                "（五）",
                RowSpec {
                    key: "licensing",
                    label: "行政许可",
                    phrases: &["行政许可"],
                    cols: &["previous_items", "change", "decisions"],
                },
            ),
            (
                "（五）",
                RowSpec {
                    key: "other_services",
                    label: "其他对外管理服务事项",
                    phrases: &["对外管理服务"],
                    cols: &["previous_items", "change", "decisions"],
                },
            ),
            (
                "（六）",
                RowSpec {
                    key: "punishment",
                    label: "行政处罚",
                    phrases: &["行政处罚"],
                    cols: &["previous_items", "change", "decisions"],
                },
            ),
            (
                "（六）",
                RowSpec {
                    key: "coercion",
                    label: "行政强制",
                    phrases: &["行政强制"],
                    cols: &["previous_items", "change", "decisions"],
                },
            ),
            (
                "（八）",
                RowSpec {
                    key: "fees",
                    label: "行政事业性收费",
                    phrases: &["事业性收费"],
                    cols: &["previous_items", "change"],
                },
            ),
            (
                "（九）",
                RowSpec {
                    key: "procurement",
                    label: "政府集中采购",
                    phrases: &["集中采购"],
                    cols: &["count", "amount"],
                },
            ),
        ],
    }
}

/// Human-readable labels of table 2 column keys.
pub fn t2_col_label(key: &str) -> &'static str {
    match key {
        "issued" => "本年制发件数",
        "repealed" => "本年废止件数",
        "in_force" => "现行有效件数",
        "decisions" => "本年处理决定数量",
        "amount" => "本年收费金额（单位：万元）",
        "made" => "本年新制作数量",
        "published" => "本年新公开数量",
        "total_public" => "对外公开总数量",
        "previous_items" => "上一年项目数量",
        "change" => "本年增/减",
        "count" => "采购项目数量",
        _ => "",
    }
}

/// Header words of table 2 that tell the 2021 layout from the 2019 one.
pub const T2_HEADERS_2021: [&str; 4] = [
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年收费金额",
];
pub const T2_HEADERS_2019: [&str; 7] = [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增",
    "采购项目数量",
    "采购总金额",
];
/// Other header words of table 2 (shared or captions).
pub const T2_HEADERS_OTHER: [&str; 4] =
    ["信息内容", "本年处理决定数量", "第二十条", "处理决定数量"];

/// A short row name for messages: `本年新收`, `（四）1.本机关不掌握相关政府信息`.
pub fn row_short(key: &str, label: &str) -> String {
    let group = match key.get(..3) {
        Some("r3_") => "（三）",
        Some("r4_") => "（四）",
        Some("r5_") => "（五）",
        _ => "",
    };
    match key {
        "new" => "本年新收".into(),
        "carried_in" => "上年结转".into(),
        "carried_out" => "结转下年度".into(),
        "r6_1_no_correction" => "（六）1.逾期不补正".into(),
        "r6_2_fee_unpaid" => "（六）2.逾期未缴费".into(),
        "r6_3_other" => "（六）3.其他".into(),
        _ => format!("{group}{}", short_label(label)),
    }
}

/// Human-readable name of a cell, e.g. `（七）总计 / 自然人`.
pub fn cell_name(table: &str, row_key: &str, row_label: &str, col: &str) -> String {
    let col_label = match table {
        "t3" => T3_COLS
            .iter()
            .position(|c| *c == col)
            .map(|i| T3_COL_LABELS[i])
            .unwrap_or(col),
        "t4" => T4_COLS
            .iter()
            .position(|c| *c == col)
            .map(|i| T4_COL_LABELS[i])
            .unwrap_or(col),
        _ if row_key == "procurement" && col == "amount" => "采购总金额",
        _ => t2_col_label(col),
    };
    format!("{} / {}", row_short(row_key, row_label), col_label)
}

/// A row label without its long parenthetical, for messages.
pub fn short_label(label: &str) -> &str {
    match label.find("（区分") {
        Some(i) => &label[..i],
        None => label,
    }
}

/// A short text line naming a table 3 row (`（二）部分公开（区分处理的，只`): table
/// text even where the table could not be followed, never narrative.
pub fn is_row_label_line(text: &str) -> bool {
    let f = super::normalize::fold(text);
    // A group label cut by a line break: `（三）不` of `（三）不予公开`.
    let group_start = [
        "(三)不予公开",
        "(四)无法提供",
        "(五)不予处理",
        "(六)其他处理",
    ]
    .iter()
    .any(|g| f.chars().count() >= 4 && g.starts_with(f.as_str()));
    group_start
        || (f.chars().count() <= 40
            && !f.contains('。')
            && t3_rows(FormatVersion::V2021)
                .iter()
                .any(|r| r.phrases.iter().any(|p| f.contains(p))))
}

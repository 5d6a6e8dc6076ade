//! A generator of realistic annual reports for tests and benchmarks.
//!
//! Every report is built from a seed: an organ, a year (2021 format), the
//! statistics of tables 2–4 with every identity of the format holding
//! (annual-report-format.md §5.3 and §6.2), and a narrative whose numbers agree
//! with the tables. It can be written as text (pipe rows, as reports are
//! copied out of Word and web pages), HTML (the national template's table
//! layout with rowspan/colspan) or DOCX (`word/document.xml` with paragraphs
//! and `w:tbl` tables).
//!
//! An [`Injection`] plants one known error; [`Injection::rules`] names the
//! rules that must then fire, and nothing else may.
//!
//! Used by `examples/gen-corpus.rs` (the command-line tool) and by
//! `tests/corpus.rs` (through `#[path]`).

#![allow(dead_code)]

use std::fmt::Write as _;

/// A small deterministic generator (SplitMix64): same seed, same corpus, on
/// every machine and Rust version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pipe rows: one table row per line, cells ending in ` |`.
    Text,
    /// One cell per line (`规章 |`), as Word's "copy as text" gives.
    Cells,
    /// Tab-indented cells, one per line, a blank line between rows (a DOCX
    /// export to text).
    Tab,
    /// One cell per line and nothing else (`规章`, `0`, `0`, `0`), as a web
    /// page's text is crawled or copied: merged cells once, empty cells left out.
    Lines,
    /// Markdown: `#` headings and `|` tables.
    Markdown,
    Html,
    Docx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" | "txt" => Some(Format::Text),
            "cells" => Some(Format::Cells),
            "tab" => Some(Format::Tab),
            "lines" => Some(Format::Lines),
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text | Format::Cells | Format::Tab | Format::Lines => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// Known errors the generator can plant, one per report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Injection {
    /// 一 + 二 ≠ (七) + 四 in the 自然人 and 总计 columns (each row still adds up).
    T3Balance,
    /// (七)总计 ≠ the sum of the outcome rows (in two columns).
    T3ResultsTotal,
    /// Two rows whose 总计 cell is not the sum of the applicant columns
    /// (moved between them, so every column sum still holds).
    T3RowTotal,
    /// A table-4 group whose 总计 is not the sum of its four results.
    T4GroupTotal,
    /// The narrative's count of new applications differs from table 3.
    NarrativeReceived,
    /// The narrative's count of handled applications differs from table 3's
    /// (七)总计.
    NarrativeHandled,
    /// The narrative's count of administrative reviews differs from table 4.
    NarrativeReview,
    /// A year-on-year percentage no whole previous-year count can give.
    PercentChange,
    /// Word residue: a `[bookmark: _GoBack]` line.
    WordArtifact,
    /// Web page residue: “打印本页 / 关闭窗口” lines.
    WebResidue,
    /// Part 六 without the 信息处理费 statement.
    FeeStatementMissing,
    /// Part 二's heading in a wrong wording.
    SectionHeadingText,
    /// Part 四's heading numbered as Word's list numbering exports it:
    /// `4、 政府信息公开行政复议、行政诉讼情况`.
    WordHeadingNumber,
    /// Part 五 retitled `五、存在的主要问题及改进措施`.
    RetitledHeading,
    /// The signature dated before 12月31日 of the report year.
    SignatureEarly,
    /// The site's footer pasted after the report's end (相关链接, 打印本页,
    /// 扫一扫…).
    WebFooter,
    /// The title's year changed (the statistics period keeps the report year).
    TitleYear,
}

impl Injection {
    pub const ALL: [Injection; 17] = [
        Injection::T3Balance,
        Injection::T3ResultsTotal,
        Injection::T3RowTotal,
        Injection::T4GroupTotal,
        Injection::NarrativeReceived,
        Injection::NarrativeHandled,
        Injection::NarrativeReview,
        Injection::PercentChange,
        Injection::WordArtifact,
        Injection::WebResidue,
        Injection::FeeStatementMissing,
        Injection::SectionHeadingText,
        Injection::WordHeadingNumber,
        Injection::RetitledHeading,
        Injection::SignatureEarly,
        Injection::WebFooter,
        Injection::TitleYear,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Injection::T3Balance => "t3-balance",
            Injection::T3ResultsTotal => "t3-results-total",
            Injection::T3RowTotal => "t3-row-total",
            Injection::T4GroupTotal => "t4-group-total",
            Injection::NarrativeReceived => "narrative-received",
            Injection::NarrativeHandled => "narrative-handled",
            Injection::NarrativeReview => "narrative-review",
            Injection::PercentChange => "percent-change",
            Injection::WordArtifact => "word-artifact",
            Injection::WebResidue => "web-residue",
            Injection::FeeStatementMissing => "fee-statement-missing",
            Injection::SectionHeadingText => "section-heading-text",
            Injection::WordHeadingNumber => "word-heading-number",
            Injection::RetitledHeading => "retitled-heading",
            Injection::SignatureEarly => "signature-early",
            Injection::WebFooter => "web-footer",
            Injection::TitleYear => "title-year",
        }
    }

    /// The rules that find this error (and no other rule may fire).
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Injection::T3Balance => &["t3-balance"],
            Injection::T3ResultsTotal => &["t3-results-total"],
            Injection::T3RowTotal => &["t3-row-total"],
            Injection::T4GroupTotal => &["t4-group-total"],
            Injection::NarrativeReceived => &["nvt-applications-received"],
            Injection::NarrativeHandled => &["nvt-processed"],
            Injection::NarrativeReview => &["nvt-review-litigation"],
            Injection::PercentChange => &["percent-change-implausible"],
            Injection::WordArtifact => &["word-artifact"],
            Injection::WebResidue => &["web-residue"],
            Injection::FeeStatementMissing => &["fee-statement-missing"],
            Injection::SectionHeadingText => &["section-heading-text"],
            Injection::WordHeadingNumber => &["section-numbering"],
            Injection::RetitledHeading => &["section-heading-text"],
            Injection::SignatureEarly => &["publication-too-early"],
            Injection::WebFooter => &["web-residue"],
            // Titled a year early, the report is also published late for it.
            Injection::TitleYear => &["year-consistency", "publication-late"],
        }
    }

    /// Rules that may also fire, rightly, on this slip: a narrative that
    /// repeats a wrong table-3 leaf, or states a wrong handled count, no longer
    /// adds up in its own `其中` listing of outcomes (`breakdown-sum`), in the
    /// wordings that list them after `其中`.
    pub fn also(self) -> &'static [&'static str] {
        match self {
            Injection::T3ResultsTotal
            | Injection::NarrativeReceived
            | Injection::NarrativeHandled => &["breakdown-sum"],
            _ => &[],
        }
    }

    /// The text of the line a text-shaped report's finding must point at
    /// (the slip's own line), for the slips that have one.
    pub fn line_text(self, r: &Report) -> Option<String> {
        Some(match self {
            Injection::WordArtifact => "[bookmark: _GoBack]".into(),
            Injection::WebResidue => "打印本页".into(),
            Injection::SectionHeadingText => "二、主动公开政府信息公开情况".into(),
            Injection::WordHeadingNumber => WORD_HEADING_FOUR.into(),
            Injection::RetitledHeading => RETITLED_FIVE.into(),
            Injection::SignatureEarly => r.signature_date(),
            Injection::WebFooter => WEB_FOOTER[0].into(),
            _ => return None,
        })
    }
}

const WORD_HEADING_FOUR: &str = "4、 政府信息公开行政复议、行政诉讼情况";
const RETITLED_FIVE: &str = "五、存在的主要问题及改进措施";
const WEB_FOOTER: [&str; 3] = [
    "相关链接：中国政府网 / 省人民政府门户网站",
    "【打印本页】【关闭窗口】",
    "扫一扫在手机打开当前页",
];

impl Report {
    /// The date under the signature.
    pub fn signature_date(&self) -> String {
        if self.injection == Some(Injection::SignatureEarly) {
            format!("{}年12月{}日", self.year, self.publish_day)
        } else {
            format!("{}年1月{}日", self.year + 1, self.publish_day)
        }
    }
}

/// Known cross-year errors planted in a year of a series ([`write_series`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesInjection {
    /// 上年结转 (natural persons) ≠ last year's 结转下年度; the year's own
    /// table 3 still balances.
    CarryOver,
    /// 现行有效 (行政规范性文件) ≠ last year's + 制发 − 废止.
    StockBreak,
}

impl SeriesInjection {
    pub const ALL: [SeriesInjection; 2] = [SeriesInjection::CarryOver, SeriesInjection::StockBreak];

    pub fn name(self) -> &'static str {
        match self {
            SeriesInjection::CarryOver => "carry-over",
            SeriesInjection::StockBreak => "stock-break",
        }
    }

    /// The rules that find this error (and no other rule may fire).
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            SeriesInjection::CarryOver => &["carry-over-mismatch"],
            SeriesInjection::StockBreak => &["t2-stock-continuity"],
        }
    }
}

// Table 3 rows (2021 format), in order; see the format §5.2.
pub const NEW: usize = 0;
pub const CARRIED_IN: usize = 1;
/// The 21 outcome leaves are rows 2..23.
pub const LEAVES: std::ops::Range<usize> = 2..23;
pub const R7_TOTAL: usize = 23;
pub const CARRIED_OUT: usize = 24;
/// Columns: six applicant types, then 总计.
pub const TOTAL: usize = 6;

/// (group label shown on the row, row label) for the 24 data rows after the header.
const T3_ROWS: [(&str, &str); 24] = [
    ("", "一、本年新收政府信息公开申请数量"),
    ("", "二、上年结转政府信息公开申请数量"),
    ("三、本年度办理结果", "（一）予以公开"),
    (
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("（三）不予公开", "1.属于国家秘密"),
    ("", "2.其他法律行政法规禁止公开"),
    ("", "3.危及“三安全一稳定”"),
    ("", "4.保护第三方合法权益"),
    ("", "5.属于三类内部事务信息"),
    ("", "6.属于四类过程性信息"),
    ("", "7.属于行政执法案卷"),
    ("", "8.属于行政查询事项"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("", "2.没有现成信息需要另行制作"),
    ("", "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "1.信访举报投诉类申请"),
    ("", "2.重复申请"),
    ("", "3.要求提供公开出版物"),
    ("", "4.无正当理由大量反复申请"),
    ("", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("", "3.其他"),
    ("", "（七）总计"),
];
const T3_LAST: &str = "四、结转下年度继续办理";
/// Rowspan of each group label (for HTML and DOCX).
fn group_span(label: &str) -> usize {
    match label {
        "三、本年度办理结果" => 22,
        "（三）不予公开" => 8,
        "（四）无法提供" => 3,
        "（五）不予处理" => 5,
        "（六）其他处理" => 3,
        _ => 1,
    }
}

/// One generated report's data.
#[derive(Clone, Debug)]
pub struct Report {
    pub organ: String,
    /// How the organ calls itself in the narrative (本局, 本镇 …).
    pub short: &'static str,
    pub year: i64,
    /// Table 2: [制发, 废止, 现行有效] for 规章 and 行政规范性文件.
    pub t2_docs: [[i64; 3]; 2],
    pub t2_license: i64,
    pub t2_penalty: i64,
    pub t2_coercion: i64,
    /// 万元, in hundredths.
    pub t2_fee_cents: i64,
    /// Table 3: 25 rows × 7 columns.
    pub t3: [[i64; 7]; 25],
    /// Table 4: review, direct suit, suit after review × [维持, 纠正, 其他, 尚未审结, 总计].
    pub t4: [[i64; 5]; 3],
    /// Items published on the portal and on new media.
    pub portal: i64,
    pub media: i64,
    /// Last year's published total, for the percentage sentence.
    pub portal_prev: i64,
    pub publish_day: i64,
    pub injection: Option<Injection>,
    /// The cross-year error planted against last year's report, if any.
    pub series_injection: Option<SeriesInjection>,
    /// Variety in the narrative.
    pub phrasing: [usize; 6],
    /// How part 一 words the requests (see `requests_paragraph`): the count
    /// of new requests (8 ways), by whom, carried in, handled, outcomes,
    /// carried out, reviews and suits.
    pub wording: [usize; 7],
}

const PLACES: [&str; 24] = [
    "青山", "河西", "临江", "松岭", "柳城", "安平", "东湖", "南屏", "白沙", "石门", "龙泉", "凤栖",
    "清溪", "长乐", "永宁", "兴隆", "桂林", "云溪", "双桥", "金川", "望江", "黄陂", "宝山", "雁塔",
];
const CITIES: [&str; 12] = [
    "江州", "滨海", "云州", "平川", "湘源", "黔宁", "秦阳", "豫东", "冀北", "岭南", "川西", "晋中",
];
/// (organ suffix, how it calls itself).
const ORGANS: [(&str, &str); 10] = [
    ("区人民政府办公室", "本机关"),
    ("县交通运输局", "本局"),
    ("区市场监督管理局", "本局"),
    ("县自然资源局", "本局"),
    ("区教育局", "本局"),
    ("县卫生健康局", "本局"),
    ("区生态环境分局", "本局"),
    ("县人力资源和社会保障局", "本局"),
    ("区住房和城乡建设局", "本局"),
    ("县财政局", "本局"),
];

impl Report {
    /// The report with this seed, with `injection` planted.
    pub fn generate(seed: u64, injection: Option<Injection>) -> Report {
        let mut rng = Rng::new(seed);
        let city = *rng.pick(&CITIES);
        let place = *rng.pick(&PLACES);
        let (suffix, short) = *rng.pick(&ORGANS);
        let organ = format!("{city}市{place}{suffix}");
        let year = rng.range(2021, 2024);

        // Table 3: build each applicant column so that its identities hold.
        let mut t3 = [[0i64; 7]; 25];
        let busy = rng.range(0, 3);
        #[allow(clippy::needless_range_loop)] // c indexes rows of columns
        for c in 0..6 {
            let scale = match (c, busy) {
                (_, 0) => 0,
                (0, b) => [0, 12, 60, 240][b as usize],
                (_, b) => [0, 2, 6, 15][b as usize],
            };
            if scale == 0 || (c > 0 && rng.chance(45)) {
                continue;
            }
            let new = rng.range(0, scale);
            let carried_in = if rng.chance(40) {
                rng.range(0, (scale / 10).max(1))
            } else {
                0
            };
            let open = new + carried_in;
            let carried_out = if open > 0 && rng.chance(40) {
                rng.range(0, (open / 8).max(1)).min(open)
            } else {
                0
            };
            let handled = open - carried_out;
            t3[NEW][c] = new;
            t3[CARRIED_IN][c] = carried_in;
            t3[CARRIED_OUT][c] = carried_out;
            t3[R7_TOTAL][c] = handled;
            // Spread the handled requests over the outcome leaves, most in the common ones.
            // No 逾期未缴费 (row r6_2): these organs charge no fees.
            let weights: [u64; 21] = [
                40, 10, 1, 1, 1, 2, 2, 1, 1, 1, 20, 3, 2, 3, 2, 1, 1, 1, 1, 0, 8,
            ];
            let sum: u64 = weights.iter().sum();
            for _ in 0..handled {
                let mut r = rng.next() % sum;
                let mut leaf = 0;
                while r >= weights[leaf] {
                    r -= weights[leaf];
                    leaf += 1;
                }
                t3[LEAVES.start + leaf][c] += 1;
            }
        }
        for row in t3.iter_mut() {
            row[TOTAL] = row[..6].iter().sum();
        }

        // Table 4.
        let mut t4 = [[0i64; 5]; 3];
        if busy > 0 && rng.chance(50) {
            for (g, group) in t4.iter_mut().enumerate() {
                let most = if g == 0 { 4 } else { 2 };
                for cell in group.iter_mut().take(4) {
                    *cell = if rng.chance(50) {
                        rng.range(0, most)
                    } else {
                        0
                    };
                }
                group[4] = group[..4].iter().sum();
            }
        }

        let issued = rng.range(0, 12);
        let repealed = rng.range(0, 5);
        let t2_docs = [[0, 0, 0], [issued, repealed, issued + rng.range(5, 80)]];
        let portal = rng.range(40, 3000);
        let media = rng.range(0, 800);
        // A previous-year total and the percentage that follows from it.
        let portal_prev = (portal as f64 * (rng.range(60, 140) as f64 / 100.0)).round() as i64;

        let mut r = Report {
            organ,
            short,
            year,
            t2_docs,
            t2_license: if rng.chance(60) {
                rng.range(0, 5000)
            } else {
                0
            },
            t2_penalty: rng.range(0, 900),
            t2_coercion: rng.range(0, 40),
            t2_fee_cents: if rng.chance(40) {
                rng.range(1, 90_000)
            } else {
                0
            },
            t3,
            t4,
            portal,
            media,
            portal_prev: portal_prev.max(1),
            publish_day: rng.range(10, 28),
            injection,
            series_injection: None,
            phrasing: [0; 6].map(|_| (rng.next() % 4) as usize),
            wording: [0; 7].map(|_| (rng.next() % 8) as usize),
        };
        if let Some(i) = injection {
            r.inject(i, &mut rng);
        }
        r
    }

    /// The same organ's report for the next year, from `seed`: last year's
    /// 结转下年度 is this year's 上年结转 in every column (table 3 still
    /// balancing), table 2's stock follows (现行有效 = last year's + 制发 −
    /// 废止), the year-on-year percentage is against last year's published
    /// total, and the narrative's wording differs from last year's in every
    /// slot. `injection` breaks one of these links.
    pub fn next_year(&self, seed: u64, injection: Option<SeriesInjection>) -> Report {
        let mut r = Report::generate(seed, None);
        r.organ = self.organ.clone();
        r.short = self.short;
        r.year = self.year + 1;
        for c in 0..6 {
            let want = self.t3[CARRIED_OUT][c];
            let have = r.t3[CARRIED_IN][c];
            r.t3[CARRIED_IN][c] = want;
            if want > have {
                // More carried in: handled (and disclosed) that many more.
                r.t3[R7_TOTAL][c] += want - have;
                r.t3[LEAVES.start][c] += want - have;
            } else {
                // Fewer carried in: that many more new requests.
                r.t3[NEW][c] += have - want;
            }
        }
        for (row, last) in r.t2_docs.iter_mut().zip(self.t2_docs) {
            // What is repealed was in force last year.
            row[1] = row[1].min(last[2]);
            row[2] = last[2] + row[0] - row[1];
        }
        let last_total = self.portal + self.media;
        r.media = r.media.min(last_total - 1).max(0);
        r.portal_prev = (last_total - r.media).max(1);
        for (slot, last) in r.phrasing.iter_mut().zip(self.phrasing) {
            *slot = (last + 1 + *slot % 3) % 4;
        }
        r.series_injection = injection;
        match injection {
            Some(SeriesInjection::CarryOver) => {
                r.t3[CARRIED_IN][0] += 2;
                r.t3[R7_TOTAL][0] += 2;
                r.t3[LEAVES.start][0] += 2;
            }
            Some(SeriesInjection::StockBreak) => r.t2_docs[1][2] += 3,
            None => {}
        }
        for row in r.t3.iter_mut() {
            row[TOTAL] = row[..6].iter().sum();
        }
        r
    }

    /// Plant an error in the tables; narrative-only errors are planted when
    /// the text is written.
    fn inject(&mut self, i: Injection, rng: &mut Rng) {
        let k = rng.range(1, 3);
        match i {
            Injection::T3Balance => {
                // More new requests than were handled or carried over.
                self.t3[NEW][0] += k;
                self.t3[NEW][TOTAL] += k;
            }
            Injection::T3ResultsTotal => {
                // Disclosed requests counted in their row but not in (七).
                self.t3[LEAVES.start][0] += k;
                self.t3[LEAVES.start][TOTAL] += k;
            }
            Injection::T3RowTotal => {
                // 总计 cells raised in rows 一, (一) and (七) but not their applicant
                // cells: every column identity still holds, three rows do not add up.
                for row in [NEW, LEAVES.start, R7_TOTAL] {
                    self.t3[row][TOTAL] += k;
                }
            }
            Injection::T4GroupTotal => {
                self.t4[0][0] += k;
            }
            // A handled count needs requests to count.
            Injection::NarrativeHandled if self.handled() == 0 => {
                for row in [NEW, R7_TOTAL, LEAVES.start] {
                    self.t3[row][0] += 1;
                    self.t3[row][TOTAL] += 1;
                }
            }
            // Title year − 1 stays in the 2021 format.
            Injection::TitleYear => self.year = self.year.max(2022),
            _ => {}
        }
    }

    /// 三、…(七)总计: handled requests, total column.
    pub fn handled(&self) -> i64 {
        self.t3[R7_TOTAL][TOTAL]
    }

    fn leaf_total(&self, leaves: std::ops::Range<usize>) -> i64 {
        leaves.map(|r| self.t3[LEAVES.start + r][TOTAL]).sum()
    }

    /// The paragraphs of the report (headings, narrative, and a marker for each table).
    fn blocks(&self) -> Vec<Block> {
        let y = self.year;
        let s = self.short;
        let inj = self.injection;
        let mut b = Vec::new();
        let title_year = if inj == Some(Injection::TitleYear) {
            y - 1
        } else {
            y
        };
        b.push(Block::Title(format!(
            "{}{title_year}年政府信息公开工作年度报告",
            self.organ
        )));
        b.push(Block::Para(format!(
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
        )));
        if inj == Some(Injection::WordArtifact) {
            b.push(Block::Para("[bookmark: _GoBack]".into()));
        }
        b.push(Block::Heading("一、总体情况".into()));
        let opening = [
            "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《条例》各项规定，扎实推进政府信息公开工作。",
            "认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，持续深化政府信息公开。",
            "围绕中心工作，以公开促落实、以公开强监管、以公开优服务，不断提升政府信息公开质量。",
            "严格落实“公开为常态、不公开为例外”原则，依法依规做好政府信息公开工作。",
        ];
        b.push(Block::Para(format!(
            "{y}年，{}{}",
            self.organ, opening[self.phrasing[0]]
        )));

        b.push(Block::Para("（一）主动公开".into()));
        let total = self.portal + self.media;
        let (pct, up) = if inj == Some(Injection::PercentChange) {
            (implausible_percent(total), true)
        } else {
            let prev = self.portal_prev + self.media;
            let p = ((total - prev) as f64 * 100.0 / prev as f64).round() as i64;
            (p.abs(), p >= 0)
        };
        let change = if pct == 0 {
            String::new()
        } else {
            format!("，较上年{}{pct}%", if up { "增长" } else { "下降" })
        };
        let mut active = format!(
            "{y}年，{s}通过门户网站和政务新媒体主动公开政府信息{total}条{change}，其中门户网站发布{}条，政务新媒体发布{}条。",
            self.portal, self.media
        );
        let _ = write!(
            active,
            "全年制发行政规范性文件{}件，废止{}件。",
            self.t2_docs[1][0], self.t2_docs[1][1]
        );
        b.push(Block::Para(active));

        b.push(Block::Para("（二）依申请公开".into()));
        b.push(Block::Para(self.requests_paragraph()));

        b.push(Block::Para("（三）政府信息管理".into()));
        let manage = [
            "严格落实公文公开属性源头认定机制，做好政府信息发布前的保密审查，全年未发生泄密事件。",
            "动态更新政府信息公开指南和目录，定期清理行政规范性文件，确保公开信息准确有效。",
            "健全政府信息发布审核制度，落实“三审三校”要求，规范信息发布流程。",
            "加强政策解读，坚持解读材料与政策文件同步组织、同步审签、同步部署。",
        ];
        b.push(Block::Para(manage[self.phrasing[1]].into()));
        b.push(Block::Para("（四）政府信息公开平台建设".into()));
        let platform = [
            "持续优化门户网站政府信息公开专栏，完善栏目设置，提升检索和浏览体验。",
            "加强政务新媒体管理，规范开设、运维和内容发布，做到信息同源发布。",
            "推进政府信息公开平台规范化建设，及时维护各类栏目，确保内容更新及时。",
            "依托政务服务大厅设置政府信息查阅点，方便群众现场查阅。",
        ];
        b.push(Block::Para(platform[self.phrasing[2]].into()));
        b.push(Block::Para("（五）监督保障".into()));
        let oversight = [
            "将政府信息公开工作纳入年度目标考核，组织业务培训，压实工作责任。",
            "明确分管领导和工作人员，建立常态化监督检查机制，及时整改发现的问题。",
            "主动接受社会监督，畅通意见反馈渠道，认真回应群众关切。",
            "开展政务公开自查，对照要求逐项整改，确保各项工作落到实处。",
        ];
        b.push(Block::Para(oversight[self.phrasing[3]].into()));

        b.push(Block::Heading(
            if inj == Some(Injection::SectionHeadingText) {
                "二、主动公开政府信息公开情况"
            } else {
                "二、主动公开政府信息情况"
            }
            .into(),
        ));
        b.push(Block::Table2);
        b.push(Block::Heading("三、收到和处理政府信息公开申请情况".into()));
        b.push(Block::Table3);
        b.push(Block::Heading(
            if inj == Some(Injection::WordHeadingNumber) {
                WORD_HEADING_FOUR
            } else {
                "四、政府信息公开行政复议、行政诉讼情况"
            }
            .into(),
        ));
        b.push(Block::Table4);
        b.push(Block::Heading(
            if inj == Some(Injection::RetitledHeading) {
                RETITLED_FIVE
            } else {
                "五、存在的主要问题及改进情况"
            }
            .into(),
        ));
        let problems = [
            "政府信息公开工作仍存在一些不足：一是公开内容的全面性有待提升；二是政策解读形式较为单一。下一步，{s}将进一步完善公开目录，丰富解读形式，提升公开质量。",
            "存在的问题主要是信息更新不够及时、工作人员业务水平有待提高。下一步将加强业务培训，健全信息更新机制。",
            "对照上级要求，{s}在主动公开的深度和广度上还有差距。下一步将聚焦群众关切，加大重点领域信息公开力度。",
            "上一年度报告中提出的问题已完成整改。当前仍存在公开形式不够丰富的问题，下一步将拓展公开渠道，增强公开实效。",
        ];
        b.push(Block::Para(problems[self.phrasing[4]].replace("{s}", s)));
        b.push(Block::Heading("六、其他需要报告的事项".into()));
        if inj != Some(Injection::FeeStatementMissing) {
            b.push(Block::Para(format!("{y}年度，{s}未收取信息处理费。")));
        }
        let other = [
            "无其他需要报告的事项。",
            "认真办理人大代表建议和政协提案，办理结果按规定予以公开。",
            "按要求落实上级年度政务公开工作要点，各项任务均已完成。",
            "持续推进基层政务公开标准化规范化建设。",
        ];
        b.push(Block::Para(other[self.phrasing[5]].into()));
        if inj == Some(Injection::WebResidue) {
            b.push(Block::Para("打印本页".into()));
            b.push(Block::Para("关闭窗口".into()));
        }
        b.push(Block::Para(self.organ.clone()));
        b.push(Block::Para(self.signature_date()));
        if inj == Some(Injection::WebFooter) {
            for line in WEB_FOOTER {
                b.push(Block::Para(line.into()));
            }
        }
        b
    }

    /// Part 一's paragraph on requests, in one of the ways real reports word
    /// it (`self.wording`): the count of new requests (共收到…申请N件, 受理…
    /// N件, 收到N件申请, 新收…N份 …), by whom, carried in, handled, how
    /// they ended, carried out, and reviews and suits. The narrative slips
    /// (a changed count) are planted here, in whichever wording was drawn.
    fn requests_paragraph(&self) -> String {
        let y = self.year;
        let s = self.short;
        let inj = self.injection;
        let w = self.wording;
        let t = |row: usize| self.t3[row][TOTAL];
        let new_said = t(NEW)
            + if inj == Some(Injection::NarrativeReceived) {
                3
            } else {
                0
            };
        let handled_said = self.handled()
            + if inj == Some(Injection::NarrativeHandled) {
                2
            } else {
                0
            };
        let unit = if w[0] == 6 { "份" } else { "件" };
        let mut a = String::new();
        if new_said == 0 && t(CARRIED_IN) == 0 {
            a.push_str(match w[0] % 3 {
                0 => "{y}年，{s}未收到政府信息公开申请。",
                1 => "{y}年度，{s}共收到政府信息公开申请0件。",
                _ => "本年度{s}无政府信息公开申请。",
            });
            a = a.replace("{y}", &y.to_string()).replace("{s}", s);
        } else {
            let n = new_said;
            a.push_str(&match w[0] {
                0 => format!("{y}年，{s}共收到政府信息公开申请{n}件"),
                1 => format!("{y}年度，{s}共受理政府信息公开申请{n}件"),
                2 => format!("{y}年，{s}收到公民、法人和其他组织提出的政府信息公开申请{n}件"),
                3 => format!("{y}年{s}接收通过邮寄、网络提交的各类政府信息公开申请共计{n}件"),
                4 => format!("{y}年，{s}全年新收政府信息公开申请{n}件"),
                5 => format!("本年度{s}共收到{n}件申请"),
                6 => format!("{y}年，{s}共收到政府信息公开申请{n}份"),
                _ => format!("全年{s}受理依申请公开{n}件"),
            });
            // By whom: 自然人 and the rest, when both asked.
            let people = self.t3[NEW][0];
            let bodies = t(NEW) - people;
            if people > 0 && bodies > 0 {
                a.push_str(&match w[1] % 3 {
                    0 => {
                        format!("，其中自然人申请{people}{unit}，法人或其他组织申请{bodies}{unit}")
                    }
                    1 => format!("，涉及自然人{people}{unit}、法人或其他组织{bodies}{unit}"),
                    _ => format!("（自然人{people}{unit}，法人或其他组织{bodies}{unit}）"),
                });
            }
            if t(CARRIED_IN) > 0 {
                let c = t(CARRIED_IN);
                a.push_str(&match w[2] % 3 {
                    0 => format!("，上年结转政府信息公开申请{c}{unit}"),
                    1 => format!("，另有上年度结转申请{c}{unit}"),
                    _ => format!("，{}年结转{c}{unit}", y - 1),
                });
            }
            let h = handled_said;
            a.push_str(&match w[3] % 4 {
                0 => format!("；全年办结申请{h}{unit}。"),
                1 => format!("，共办结{h}{unit}。"),
                2 => format!("，依法办结{h}{unit}。"),
                _ => format!("。全年按时办结政府信息公开申请{h}{unit}。"),
            });
            if self.handled() > 0 {
                let mut parts = Vec::new();
                for (word, n) in [
                    ("予以公开", self.leaf_total(0..1)),
                    ("部分公开", self.leaf_total(1..2)),
                    ("不予公开", self.leaf_total(2..10)),
                    ("无法提供", self.leaf_total(10..13)),
                    ("不予处理", self.leaf_total(13..18)),
                    ("其他处理", self.leaf_total(18..21)),
                ] {
                    if n > 0 {
                        parts.push(format!("{word}{n}{unit}"));
                    }
                }
                a.push_str(&match w[4] % 3 {
                    0 => format!("从办理结果看，{}。", parts.join("，")),
                    1 => format!("办理结果为：{}。", parts.join("；")),
                    _ => format!("其中，{}。", parts.join("、")),
                });
            }
            if t(CARRIED_OUT) > 0 {
                let c = t(CARRIED_OUT);
                a.push_str(&match w[5] % 3 {
                    0 => format!("另有{c}{unit}申请结转下年度继续办理。"),
                    1 => format!("结转下年度继续办理{c}{unit}。"),
                    _ => format!("结转至{}年办理{c}{unit}。", y + 1),
                });
            }
        }
        let review = self.t4[0][4]
            + if inj == Some(Injection::NarrativeReview) {
                1
            } else {
                0
            };
        let suits = self.t4[1][4] + self.t4[2][4];
        if review + suits > 0 {
            a.push_str(&match w[6] % 3 {
                0 => {
                    format!("全年因政府信息公开被申请行政复议{review}件，被提起行政诉讼{suits}件。")
                }
                1 => format!("全年发生政府信息公开行政复议案件{review}件、行政诉讼案件{suits}件。"),
                _ => {
                    format!("因政府信息公开工作被申请行政复议{review}起，被提起行政诉讼{suits}起。")
                }
            });
        } else {
            a.push_str(match w[6] % 3 {
                0 => "全年未发生因政府信息公开引起的行政复议和行政诉讼。",
                1 => "全年未发生政府信息公开行政复议、行政诉讼案件。",
                _ => "未出现因政府信息公开被申请行政复议或提起行政诉讼的情况。",
            });
        }
        a
    }

    /// Table 2 as rows of cells (a caption row has one cell).
    fn table2(&self) -> Vec<Vec<Cell>> {
        let n = |v: i64| Cell::text(v.to_string());
        let fee = if self.t2_fee_cents % 100 == 0 {
            (self.t2_fee_cents / 100).to_string()
        } else {
            format!("{}.{:02}", self.t2_fee_cents / 100, self.t2_fee_cents % 100)
        };
        vec![
            vec![Cell::span("第二十条第（一）项", 4)],
            vec![
                Cell::text("信息内容"),
                Cell::text("本年制发件数"),
                Cell::text("本年废止件数"),
                Cell::text("现行有效件数"),
            ],
            vec![
                Cell::text("规章"),
                n(self.t2_docs[0][0]),
                n(self.t2_docs[0][1]),
                n(self.t2_docs[0][2]),
            ],
            vec![
                Cell::text("行政规范性文件"),
                n(self.t2_docs[1][0]),
                n(self.t2_docs[1][1]),
                n(self.t2_docs[1][2]),
            ],
            vec![Cell::span("第二十条第（五）项", 4)],
            vec![Cell::text("信息内容"), Cell::span("本年处理决定数量", 3)],
            vec![
                Cell::text("行政许可"),
                Cell::span(self.t2_license.to_string(), 3),
            ],
            vec![Cell::span("第二十条第（六）项", 4)],
            vec![Cell::text("信息内容"), Cell::span("本年处理决定数量", 3)],
            vec![
                Cell::text("行政处罚"),
                Cell::span(self.t2_penalty.to_string(), 3),
            ],
            vec![
                Cell::text("行政强制"),
                Cell::span(self.t2_coercion.to_string(), 3),
            ],
            vec![Cell::span("第二十条第（八）项", 4)],
            vec![
                Cell::text("信息内容"),
                Cell::span("本年收费金额（单位：万元）", 3),
            ],
            vec![Cell::text("行政事业性收费"), Cell::span(fee, 3)],
        ]
    }

    /// Table 3 in the national template's layout (merged cells as in §5.1–5.2).
    fn table3(&self) -> Vec<Vec<Cell>> {
        let mut rows = vec![
            vec![
                Cell {
                    text: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
                        .into(),
                    colspan: 3,
                    rowspan: 3,
                },
                Cell::span("申请人情况", 7),
            ],
            vec![
                Cell {
                    text: "自然人".into(),
                    colspan: 1,
                    rowspan: 2,
                },
                Cell::span("法人或其他组织", 5),
                Cell {
                    text: "总计".into(),
                    colspan: 1,
                    rowspan: 2,
                },
            ],
            [
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他",
            ]
            .iter()
            .map(|t| Cell::text(*t))
            .collect(),
        ];
        for (i, (group, label)) in T3_ROWS.iter().enumerate() {
            let mut row = Vec::new();
            if i < 2 {
                row.push(Cell::span(*label, 3));
            } else if i == R7_TOTAL {
                row.push(Cell::span(*label, 2));
            } else {
                if !group.is_empty() {
                    let span = group_span(group);
                    row.push(Cell {
                        text: (*group).into(),
                        colspan: 1,
                        rowspan: span,
                    });
                }
                // Rows (一) and (二) have no group of their own: they span the group column.
                if i == 2 || i == 3 {
                    row.push(Cell::span(*label, 2));
                } else {
                    row.push(Cell::text(*label));
                }
            }
            row.extend(self.t3[i].iter().map(|v| Cell::text(v.to_string())));
            rows.push(row);
        }
        let mut last = vec![Cell::span(T3_LAST, 3)];
        last.extend(
            self.t3[CARRIED_OUT]
                .iter()
                .map(|v| Cell::text(v.to_string())),
        );
        rows.push(last);
        rows
    }

    fn table4(&self) -> Vec<Vec<Cell>> {
        let leaves = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        let mut head2: Vec<Cell> = leaves
            .iter()
            .map(|t| Cell {
                text: (*t).into(),
                colspan: 1,
                rowspan: 2,
            })
            .collect();
        head2.push(Cell::span("未经复议直接起诉", 5));
        head2.push(Cell::span("复议后起诉", 5));
        vec![
            vec![Cell::span("行政复议", 5), Cell::span("行政诉讼", 10)],
            head2,
            leaves
                .iter()
                .chain(leaves.iter())
                .map(|t| Cell::text(*t))
                .collect(),
            self.t4
                .iter()
                .flatten()
                .map(|v| Cell::text(v.to_string()))
                .collect(),
        ]
    }

    /// The report as text, the way reports are pasted out of Word or a web
    /// page: one table row per line, cells ending in ` |`.
    pub fn to_text(&self) -> String {
        self.to_text_shape(Format::Text)
    }

    /// The report as text in one of the text shapes (`Text`, `Cells`, `Tab`,
    /// `Markdown`); a merged cell is written once.
    pub fn to_text_shape(&self, shape: Format) -> String {
        let mut s = String::new();
        for block in self.blocks() {
            match block {
                Block::Title(t) if shape == Format::Markdown => {
                    let _ = writeln!(s, "# {t}\n");
                }
                Block::Heading(t) if shape == Format::Markdown => {
                    let _ = writeln!(s, "## {t}\n");
                }
                Block::Para(t) if shape == Format::Markdown => {
                    let _ = writeln!(s, "{t}\n");
                }
                Block::Title(t) | Block::Heading(t) | Block::Para(t) => {
                    s.push_str(&t);
                    s.push('\n');
                }
                Block::Table2 | Block::Table3 | Block::Table4 => {
                    let (rows, width) = self.table(&block);
                    for (r, row) in rows.iter().enumerate() {
                        match shape {
                            Format::Cells => {
                                for c in row {
                                    let _ = write!(s, "{} |", c.text);
                                    if c.colspan > 1 {
                                        s.push(' ');
                                        s.push_str(&"|".repeat(c.colspan - 1));
                                    }
                                    s.push('\n');
                                }
                            }
                            Format::Tab => {
                                for c in row {
                                    let _ = writeln!(s, "\t{}", c.text);
                                }
                                s.push('\n');
                            }
                            Format::Lines => {
                                for c in row.iter().filter(|c| !c.text.is_empty()) {
                                    let _ = writeln!(s, "{}", c.text);
                                }
                            }
                            Format::Markdown => {
                                let mut cols = 0;
                                s.push('|');
                                for c in row {
                                    let _ = write!(s, " {} |", c.text);
                                    s.push_str(&" |".repeat(c.colspan - 1));
                                    cols += c.colspan;
                                }
                                s.push_str(&" |".repeat(width.saturating_sub(cols)));
                                s.push('\n');
                                if r == 0 {
                                    s.push('|');
                                    s.push_str(&"---|".repeat(width));
                                    s.push('\n');
                                }
                            }
                            _ => {
                                let mut cols = 0;
                                for c in row {
                                    s.push_str(&c.text);
                                    s.push_str(" | ");
                                    cols += c.colspan;
                                }
                                // Merged cells leave empty cells at the end, as in copied tables.
                                for _ in cols..width {
                                    s.push('|');
                                }
                                s.truncate(s.trim_end().len());
                                s.push('\n');
                            }
                        }
                    }
                    if shape == Format::Markdown {
                        s.push('\n');
                    }
                }
            }
        }
        s
    }

    fn table(&self, block: &Block) -> (Vec<Vec<Cell>>, usize) {
        match block {
            Block::Table2 => (self.table2(), 4),
            Block::Table3 => (self.table3(), 10),
            _ => (self.table4(), 15),
        }
    }

    /// How a CMS lays the page out, varied by report (no extra random draw, so
    /// a seed's report is the same as before layouts were added): 0 the title
    /// inside the article; 1 in the page's `<h1>` before it; 2 in a title
    /// `div` with the publication date; 3 only in `<title>` and
    /// `<meta name="ArticleTitle">`. From 1 on, the article opens with a
    /// sentence that names the report (`依据…规定，现公布…年度报告。`).
    pub fn html_layout(&self) -> usize {
        (self.publish_day as usize + self.phrasing[0]) % 4
    }

    /// The report as an HTML page, tables with rowspan and colspan.
    pub fn to_html(&self) -> String {
        let mut s = String::from(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n",
        );
        let blocks = self.blocks();
        let layout = self.html_layout();
        let title = match blocks.first() {
            Some(Block::Title(t)) => t.clone(),
            _ => String::new(),
        };
        if layout == 3 {
            let _ = writeln!(
                s,
                "<title>{}_{}市人民政府门户网站</title>\n<meta name=\"ArticleTitle\" content=\"{}\">",
                esc(&title),
                &self.organ[..self.organ.find('市').unwrap_or(0)],
                esc(&title)
            );
        } else {
            let _ = writeln!(s, "<title>{}</title>", esc(&title));
        }
        s.push_str("</head>\n<body>\n<div class=\"nav\"><a href=\"#\">首页</a> &gt; <a href=\"#\">政府信息公开</a></div>\n");
        match layout {
            1 => {
                let _ = writeln!(s, "<div class=\"header\"><h1>{}</h1></div>", esc(&title));
            }
            2 => {
                let _ = writeln!(
                    s,
                    "<div class=\"detail-top\"><div class=\"article-title\">{}</div><div class=\"info\">发布时间：{}-01-{:02}</div></div>",
                    esc(&title),
                    self.year + 1,
                    self.publish_day
                );
            }
            _ => {}
        }
        s.push_str("<div class=\"article\">\n");
        if layout > 0 {
            let _ = writeln!(
                s,
                "<p>依据《中华人民共和国政府信息公开条例》规定，现公布{}。</p>",
                esc(&title)
            );
        }
        for block in &blocks {
            match block {
                Block::Title(t) => {
                    if layout == 0 {
                        let _ = writeln!(s, "<h1>{}</h1>", esc(t));
                    }
                }
                Block::Heading(t) => {
                    let _ = writeln!(s, "<p><strong>{}</strong></p>", esc(t));
                }
                Block::Para(t) => {
                    let _ = writeln!(s, "<p>{}</p>", esc(t));
                }
                _ => {
                    let (rows, _) = self.table(block);
                    s.push_str("<table border=\"1\" cellspacing=\"0\">\n<tbody>\n");
                    for row in rows {
                        s.push_str("<tr>");
                        for c in row {
                            s.push_str("<td");
                            if c.colspan > 1 {
                                let _ = write!(s, " colspan=\"{}\"", c.colspan);
                            }
                            if c.rowspan > 1 {
                                let _ = write!(s, " rowspan=\"{}\"", c.rowspan);
                            }
                            let _ = write!(s, ">{}</td>", esc(&c.text));
                        }
                        s.push_str("</tr>\n");
                    }
                    s.push_str("</tbody>\n</table>\n");
                }
            }
        }
        s.push_str("</div>\n");
        if layout > 0 {
            // The site's furniture after the article: not part of the report.
            s.push_str("<div class=\"bottom\"><p>【打印本页】【关闭窗口】</p><p>相关链接：中国政府网 / 省人民政府门户网站</p><p>扫一扫在手机打开当前页</p></div>\n");
        }
        s.push_str("</body>\n</html>\n");
        s
    }

    /// `word/document.xml`: paragraphs and `w:tbl` tables (gridSpan, vMerge).
    pub fn document_xml(&self) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
        );
        let para = |s: &mut String, t: &str, bold: bool| {
            s.push_str("<w:p><w:r>");
            if bold {
                s.push_str("<w:rPr><w:b/></w:rPr>");
            }
            let _ = write!(
                s,
                "<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                esc(t)
            );
        };
        for block in self.blocks() {
            match &block {
                Block::Title(t) | Block::Heading(t) => para(&mut s, t, true),
                Block::Para(t) => para(&mut s, t, false),
                _ => {
                    let (rows, width) = self.table(&block);
                    s.push_str("<w:tbl><w:tblGrid>");
                    for _ in 0..width {
                        s.push_str("<w:gridCol/>");
                    }
                    s.push_str("</w:tblGrid>");
                    // Word writes a vertically merged cell as a `restart` cell and
                    // `continue` cells below it: lay the grid out first.
                    let grid = layout(&rows, width);
                    for line in grid {
                        s.push_str("<w:tr>");
                        for slot in line {
                            s.push_str("<w:tc><w:tcPr>");
                            if slot.colspan > 1 {
                                let _ = write!(s, "<w:gridSpan w:val=\"{}\"/>", slot.colspan);
                            }
                            match slot.merge {
                                Merge::None => {}
                                Merge::Restart => s.push_str("<w:vMerge w:val=\"restart\"/>"),
                                Merge::Continue => s.push_str("<w:vMerge/>"),
                            }
                            s.push_str("</w:tcPr>");
                            para(&mut s, &slot.text, false);
                            s.push_str("</w:tc>");
                        }
                        s.push_str("</w:tr>");
                    }
                    s.push_str("</w:tbl>");
                }
            }
        }
        s.push_str("<w:sectPr/></w:body></w:document>\n");
        s
    }

    /// The report as a DOCX file.
    pub fn to_docx(&self) -> Vec<u8> {
        use std::io::Write as _;
        use zip::write::SimpleFileOptions;
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            let files: [(&str, String); 4] = [
                ("[Content_Types].xml", CONTENT_TYPES.into()),
                ("_rels/.rels", RELS.into()),
                ("word/_rels/document.xml.rels", DOC_RELS.into()),
                ("word/document.xml", self.document_xml()),
            ];
            for (name, text) in files {
                zip.start_file(name, opts).expect("zip entry");
                zip.write_all(text.as_bytes()).expect("zip write");
            }
            zip.finish().expect("zip finish");
        }
        buf.into_inner()
    }

    /// The file in a format.
    pub fn render(&self, format: Format) -> Vec<u8> {
        match format {
            Format::Text | Format::Cells | Format::Tab | Format::Lines | Format::Markdown => {
                self.to_text_shape(format).into_bytes()
            }
            Format::Html => self.to_html().into_bytes(),
            Format::Docx => self.to_docx(),
        }
    }
}

/// A percentage no whole previous-year count can give for `n` now: the
/// percentage-change rule must flag it (checked the way the rule does).
fn implausible_percent(n: i64) -> i64 {
    let possible = |p: i64| {
        let guess = n as f64 / (1.0 + p as f64 / 100.0);
        let low = (guess.floor() - 2.0).max(1.0) as i64;
        (low..=guess.ceil() as i64 + 2).any(|x| {
            let change = (n - x) as f64 * 100.0 / x as f64;
            change >= p as f64 - 0.5 && change < p as f64 + 0.5
        })
    };
    // Large rises of a small count leave gaps between the reachable percentages.
    (101..100_000).find(|&p| !possible(p)).unwrap_or(99_999)
}

enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table2,
    Table3,
    Table4,
}

#[derive(Clone, Debug)]
struct Cell {
    text: String,
    colspan: usize,
    rowspan: usize,
}

impl Cell {
    fn text(t: impl Into<String>) -> Cell {
        Cell {
            text: t.into(),
            colspan: 1,
            rowspan: 1,
        }
    }
    fn span(t: impl Into<String>, colspan: usize) -> Cell {
        Cell {
            text: t.into(),
            colspan,
            rowspan: 1,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Merge {
    None,
    Restart,
    Continue,
}

struct Slot {
    text: String,
    colspan: usize,
    merge: Merge,
}

/// Place HTML-style cells (rowspan/colspan) on the grid, as Word rows: a cell
/// spanning rows appears in each of them, `restart` first, `continue` after.
fn layout(rows: &[Vec<Cell>], width: usize) -> Vec<Vec<Slot>> {
    // For each grid column: rows still covered by a cell from above, and its colspan.
    let mut pending: Vec<(usize, usize)> = vec![(0, 0); width];
    let mut out = Vec::new();
    for row in rows {
        let mut line = Vec::new();
        let mut col = 0;
        let mut cells = row.iter();
        while col < width {
            if pending[col].0 > 0 {
                let span = pending[col].1;
                pending[col].0 -= 1;
                line.push(Slot {
                    text: String::new(),
                    colspan: span,
                    merge: Merge::Continue,
                });
                col += span;
                continue;
            }
            let Some(c) = cells.next() else {
                // Pad a short row with empty cells.
                line.push(Slot {
                    text: String::new(),
                    colspan: 1,
                    merge: Merge::None,
                });
                col += 1;
                continue;
            };
            if c.rowspan > 1 {
                pending[col] = (c.rowspan - 1, c.colspan);
            }
            line.push(Slot {
                text: c.text.clone(),
                colspan: c.colspan,
                merge: if c.rowspan > 1 {
                    Merge::Restart
                } else {
                    Merge::None
                },
            });
            col += c.colspan;
        }
        out.push(line);
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
"#;
const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>
"#;

/// One file of a generated corpus.
pub struct Planned {
    /// File name, e.g. `r000123.txt` (sorted names follow the generation order).
    pub name: String,
    pub seed: u64,
    pub injection: Option<Injection>,
}

/// The files of a corpus of `count` reports from `seed`; `inject_percent` of
/// them (chosen by the seed) carry one injected error each.
pub fn plan(count: usize, seed: u64, format: Format, inject_percent: u64) -> Vec<Planned> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|i| {
            let s = rng.next();
            let injection = if inject_percent > 0 && rng.next() % 100 < inject_percent {
                Some(Injection::ALL[(rng.next() % Injection::ALL.len() as u64) as usize])
            } else {
                None
            };
            Planned {
                name: format!("r{i:06}.{}", format.extension()),
                seed: s,
                injection,
            }
        })
        .collect()
}

/// The `i`-th organ of a corpus: one organ per report or series (2,880 names
/// before they repeat), so that the linter pairs a report with its own
/// series only, never with another organ's report of the year before.
fn organ_of(i: usize) -> (String, &'static str) {
    let (suffix, short) = ORGANS[(i / (CITIES.len() * PLACES.len())) % ORGANS.len()];
    let organ = format!(
        "{}市{}{suffix}",
        CITIES[i % CITIES.len()],
        PLACES[(i / CITIES.len()) % PLACES.len()]
    );
    (organ, short)
}

/// Write a corpus into `dir` and `dir/injected.tsv` (file, injection, rules).
/// Returns the bytes written.
pub fn write_corpus(
    dir: &std::path::Path,
    count: usize,
    seed: u64,
    format: Format,
    inject_percent: u64,
) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut manifest = String::from("# file\tinjection\trules\n");
    let mut bytes = 0u64;
    for (i, p) in plan(count, seed, format, inject_percent)
        .into_iter()
        .enumerate()
    {
        let mut report = Report::generate(p.seed, p.injection);
        (report.organ, report.short) = organ_of(i);
        let data = report.render(format);
        bytes += data.len() as u64;
        std::fs::write(dir.join(&p.name), data)?;
        if let Some(i) = p.injection {
            let _ = writeln!(
                manifest,
                "{}\t{}\t{}",
                p.name,
                i.name(),
                i.rules().join(",")
            );
        }
    }
    std::fs::write(dir.join("injected.tsv"), manifest)?;
    Ok(bytes)
}

/// Write `organs` series of `years` consecutive reports each into `dir` as
/// `s0000-2021.txt`, … (each organ's years side by side, as an archive filed by
/// organ keeps them), and `dir/injected.tsv`. Every later year follows from the
/// year before ([`Report::next_year`]); `inject_percent` of the later years
/// carry one [`SeriesInjection`]. Returns the bytes written.
pub fn write_series(
    dir: &std::path::Path,
    organs: usize,
    years: usize,
    seed: u64,
    format: Format,
    inject_percent: u64,
) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut manifest = String::from("# file\tinjection\trules\n");
    let mut bytes = 0u64;
    for o in 0..organs {
        let mut report = Report::generate(rng.next(), None);
        report.year = report.year.min(2025 - years as i64 + 1);
        (report.organ, report.short) = organ_of(o);
        for y in 0..years {
            if y > 0 {
                let injection =
                    (inject_percent > 0 && rng.next() % 100 < inject_percent).then(|| {
                        SeriesInjection::ALL
                            [(rng.next() % SeriesInjection::ALL.len() as u64) as usize]
                    });
                report = report.next_year(rng.next(), injection);
            }
            let name = format!("s{o:04}-{}.{}", report.year, format.extension());
            let data = report.render(format);
            bytes += data.len() as u64;
            std::fs::write(dir.join(&name), data)?;
            if let Some(i) = report.series_injection {
                let _ = writeln!(manifest, "{name}\t{}\t{}", i.name(), i.rules().join(","));
            }
        }
    }
    std::fs::write(dir.join("injected.tsv"), manifest)?;
    Ok(bytes)
}

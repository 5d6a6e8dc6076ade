//! PDF reader: the text layer through poppler's `pdftotext -layout`, then the
//! layout text turned into the text view (`docs/inputs/pdf.md`).
//!
//! `pdftotext -layout -enc UTF-8` keeps the page's columns as runs of spaces
//! and separates pages with form feeds. [`layout_to_view`] reads that text
//! back: prose lines wrapped by the layout are joined into paragraphs (never
//! across headings such as `一、` or `（二）`), and table regions become pipe
//! rows. In a table region, column gaps (two or more spaces) split cells; a row
//! label that wraps over several lines is rebuilt from the fragments that sit
//! in the same column, above or below its numbers; page numbers between rows
//! are dropped. Every line of the view records [`Origin::PdfLine`].
//!
//! The conversion runs `pdftotext` as a child process with a time limit and an
//! output cap; each failure is a [`PdfError`] naming the cause.

use super::view::{Origin, View};
use super::{InputError, Source};
use crate::model::normalize::fold_digit;
use std::fmt;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How `pdftotext` is run.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// The program to run (`pdftotext`, found on `PATH`).
    pub program: String,
    /// The conversion is stopped after this long.
    pub timeout: Duration,
    /// The conversion is stopped when its output grows beyond this many bytes.
    pub max_output: usize,
    /// Convert only the pages up to this one (`pdftotext -l N`); all when `None`.
    pub last_page: Option<u32>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            program: "pdftotext".into(),
            timeout: Duration::from_secs(60),
            max_output: 32 * 1024 * 1024,
            last_page: None,
        }
    }
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// `pdftotext` is not on `PATH` (or could not be started).
    NotInstalled(String),
    /// The PDF needs a password to open.
    Encrypted,
    /// Converted, but no text came out: a scan without a text layer.
    NoTextLayer,
    /// Most characters came out as U+FFFD: fonts without Unicode maps.
    NoUnicode { replaced: usize, total: usize },
    /// `pdftotext` could not parse the file.
    Corrupt(String),
    /// The conversion took longer than the limit (seconds).
    Timeout(u64),
    /// The conversion wrote more than the cap (bytes).
    TooMuchOutput(usize),
    /// `pdftotext` failed for another reason (its exit status and message).
    Failed(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::NotInstalled(why) => write!(
                f,
                "读取 PDF 需要安装 poppler-utils（pdftotext）：{why}；\
                 请执行 `apt-get install poppler-utils poppler-data`，或先把 PDF 导出为文本"
            ),
            PdfError::Encrypted => write!(
                f,
                "PDF 已加密，需要密码才能打开；请先解除密码（例如 `qpdf --decrypt`）或导出为文本"
            ),
            PdfError::NoTextLayer => write!(
                f,
                "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）再检查"
            ),
            PdfError::NoUnicode { replaced, total } => write!(
                f,
                "PDF 的文字无法转换：{total} 个字符中有 {replaced} 个变成了 �（字体缺少 Unicode 映射）；\
                 请确认已安装 poppler-data，或用原始文档另行导出文本"
            ),
            PdfError::Corrupt(why) => write!(f, "PDF 文件已损坏或不完整，无法读取：{why}"),
            PdfError::Timeout(secs) => write!(
                f,
                "PDF 转换超时（超过 {secs} 秒，pdftotext 已被终止）；文件可能过大或有问题"
            ),
            PdfError::TooMuchOutput(cap) => write!(
                f,
                "PDF 转换输出超过上限（{cap} 字节，pdftotext 已被终止），不像是一份年度报告"
            ),
            PdfError::Failed(why) => write!(f, "pdftotext 转换失败：{why}"),
        }
    }
}

/// Read a PDF with the default options.
pub fn read(path: &str, bytes: &[u8]) -> Result<Source, InputError> {
    read_with(path, bytes, &PdfOptions::default())
}

/// Read a PDF: run `pdftotext`, check the text, build the view.
pub fn read_with(path: &str, bytes: &[u8], opts: &PdfOptions) -> Result<Source, InputError> {
    let layout = run_pdftotext(bytes, opts).map_err(InputError::Pdf)?;
    let view = checked_view(&layout).map_err(InputError::Pdf)?;
    Ok(Source::from_view(path, view, "pdf", "utf-8"))
}

/// Build the view from `pdftotext` output, refusing output with no text and
/// output that is mostly U+FFFD, and noticing a smaller share of U+FFFD.
pub fn checked_view(layout: &str) -> Result<View, PdfError> {
    let total = layout.chars().filter(|c| !c.is_whitespace()).count();
    if total == 0 {
        return Err(PdfError::NoTextLayer);
    }
    let replaced = layout.chars().filter(|&c| c == '\u{fffd}').count();
    if replaced * 10 >= total * 3 {
        return Err(PdfError::NoUnicode { replaced, total });
    }
    let mut view = layout_to_view(layout);
    if replaced >= 3 {
        let line = view
            .text
            .lines()
            .position(|l| l.contains('\u{fffd}'))
            .map(|i| i + 1);
        view.notice(
            "pdf-missing-unicode",
            format!(
                "PDF 中有 {replaced} 个字符无法转换为文字（字体缺少 Unicode 映射），在文本中显示为 �；\
                 涉及的文字和数字请对照原件核对"
            ),
            line,
        );
    }
    Ok(view)
}

/// Run `pdftotext -layout -enc UTF-8 FILE -` on the bytes (written to a
/// temporary file), with the time limit and output cap of `opts`.
pub fn run_pdftotext(bytes: &[u8], opts: &PdfOptions) -> Result<String, PdfError> {
    // A file rather than stdin: a child that stops reading early would make
    // the write fail with SIGPIPE, which the binary does not ignore.
    let tmp =
        TempPdf::new(bytes).map_err(|e| PdfError::Failed(format!("无法写入临时文件：{e}")))?;
    let mut child = Command::new(&opts.program)
        .args(["-layout", "-enc", "UTF-8"])
        .args(
            opts.last_page
                .iter()
                .flat_map(|n| ["-l".to_string(), n.to_string()]),
        )
        .arg(&tmp.0)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                PdfError::NotInstalled(format!("找不到程序 {}", opts.program))
            } else {
                PdfError::NotInstalled(format!("无法启动 {}：{e}", opts.program))
            }
        })?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let cap = opts.max_output;
    let over = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let over_flag = over.clone();
    let reader = std::thread::spawn(move || -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => return out,
                Ok(n) => {
                    if out.len() + n > cap {
                        over_flag.store(true, std::sync::atomic::Ordering::SeqCst);
                        return out;
                    }
                    out.extend_from_slice(&buf[..n]);
                }
            }
        }
    });
    let err_reader = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut err);
        err
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => return Err(PdfError::Failed(e.to_string())),
        }
        if over.load(std::sync::atomic::Ordering::SeqCst) || start.elapsed() >= opts.timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if over.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(PdfError::TooMuchOutput(cap));
    }
    let Some(status) = status else {
        return Err(PdfError::Timeout(opts.timeout.as_secs().max(1)));
    };
    if !status.success() {
        return Err(classify_failure(status.code(), &err, bytes));
    }
    // pdftotext writes UTF-8 with -enc UTF-8; stray bytes become U+FFFD.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Name the cause of a failed conversion from pdftotext's exit status and message.
fn classify_failure(code: Option<i32>, stderr: &str, bytes: &[u8]) -> PdfError {
    let msg = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .fold(Vec::<&str>::new(), |mut acc, l| {
            if !acc.contains(&l) {
                acc.push(l);
            }
            acc
        })
        .join("；");
    let lower = msg.to_lowercase();
    if lower.contains("password") || (code == Some(1) && has_encrypt_dict(bytes)) {
        return PdfError::Encrypted;
    }
    if code == Some(1)
        || lower.contains("xref")
        || lower.contains("trailer")
        || lower.contains("syntax error")
    {
        let why = if msg.is_empty() {
            "pdftotext 无法打开该文件".to_string()
        } else {
            msg
        };
        return PdfError::Corrupt(why);
    }
    PdfError::Failed(match code {
        Some(c) => format!("退出状态 {c}；{msg}"),
        None => format!("被信号终止；{msg}"),
    })
}

/// A temporary copy of the PDF, removed when dropped.
struct TempPdf(std::path::PathBuf);

impl TempPdf {
    fn new(bytes: &[u8]) -> std::io::Result<TempPdf> {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "report-lint-{}-{n}-{nanos}.pdf",
            std::process::id()
        ));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        f.write_all(bytes)?;
        Ok(TempPdf(path))
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn has_encrypt_dict(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

// ---------------------------------------------------------------------------
// Layout text → view.

/// The largest gap (in spaces) that still sits inside a cell or a sentence.
const CELL_GAP: usize = 2;
/// Lines of at most this many characters may be table-label fragments.
const SHORT_LINE: usize = 26;
/// How many content lines away a fragment may be from a table line.
const NEAR: usize = 6;
/// How many content lines a wrapped label may span.
const LABEL_REACH: usize = 3;
/// How far (in layout columns) a wrapped label's next line may move sideways.
const LABEL_DRIFT: usize = 4;
/// How many of the latest labels a fragment or a line of numbers is matched
/// against (a label is never continued further down; this keeps the work linear).
const GROUP_WINDOW: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    PageNumber,
    /// Two or more cells separated by column gaps.
    Table,
    /// One run of text: prose, or a table fragment (decided by context).
    Single,
    /// A numbered heading (`一、总体情况`).
    Heading,
}

#[derive(Debug, Clone)]
struct Seg {
    /// Layout column (characters from the line start) where the text starts.
    x: usize,
    /// Layout column just after the text.
    end: usize,
    text: String,
}

impl Seg {
    fn is_value(&self) -> bool {
        is_value_token(&self.text)
    }
}

#[derive(Debug, Clone)]
struct Line {
    page: usize,
    line: usize,
    text: String,
    kind: Kind,
    segs: Vec<Seg>,
    indent: usize,
    /// A single line taken as part of a table.
    fragment: bool,
}

impl Line {
    fn origin(&self) -> Origin {
        Origin::PdfLine {
            page: self.page,
            line: self.line,
        }
    }
    fn chars(&self) -> usize {
        self.text.trim().chars().count()
    }
    fn end_col(&self) -> usize {
        self.indent + self.chars()
    }
}

/// Turn `pdftotext -layout` output into the text view.
pub fn layout_to_view(layout: &str) -> View {
    let mut lines = split_lines(layout);
    classify(&mut lines);
    render(&lines)
}

fn split_lines(layout: &str) -> Vec<Line> {
    let mut pages: Vec<&str> = layout.split('\u{c}').collect();
    // pdftotext ends every page with a form feed: the piece after the last one is empty.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    let mut out = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let raw: Vec<&str> = page.split('\n').collect();
        let last_content = raw.iter().rposition(|l| !l.trim().is_empty());
        let first_content = raw.iter().position(|l| !l.trim().is_empty());
        for (n, l) in raw.iter().enumerate() {
            let text = l.strip_suffix('\r').unwrap_or(l).replace('\t', "    ");
            let segs = segments(&text);
            let indent = segs.first().map(|s| s.x).unwrap_or(0);
            let edge = Some(n) == last_content || Some(n) == first_content;
            let kind = if segs.is_empty() {
                Kind::Blank
            } else if is_page_number(text.trim(), edge, indent) {
                Kind::PageNumber
            } else if (segs.len() >= 2 && !is_spaced_prose(&segs)) || ends_in_numbers(&text) {
                Kind::Table
            } else if is_heading(&text) {
                Kind::Heading
            } else {
                Kind::Single
            };
            let segs = if kind == Kind::Single && segs.len() > 1 {
                // Justified prose: one run of text.
                vec![Seg {
                    x: segs[0].x,
                    end: segs[segs.len() - 1].end,
                    text: text.trim().to_string(),
                }]
            } else {
                segs
            };
            out.push(Line {
                page: p + 1,
                line: n + 1,
                text,
                kind,
                segs,
                indent,
                fragment: false,
            });
        }
    }
    out
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{a0}')
}

/// Split a line at gaps of `CELL_GAP` or more spaces.
fn segments(text: &str) -> Vec<Seg> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_space(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < chars.len() {
            if is_space(chars[i]) {
                let gap = chars[i..].iter().take_while(|&&c| is_space(c)).count();
                if gap >= CELL_GAP || i + gap == chars.len() {
                    break;
                }
                i += gap;
            } else {
                i += 1;
                end = i;
            }
        }
        out.push(Seg {
            x: start,
            end,
            text: chars[start..end].iter().collect(),
        });
    }
    out
}

/// A tight table row whose cells a single space separates (`规章 0 0 0`,
/// `1 0 2`): two or more numbers at the end of the line.
fn ends_in_numbers(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let numbers = tokens
        .iter()
        .rev()
        .take_while(|t| is_value_token(t))
        .count();
    if numbers >= 2 && (numbers == tokens.len() || tokens.len() - numbers <= 2) {
        return true;
    }
    // One number after a row label of the format, a single space between
    // (`行政事业性收费 0` in a web page printed to PDF).
    numbers == 1 && tokens.len() >= 2 && {
        use crate::model::schema::{is_row_label_line, t2_rows};
        use crate::model::FormatVersion;
        let label: String = tokens[..tokens.len() - 1].concat();
        is_row_label_line(&label)
            || [FormatVersion::V2019, FormatVersion::V2021]
                .into_iter()
                .flat_map(t2_rows)
                .any(|(_, r)| crate::model::normalize::fold(r.label) == label)
    }
}

/// Justified prose stretched with double spaces: many short pieces, small gaps.
/// Also a sentence with a stray double space (`全面推进  政务公开，…`).
fn is_spaced_prose(segs: &[Seg]) -> bool {
    if segs.iter().any(Seg::is_value) {
        return false;
    }
    let small_gaps = segs.windows(2).all(|w| w[1].x - w[0].end <= 3);
    let short = segs.iter().filter(|s| s.text.chars().count() <= 3).count();
    let chars: usize = segs.iter().map(|s| s.text.chars().count()).sum();
    let sentence = segs
        .iter()
        .any(|s| s.text.contains(['，', '。', '；', '、']));
    let label = || {
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        is_table_label(&joined)
    };
    small_gaps
        && ((segs.len() >= 5 && short * 2 >= segs.len()) || (chars >= 20 && sentence && !label()))
}

/// A page number or footer: `-3-`, `— 3 —`, `第 3 页`, `第3页 共6页`, `3/6`, or a
/// bare small number centred on the first or last line of a page.
fn is_page_number(t: &str, edge: bool, indent: usize) -> bool {
    let inner = t.trim_matches(|c: char| matches!(c, '—' | '-' | '－' | '–' | ' ' | '\u{3000}'));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if t.len() > inner.len() && digits(inner) {
        return true;
    }
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(rest) = squeezed.strip_prefix('第') {
        if let Some((n, tail)) = rest.split_once('页') {
            let tail_ok = tail.is_empty()
                || tail
                    .strip_prefix('共')
                    .and_then(|x| x.strip_suffix('页'))
                    .is_some_and(digits);
            if digits(n) && tail_ok {
                return true;
            }
        }
    }
    if let Some((a, b)) = squeezed.split_once('/') {
        if digits(a) && digits(b) && edge {
            return true;
        }
    }
    edge && indent >= 10 && digits(&squeezed) && squeezed.len() <= 3
}

fn heading_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^[一二三四五六七八九十]{1,3}、\S").expect("valid regex"))
}

fn enum_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、．](?:\D|$)|[（(]\d{1,2}[）)]|[一二三四五六七八九十]是)",
        )
        .expect("valid regex")
    })
}

/// The line starts with list or heading numbering (`一、`, `（二）`, `3.`, `1、`).
fn starts_enum(text: &str) -> bool {
    enum_re().is_match(&squeeze(text))
}

/// A numbered heading on a line of its own: a canonical part heading, or a
/// short `一、…` line that is not a table label (`三、本年度办理结果`).
fn is_heading(text: &str) -> bool {
    let t = squeeze(text);
    if let Some(h) = crate::model::heading::parse_heading(&t, 0) {
        if crate::model::heading::top_level_part(&h, true).is_some() {
            return true;
        }
    }
    let n = t.chars().count();
    let inner_stop = t.trim_end_matches('。').contains('。');
    heading_re().is_match(&t) && n <= 30 && !inner_stop && !is_table_label(&t)
}

fn is_table_label(t: &str) -> bool {
    // The head of a numbered table-3 label whose cell wrapped, with a word of
    // the next column beside it (`三、本年度 法提供`: `三、本年度办理结果` and
    // `（四）无法提供`): never a part's heading.
    let numbered_row_head = crate::model::schema::t3_rows(crate::model::FormatVersion::V2021)
        .iter()
        .map(|r| crate::model::normalize::fold(r.label))
        .chain(std::iter::once("三、本年度办理结果".to_string()))
        .filter(|l| l.chars().nth(1) == Some('、'))
        .any(|l| {
            let head: String = l.chars().take(5).collect();
            crate::model::normalize::fold(t).starts_with(&head)
        });
    numbered_row_head
        || crate::model::schema::is_row_label_line(t)
        || crate::model::schema::T3_GROUP_PHRASES
            .iter()
            .any(|p| t.contains(p))
}

/// A caption inside a table region: it starts a row of its own and never joins a label.
fn is_caption(text: &str) -> bool {
    let t = squeeze(text);
    [
        "第二十条",
        "信息内容",
        "表一",
        "表二",
        "表三",
        "表四",
        "注：",
        "注:",
        "说明：",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// A table value: a number (`3001`, `96171.6`, `1,234`, `12%`) or a dash/slash placeholder.
fn is_value_token(t: &str) -> bool {
    let t = t.trim();
    if matches!(t, "-" | "—" | "－" | "/" | "／" | "——" | "–") {
        return true;
    }
    let f: String = t.chars().map(fold_digit).collect();
    let f = f.strip_suffix('%').unwrap_or(&f);
    let body = f.strip_prefix(['+', '-']).unwrap_or(f);
    body.chars().next().is_some_and(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '，'))
}

/// Remove the spaces the layout puts between CJK characters (`总 计`,
/// `三 、本 年 度`); keep spaces between ASCII words and numbers.
fn squeeze(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_space(c) {
            let j = i + chars[i..].iter().take_while(|&&c| is_space(c)).count();
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
            let punct = |c: Option<char>| c.is_some_and(is_wide_punct);
            let drop = (wide(prev) && wide(next)) || punct(prev) || punct(next);
            if !drop {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_wide_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ff65}' | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// Join two pieces of wrapped text: no space, except between two ASCII words.
fn join_wrapped(a: &mut String, b: &str) {
    let last = a.chars().last();
    let first = b.chars().next();
    if last.is_some_and(|c| c.is_ascii_alphanumeric())
        && first.is_some_and(|c| c.is_ascii_alphanumeric())
    {
        a.push(' ');
    }
    a.push_str(b);
}

/// Decide for each single line whether it is a table fragment (a wrapped
/// label, a caption, a group label written down the side) or prose.
fn classify(lines: &mut [Line]) {
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| !matches!(lines[i].kind, Kind::Blank | Kind::PageNumber))
        .collect();
    let short = |l: &Line| {
        let t = squeeze(&l.text);
        t.chars().count() <= SHORT_LINE && !t.trim_end_matches('。').contains('。')
    };
    let mut fragment = vec![false; lines.len()];
    for (k, &i) in content.iter().enumerate() {
        if lines[i].kind != Kind::Single || !short(&lines[i]) {
            continue;
        }
        let scan = |forward: bool| -> bool {
            for step in 1..=NEAR {
                let j = if forward {
                    match content.get(k + step) {
                        Some(&j) => j,
                        None => return false,
                    }
                } else {
                    match k.checked_sub(step) {
                        Some(kk) => content[kk],
                        None => return false,
                    }
                };
                match lines[j].kind {
                    Kind::Table => return true,
                    Kind::Heading => return false,
                    Kind::Single if !short(&lines[j]) => return false,
                    _ => {}
                }
            }
            false
        };
        fragment[i] = scan(true) || scan(false);
    }
    for (l, f) in lines.iter_mut().zip(fragment) {
        l.fragment = f;
    }
}

fn in_table(l: &Line) -> bool {
    l.kind == Kind::Table || (l.kind == Kind::Single && l.fragment)
}

fn render(lines: &[Line]) -> View {
    let mut v = View::new();
    // Per page: the body's left margin and right edge, for joining prose lines.
    let pages = lines.iter().map(|l| l.page).max().unwrap_or(0);
    let mut margin = vec![0usize; pages + 1];
    let mut right = vec![0usize; pages + 1];
    let mut seen = vec![false; pages + 1];
    for l in lines
        .iter()
        .filter(|l| l.kind == Kind::Single && !l.fragment && l.chars() >= 15)
    {
        let p = l.page;
        margin[p] = if seen[p] {
            margin[p].min(l.indent)
        } else {
            l.indent
        };
        right[p] = right[p].max(l.end_col());
        seen[p] = true;
    }
    let mut para: Option<(String, Origin)> = None;
    let mut prev: Option<&Line> = None;
    let flush = |v: &mut View, para: &mut Option<(String, Origin)>| {
        if let Some((text, origin)) = para.take() {
            v.blank();
            v.line(&text, origin);
        }
    };
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        if in_table(l) {
            // A table region: table lines and fragments, with blanks and page numbers.
            let mut j = i;
            let mut last = i;
            while j < lines.len()
                && (in_table(&lines[j]) || matches!(lines[j].kind, Kind::Blank | Kind::PageNumber))
            {
                if in_table(&lines[j]) {
                    last = j;
                }
                j += 1;
            }
            let block = &lines[i..=last];
            if block.iter().any(|l| l.kind == Kind::Table) {
                flush(&mut v, &mut para);
                v.blank();
                render_table(&mut v, block);
                v.blank();
                prev = None;
            } else {
                // Fragments with no table: prose after all.
                for l in block.iter().filter(|l| l.kind == Kind::Single) {
                    prose_line(&mut v, &mut para, &mut prev, l, &margin, &right);
                }
            }
            i = last + 1;
            continue;
        }
        match l.kind {
            Kind::Blank | Kind::PageNumber => {}
            Kind::Heading => {
                flush(&mut v, &mut para);
                v.blank();
                v.line(&squeeze(&l.text), l.origin());
                prev = None;
            }
            Kind::Single | Kind::Table => {
                prose_line(&mut v, &mut para, &mut prev, l, &margin, &right);
            }
        }
        i += 1;
    }
    flush(&mut v, &mut para);
    v
}

fn prose_line<'a>(
    v: &mut View,
    para: &mut Option<(String, Origin)>,
    prev: &mut Option<&'a Line>,
    l: &'a Line,
    margin: &[usize],
    right: &[usize],
) {
    let text = squeeze(&l.text);
    let new_para = match (&*para, *prev) {
        (Some(_), Some(p)) => {
            let indented = l.indent >= margin[l.page] + 2;
            let ended = p
                .text
                .trim_end()
                .ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':'])
                && p.end_col() + 2 < right[p.page];
            let short_prev = p.end_col() * 2 < right[p.page];
            // A left-aligned title above the first paragraph
            // (`××局 2023 年政府信息公开工作年度报告`, then the preamble).
            let title = crate::model::schema::is_title_text(&squeeze(&p.text))
                && p.end_col() + 2 < right[p.page];
            indented || ended || short_prev || title || starts_enum(&text)
        }
        _ => true,
    };
    if new_para {
        if let Some((t, o)) = para.take() {
            v.blank();
            v.line(&t, o);
        }
        *para = Some((text, l.origin()));
    } else if let Some((t, _)) = para.as_mut() {
        join_wrapped(t, &text);
    }
    *prev = Some(l);
}

/// A label being assembled from fragments in one column.
#[derive(Debug)]
struct Group {
    frags: Vec<Frag>,
    /// The block line whose values belong to this label.
    values: Option<usize>,
    header: bool,
    caption: bool,
    /// The content line where the row is written out.
    anchor: usize,
}

#[derive(Debug)]
struct Frag {
    seq: usize,
    x: usize,
    end: usize,
    text: String,
}

impl Group {
    fn last(&self) -> Option<&Frag> {
        self.frags.last()
    }
    fn x0(&self) -> usize {
        self.frags.first().map(|f| f.x).unwrap_or(usize::MAX)
    }
    /// The label's text. Row labels are joined as wrapped text; header cells
    /// keep the layout's single spaces, which often separate sub-columns
    /// (`社会 法律`), and their lines are joined with a space.
    fn label(&self) -> String {
        let mut s = String::new();
        for f in &self.frags {
            if self.header {
                if !s.is_empty() && !s.chars().last().is_some_and(is_wide_punct) {
                    s.push(' ');
                }
                s.push_str(f.text.trim());
            } else {
                join_wrapped(&mut s, &squeeze(&f.text));
            }
        }
        s
    }
}

/// Cells of a table line: split numbers that a single space separates.
fn table_segs(l: &Line) -> Vec<Seg> {
    let mut out = Vec::new();
    for s in &l.segs {
        let parts: Vec<(usize, &str)> = {
            let mut v = Vec::new();
            let mut off = 0;
            for p in s.text.split(' ') {
                if !p.is_empty() {
                    v.push((off, p));
                }
                off += p.chars().count() + 1;
            }
            v
        };
        // Trailing numbers after a label (`规章 0`), or numbers only (`1 0 2`).
        let first_value = parts
            .iter()
            .position(|(_, p)| is_value_token(p))
            .filter(|&k| parts[k..].iter().all(|(_, p)| is_value_token(p)));
        match first_value {
            Some(k) if parts.len() > 1 => {
                if k > 0 {
                    let (o, p) = parts[k - 1];
                    let end = s.x + o + p.chars().count();
                    out.push(Seg {
                        x: s.x,
                        end,
                        text: s.text.chars().take(o + p.chars().count()).collect(),
                    });
                }
                for &(o, p) in &parts[k..] {
                    out.push(Seg {
                        x: s.x + o,
                        end: s.x + o + p.chars().count(),
                        text: p.to_string(),
                    });
                }
            }
            _ => out.push(s.clone()),
        }
    }
    out
}

fn render_table(v: &mut View, block: &[Line]) {
    let mut groups: Vec<Group> = Vec::new();
    // Cells from the first value on, per block line.
    let mut values: Vec<Vec<Seg>> = vec![Vec::new(); block.len()];
    let mut seq_of = vec![0usize; block.len()];
    let segs_of: Vec<Vec<Seg>> = block
        .iter()
        .map(|l| match l.kind {
            Kind::Table => table_segs(l),
            _ if in_table(l) => l.segs.clone(),
            _ => Vec::new(),
        })
        .collect();
    // Where the numbers start on each line that has numbers.
    let value_x: Vec<Option<usize>> = segs_of
        .iter()
        .map(|segs| segs.iter().find(|s| s.is_value()).map(|s| s.x))
        .collect();
    // For each line, where the numbers start on the next row with numbers at
    // or below it (headers and wrapped labels stand above their numbers), and
    // on the last one above it.
    let mut below = vec![None; block.len()];
    let mut above = vec![None; block.len()];
    let mut next = None;
    for bi in (0..block.len()).rev() {
        next = value_x[bi].or(next);
        below[bi] = next;
    }
    let mut prev = None;
    for bi in 0..block.len() {
        above[bi] = prev;
        prev = value_x[bi].or(prev);
    }
    let mut seq = 0;
    for (bi, l) in block.iter().enumerate() {
        if !in_table(l) {
            continue;
        }
        seq += 1;
        seq_of[bi] = seq;
        let segs = &segs_of[bi];
        let fv = segs.iter().position(Seg::is_value);
        let (labels, cells) = match fv {
            Some(k) => (&segs[..k], &segs[k..]),
            None => (&segs[..], &segs[segs.len()..]),
        };
        // A line of text cells is a header when a cell stands over the
        // numbers of the nearest row with numbers; otherwise its pieces are
        // label fragments (`予公开      2.其他法律行政法规禁止`).
        let header_line = fv.is_none()
            && segs.len() >= 2
            && below[bi]
                .or(above[bi])
                .is_none_or(|vx| segs[1..].iter().any(|s| s.x + 2 >= vx));
        let value_x = cells.first().map(|c| c.x);
        values[bi] = cells.to_vec();
        for (n, s) in labels.iter().enumerate() {
            let receiving = fv.is_some() && n + 1 == labels.len();
            let frag = Frag {
                seq,
                x: s.x,
                end: s.end,
                text: s.text.clone(),
            };
            if is_caption(&s.text) {
                groups.push(Group {
                    frags: vec![frag],
                    values: None,
                    header: false,
                    caption: true,
                    anchor: seq,
                });
                continue;
            }
            if !header_line && !starts_enum(&s.text) {
                if let Some(g) = continuation(&mut groups, &frag, receiving) {
                    g.frags.push(frag);
                    if receiving {
                        g.values = Some(bi);
                        g.anchor = seq;
                    }
                    continue;
                }
            }
            groups.push(Group {
                frags: vec![frag],
                values: receiving.then_some(bi),
                header: header_line,
                caption: false,
                anchor: seq,
            });
        }
        if let (Some(vx), true) = (value_x, labels.is_empty()) {
            // Numbers with no label on their line: the label wrapped around them.
            let open = groups
                .iter_mut()
                .rev()
                .take(GROUP_WINDOW)
                .filter(|g| {
                    !g.caption
                        && !g.header
                        && g.values.is_none()
                        && g.last().is_some_and(|f| f.seq + LABEL_REACH + 1 >= seq)
                        && g.frags.iter().all(|f| f.end <= vx)
                })
                .max_by_key(|g| (g.last().map(|f| f.seq), g.x0()));
            match open {
                Some(g) => {
                    g.values = Some(bi);
                    g.anchor = seq;
                }
                None => groups.push(Group {
                    frags: Vec::new(),
                    values: Some(bi),
                    header: false,
                    caption: false,
                    anchor: seq,
                }),
            }
        }
    }
    let mut line_of_seq = vec![0usize; seq + 1];
    for (bi, &sq) in seq_of.iter().enumerate() {
        if sq > 0 {
            line_of_seq[sq] = bi;
        }
    }
    // Write one row per anchor line: label-only groups (left to right), then the
    // label that owns the line's numbers, then the numbers.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| (groups[g].anchor, groups[g].values.is_some(), groups[g].x0()));
    let mut k = 0;
    while k < order.len() {
        let anchor = groups[order[k]].anchor;
        let mut cells: Vec<String> = Vec::new();
        let mut origin_line = None;
        while k < order.len() && groups[order[k]].anchor == anchor {
            let g = &groups[order[k]];
            if !g.frags.is_empty() {
                cells.push(g.label());
            }
            if let Some(bi) = g.values {
                cells.extend(values[bi].iter().map(|s| s.text.clone()));
                origin_line = Some(bi);
            }
            k += 1;
        }
        let bi = origin_line
            .or_else(|| line_of_seq.get(anchor).copied())
            .unwrap_or(0);
        if !cells.is_empty() {
            v.row(&cells, block[bi].origin());
        }
    }
}

/// The label a fragment continues: one ending at most `LABEL_REACH` lines
/// above, in the same column, that can still take the fragment's numbers.
fn continuation<'a>(
    groups: &'a mut [Group],
    frag: &Frag,
    receiving: bool,
) -> Option<&'a mut Group> {
    groups
        .iter_mut()
        .rev()
        .take(GROUP_WINDOW)
        .filter(|g| {
            let Some(last) = g.last() else { return false };
            !g.caption
                && !(receiving && (g.header || g.values.is_some()))
                && last.seq < frag.seq
                && frag.seq - last.seq <= LABEL_REACH
                && (last.x.abs_diff(frag.x) <= LABEL_DRIFT
                    || (frag.x >= last.x && frag.x < last.end))
        })
        .min_by_key(|g| {
            let last = g.last().expect("filtered");
            (last.x.abs_diff(frag.x), usize::MAX - last.seq)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &View) -> Vec<&str> {
        v.text.lines().filter(|l| l.starts_with('|')).collect()
    }

    #[test]
    fn segments_split_at_column_gaps_only() {
        let s = segments("  规章 0          1  第 711 号");
        let t: Vec<(&str, usize)> = s.iter().map(|s| (s.text.as_str(), s.x)).collect();
        assert_eq!(t, [("规章 0", 2), ("1", 16), ("第 711 号", 19)]);
        assert_eq!(squeeze("三 、本 年 度办 理 结果"), "三、本年度办理结果");
        assert_eq!(
            squeeze("号 ， 邮 编 ： 223100 ， 电"),
            "号，邮编：223100，电"
        );
        assert_eq!(squeeze("2024 年 1 月"), "2024 年 1 月");
        assert!(is_value_token("96171.6") && is_value_token("—") && is_value_token("１２"));
        assert!(!is_value_token("1.属于国家秘密") && !is_value_token("2024年"));
    }

    #[test]
    fn tight_rows_with_single_spaces_are_table_rows() {
        let v = layout_to_view("规章 0 0 0\n行政规范性文件 3 0 8\n1 1 0 0 2\n");
        assert_eq!(
            rows(&v),
            [
                "| 规章 | 0 | 0 | 0 |",
                "| 行政规范性文件 | 3 | 0 | 8 |",
                "| 1 | 1 | 0 | 0 | 2 |"
            ]
        );
        // Prose with a stray double space stays prose.
        let v = layout_to_view("   全面贯彻落实《条例》相关规范要求，  不断完善政府信息公开制度，\n建立健全保障机制。\n");
        assert_eq!(
            v.text,
            "全面贯彻落实《条例》相关规范要求，不断完善政府信息公开制度，建立健全保障机制。\n"
        );
        // Prose that ends in a number stays prose.
        let v = layout_to_view("公开政府常务会议 7\n");
        assert_eq!(v.text, "公开政府常务会议 7\n");
    }

    #[test]
    fn page_numbers_and_footers() {
        assert!(is_page_number("-3-", false, 40));
        assert!(is_page_number("— 12 —", false, 0));
        assert!(is_page_number("第 3 页 共 6 页", false, 0));
        assert!(is_page_number("3", true, 40));
        assert!(!is_page_number("3", false, 40));
        assert!(!is_page_number("3", true, 0));
        assert!(!is_page_number("72   64", true, 0));
    }

    #[test]
    fn wrapped_labels_join_the_numbers_they_surround() {
        let layout = "      （二）部分公开（区分处理的，只计这一
                                447         7        0
      情形，不计其他情形）
      （三）不      1.属于国家秘密            2          0        0
      予公开        2.其他法律行政法规禁止
                    公开                      30         1        0
";
        let v = layout_to_view(layout);
        assert_eq!(
            rows(&v),
            [
                "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 447 | 7 | 0 |",
                "| （三）不予公开 | 1.属于国家秘密 | 2 | 0 | 0 |",
                "| 2.其他法律行政法规禁止公开 | 30 | 1 | 0 |",
            ]
        );
        // The row with 447 is written at pdftotext's line 2 of page 1.
        assert_eq!(
            v.origins[0].as_ref().unwrap().origin,
            Origin::PdfLine { page: 1, line: 2 }
        );
    }

    #[test]
    fn labels_written_above_their_numbers_and_number_only_rows() {
        let layout = "                 5.要求行政机关确认或重 新出具
                     已获取信息
                                       0    0   0
     （六）其他处理                           0    0   0

结果   结果     其他
维持   纠正     结果


 1    1      0   0    2
";
        let v = layout_to_view(layout);
        assert_eq!(
            rows(&v),
            [
                "| 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 |",
                "| （六）其他处理 | 0 | 0 | 0 |",
                "| 结果 | 结果 | 其他 |",
                "| 维持 | 纠正 | 结果 |",
                "| 1 | 1 | 0 | 0 | 2 |",
            ]
        );
    }

    #[test]
    fn tables_continue_across_pages_without_their_page_numbers() {
        let layout = "\
一、本年新收政府信息公开申请数量       3    0
      （四）无

                 -4-
\u{c}     法提供      2.没有现成信息需要另行制作     1     0
\u{c}";
        let v = layout_to_view(layout);
        assert_eq!(
            rows(&v),
            [
                "| 一、本年新收政府信息公开申请数量 | 3 | 0 |",
                "| （四）无法提供 |",
                "| 2.没有现成信息需要另行制作 | 1 | 0 |",
            ]
        );
        let last = v.origins.iter().flatten().next_back().unwrap();
        assert_eq!(last.origin, Origin::PdfLine { page: 2, line: 1 });
    }

    #[test]
    fn prose_is_rejoined_but_never_across_headings() {
        let layout = "\
   一、总体情况
   2024 年，我市坚持以习近平新时代中国特色社会主义思想为指
导，认真学习宣传贯彻党的二十大精神，圆满完成了各项任务，
取得了成效。
   （一）主动公开情况。市政府网站主动公开各类政府信息 5500
余条，全年新增公开市政府规章 1 件，政策性文件 11 件，通

                    -1-
\u{c}过文字、图片等形式制作政策解读。
   二、主动公开政府信息情况
";
        let v = layout_to_view(layout);
        let lines: Vec<&str> = v.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "一、总体情况",
                "2024 年，我市坚持以习近平新时代中国特色社会主义思想为指导，认真学习宣传贯彻党的二十大精神，圆满完成了各项任务，取得了成效。",
                "（一）主动公开情况。市政府网站主动公开各类政府信息 5500余条，全年新增公开市政府规章 1 件，政策性文件 11 件，通过文字、图片等形式制作政策解读。",
                "二、主动公开政府信息情况",
            ]
        );
    }
}

//! Input readers: turn a file's bytes into the UTF-8 text view the parser reads.
//!
//! [`read_path`] and [`decode`] sniff the content (not only the extension) and
//! hand it to the reader for its format. Text and Markdown are read as they
//! are; converted formats render a [`view::View`] whose lines carry their
//! origin in the original file. Every failure is an [`InputError`] naming the
//! cause; the caller adds the path.

pub mod docx;
pub mod encoding;
pub mod fetch;
pub mod html;
pub mod kind;
pub mod pdf;
pub mod view;

use std::fmt;
use std::path::Path;
pub use view::{LineOrigin, Located, Notice, Origin};

/// Files larger than this are refused rather than read into memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// A decoded document, ready for parsing.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    /// The text view: the file itself for text and Markdown, the rendered
    /// view for converted formats. Spans are byte offsets into it.
    pub text: String,
    /// `text`, `markdown`, `html`, `docx` or `pdf`.
    pub format: &'static str,
    /// The encoding the bytes were decoded from (`utf-8`, `utf-8-bom`, …).
    pub encoding: &'static str,
    /// For converted formats, the origin of each line of `text`
    /// (`origins[i]` is line `i + 1`); empty for text and Markdown.
    pub origins: Vec<Option<LineOrigin>>,
    /// What the reader noticed (tracked changes, a guessed encoding, …).
    pub notices: Vec<Notice>,
}

impl Source {
    /// A source read as plain text or Markdown, with no origin map.
    pub fn plain(path: &str, text: String, format: &'static str, encoding: &'static str) -> Source {
        Source {
            path: path.to_string(),
            text,
            format,
            encoding,
            origins: Vec::new(),
            notices: Vec::new(),
        }
    }

    /// A source rendered from a converted document.
    pub fn from_view(
        path: &str,
        v: view::View,
        format: &'static str,
        encoding: &'static str,
    ) -> Source {
        Source {
            path: path.to_string(),
            text: v.text,
            format,
            encoding,
            origins: v.origins,
            notices: v.notices,
        }
    }

    /// Where a byte offset of the view came from in the original file.
    pub fn locate(&self, offset: usize) -> Option<Located> {
        view::locate(&self.text, &self.origins, offset)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Io(String),
    Empty,
    /// The size and the limit.
    TooLarge(u64, u64),
    /// Not a regular file: what it is (FIFO, device, directory, …).
    NotAFile(&'static str),
    /// A symlink in a rule folder whose target is outside it.
    OutsideFolder(String),
    Binary(&'static str),
    UnsupportedFormat(&'static str),
    /// A kind of file report-lint does not read, named by its extension
    /// (`kind::unsupported_reason`): a spreadsheet, an image, a WPS file.
    UnsupportedKind(&'static str),
    /// A PDF that could not be converted (`pdf::PdfError` names the cause).
    Pdf(pdf::PdfError),
    /// An HTML page with no part headings and no statistics tables.
    NoReport,
    /// An HTML page nested deeper than any real page (the HTML parser's work
    /// grows with the square of the depth).
    HtmlTooDeep(usize),
    Corrupt(&'static str, String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "无法读取文件：{e}"),
            InputError::Empty => write!(f, "文件为空，没有可检查的报告内容"),
            InputError::TooLarge(n, max) => {
                write!(f, "文件过大（至少 {n} 字节，上限 {max} 字节），未读取")
            }
            InputError::NotAFile(what) => write!(f, "不是普通文件（{what}），未读取"),
            InputError::OutsideFolder(target) => write!(
                f,
                "符号链接指向规则目录之外（{target}），未读取：规则目录中只能有目录内的普通文件"
            ),
            InputError::Binary(what) => write!(f, "不是文本文件（{what}）"),
            InputError::UnsupportedFormat(what) => {
                write!(
                    f,
                    "暂不支持的文件格式：{what}；请另存为 DOCX、PDF、HTML 或文本文件后再检查"
                )
            }
            InputError::UnsupportedKind(why) => write!(f, "不支持的文件类型：{why}"),
            InputError::Pdf(e) => write!(f, "{e}"),
            InputError::HtmlTooDeep(n) => write!(
                f,
                "HTML 元素嵌套过深（超过 {n} 层），不像是正常的网页，未读取"
            ),
            InputError::NoReport => write!(
                f,
                "HTML 页面中没有找到年度报告正文（没有“一、总体情况”等部分标题，也没有统计表格）"
            ),
            // A known format that cannot be read, and why: a truncated or
            // corrupt package, malformed XML, a zip bomb, an encrypted file.
            InputError::Corrupt(format, cause) => write!(f, "无法读取 {format} 文件：{cause}"),
        }
    }
}

impl std::error::Error for InputError {}

/// How to read files: an encoding forced by `--encoding`, if any.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Read only what names the report (title, organ, year): a PDF's first
    /// page. The cross-year pairing pass reads every file this way, so a PDF
    /// is not converted twice in full.
    pub head_only: bool,
    /// Documents of the batch fetched from the web: a path that is one of
    /// their addresses is read from the download, not from the disk.
    pub fetched: Option<std::sync::Arc<fetch::Fetched>>,
}

/// Read and decode a file.
pub fn read_path(path: &Path) -> Result<Source, InputError> {
    read_path_with(path, &ReadOptions::default())
}

/// Read and decode a file with options.
pub fn read_path_with(path: &Path, opts: &ReadOptions) -> Result<Source, InputError> {
    if let Some(doc) = opts.fetched.as_ref().and_then(|f| f.get(path)) {
        return doc.read(opts);
    }
    let bytes = read_file(path, MAX_INPUT_BYTES)?;
    decode_with(&display_path(path), &bytes, opts).map_err(|e| match e {
        // Content no reader takes: the extension says best what the file is.
        InputError::Binary(_) | InputError::UnsupportedFormat(_) | InputError::Corrupt(..) => {
            kind::unsupported_reason(path).map_or(e, InputError::UnsupportedKind)
        }
        e => e,
    })
}

/// A path as the outputs print it. A name that is not UTF-8 keeps its bytes
/// recoverable: each byte that is not part of valid UTF-8 is written `\xNN`
/// (and a backslash in the name is written `\\`), never a replacement
/// character (`docs/json-output.md`, "Paths").
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if std::str::from_utf8(bytes).is_err() {
            let mut out = String::new();
            for chunk in bytes.utf8_chunks() {
                out.push_str(&chunk.valid().replace('\\', "\\\\"));
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02X}"));
                }
            }
            return out;
        }
    }
    path.display().to_string()
}

/// What kind of thing a path is, when it is not a regular file.
fn file_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "命名管道（FIFO）";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "设备文件";
        }
        if ft.is_socket() {
            return "套接字";
        }
    }
    if ft.is_dir() {
        "目录"
    } else {
        "特殊文件"
    }
}

/// Read a file that must be a regular file (a symlink to one is followed) of
/// at most `max` bytes. The type is checked before the file is opened (a FIFO
/// is never opened, so it cannot block) and again on the open handle; at most
/// `max + 1` bytes are read whatever the size the file claims (`/proc` files
/// claim 0, `/dev/zero` never ends). Every reader of the project goes through
/// here: reports, rule files and libraries, baselines, configurations.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let io = |e: std::io::Error| InputError::Io(e.to_string());
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile(file_kind(&meta.file_type())));
    }
    if meta.len() > max {
        return Err(InputError::TooLarge(meta.len(), max));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile(file_kind(&meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLarge(bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// [`read_file`] for a file that must stay inside `root` (a rule folder): a
/// symlink is followed only when its target is inside `root` too.
pub fn read_file_inside(root: &Path, path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let io = |e: std::io::Error| InputError::Io(e.to_string());
    let root = root.canonicalize().map_err(io)?;
    let real = path.canonicalize().map_err(io)?;
    if !real.starts_with(&root) {
        return Err(InputError::OutsideFolder(display_path(&real)));
    }
    read_file(&real, max)
}

/// [`read_file`] as UTF-8 text (configurations, baselines, rules).
pub fn read_text(path: &Path, max: u64) -> Result<String, InputError> {
    String::from_utf8(read_file(path, max)?).map_err(|e| {
        InputError::Io(format!(
            "不是 UTF-8 文本（第 {} 字节处）",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Decode bytes already in memory (used by tests and by `read_path`).
pub fn decode(path: &str, bytes: &[u8]) -> Result<Source, InputError> {
    decode_with(path, bytes, &ReadOptions::default())
}

/// Decode bytes with options: PDF through [`pdf::read`]; otherwise the
/// encoding pipeline of [`encoding`], then HTML (sniffed from the content, or
/// an `.html`/`.htm` name) through [`html::read`], anything else as text or
/// Markdown.
pub fn decode_with(path: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Source, InputError> {
    if bytes.starts_with(b"%PDF") {
        if opts.head_only {
            let first_page = pdf::PdfOptions {
                last_page: Some(1),
                ..pdf::PdfOptions::default()
            };
            return pdf::read_with(path, bytes, &first_page);
        }
        return pdf::read(path, bytes);
    }
    // A zip is read as DOCX when it holds word/document.xml, whatever its name.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return docx::read(path, bytes);
    }
    let wide = encoding::is_utf16_bom(bytes)
        || opts
            .encoding
            .is_some_and(|e| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE);
    let lower = path.to_ascii_lowercase();
    if let Some(kind) = sniff_binary(bytes, wide) {
        // A legacy WPS document is the same kind of file as a legacy DOC.
        return Err(match kind {
            InputError::UnsupportedFormat(_) if lower.ends_with(".wps") => {
                InputError::UnsupportedFormat("WPS 文字（旧版 .wps）")
            }
            kind => kind,
        });
    }
    let named_html = lower.ends_with(".html") || lower.ends_with(".htm");
    let is_html = !wide && (named_html || html::looks_like_html(bytes));
    let decoded = encoding::decode(bytes, opts.encoding, is_html);
    let is_html = is_html || (wide && html::looks_like_html(decoded.text.as_bytes()));
    if decoded.text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    if is_html {
        let mut view = html::read(&decoded.text)?;
        let mut notices = decoded.notices;
        notices.append(&mut view.notices);
        view.notices = notices;
        return Ok(Source::from_view(path, view, "html", decoded.encoding));
    }
    let format = if lower.ends_with(".md") || lower.ends_with(".markdown") {
        "markdown"
    } else {
        "text"
    };
    let mut src = Source::plain(path, decoded.text, format, decoded.encoding);
    src.notices = decoded.notices;
    Ok(src)
}

/// Recognise formats this reader cannot read by their magic bytes.
/// `wide`: UTF-16, where NUL bytes are expected.
fn sniff_binary(bytes: &[u8], wide: bool) -> Option<InputError> {
    if bytes.is_empty() {
        return Some(InputError::Empty);
    }
    if docx::is_encrypted_ole(bytes) {
        return Some(InputError::Corrupt(
            "DOCX",
            "文档已加密（设置了打开密码）；请在 Word 中取消密码后另存再检查".into(),
        ));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Some(InputError::UnsupportedFormat("DOC (Word 97-2003)"));
    }
    if wide {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Some(InputError::Binary("含有 NUL 字节"));
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if control * 20 > head.len() {
        return Some(InputError::Binary("控制字符过多"));
    }
    None
}

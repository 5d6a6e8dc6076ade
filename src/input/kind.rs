//! Which files are reports: a folder run takes every file whose extension
//! (any case) or content is a supported format, and skips every other file
//! with a reason the user can act on. A file named on the command line is
//! always read; when it is of a kind report-lint cannot read, its error gives
//! the same reason ([`unsupported_reason`]).

use std::io::Read;
use std::path::Path;

/// Extensions of the supported formats (compared without regard to case).
/// Content decides the reader whatever the extension (`super::decode_with`).
pub const EXTENSIONS: [&str; 8] = [
    "txt", "md", "markdown", "html", "htm", "shtml", "pdf", "docx",
];

/// What a folder run does with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A supported format, by extension or content.
    Report,
    /// Not a format report-lint reads, and why.
    Skip(String),
}

/// The file's extension, lower-cased.
fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Does the name end in a supported extension (any case)?
pub fn has_supported_extension(path: &Path) -> bool {
    extension(path).is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

/// Why a file with this extension is not read, for the kinds reports are
/// often found as next to the readable ones.
pub fn unsupported_reason(path: &Path) -> Option<&'static str> {
    Some(match extension(path)?.as_str() {
        "doc" | "dot" => "Word 97-2003 格式，请另存为 DOCX",
        "wps" | "wpt" => "WPS 文字格式，请另存为 DOCX",
        "rtf" => "RTF 格式，请另存为 DOCX",
        "odt" => "OpenDocument 文本格式，请另存为 DOCX",
        "docm" | "dotx" => "Word 宏文档或模板，请另存为 DOCX",
        "xls" | "xlsx" | "xlsm" | "et" | "ods" | "csv" => {
            "电子表格，不是报告文档；请检查报告本身（DOCX、PDF、HTML 或文本）"
        }
        "ppt" | "pptx" | "dps" | "odp" => "演示文稿，不是报告文档",
        "png" | "jpg" | "jpeg" | "gif" | "bmp" | "tif" | "tiff" | "webp" => {
            "图片，没有可读的文字；请检查有文字层的 PDF 或原始文档"
        }
        "ofd" => "OFD 版式文件，暂不支持；请另存为 PDF",
        "caj" => "CAJ 文件，暂不支持；请另存为 PDF",
        "zip" | "rar" | "7z" | "gz" | "tgz" | "tar" | "bz2" | "xz" => "压缩包，请先解压",
        _ => return None,
    })
}

/// Bytes read from the start of a file to recognise its content.
const HEAD_BYTES: u64 = 8192;

/// Decide whether a file found in a folder is a report to check. Reads at
/// most the first 8 KiB (and, for a zip, its central directory) of a file
/// whose extension is not a supported one. A file that cannot be opened is
/// taken, so that the check names the error.
pub fn classify(path: &Path) -> Kind {
    if has_supported_extension(path) {
        return Kind::Report;
    }
    // Never open a pipe, socket or device to look at it: reading could block.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            return Kind::Skip("不是普通文件（管道、套接字或设备）".into());
        }
        Ok(_) => {}
        Err(_) => return Kind::Report,
    }
    let mut head = Vec::new();
    match std::fs::File::open(path) {
        Ok(f) => {
            if f.take(HEAD_BYTES).read_to_end(&mut head).is_err() {
                return Kind::Report;
            }
        }
        Err(_) => return Kind::Report,
    }
    let by_name = unsupported_reason(path);
    if head.starts_with(b"%PDF") {
        return Kind::Report;
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        if is_docx_package(path) {
            return Kind::Report;
        }
        return Kind::Skip(
            by_name
                .unwrap_or("ZIP 压缩包，里面没有 Word 文档")
                .to_string(),
        );
    }
    if super::html::looks_like_html(&head) {
        return Kind::Report;
    }
    if let Some(reason) = by_name {
        return Kind::Skip(reason.to_string());
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0") {
        return Kind::Skip("旧版 Office 文件（Word 97-2003 等），请另存为 DOCX".into());
    }
    if head.is_empty() {
        return Kind::Skip("空文件".into());
    }
    let wide = super::encoding::is_utf16_bom(&head);
    if !wide && head.contains(&0) {
        return Kind::Skip("二进制文件，不是支持的格式（DOCX、PDF、HTML、TXT、MD）".into());
    }
    let named = match extension(path) {
        Some(e) => format!("扩展名 .{e}"),
        None => "没有扩展名".to_string(),
    };
    Kind::Skip(format!(
        "{named}，内容是纯文本；如果是报告，请改用 .txt 或 .md 扩展名，或在命令行上直接指定这个文件"
    ))
}

/// A zip holding `word/document.xml`: a DOCX whatever its name.
fn is_docx_package(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(zip) = zip::ZipArchive::new(std::io::BufReader::new(f)) else {
        return false;
    };
    let found = zip.file_names().any(|n| n == "word/document.xml");
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn extensions_are_matched_whatever_the_case() {
        for name in [
            "A.DOCX", "B.PDF", "c.HTM", "d.docx", "e.Shtml", "f.TXT", "g.Md",
        ] {
            assert!(has_supported_extension(Path::new(name)), "{name}");
        }
        assert!(!has_supported_extension(Path::new("a.doc")));
    }

    #[test]
    fn content_decides_for_other_names_and_the_rest_gets_a_reason() {
        let dir = std::env::temp_dir().join(format!("rl-kind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pdf = write(&dir, "report.bin", b"%PDF-1.7\n");
        assert_eq!(classify(&pdf), Kind::Report);
        let html = write(
            &dir,
            "page.asp",
            b"<!DOCTYPE html><html><body>x</body></html>",
        );
        assert_eq!(classify(&html), Kind::Report);
        let html_doc = write(&dir, "cms-export.doc", b"<html><body>x</body></html>");
        assert_eq!(classify(&html_doc), Kind::Report);
        let ole = write(&dir, "old.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0");
        assert!(matches!(classify(&ole), Kind::Skip(r) if r.contains("DOCX")));
        let wps = write(&dir, "draft.WPS", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0");
        assert!(matches!(classify(&wps), Kind::Skip(r) if r.contains("WPS")));
        let png = write(&dir, "scan.png", b"\x89PNG\r\n\x1a\n\0\0");
        assert!(matches!(classify(&png), Kind::Skip(r) if r.contains("图片")));
        let zip = write(
            &dir,
            "tables.xlsx",
            b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        );
        assert!(matches!(classify(&zip), Kind::Skip(r) if r.contains("电子表格")));
        let text = write(&dir, "notes.log", "一、总体情况".as_bytes());
        assert!(matches!(classify(&text), Kind::Skip(r) if r.contains(".log")));
        // A pipe is skipped without being opened (opening it would block).
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(classify(&fifo), Kind::Skip(r) if r.contains("管道")));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

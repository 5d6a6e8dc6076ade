//! The DOCX container: a zip package opened with limits against zip bombs,
//! its parts found by name (case-insensitive, `\\` or `/` separated) and read
//! as UTF-8 XML. The reader ([`super::render`]) and the comment writer
//! (`crate::annotate`) both open packages here.

use super::corrupt;
use crate::input::InputError;
use std::io::{Cursor, Read};

/// The most decompressed bytes read from any one part of the package.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries a package may list.
pub const MAX_ENTRIES: usize = 10_000;

/// An opened DOCX (or any OOXML) package.
pub struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
}

impl<'a> Package<'a> {
    /// Open the zip container, refusing more than [`MAX_ENTRIES`] entries
    /// before anything is decompressed.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, InputError> {
        if let Some(n) = eocd_entries(bytes) {
            if n > MAX_ENTRIES {
                return Err(corrupt(format!(
                    "压缩包列出 {n} 个条目，超过上限 {MAX_ENTRIES}，不像是 Word 文档"
                )));
            }
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| corrupt(format!("压缩包不完整或已损坏（{e}），可能是下载不完整")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(corrupt(format!(
                "压缩包有 {} 个条目，超过上限 {MAX_ENTRIES}，不像是 Word 文档",
                zip.len()
            )));
        }
        let names = zip.file_names().map(str::to_string).collect();
        Ok(Package { zip, names })
    }

    /// The entry names, as stored.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The stored name of the part `want` (e.g. `word/document.xml`).
    pub fn find(&self, want: &str) -> Option<String> {
        self.names
            .iter()
            .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(want))
            .cloned()
    }

    /// Read a part (by its stored name) as UTF-8 XML, BOM removed.
    pub fn read_text(&mut self, name: &str) -> Result<String, InputError> {
        read_part(&mut self.zip, name)
    }

    /// Read a part if the package has it: `(text, stored name)`.
    pub fn read_optional(&mut self, want: &str) -> Result<Option<(String, String)>, InputError> {
        match self.find(want) {
            Some(n) => Ok(Some((self.read_text(&n)?, n))),
            None => Ok(None),
        }
    }

    /// The underlying archive, for copying entries unchanged.
    pub fn archive(&mut self) -> &mut zip::ZipArchive<Cursor<&'a [u8]>> {
        &mut self.zip
    }
}

/// The entry count the end-of-central-directory record claims, if found.
fn eocd_entries(bytes: &[u8]) -> Option<usize> {
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let pos = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let rec = tail.get(pos + 10..pos + 12)?;
    Some(u16::from_le_bytes([rec[0], rec[1]]) as usize)
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, InputError> {
    let file = zip
        .by_name(name)
        .map_err(|e| corrupt(format!("无法打开 {name}（{e}）")))?;
    if file.encrypted() {
        return Err(corrupt(format!("{name} 已加密，无法读取")));
    }
    if file.size() > MAX_PART_BYTES {
        return Err(corrupt(format!(
            "{name} 解压后 {} 字节，超过上限 {MAX_PART_BYTES} 字节（疑似压缩炸弹）",
            file.size()
        )));
    }
    let mut buf = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| corrupt(format!("{name} 解压失败（{e}），文件可能已损坏")))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(corrupt(format!(
            "{name} 解压后超过上限 {MAX_PART_BYTES} 字节（疑似压缩炸弹）"
        )));
    }
    if buf.starts_with(b"\xEF\xBB\xBF") {
        buf.drain(..3);
    }
    String::from_utf8(buf).map_err(|e| {
        corrupt(format!(
            "{name} 不是 UTF-8 编码的 XML（第 {} 字节处）",
            e.utf8_error().valid_up_to()
        ))
    })
}

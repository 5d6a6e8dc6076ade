//! Bytes → text: the decoding pipeline every reader shares.
//!
//! In order, the first that applies decides the encoding:
//!
//! 1. an encoding forced by the user (`--encoding LABEL`);
//! 2. a byte-order mark: UTF-8, UTF-16LE, UTF-16BE;
//! 3. for HTML, a `<meta charset>` or `<meta http-equiv="Content-Type">`
//!    declaration found by the HTML Standard's prescan of the first 1024 bytes
//!    (a declaration of a legacy encoding on bytes that are valid UTF-8 with
//!    non-ASCII text is overruled: CMS exports often keep the `gb2312` meta of
//!    the page they were converted from);
//! 4. strict UTF-8, or UTF-8 with a few bad bytes (a truncated last
//!    character, a stray byte or two): each bad sequence a U+FFFD, each place
//!    reported in a `utf8-bad-bytes` notice naming its line and bytes
//!    ([`mostly_utf8`]);
//! 5. detection (chardetng, with the `.cn` top-level domain as the hint, so
//!    GBK/GB18030 is preferred among the legacy encodings), with an
//!    `encoding-guessed` notice.
//!
//! Bytes that the chosen encoding cannot decode become U+FFFD; their number is
//! reported in an `encoding-errors` notice. Decoding never fails.

use super::view::Notice;
use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// The result of decoding a file's bytes.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// The encoding used, as `Source::encoding` names it: `utf-8`,
    /// `utf-8-bom`, `utf-16le`, `utf-16be`, `gbk`, `gb18030`, or
    /// encoding_rs's name for any other.
    pub encoding: &'static str,
    /// How the encoding was chosen: `forced`, `bom`, `meta`, `utf-8`, `guessed`.
    pub how: &'static str,
    /// Bytes that could not be decoded (each became U+FFFD).
    pub errors: usize,
    pub notices: Vec<Notice>,
}

/// Look up an encoding by a WHATWG label (`gbk`, `gb2312`, `utf-8`,
/// `utf-16le`, `big5`, …), case-insensitively.
pub fn for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// The byte-order mark at the start of `bytes`, if any, and its length.
pub fn bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

/// Does `bytes` start with a UTF-16 byte-order mark?
pub fn is_utf16_bom(bytes: &[u8]) -> bool {
    matches!(bom(bytes), Some((e, _)) if e == UTF_16LE || e == UTF_16BE)
}

/// The name `Source::encoding` uses for an encoding.
pub fn name(enc: &'static Encoding, with_bom: bool) -> &'static str {
    if enc == UTF_8 {
        if with_bom {
            "utf-8-bom"
        } else {
            "utf-8"
        }
    } else if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else if enc == GBK {
        "gbk"
    } else if enc == GB18030 {
        "gb18030"
    } else {
        enc.name()
    }
}

/// Decode `bytes`. `html` enables the `<meta charset>` prescan; `forced`
/// overrides everything but still strips a BOM of the same encoding.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>, html: bool) -> Decoded {
    if let Some(enc) = forced {
        let (body, with_bom) = match bom(bytes) {
            Some((b, len)) if b == enc => (&bytes[len..], true),
            _ => (bytes, false),
        };
        return finish(enc, body, name(enc, with_bom), "forced", Vec::new());
    }
    if let Some((enc, len)) = bom(bytes) {
        return finish(enc, &bytes[len..], name(enc, true), "bom", Vec::new());
    }
    if html {
        if let Some(declared) = prescan_meta(bytes) {
            if declared != UTF_8 && has_non_ascii(bytes) && std::str::from_utf8(bytes).is_ok() {
                let notices = vec![Notice {
                    kind: "encoding-mismatch".into(),
                    message: format!(
                        "页面声明的编码为 {}，但内容是有效的 UTF-8，已按 UTF-8 读取",
                        declared.name()
                    ),
                    line: None,
                }];
                return finish(UTF_8, bytes, "utf-8", "utf-8", notices);
            }
            return finish(declared, bytes, name(declared, false), "meta", Vec::new());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: "utf-8",
            how: "utf-8",
            errors: 0,
            notices: Vec::new(),
        };
    }
    if let Some((notices, errors)) = mostly_utf8(bytes) {
        return Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: "utf-8",
            how: "utf-8",
            errors,
            notices,
        };
    }
    let guessed = guess(bytes);
    let notices = vec![Notice {
        kind: "encoding-guessed".into(),
        message: format!(
            "文件不是 UTF-8，也没有声明编码，按推测的 {} 解码；如有乱码请用 --encoding 指定编码",
            guessed.name()
        ),
        line: None,
    }];
    finish(guessed, bytes, name(guessed, false), "guessed", notices)
}

/// chardetng's guess for non-UTF-8 bytes, as a browser would make it for a
/// page under `.cn`.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(Some(b"cn"), chardetng::Utf8Detection::Deny)
}

fn finish(
    enc: &'static Encoding,
    body: &[u8],
    encoding: &'static str,
    how: &'static str,
    mut notices: Vec<Notice>,
) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    let text = text.into_owned();
    let errors = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count()
    } else {
        0
    };
    if errors > 0 {
        notices.push(Notice {
            kind: "encoding-errors".into(),
            message: format!(
                "按 {} 解码时有 {errors} 处字节无法识别，已替换为“\u{FFFD}”；文件可能已损坏或编码不是 {}",
                enc.name(),
                enc.name()
            ),
            line: None,
        });
    }
    Decoded {
        text,
        encoding,
        how,
        errors,
        notices,
    }
}

/// Places reported one by one in `utf8-bad-bytes` notices; more are counted.
const MAX_BAD_BYTE_NOTICES: usize = 20;

/// Bytes that are UTF-8 except a few bad sequences: at least one valid
/// non-ASCII character, and no more bad sequences than 4 or one per hundred
/// non-ASCII characters (GBK text read as UTF-8 has bad sequences
/// everywhere). The notices for the bad places (line and bytes) and how many
/// there are, or `None` when the bytes are not UTF-8 of that kind.
pub fn mostly_utf8(bytes: &[u8]) -> Option<(Vec<Notice>, usize)> {
    let mut non_ascii = 0usize;
    // The first places (line, bytes), and how many there are.
    let mut bad: Vec<(usize, &[u8])> = Vec::new();
    let mut bad_count = 0usize;
    let mut line = 1;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\n' {
                line += 1;
            } else if !c.is_ascii() {
                non_ascii += 1;
            }
        }
        if !chunk.invalid().is_empty() {
            bad_count += 1;
            if bad.len() < MAX_BAD_BYTE_NOTICES {
                bad.push((line, chunk.invalid()));
            }
        }
    }
    if non_ascii == 0 || bad_count == 0 || bad_count > 4.max(non_ascii / 100) {
        return None;
    }
    let mut notices: Vec<Notice> = bad
        .iter()
        .map(|(line, b)| {
            let hex: Vec<String> = b.iter().map(|x| format!("0x{x:02X}")).collect();
            Notice {
                kind: "utf8-bad-bytes".into(),
                message: format!(
                    "第 {line} 行有不是 UTF-8 的字节 {}，已替换为“\u{FFFD}”；文件其余部分按 UTF-8 读取",
                    hex.join(" ")
                ),
                line: Some(*line),
            }
        })
        .collect();
    if bad_count > bad.len() {
        notices.push(Notice {
            kind: "utf8-bad-bytes".into(),
            message: format!(
                "另有 {} 处不是 UTF-8 的字节，已替换为“\u{FFFD}”",
                bad_count - bad.len()
            ),
            line: None,
        });
    }
    Some((notices, bad_count))
}

fn has_non_ascii(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b >= 0x80)
}

/// The HTML Standard's "prescan a byte stream to determine its encoding",
/// over the first 1024 bytes: `<meta charset=…>` or `<meta http-equiv=
/// "content-type" content="…charset=…">`, skipping comments and other tags.
/// A declared UTF-16 means UTF-8 and `x-user-defined` means windows-1252, as
/// the standard says.
pub fn prescan_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(1024)];
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"<!--") {
            match find(&b[i + 4..], b"-->") {
                Some(p) => i += 4 + p + 3,
                None => return None,
            }
            continue;
        }
        if starts_with_ci(&b[i..], b"<meta") && b.get(i + 5).is_some_and(|&c| is_space_or_slash(c))
        {
            i += 5;
            let mut got_pragma = false;
            let mut need_pragma: Option<bool> = None;
            let mut charset: Option<&'static Encoding> = None;
            let mut seen: Vec<Vec<u8>> = Vec::new();
            loop {
                let Some((name, value, next)) = get_attribute(b, i) else {
                    i = b.len();
                    break;
                };
                i = next;
                if name.is_empty() {
                    break;
                }
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name.clone());
                match name.as_slice() {
                    b"http-equiv" if value.eq_ignore_ascii_case(b"content-type") => {
                        got_pragma = true;
                    }
                    b"content" if charset.is_none() => {
                        if let Some(enc) = charset_from_content(&value) {
                            charset = Some(enc);
                            need_pragma = Some(true);
                        }
                    }
                    b"charset" => {
                        charset = Encoding::for_label(trim_ascii(&value));
                        need_pragma = Some(false);
                    }
                    _ => {}
                }
            }
            let ok = match need_pragma {
                None => false,
                Some(true) => got_pragma,
                Some(false) => true,
            };
            if ok {
                if let Some(enc) = charset {
                    if enc == UTF_16LE || enc == UTF_16BE {
                        return Some(UTF_8);
                    }
                    if enc.name() == "x-user-defined" {
                        return Some(encoding_rs::WINDOWS_1252);
                    }
                    return Some(enc);
                }
            }
            continue;
        }
        if b[i] == b'<'
            && b.get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/')
        {
            // Another tag: skip its name and attributes.
            let mut j = i + 1;
            if b[j] == b'/' {
                j += 1;
            }
            while j < b.len() && !is_space_or_slash(b[j]) && b[j] != b'>' {
                j += 1;
            }
            loop {
                match get_attribute(b, j) {
                    Some((name, _, next)) => {
                        j = next;
                        if name.is_empty() {
                            break;
                        }
                    }
                    None => return None,
                }
            }
            i = j;
            continue;
        }
        if b[i..].starts_with(b"<!") || b[i..].starts_with(b"</") || b[i..].starts_with(b"<?") {
            match b[i..].iter().position(|&c| c == b'>') {
                Some(p) => i += p + 1,
                None => return None,
            }
            continue;
        }
        i += 1;
    }
    None
}

/// The standard's "get an attribute" step. Returns (lower-cased name, value,
/// position after it); an empty name means the tag ended (`>`). `None` when
/// the bytes run out.
fn get_attribute(b: &[u8], mut i: usize) -> Option<(Vec<u8>, Vec<u8>, usize)> {
    while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    if b[i] == b'>' {
        return Some((Vec::new(), Vec::new(), i + 1));
    }
    let mut name = Vec::new();
    loop {
        if i >= b.len() {
            return None;
        }
        let c = b[i];
        if c == b'=' && !name.is_empty() {
            i += 1;
            break;
        }
        if is_space(c) {
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if i < b.len() && b[i] == b'=' {
                i += 1;
                break;
            }
            return Some((name, Vec::new(), i));
        }
        if c == b'/' || c == b'>' {
            return Some((name, Vec::new(), i));
        }
        name.push(c.to_ascii_lowercase());
        i += 1;
    }
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    let mut value = Vec::new();
    if b[i] == b'"' || b[i] == b'\'' {
        let q = b[i];
        i += 1;
        loop {
            if i >= b.len() {
                return None;
            }
            if b[i] == q {
                return Some((name, value, i + 1));
            }
            value.push(b[i].to_ascii_lowercase());
            i += 1;
        }
    }
    if b[i] == b'>' {
        return Some((name, value, i));
    }
    while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
        value.push(b[i].to_ascii_lowercase());
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    Some((name, value, i))
}

/// The standard's "extract a character encoding from a meta element" for a
/// `content` attribute (`text/html; charset=gb2312`).
fn charset_from_content(v: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    loop {
        let p = find(&v[i..], b"charset")?;
        i += p + 7;
        let mut j = i;
        while j < v.len() && is_space(v[j]) {
            j += 1;
        }
        if j < v.len() && v[j] == b'=' {
            j += 1;
            while j < v.len() && is_space(v[j]) {
                j += 1;
            }
            if j >= v.len() {
                return None;
            }
            let value = if v[j] == b'"' || v[j] == b'\'' {
                let q = v[j];
                let rest = &v[j + 1..];
                let end = rest.iter().position(|&c| c == q)?;
                &rest[..end]
            } else {
                let rest = &v[j..];
                let end = rest
                    .iter()
                    .position(|&c| is_space(c) || c == b';')
                    .unwrap_or(rest.len());
                &rest[..end]
            };
            return Encoding::for_label(value);
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_space_or_slash(c: u8) -> bool {
    is_space(c) || c == b'/'
}

fn trim_ascii(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&c| !is_space(c)).unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|&c| !is_space(c))
        .map_or(start, |e| e + 1);
    &v[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GBK.encode(s).0.into_owned()
    }

    #[test]
    fn prescan_finds_charset_and_http_equiv() {
        assert_eq!(
            prescan_meta(b"<!DOCTYPE html><html><head><meta charset=\"gb2312\">"),
            Some(GBK)
        );
        assert_eq!(
            prescan_meta(
                b"<!-- <meta charset=utf-8> --><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GBK'>"
            ),
            Some(GBK)
        );
        // content without http-equiv does not count.
        assert_eq!(
            prescan_meta(b"<meta content=\"text/html; charset=gbk\">"),
            None
        );
        assert_eq!(prescan_meta(b"<meta charset=utf-16le>"), Some(UTF_8));
        assert_eq!(prescan_meta(b"<p>no meta here</p>"), None);
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"<meta charset=gbk>");
        assert_eq!(prescan_meta(&late), None);
        // Truncated inside a tag: no answer, no panic.
        for cut in 0..40 {
            let s = b"<meta http-equiv=\"content-type\" content=\"text/html; charset=gbk\">";
            let _ = prescan_meta(&s[..cut.min(s.len())]);
        }
    }

    #[test]
    fn pipeline_order() {
        let text = "二〇一九年政府信息公开工作年度报告，本年新收政府信息公开申请数量";
        let d = decode(text.as_bytes(), None, false);
        assert_eq!((d.encoding, d.how, d.errors), ("utf-8", "utf-8", 0));

        let d = decode(&gbk(text), None, false);
        assert_eq!(d.text, text);
        assert_eq!((d.encoding, d.how), ("gbk", "guessed"));
        assert_eq!(d.notices[0].kind, "encoding-guessed");

        let mut page = b"<html><head><meta charset=gbk></head><body>".to_vec();
        page.extend(gbk(text));
        let d = decode(&page, None, true);
        assert!(d.text.contains(text));
        assert_eq!((d.encoding, d.how), ("gbk", "meta"));
        assert!(d.notices.is_empty());

        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode(&le, None, false);
        assert_eq!((d.text.as_str(), d.encoding), (text, "utf-16le"));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let d = decode(&be, None, false);
        assert_eq!((d.text.as_str(), d.encoding), (text, "utf-16be"));

        let d = decode(&gbk(text), for_label("GB2312"), false);
        assert_eq!((d.text.as_str(), d.how), (text, "forced"));
    }

    #[test]
    fn a_lying_meta_on_utf8_bytes_is_overruled() {
        let page = "<meta charset=gb2312><p>一、总体情况</p>";
        let d = decode(page.as_bytes(), None, true);
        assert_eq!(d.encoding, "utf-8");
        assert_eq!(d.text, page);
        assert_eq!(d.notices[0].kind, "encoding-mismatch");
    }

    #[test]
    fn undecodable_bytes_are_counted() {
        let mut b = gbk("本年新收");
        b.push(0x81); // a lead byte with nothing after it
        let d = decode(&b, for_label("gbk"), false);
        assert_eq!(d.errors, 1);
        assert!(d.text.starts_with("本年新收"));
        assert_eq!(d.notices.last().unwrap().kind, "encoding-errors");
        let d = decode(&[0xE4, 0xB8], for_label("utf-8"), false);
        assert_eq!(d.errors, 1);
    }
}

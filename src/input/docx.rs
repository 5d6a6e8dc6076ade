//! DOCX reader: a Word/WPS draft (`.docx`, or any zip holding
//! `word/document.xml`) rendered into the text view of [`super::view`].
//!
//! The package is read directly: `zip` for the container, `quick-xml` for the
//! parts. What the view shows is what a reviewer sees in Word after accepting
//! every tracked change:
//!
//! - paragraphs one per line, each with its list number rendered the way Word
//!   shows it (`w:numPr` directly or through the paragraph style, resolved
//!   against `numbering.xml`: `lvlText`, `numFmt`, `start`, overrides,
//!   counters, restarts);
//! - runs: `w:t`, `w:tab` (a tab), `w:br`/`w:cr` (a line break, which starts a
//!   new line of the view with the same paragraph origin), `w:sym`; of a
//!   field only its displayed result; hidden text (`w:vanish`) dropped;
//! - tracked changes accepted (`w:del`/`w:moveFrom` dropped, `w:ins`/`w:moveTo`
//!   kept, a deleted paragraph mark joins two paragraphs, a deleted table row
//!   disappears) with a `tracked-changes` notice; comments give a `comments`
//!   notice;
//! - tables on their grid (`w:tblGrid`, `w:gridSpan`, `w:vMerge`, legacy
//!   `w:hMerge`, `w:gridBefore`/`w:gridAfter`) as pipe rows with a merged
//!   cell's text repeated in every slot it covers; a table nested in a cell
//!   is folded into the cell's text; a one-column layout table (a whole report
//!   wrapped in a frame) is read as the blocks it holds.
//!
//! Every limit is explicit (decompressed bytes per part, entries, XML nodes and
//! depth, table columns) so a hostile file costs bounded memory and time.

use super::view::{Origin, View};
use super::{InputError, Source};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

/// The most decompressed bytes read from any one part of the package.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries a package may list.
pub const MAX_ENTRIES: usize = 10_000;
/// The most XML elements kept from one part.
const MAX_NODES: usize = 500_000;
/// The deepest element nesting accepted in a part.
const MAX_DEPTH: usize = 400;
/// Table grids are clipped to this many columns (Word allows 63).
const MAX_COLS: usize = 256;
/// The most slots (rows × grid columns) of one table.
const MAX_SLOTS: usize = 4_000_000;

const W_MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";

fn corrupt(cause: impl Into<String>) -> InputError {
    InputError::Corrupt("DOCX", cause.into())
}

/// Is this an OLE compound file holding an encrypted OOXML package (a DOCX
/// saved with a password to open)?
pub fn is_encrypted_ole(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return false;
    }
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Read a DOCX package (bytes that start like a zip) into a [`Source`].
/// A zip without `word/document.xml` is an unsupported format, not a DOCX.
pub fn read(path: &str, bytes: &[u8]) -> Result<Source, InputError> {
    let view = render(bytes)?;
    if view.text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(Source::from_view(path, view, "docx", "utf-8"))
}

/// Render a DOCX package into the text view.
pub fn render(bytes: &[u8]) -> Result<View, InputError> {
    if let Some(n) = eocd_entries(bytes) {
        if n > MAX_ENTRIES {
            return Err(corrupt(format!(
                "压缩包列出 {n} 个条目，超过上限 {MAX_ENTRIES}，不像是 Word 文档"
            )));
        }
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| corrupt(format!("压缩包不完整或已损坏（{e}），可能是下载不完整")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(corrupt(format!(
            "压缩包有 {} 个条目，超过上限 {MAX_ENTRIES}，不像是 Word 文档",
            zip.len()
        )));
    }
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let find = |want: &str| {
        names
            .iter()
            .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(want))
            .cloned()
    };
    let Some(doc_name) = find("word/document.xml") else {
        return Err(InputError::UnsupportedFormat(
            "ZIP 压缩包（没有 word/document.xml，不是 DOCX）",
        ));
    };
    let doc_xml = read_part(&mut zip, &doc_name)?;
    let styles_xml = match find("word/styles.xml") {
        Some(n) => Some((read_part(&mut zip, &n)?, n)),
        None => None,
    };
    let numbering_xml = match find("word/numbering.xml") {
        Some(n) => Some((read_part(&mut zip, &n)?, n)),
        None => None,
    };
    drop(zip);
    render_parts(
        (&doc_xml, &doc_name),
        styles_xml.as_ref().map(|(x, n)| (x.as_str(), n.as_str())),
        numbering_xml
            .as_ref()
            .map(|(x, n)| (x.as_str(), n.as_str())),
    )
}

/// Render the XML parts of a package, each given with its name in the
/// package (for error messages): the document, and the styles and numbering
/// when the package has them. The fuzz target calls this directly.
pub fn render_parts(
    document: (&str, &str),
    styles: Option<(&str, &str)>,
    numbering: Option<(&str, &str)>,
) -> Result<View, InputError> {
    let styles = match styles {
        Some((xml, name)) => Styles::parse(&parse_xml(name, xml)?.root),
        None => Styles::default(),
    };
    let numbering = match numbering {
        Some((xml, name)) => Numbering::parse(&parse_xml(name, xml)?.root),
        None => Numbering::default(),
    };
    let doc = parse_xml(document.1, document.0)?;
    let body = doc
        .root
        .child("body")
        .ok_or_else(|| corrupt("word/document.xml 中没有正文（w:body）"))?;
    let mut r = Renderer {
        styles: &styles,
        numbering: NumberingState::new(&numbering),
        view: View::new(),
        fields: Vec::new(),
        carry: String::new(),
        paragraph: 0,
        table: 0,
        insertions: 0,
        deletions: 0,
        first_change: None,
        comments: HashSet::new(),
        first_comment: None,
        budget: MAX_PART_BYTES as usize,
        error: None,
    };
    r.blocks(body);
    r.flush_carry();
    if let Some(e) = r.error {
        return Err(e);
    }
    let mut view = r.view;
    if r.insertions + r.deletions > 0 {
        view.notice(
            "tracked-changes",
            format!(
                "文档含有未接受的修订（插入 {} 处，删除 {} 处）；已按全部接受修订后的文字检查，发布前请在 Word 中接受或拒绝修订",
                r.insertions, r.deletions
            ),
            r.first_change,
        );
    }
    if !r.comments.is_empty() {
        view.notice(
            "comments",
            format!(
                "文档含有 {} 条批注；批注不参与检查，发布前请删除批注",
                r.comments.len()
            ),
            r.first_comment,
        );
    }
    if doc.text_boxes {
        view.notice(
            "text-boxes",
            "文档含有文本框或图形中的文字，这些文字未参与检查".to_string(),
            None,
        );
    }
    Ok(view)
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

// ---------------------------------------------------------------------------
// A small element tree of the WordprocessingML parts.

#[derive(Debug, Default)]
struct El {
    /// Local name of an element in the WordprocessingML namespace (one of
    /// [`KNOWN`]; empty for the root of a part in another namespace).
    name: &'static str,
    /// The attributes the reader uses, by local name.
    attrs: Vec<(&'static str, String)>,
    kids: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    fn val(&self) -> Option<&str> {
        self.attr("val")
    }

    fn elements(&self) -> impl Iterator<Item = &El> {
        self.kids.iter().filter_map(|k| match k {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    fn path(&self, names: &[&str]) -> Option<&El> {
        let mut at = self;
        for n in names {
            at = at.child(n)?;
        }
        Some(at)
    }

    /// An on/off property (`w:vanish`, `w:isLgl`): present and not false.
    fn on(&self, name: &str) -> Option<bool> {
        self.child(name)
            .map(|e| !matches!(e.val(), Some("0" | "false" | "off")))
    }

    fn text(&self) -> String {
        let mut s = String::new();
        for k in &self.kids {
            if let Node::Text(t) = k {
                s.push_str(t);
            }
        }
        s
    }
}

struct Parsed {
    root: El,
    /// Text boxes or shapes with text were skipped.
    text_boxes: bool,
}

/// Attributes the reader looks at; others are not kept.
const KEPT_ATTRS: &[&str] = &[
    "val",
    "type",
    "styleId",
    "default",
    "abstractNumId",
    "numId",
    "ilvl",
    "fldCharType",
    "char",
    "font",
    "id",
];

/// The WordprocessingML elements the reader looks at. Every other element
/// is skipped with its content when the part is read: formatting (fonts,
/// sizes, spacing), section properties, drawings and text boxes, field codes
/// (`w:instrText`), deleted text (`w:delText`), ruby guides (`w:rt`), and the
/// old properties of tracked formatting changes (`w:rPrChange`, …).
const KNOWN: &[&str] = &[
    "document",
    "body",
    "p",
    "pPr",
    "pStyle",
    "numPr",
    "numId",
    "ilvl",
    "rPr",
    "vanish",
    "rStyle",
    "del",
    "ins",
    "moveFrom",
    "moveTo",
    "r",
    "t",
    "tab",
    "ptab",
    "br",
    "cr",
    "noBreakHyphen",
    "sym",
    "ruby",
    "rubyBase",
    "fldChar",
    "fldSimple",
    "hyperlink",
    "smartTag",
    "customXml",
    "dir",
    "bdo",
    "sdt",
    "sdtContent",
    "commentRangeStart",
    "commentReference",
    "tbl",
    "tblGrid",
    "gridCol",
    "tr",
    "trPr",
    "gridBefore",
    "gridAfter",
    "tc",
    "tcPr",
    "gridSpan",
    "vMerge",
    "hMerge",
    "styles",
    "style",
    "basedOn",
    "numbering",
    "abstractNum",
    "lvl",
    "start",
    "numFmt",
    "lvlText",
    "lvlRestart",
    "isLgl",
    "suff",
    "num",
    "abstractNumId",
    "lvlOverride",
    "startOverride",
    "numStyleLink",
];

fn known(name: &str, list: &[&'static str]) -> Option<&'static str> {
    list.iter().copied().find(|k| *k == name)
}

fn parse_xml(part: &str, xml: &str) -> Result<Parsed, InputError> {
    let bad = |pos: u64, e: &dyn std::fmt::Display| {
        corrupt(format!(
            "{part} 不是格式正确的 XML（第 {pos} 字节附近：{e}）"
        ))
    };
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<El> = vec![El::default()];
    let mut nodes = 0usize;
    // Depth inside a skipped subtree (0: not skipping).
    let mut skip = 0usize;
    let mut text_boxes = false;
    let mut seen_root = false;
    loop {
        let pos = reader.buffer_position();
        let (ns, ev) = reader.read_resolved_event().map_err(|e| bad(pos, &e))?;
        let in_w = match ns {
            ResolveResult::Bound(n) => n.as_ref() == W_MAIN || n.as_ref() == W_STRICT,
            ResolveResult::Unknown(p) => p == "w",
            ResolveResult::Unbound => false,
        };
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let empty = matches!(ev, Event::Empty(_));
                let local = s.local_name();
                let local = local.as_ref();
                if stack.len() == 1 {
                    if seen_root {
                        return Err(bad(pos, &"根元素之后还有元素"));
                    }
                    seen_root = true;
                }
                if skip > 0 {
                    if local == "txbxContent" {
                        text_boxes = true;
                    }
                    if !empty {
                        skip += 1;
                    }
                    continue;
                }
                let name = if in_w { known(local, KNOWN) } else { None };
                // The root element of a part is kept whatever it is.
                let keep = stack.len() == 1 || name.is_some();
                if !keep {
                    if local == "txbxContent" {
                        text_boxes = true;
                    }
                    if !empty {
                        skip = 1;
                    }
                    continue;
                }
                nodes += 1;
                if nodes > MAX_NODES {
                    return Err(corrupt(format!(
                        "{part} 元素超过 {MAX_NODES} 个，文档过于庞大"
                    )));
                }
                if stack.len() > MAX_DEPTH {
                    return Err(corrupt(format!(
                        "{part} 元素嵌套超过 {MAX_DEPTH} 层，文档结构异常"
                    )));
                }
                let mut el = El {
                    name: name.unwrap_or(""),
                    ..El::default()
                };
                for a in s.attributes() {
                    let a = a.map_err(|e| bad(pos, &e))?;
                    let key = a.key.local_name();
                    let key = key.as_ref();
                    if let Some(key) = known(key, KEPT_ATTRS) {
                        let v = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|e| bad(pos, &e))?;
                        el.attrs.push((key, v.into_owned()));
                    }
                }
                if empty {
                    stack.last_mut().unwrap().kids.push(Node::El(el));
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if stack.len() <= 1 {
                    return Err(bad(pos, &"多余的结束标记"));
                }
                let mut el = stack.pop().unwrap();
                el.kids.shrink_to_fit();
                stack.last_mut().unwrap().kids.push(Node::El(el));
            }
            Event::Text(ref t) if in_t(&stack, skip) => {
                push_text(stack.last_mut().unwrap(), &t.xml10_content());
            }
            Event::CData(ref t) if in_t(&stack, skip) => {
                push_text(stack.last_mut().unwrap(), &t.xml10_content());
            }
            Event::GeneralRef(ref r) if in_t(&stack, skip) => {
                let ch = match r.resolve_char_ref().map_err(|e| bad(pos, &e))? {
                    Some(c) => c.to_string(),
                    None => match r.as_ref() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "apos" => "'".into(),
                        "quot" => "\"".into(),
                        other => return Err(bad(pos, &format!("未定义的实体 &{other};"))),
                    },
                };
                push_text(stack.last_mut().unwrap(), &ch);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 || skip > 0 {
        return Err(corrupt(format!("{part} 的 XML 不完整（缺少结束标记）")));
    }
    let mut top = stack.pop().unwrap();
    let root = match top.kids.pop() {
        Some(Node::El(e)) => e,
        _ => return Err(corrupt(format!("{part} 中没有 XML 元素"))),
    };
    Ok(Parsed { root, text_boxes })
}

/// Inside a kept `w:t`, where text is collected.
fn in_t(stack: &[El], skip: usize) -> bool {
    skip == 0 && stack.len() > 1 && stack.last().is_some_and(|e| e.name == "t")
}

fn push_text(el: &mut El, s: &str) {
    if let Some(Node::Text(t)) = el.kids.last_mut() {
        t.push_str(s);
    } else {
        el.kids.push(Node::Text(s.to_string()));
    }
}

// ---------------------------------------------------------------------------
// styles.xml

#[derive(Debug, Default, Clone)]
struct Style {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
    vanish: Option<bool>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    /// The default paragraph style (`w:default="1"`).
    default_paragraph: Option<String>,
}

impl Styles {
    fn parse(root: &El) -> Styles {
        let mut by_id = HashMap::new();
        let mut default_paragraph = None;
        for s in root.elements().filter(|e| e.name == "style") {
            let Some(id) = s.attr("styleId") else {
                continue;
            };
            // Word's default paragraph style is `Normal`; Chinese Word and WPS
            // often call it `a` (正文). It is the one marked default.
            if s.attr("type") == Some("paragraph")
                && matches!(s.attr("default"), Some("1" | "true" | "on"))
            {
                default_paragraph = Some(id.to_string());
            }
            let num = s.path(&["pPr", "numPr"]);
            let st = Style {
                based_on: s.child("basedOn").and_then(|b| b.val()).map(str::to_string),
                num_id: num
                    .and_then(|n| n.child("numId"))
                    .and_then(|n| n.val())
                    .map(str::to_string),
                ilvl: num
                    .and_then(|n| n.child("ilvl"))
                    .and_then(|n| n.val())
                    .and_then(|v| v.parse().ok()),
                vanish: s.child("rPr").and_then(|r| r.on("vanish")),
            };
            by_id.insert(id.to_string(), st);
        }
        Styles {
            by_id,
            default_paragraph,
        }
    }

    /// The style and its `basedOn` ancestors, nearest first (cycles cut).
    fn chain(&self, id: Option<&str>) -> Vec<(&str, &Style)> {
        let mut out: Vec<(&str, &Style)> = Vec::new();
        let mut cur = id.map(str::to_string);
        while let Some(c) = cur {
            if out.len() > 32 || out.iter().any(|(i, _)| *i == c) {
                break;
            }
            let Some((k, s)) = self.by_id.get_key_value(&c) else {
                break;
            };
            out.push((k.as_str(), s));
            cur = s.based_on.clone();
        }
        out
    }

    fn vanish(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).iter().find_map(|(_, s)| s.vanish)
    }
}

// ---------------------------------------------------------------------------
// numbering.xml

#[derive(Debug, Clone, PartialEq, Eq)]
enum Suffix {
    Tab,
    Space,
    Nothing,
}

#[derive(Debug, Clone)]
struct Level {
    start: i64,
    fmt: String,
    text: Option<String>,
    restart: Option<usize>,
    legal: bool,
    suffix: Suffix,
    pstyle: Option<String>,
}

impl Level {
    fn parse(l: &El) -> Level {
        let v = |n: &str| l.child(n).and_then(|e| e.val()).map(str::to_string);
        Level {
            start: v("start").and_then(|s| s.parse().ok()).unwrap_or(0),
            fmt: v("numFmt").unwrap_or_else(|| "decimal".into()),
            text: l
                .child("lvlText")
                .map(|e| e.val().unwrap_or("").to_string()),
            restart: v("lvlRestart").and_then(|s| s.parse().ok()),
            legal: l.on("isLgl").unwrap_or(false),
            suffix: match v("suff").as_deref() {
                Some("space") => Suffix::Space,
                Some("nothing") => Suffix::Nothing,
                _ => Suffix::Tab,
            },
            pstyle: v("pStyle"),
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Abstract {
    levels: Vec<Option<Level>>,
    num_style_link: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct Num {
    abstract_id: String,
    /// Level → (startOverride, replacement level).
    overrides: HashMap<usize, (Option<i64>, Option<Level>)>,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
}

impl Numbering {
    fn parse(root: &El) -> Numbering {
        let mut n = Numbering::default();
        for a in root.elements().filter(|e| e.name == "abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut abs = Abstract {
                levels: vec![None; 9],
                num_style_link: a
                    .child("numStyleLink")
                    .and_then(|e| e.val())
                    .map(str::to_string),
            };
            for l in a.elements().filter(|e| e.name == "lvl") {
                if let Some(i) = l.attr("ilvl").and_then(|v| v.parse::<usize>().ok()) {
                    if i < 9 {
                        abs.levels[i] = Some(Level::parse(l));
                    }
                }
            }
            n.abstracts.insert(id.to_string(), abs);
        }
        for num in root.elements().filter(|e| e.name == "num") {
            let (Some(id), Some(aid)) = (
                num.attr("numId"),
                num.child("abstractNumId").and_then(|e| e.val()),
            ) else {
                continue;
            };
            let mut overrides = HashMap::new();
            for o in num.elements().filter(|e| e.name == "lvlOverride") {
                if let Some(i) = o.attr("ilvl").and_then(|v| v.parse::<usize>().ok()) {
                    if i < 9 {
                        let start = o
                            .child("startOverride")
                            .and_then(|e| e.val())
                            .and_then(|v| v.parse().ok());
                        let lvl = o.child("lvl").map(Level::parse);
                        overrides.insert(i, (start, lvl));
                    }
                }
            }
            n.nums.insert(
                id.to_string(),
                Num {
                    abstract_id: aid.to_string(),
                    overrides,
                },
            );
        }
        n
    }
}

/// List counters while walking the document. Counters belong to the abstract
/// list: two `w:num` instances of one `w:abstractNum` continue each other
/// unless one restarts with `w:startOverride`, as Word does.
struct NumberingState<'a> {
    defs: &'a Numbering,
    counters: HashMap<String, [Option<i64>; 9]>,
    started: HashSet<String>,
}

impl<'a> NumberingState<'a> {
    fn new(defs: &'a Numbering) -> Self {
        NumberingState {
            defs,
            counters: HashMap::new(),
            started: HashSet::new(),
        }
    }

    /// The abstract list of a `w:num`, following a `w:numStyleLink` through
    /// the numbering style it names.
    fn abstract_of(&self, num: &Num, styles: &Styles) -> Option<(String, &'a Abstract)> {
        let mut aid = num.abstract_id.clone();
        for _ in 0..4 {
            let abs = self.defs.abstracts.get(&aid)?;
            let Some(link) = &abs.num_style_link else {
                return Some((aid, abs));
            };
            let linked = styles
                .chain(Some(link))
                .iter()
                .find_map(|(_, s)| s.num_id.clone())?;
            aid = self.defs.nums.get(&linked)?.abstract_id.clone();
        }
        None
    }

    fn level(&self, num: &Num, abs: &Abstract, i: usize) -> Option<Level> {
        if let Some((_, Some(l))) = num.overrides.get(&i) {
            return Some(l.clone());
        }
        abs.levels.get(i).cloned().flatten()
    }

    /// Advance the counter of `num_id` at `ilvl` and render the number as
    /// Word shows it, with its suffix. `None` when the paragraph has no
    /// number (unknown list, `numId` 0, no such level).
    fn next(
        &mut self,
        num_id: &str,
        ilvl: Option<usize>,
        style: Option<&str>,
        styles: &Styles,
    ) -> Option<String> {
        let num = self.defs.nums.get(num_id)?;
        let (aid, abs) = self.abstract_of(num, styles)?;
        // A paragraph style linked to a level of this list (w:lvl/w:pStyle).
        let ilvl = ilvl
            .or_else(|| {
                let style = style?;
                (0..9).find(|&i| {
                    self.level(num, abs, i)
                        .is_some_and(|l| l.pstyle.as_deref() == Some(style))
                })
            })
            .unwrap_or(0)
            .min(8);
        let levels: Vec<Option<Level>> = (0..9).map(|i| self.level(num, abs, i)).collect();
        let level = levels[ilvl].clone()?;
        let counters = self.counters.entry(aid).or_insert([None; 9]);
        if self.started.insert(num_id.to_string()) {
            for (&i, (start, lvl)) in &num.overrides {
                let s = start.or_else(|| lvl.as_ref().map(|l| l.start));
                if let Some(s) = s {
                    counters[i] = Some(s.saturating_sub(1));
                }
            }
        }
        counters[ilvl] = Some(counters[ilvl].map_or(level.start, |c| c.saturating_add(1)));
        for (d, slot) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = levels[d].as_ref().and_then(|l| l.restart).unwrap_or(d);
            if restart != 0 && ilvl < restart {
                *slot = None;
            }
        }
        let template = level.text.clone().unwrap_or_default();
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    if (1..=9).contains(&d) {
                        let k = d as usize - 1;
                        let lk = levels[k].as_ref();
                        let value = counters[k].unwrap_or(lk.map_or(1, |l| l.start));
                        let fmt = if level.legal {
                            "decimal"
                        } else {
                            lk.map_or("decimal", |l| l.fmt.as_str())
                        };
                        out.push_str(&format_number(value, fmt));
                    }
                    continue;
                }
            }
            out.push(c);
        }
        if level.fmt == "bullet" {
            out = out.chars().map(bullet_char).collect();
        }
        if out.is_empty() {
            return Some(String::new());
        }
        match level.suffix {
            Suffix::Tab => out.push('\t'),
            Suffix::Space => out.push(' '),
            Suffix::Nothing => {}
        }
        Some(out)
    }
}

/// Symbol-font private-use bullets shown as the characters they draw.
fn bullet_char(c: char) -> char {
    match c as u32 {
        0xF0B7 | 0xF09F | 0xF06C => '●',
        0xF0A7 | 0xF06E => '■',
        0xF0D8 | 0xF0FC => '➢',
        0xE000..=0xF8FF => '•',
        _ => c,
    }
}

/// A counter value in a `w:numFmt` (ECMA-376 §17.18.59). Unknown formats
/// fall back to decimal, as Word does.
pub fn format_number(n: i64, fmt: &str) -> String {
    let u = n.max(0) as u64;
    match fmt {
        "none" => String::new(),
        "decimalZero" => format!("{n:02}"),
        "upperLetter" => letters(u, b'A'),
        "lowerLetter" => letters(u, b'a'),
        "upperRoman" => roman(u),
        "lowerRoman" => roman(u).to_lowercase(),
        "chineseCounting" | "japaneseCounting" | "taiwaneseCounting" => chinese_counting(u, false),
        "chineseCountingThousand" | "taiwaneseCountingThousand" | "koreanCounting" => {
            chinese_counting(u, true)
        }
        "chineseLegalSimplified" => chinese_legal(u),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => u
            .to_string()
            .chars()
            .map(|d| DIGITS[d.to_digit(10).unwrap() as usize])
            .collect(),
        "ideographTraditional" => cyclic(
            u,
            &["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"],
        ),
        "ideographZodiac" => cyclic(
            u,
            &[
                "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
            ],
        ),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&u) => {
            char::from_u32(0x2460 + u as u32 - 1).unwrap().to_string()
        }
        "decimalEnclosedParen" if (1..=20).contains(&u) => {
            char::from_u32(0x2474 + u as u32 - 1).unwrap().to_string()
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&u) => {
            char::from_u32(0x2488 + u as u32 - 1).unwrap().to_string()
        }
        "decimalFullWidth" | "decimalFullWidth2" => u
            .to_string()
            .chars()
            .map(|d| char::from_u32(0xFF10 + d.to_digit(10).unwrap()).unwrap())
            .collect(),
        _ => n.to_string(),
    }
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn letters(n: u64, base: u8) -> String {
    if n == 0 {
        return String::new();
    }
    // Word repeats the letter: 27 → AA, 28 → BB.
    let letter = (base + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(50) as usize;
    std::iter::repeat_n(letter, times).collect()
}

fn roman(mut n: u64) -> String {
    const R: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 || n > 39_999 {
        return n.to_string();
    }
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn cyclic(n: u64, items: &[&str]) -> String {
    if n == 0 {
        return n.to_string();
    }
    items[((n - 1) % items.len() as u64) as usize].to_string()
}

/// 一 … 十, 十一, 二十, 一百零一; with `thousand` the 千 place is written too
/// (Word's two Chinese counting formats differ above 999).
fn chinese_counting(n: u64, thousand: bool) -> String {
    if n == 0 {
        return "〇".into();
    }
    if n >= 10_000 || (!thousand && n >= 1000) {
        return n.to_string();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut s = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            if !s.is_empty() {
                zero = true;
            }
            continue;
        }
        if zero {
            s.push('〇');
            zero = false;
        }
        // 十一 not 一十一 when the number starts at the tens.
        if !(i == 2 && d == 1 && s.is_empty()) {
            s.push(DIGITS[d as usize]);
        }
        s.push_str(units[i]);
    }
    s.replace('〇', "零")
}

fn chinese_legal(n: u64) -> String {
    const D: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    let plain = chinese_counting(n, true);
    let plain = if (10..20).contains(&n) {
        format!("一{plain}")
    } else {
        plain
    };
    plain
        .chars()
        .map(|c| match c {
            '十' => '拾',
            '百' => '佰',
            '千' => '仟',
            _ => DIGITS.iter().position(|&d| d == c).map_or(c, |i| D[i]),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Rendering.

struct Renderer<'a> {
    styles: &'a Styles,
    numbering: NumberingState<'a>,
    view: View,
    /// Open complex fields: `true` once past `separate` (showing the result).
    fields: Vec<bool>,
    /// Text of paragraphs whose mark was deleted, joined to the next one.
    carry: String,
    paragraph: usize,
    table: usize,
    insertions: usize,
    deletions: usize,
    first_change: Option<usize>,
    comments: HashSet<String>,
    first_comment: Option<usize>,
    /// View bytes still allowed.
    budget: usize,
    /// The first limit hit; rendering stops there.
    error: Option<InputError>,
}

impl Renderer<'_> {
    fn change(&mut self, inserted: bool) {
        if inserted {
            self.insertions += 1;
        } else {
            self.deletions += 1;
        }
        self.first_change.get_or_insert(self.view.line_count() + 1);
    }

    /// Body-level blocks (and the blocks of a layout table's cells).
    fn blocks(&mut self, parent: &El) {
        for el in parent.elements() {
            if self.error.is_some() {
                return;
            }
            match el.name {
                "p" => self.body_paragraph(el),
                "tbl" => self.table(el),
                "sdt" => {
                    if let Some(c) = el.child("sdtContent") {
                        self.blocks(c);
                    }
                }
                "customXml" | "smartTag" => self.blocks(el),
                "ins" | "moveTo" => {
                    self.change(true);
                    self.blocks(el);
                }
                "del" | "moveFrom" => self.change(false),
                _ => {}
            }
        }
    }

    fn flush_carry(&mut self) {
        if !self.carry.trim().is_empty() {
            let text = std::mem::take(&mut self.carry);
            self.emit_lines(&text, self.paragraph.max(1));
        }
        self.carry.clear();
    }

    fn emit_lines(&mut self, text: &str, paragraph: usize) {
        if !self.spend(text.len() + 1) {
            return;
        }
        let mut any = false;
        for line in text.split('\n') {
            if line.trim().is_empty() {
                continue;
            }
            any = true;
            self.view.line(line, Origin::DocxParagraph { paragraph });
        }
        if !any {
            self.view.blank();
        }
    }

    fn body_paragraph(&mut self, p: &El) {
        self.paragraph += 1;
        if let Some(text) = self.paragraph_text(p) {
            self.emit_lines(&text, self.paragraph);
        }
    }

    /// A paragraph's text as shown, with its list number; `None` when it is
    /// hidden or its mark is deleted (its text then joins the next one).
    fn paragraph_text(&mut self, p: &El) -> Option<String> {
        let ppr = p.child("pPr");
        let style = ppr
            .and_then(|x| x.child("pStyle"))
            .and_then(|s| s.val())
            .map(str::to_string)
            .or_else(|| self.styles.default_paragraph.clone());
        let mark = ppr.and_then(|x| x.child("rPr"));
        if mark.is_some_and(|m| m.child("ins").is_some() || m.child("moveTo").is_some()) {
            self.change(true);
        }
        let mut text = std::mem::take(&mut self.carry);
        let hidden = self.styles.vanish(style.as_deref()).unwrap_or(false);
        for el in p.elements() {
            self.inline(el, &mut text, hidden);
        }
        if mark.is_some_and(|m| m.child("del").is_some() || m.child("moveFrom").is_some()) {
            self.change(false);
            self.carry = text;
            return None;
        }
        let mark_hidden = mark.and_then(|m| m.on("vanish")).unwrap_or(hidden);
        if mark_hidden && text.trim().is_empty() {
            return None;
        }
        let number = self.paragraph_number(ppr, style.as_deref());
        Some(match number {
            Some(n) => format!("{n}{text}"),
            None => text,
        })
    }

    fn paragraph_number(&mut self, ppr: Option<&El>, style: Option<&str>) -> Option<String> {
        let direct = ppr.and_then(|x| x.child("numPr"));
        let d_num = direct
            .and_then(|n| n.child("numId"))
            .and_then(|n| n.val())
            .map(str::to_string);
        let d_lvl = direct
            .and_then(|n| n.child("ilvl"))
            .and_then(|n| n.val())
            .and_then(|v| v.parse::<usize>().ok());
        let chain = self.styles.chain(style);
        let s_num = chain.iter().find_map(|(_, s)| s.num_id.clone());
        let s_lvl = chain.iter().find_map(|(_, s)| s.ilvl);
        let (num, lvl, via_style) = match d_num {
            Some(n) => (n, d_lvl.or(s_lvl), false),
            None => (s_num?, d_lvl.or(s_lvl), true),
        };
        if num == "0" {
            return None;
        }
        let linked = if via_style { style } else { None };
        self.numbering.next(&num, lvl, linked, self.styles)
    }

    /// Inline content of a paragraph, appended to `out`.
    fn inline(&mut self, el: &El, out: &mut String, hidden: bool) {
        match el.name {
            "r" => self.run(el, out, hidden),
            "hyperlink" | "smartTag" | "customXml" | "dir" | "bdo" | "fldSimple" => {
                for k in el.elements() {
                    self.inline(k, out, hidden);
                }
            }
            "sdt" => {
                if let Some(c) = el.child("sdtContent") {
                    for k in c.elements() {
                        self.inline(k, out, hidden);
                    }
                }
            }
            "ins" | "moveTo" => {
                self.change(true);
                for k in el.elements() {
                    self.inline(k, out, hidden);
                }
            }
            "del" | "moveFrom" => self.change(false),
            "commentRangeStart" => self.comment(el),
            _ => {}
        }
    }

    fn comment(&mut self, el: &El) {
        if let Some(id) = el.attr("id") {
            self.comments.insert(id.to_string());
            self.first_comment.get_or_insert(self.view.line_count() + 1);
        }
    }

    fn visible(&self) -> bool {
        self.fields.iter().all(|&result| result)
    }

    fn run(&mut self, r: &El, out: &mut String, para_hidden: bool) {
        let rpr = r.child("rPr");
        let char_style = rpr.and_then(|x| x.child("rStyle")).and_then(|s| s.val());
        let hidden = rpr
            .and_then(|x| x.on("vanish"))
            .or_else(|| self.styles.vanish(char_style))
            .unwrap_or(para_hidden);
        for k in r.elements() {
            match k.name {
                "fldChar" => match k.attr("fldCharType") {
                    Some("begin") if self.fields.len() < 64 => self.fields.push(false),
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            *f = true;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "commentReference" => self.comment(k),
                _ if hidden || !self.visible() => {}
                "t" => out.push_str(&k.text()),
                "tab" | "ptab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                "noBreakHyphen" => out.push('-'),
                "sym" => {
                    if let Some(c) = k
                        .attr("char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .map(|c| {
                            if (0xF020..=0xF07E).contains(&c) {
                                c - 0xF000
                            } else {
                                c
                            }
                        })
                        .and_then(char::from_u32)
                    {
                        out.push(bullet_char(c));
                    }
                }
                "ruby" => {
                    if let Some(base) = k.child("rubyBase") {
                        for rr in base.elements() {
                            self.inline(rr, out, hidden);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The text of one table cell: its paragraphs on lines of their own,
    /// nested tables folded row by row.
    fn cell_text(&mut self, tc: &El) -> String {
        let mut lines: Vec<String> = Vec::new();
        self.cell_blocks(tc, &mut lines);
        if !self.carry.is_empty() {
            lines.push(std::mem::take(&mut self.carry));
        }
        lines.join("\n")
    }

    fn cell_blocks(&mut self, parent: &El, lines: &mut Vec<String>) {
        for el in parent.elements() {
            if self.error.is_some() {
                return;
            }
            match el.name {
                "p" => {
                    if let Some(t) = self.paragraph_text(el) {
                        lines.push(t);
                    }
                }
                "tbl" => {
                    let grid = self.grid(el);
                    for i in 0..grid.rows.len() {
                        let Some(row) = self.grid_row(&grid, i) else {
                            return;
                        };
                        let mut cells: Vec<String> = Vec::new();
                        for c in row {
                            if cells.last() != Some(&c) && !c.trim().is_empty() {
                                cells.push(c);
                            }
                        }
                        lines.push(cells.join(" "));
                    }
                }
                "sdt" => {
                    if let Some(c) = el.child("sdtContent") {
                        self.cell_blocks(c, lines);
                    }
                }
                "customXml" => self.cell_blocks(el, lines),
                "ins" | "moveTo" => {
                    self.change(true);
                    self.cell_blocks(el, lines);
                }
                "del" | "moveFrom" => self.change(false),
                _ => {}
            }
        }
    }

    fn table(&mut self, tbl: &El) {
        let rows = table_rows(tbl);
        // A frame around content: every row one cell with no grid offsets.
        let layout = !rows.is_empty()
            && rows.iter().all(|r| {
                let cells = row_cells(r);
                cells.len() == 1 && grid_val(r, "gridBefore") == 0 && grid_val(r, "gridAfter") == 0
            });
        if layout {
            for r in rows {
                if is_deleted_row(r) {
                    continue;
                }
                for c in row_cells(r) {
                    self.blocks(c);
                }
            }
            return;
        }
        let grid = self.grid(tbl);
        if grid.rows.is_empty() {
            return;
        }
        self.table += 1;
        self.view.blank();
        for i in 0..grid.rows.len() {
            let Some(row) = self.grid_row(&grid, i) else {
                return;
            };
            // A cell merged across grid columns is one cell (`gridSpan`, `hMerge`).
            self.view.row_merged(
                &row,
                &grid.anchors[i],
                Origin::DocxTable {
                    table: self.table,
                    row: i + 1,
                },
            );
        }
        self.view.blank();
    }

    /// Resolve a table into its slot matrix: for each kept row, one entry
    /// per grid column naming the text shown there, merged cells repeated in
    /// every slot they cover.
    fn grid(&mut self, tbl: &El) -> Grid {
        let grid_cols = tbl
            .child("tblGrid")
            .map(|g| g.elements().filter(|e| e.name == "gridCol").count())
            .unwrap_or(0);
        struct Cell {
            col: usize,
            span: usize,
            text: usize,
            vmerge: Option<bool>, // Some(true) restart, Some(false) continue
            hcontinue: bool,
        }
        let mut g = Grid::default();
        g.texts.push(String::new());
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut width = grid_cols.min(MAX_COLS);
        for r in table_rows(tbl) {
            if let Some(trpr) = r.child("trPr") {
                if trpr.child("del").is_some() {
                    self.change(false);
                    continue;
                }
                if trpr.child("ins").is_some() {
                    self.change(true);
                }
            }
            let mut col = grid_val(r, "gridBefore");
            let mut cells = Vec::new();
            for tc in row_cells(r) {
                let tcpr = tc.child("tcPr");
                let span = tcpr
                    .and_then(|p| p.child("gridSpan"))
                    .and_then(|g| g.val())
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLS);
                let vmerge = tcpr
                    .and_then(|p| p.child("vMerge"))
                    .map(|v| v.val() == Some("restart"));
                let hcontinue = tcpr
                    .and_then(|p| p.child("hMerge"))
                    .is_some_and(|h| h.val() != Some("restart"));
                let text = self.cell_text(tc);
                if col < MAX_COLS {
                    g.texts.push(text);
                    cells.push(Cell {
                        col,
                        span: span.min(MAX_COLS - col),
                        text: g.texts.len() - 1,
                        vmerge,
                        hcontinue,
                    });
                }
                col = col.saturating_add(span);
            }
            let end = col.saturating_add(grid_val(r, "gridAfter"));
            width = width.max(end.min(MAX_COLS));
            rows.push(cells);
        }
        if rows.len().saturating_mul(width) > MAX_SLOTS {
            self.fail(format!(
                "表格有 {} 行 × {width} 列，超过 {MAX_SLOTS} 个单元格的上限",
                rows.len()
            ));
            return Grid::default();
        }
        for cells in rows {
            let mut slots = vec![0usize; width];
            let mut anchors: Vec<usize> = (0..width).collect();
            let mut prev: Option<(usize, usize)> = None;
            for c in cells {
                let range = c.col..(c.col + c.span).min(width);
                if range.is_empty() {
                    continue;
                }
                if c.hcontinue {
                    if let Some((t, anchor)) = prev {
                        slots[range.clone()].fill(t);
                        anchors[range].fill(anchor);
                        continue;
                    }
                }
                anchors[range.clone()].fill(range.start);
                let above = g.rows.last();
                for s in range.clone() {
                    slots[s] = match (c.vmerge, above) {
                        (Some(false), Some(up)) if up[s] != 0 => {
                            if g.texts[c.text].trim().is_empty() {
                                up[s]
                            } else {
                                let joined = format!("{}\n{}", g.texts[up[s]], g.texts[c.text]);
                                g.texts.push(joined);
                                g.texts.len() - 1
                            }
                        }
                        _ => c.text,
                    };
                }
                prev = Some((slots[range.start], range.start));
            }
            g.rows.push(slots);
            g.anchors.push(anchors);
        }
        g
    }

    /// The texts of one grid row, counted against the view's size budget.
    fn grid_row(&mut self, g: &Grid, i: usize) -> Option<Vec<String>> {
        let row = &g.rows[i];
        let bytes: usize = row.iter().map(|&t| g.texts[t].len() + 3).sum();
        if !self.spend(bytes) {
            return None;
        }
        Some(row.iter().map(|&t| g.texts[t].clone()).collect())
    }

    /// Count `n` bytes of view text; false (and an error) past the budget.
    fn spend(&mut self, n: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        if n > self.budget {
            self.fail(format!(
                "展开后的文字超过 {MAX_PART_BYTES} 字节（合并单元格重复过多），文档结构异常"
            ));
            return false;
        }
        self.budget -= n;
        true
    }

    fn fail(&mut self, cause: String) {
        if self.error.is_none() {
            self.error = Some(corrupt(cause));
        }
    }
}

/// A table's slot matrix: `rows[r][c]` indexes `texts` (0 is empty).
#[derive(Default)]
struct Grid {
    texts: Vec<String>,
    rows: Vec<Vec<usize>>,
    /// `anchors[r][c]`: the first grid column of the cell covering column `c`.
    anchors: Vec<Vec<usize>>,
}

/// Rows of a table, looking through content controls and custom XML.
fn table_rows(tbl: &El) -> Vec<&El> {
    let mut out = Vec::new();
    collect(tbl, "tr", &mut out);
    out
}

/// Cells of a row, looking through content controls and custom XML.
fn row_cells(tr: &El) -> Vec<&El> {
    let mut out = Vec::new();
    collect(tr, "tc", &mut out);
    out
}

fn collect<'e>(parent: &'e El, name: &str, out: &mut Vec<&'e El>) {
    for el in parent.elements() {
        if el.name == name {
            out.push(el);
        } else if el.name == "sdt" {
            if let Some(c) = el.child("sdtContent") {
                collect(c, name, out);
            }
        } else if el.name == "customXml" {
            collect(el, name, out);
        }
    }
}

fn is_deleted_row(tr: &El) -> bool {
    tr.path(&["trPr", "del"]).is_some()
}

fn grid_val(tr: &El, name: &str) -> usize {
    tr.path(&["trPr", name])
        .and_then(|g| g.val())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_COLS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        let f = |n, fmt| format_number(n, fmt);
        assert_eq!(f(3, "decimal"), "3");
        assert_eq!(f(3, "chineseCounting"), "三");
        assert_eq!(f(10, "chineseCounting"), "十");
        assert_eq!(f(11, "chineseCounting"), "十一");
        assert_eq!(f(20, "chineseCounting"), "二十");
        assert_eq!(f(101, "chineseCountingThousand"), "一百零一");
        assert_eq!(f(1010, "chineseCountingThousand"), "一千零一十");
        assert_eq!(f(2, "ideographTraditional"), "乙");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(4, "lowerRoman"), "iv");
        assert_eq!(f(3, "decimalEnclosedCircle"), "③");
        assert_eq!(f(12, "chineseLegalSimplified"), "壹拾贰");
        assert_eq!(f(7, "decimalZero"), "07");
        assert_eq!(f(5, "somethingNew"), "5");
    }

    #[test]
    fn encrypted_ole_is_recognised() {
        let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        ole.extend(vec![0u8; 100]);
        assert!(!is_encrypted_ole(&ole));
        ole.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert!(is_encrypted_ole(&ole));
    }
}

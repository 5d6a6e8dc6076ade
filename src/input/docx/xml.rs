//! A small element tree of the WordprocessingML parts: only the elements
//! and attributes the reader uses are kept, with limits on size and depth.

use super::corrupt;
use crate::input::InputError;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The most XML elements kept from one part.
const MAX_NODES: usize = 500_000;
/// The deepest element nesting accepted in a part.
const MAX_DEPTH: usize = 400;

const W_MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";

#[derive(Debug, Default)]
pub(super) struct El {
    /// Local name of an element in the WordprocessingML namespace (one of
    /// [`KNOWN`]; empty for the root of a part in another namespace).
    pub(super) name: &'static str,
    /// The attributes the reader uses, by local name.
    pub(super) attrs: Vec<(&'static str, String)>,
    pub(super) kids: Vec<Node>,
    /// Where the element is in the part's text (bytes).
    pub(super) at: XmlSpan,
}

/// Byte offsets of an element in its part: `start..open_end` is the start
/// tag, `close_start..end` the end tag (all four equal to the tag's bounds
/// for an empty element `<w:p/>`, where `open_end == end`). The comment
/// writer inserts its anchors at these places.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct XmlSpan {
    pub start: usize,
    pub open_end: usize,
    pub close_start: usize,
    pub end: usize,
}

#[derive(Debug)]
pub(super) enum Node {
    El(El),
    Text(String),
}

impl El {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn val(&self) -> Option<&str> {
        self.attr("val")
    }

    pub(super) fn elements(&self) -> impl Iterator<Item = &El> {
        self.kids.iter().filter_map(|k| match k {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub(super) fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    pub(super) fn path(&self, names: &[&str]) -> Option<&El> {
        let mut at = self;
        for n in names {
            at = at.child(n)?;
        }
        Some(at)
    }

    /// An on/off property (`w:vanish`, `w:isLgl`): present and not false.
    pub(super) fn on(&self, name: &str) -> Option<bool> {
        self.child(name)
            .map(|e| !matches!(e.val(), Some("0" | "false" | "off")))
    }

    pub(super) fn text(&self) -> String {
        let mut s = String::new();
        for k in &self.kids {
            if let Node::Text(t) = k {
                s.push_str(t);
            }
        }
        s
    }
}

pub(super) struct Parsed {
    pub(super) root: El,
    /// Text boxes or shapes with text were skipped.
    pub(super) text_boxes: bool,
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

pub(super) fn parse_xml(part: &str, xml: &str) -> Result<Parsed, InputError> {
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
                let after = reader.buffer_position() as usize;
                let mut el = El {
                    name: name.unwrap_or(""),
                    at: XmlSpan {
                        start: pos as usize,
                        open_end: after,
                        close_start: after,
                        end: after,
                    },
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
                el.at.close_start = pos as usize;
                el.at.end = reader.buffer_position() as usize;
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

//! HTML reader: a whole page or a fragment → the text view.
//!
//! 1. The page is parsed by html5ever (through `scraper`), which repairs
//!    whatever a browser would repair; it never fails.
//! 2. Site chrome is left out: `nav`, `footer`, `aside`, scripts, forms'
//!    controls, hidden elements, and elements whose class or id names
//!    navigation, breadcrumbs, share buttons, related links or copyright.
//! 3. Everything else is rendered into items: blocks (headings, paragraphs,
//!    list items, one per line; `<br>` starts a new line) and data tables
//!    (formed by the HTML Standard's table algorithm, see [`form_table`]).
//!    A table that holds another table is a layout table: its cells are
//!    rendered as blocks.
//! 4. The report is the smallest element holding every *signal*: the part
//!    headings (`一、总体情况` …) and the statistics tables. Items outside it
//!    are dropped, except the report's title (and the short lines between
//!    it and the report, such as the publication date) when the title sits
//!    outside. A page without signals is not a report ([`InputError::NoReport`]).
//!
//! Lines of the view carry [`Origin::HtmlBlock`] (blocks counted in view
//! order) or [`Origin::HtmlTable`] (tables counted among all `<table>`
//! elements of the document in document order, rows of the table's grid).

use super::view::{one_line, Origin, View};
use super::InputError;
use crate::model::schema::is_title_text;
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node};
use std::collections::HashMap;

/// Colspan is clamped to 1..=1000 and rowspan to 0..=65534 as the HTML
/// Standard says.
const MAX_COLSPAN: usize = 1000;
const MAX_ROWSPAN: usize = 65534;
/// A table's grid is cut at this many slots (rows × columns); the rest of
/// its rows are dropped with a notice. Keeps hostile input bounded.
const MAX_SLOTS: usize = 2_000_000;
/// The rendered tables of one page stop growing past this many bytes of
/// cell text (merged cells repeat their text in every slot they cover).
const MAX_TABLE_TEXT: usize = 64 * 1024 * 1024;
/// Chrome candidates larger than this (in nodes) are not chrome.
const CHROME_MAX_NODES: usize = 4000;
const CHROME_MAX_CHARS: usize = 3000;

/// Does the content look like HTML? Looks at the first 1024 bytes (after a
/// BOM and whitespace): an opening `<!DOCTYPE html`, `<html`, `<head`,
/// `<body`, `<meta`, `<table`, `<p`, `<div`, … or a comment; or, anywhere in
/// those bytes, at least two of `<html`, `<!doctype html`, `<table`, `<tr`,
/// `<td`, `<p>`/`<p `, `<div`.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let start = lower
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(lower.len());
    let rest = &lower[start..];
    if rest.starts_with(b"<!--") || rest.starts_with(b"<!doctype html") {
        return true;
    }
    const OPENERS: &[&str] = &[
        "html", "head", "body", "meta", "title", "table", "p", "div", "span", "h1", "h2", "h3",
        "h4", "h5", "h6", "section", "article", "center", "font", "style", "link", "pre", "ul",
        "ol", "strong", "b",
    ];
    if let Some(after) = rest.strip_prefix(b"<") {
        for tag in OPENERS {
            if let Some(next) = after.strip_prefix(tag.as_bytes()) {
                if next
                    .first()
                    .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
                {
                    return true;
                }
            }
        }
    }
    const TAGS: &[&[u8]] = &[
        b"<html",
        b"<!doctype html",
        b"<table",
        b"<tr",
        b"<td",
        b"<p>",
        b"<p ",
        b"<div",
    ];
    let count: usize = TAGS
        .iter()
        .map(|t| lower.windows(t.len()).filter(|w| w == t).count())
        .sum();
    count >= 2
}

/// An estimate of the page's element nesting, from its tags alone: opening
/// tags of elements that nest (not void elements, not those a new sibling
/// closes implicitly such as `p`, `li`, `td`, `tr`) minus their closing tags.
/// Comments and the insides of `script`, `style`, `svg` and `math` are
/// skipped. html5ever's
/// tree building costs time proportional to depth × tags, so a page of
/// twenty thousand unclosed `<div>`s would take minutes; real pages stay far
/// below [`MAX_DEPTH`].
pub fn nesting_depth(b: &[u8]) -> usize {
    const FLAT: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"param",
        b"source",
        b"track",
        b"wbr",
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"td",
        b"th",
        b"tr",
        b"option",
        b"thead",
        b"tbody",
        b"tfoot",
        b"colgroup",
        b"caption",
        b"rb",
        b"rt",
        b"rp",
        b"optgroup",
        b"html",
        b"head",
        b"body",
    ];
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'<') {
        i += p + 1;
        if b[i..].starts_with(b"!--") {
            match b[i..].windows(3).position(|w| w == b"-->") {
                Some(e) => i += e + 3,
                None => break,
            }
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b':' || *c == b'-'))
            .map_or(b.len(), |e| start + e);
        if end == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = b[start..end].to_ascii_lowercase();
        if !closing && matches!(name.as_slice(), b"script" | b"style" | b"svg" | b"math") {
            // Their insides are not HTML elements (and `<path/>` in SVG does
            // close itself): skip to the end tag.
            let close: Vec<u8> = [b"</".as_slice(), &name].concat();
            let close = close.as_slice();
            match b[end..]
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close))
            {
                Some(e) => i = end + e + close.len(),
                None => break,
            }
            continue;
        }
        if FLAT.contains(&name.as_slice()) {
            continue;
        }
        // `<div/>` opens a div all the same: HTML has no self-closing tags.
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
        i = end;
    }
    max
}

/// One rendered piece of the page.
enum Item {
    Block {
        text: String,
        node: NodeId,
    },
    Table {
        number: usize,
        rows: Vec<GridRow>,
        node: NodeId,
    },
}

impl Item {
    fn node(&self) -> NodeId {
        match self {
            Item::Block { node, .. } | Item::Table { node, .. } => *node,
        }
    }
}

/// Pages nested deeper than this are refused before parsing.
pub const MAX_DEPTH: usize = 4096;

/// Read an HTML page or fragment into the text view.
pub fn read(text: &str) -> Result<View, InputError> {
    if nesting_depth(text.as_bytes()) > MAX_DEPTH {
        return Err(InputError::HtmlTooDeep(MAX_DEPTH));
    }
    let doc = Html::parse_document(text);
    let root = doc.tree.root();
    let mut r = Renderer::default();
    r.render(root);
    let items = std::mem::take(&mut r.items);
    let mut view = View::new();
    for n in r.notices.drain(..) {
        view.notice("html-table-truncated", n, None);
    }

    // The signals and the smallest element holding all of them.
    let signals: Vec<NodeId> = items
        .iter()
        .filter(|it| is_signal(it))
        .map(|it| it.node())
        .collect();
    if signals.is_empty() {
        return Err(InputError::NoReport);
    }
    let mut container = signals[0];
    for &s in &signals[1..] {
        while !r.contains(container, s) {
            match doc.tree.get(container).and_then(|n| n.parent()) {
                Some(p) => container = p.id(),
                None => break,
            }
        }
    }
    // A lone heading or table is not the report: take its parent.
    if signals.len() == 1 {
        if let Some(p) = doc.tree.get(container).and_then(|n| n.parent()) {
            container = p.id();
        }
    }

    let inside: Vec<bool> = items
        .iter()
        .map(|it| r.contains(container, it.node()))
        .collect();
    let first_inside = inside.iter().position(|&b| b).unwrap_or(0);
    let mut keep = inside.clone();
    let has_title = items[first_inside..]
        .iter()
        .zip(&inside[first_inside..])
        .take_while(|(it, _)| !is_signal(it))
        .any(|(it, &ins)| ins && matches!(it, Item::Block { text, .. } if is_title_text(text)));
    if !has_title {
        // The closest title before the report, and the short lines after it.
        // Before that, the page's own heading (`<h1>`, a title `div`): the
        // closest title before the report, and the short lines after it.
        let title = (0..first_inside)
            .rev()
            .find(|&i| matches!(&items[i], Item::Block { text, .. } if is_title_text(text)));
        match title {
            Some(t) => {
                let between = first_inside - t - 1;
                keep[t] = true;
                if between <= 6 {
                    for i in t + 1..first_inside {
                        if let Item::Block { text, .. } = &items[i] {
                            keep[i] = text.chars().count() <= 80;
                        }
                    }
                }
            }
            None => {
                // Else the page's metadata: `<meta name="ArticleTitle">`, `<title>`.
                if let Some(t) = page_title(&doc) {
                    view.line(&t, Origin::HtmlBlock { block: 0 });
                    view.blank();
                }
            }
        }
    }

    let mut block = 0;
    for ((item, _), &ins) in items
        .iter()
        .zip(&keep)
        .zip(&inside)
        .filter(|((_, &k), _)| k)
    {
        match item {
            Item::Block { text, .. } => {
                // Page furniture between an outside title and the report is
                // dropped; inside the article it was pasted into the report
                // (`web-residue` finds it).
                if !ins && is_chrome_line(text) {
                    continue;
                }
                block += 1;
                view.line(text, Origin::HtmlBlock { block });
                view.blank();
            }
            Item::Table { number, rows, .. } => {
                view.blank();
                for r in rows {
                    view.row_merged(
                        &r.texts,
                        &r.anchors,
                        Origin::HtmlTable {
                            table: *number,
                            row: r.row,
                        },
                    );
                }
                view.blank();
            }
        }
    }
    // A title taken from <title> was numbered 0; it is block 1 of the view
    // and the others follow.
    if let Some(Some(first)) = view.origins.first_mut() {
        if first.origin == (Origin::HtmlBlock { block: 0 }) {
            for lo in view.origins.iter_mut().flatten() {
                if let Origin::HtmlBlock { block } = &mut lo.origin {
                    *block += 1;
                }
            }
        }
    }
    Ok(view)
}

/// A part heading of the report or one of its statistics tables.
fn is_signal(item: &Item) -> bool {
    match item {
        Item::Block { text, .. } => is_part_heading(text),
        Item::Table { rows, .. } => rows.iter().any(|r| {
            r.texts.iter().any(|c| {
                [
                    "本年新收",
                    "信息内容",
                    "行政复议",
                    "行政诉讼",
                    "第二十条",
                    "政府信息公开申请",
                ]
                .iter()
                .any(|k| c.contains(k))
            })
        }),
    }
}

/// A part heading (`一、总体情况` …) on a line of its own, as the parser
/// recognises it (`parse::sections`).
fn is_part_heading(text: &str) -> bool {
    let t = text.trim();
    crate::model::heading::parse_heading(t, 0)
        .is_some_and(|h| crate::model::heading::top_level_part(&h, true).is_some())
}

/// Short lines of page furniture that slip through outside marked-up chrome
/// (between a title outside the article and the article).
fn is_chrome_line(text: &str) -> bool {
    text.chars().count() <= 40
        && [
            "分享到",
            "【打印",
            "打印本页",
            "【关闭",
            "关闭窗口",
            "【字体",
            "字号：",
            "上一篇",
            "下一篇",
            "扫一扫",
            "相关链接",
            "相关文章",
        ]
        .iter()
        .any(|k| text.trim_start().starts_with(k))
}

/// The report's title from the page's metadata: `<meta name="ArticleTitle">`
/// (the CMS field most government sites fill), else `<title>` cut at the
/// site name (`… - 某某政府网`).
fn page_title(doc: &Html) -> Option<String> {
    let elements = || doc.tree.root().descendants().filter_map(ElementRef::wrap);
    let meta = elements()
        .filter(|e| e.value().name() == "meta")
        .filter(|e| {
            e.value()
                .attr("name")
                .is_some_and(|n| n.eq_ignore_ascii_case("ArticleTitle"))
        })
        .filter_map(|e| e.value().attr("content"))
        .map(collapse);
    let title = elements()
        .filter(|e| e.value().name() == "title")
        .map(|e| collapse(&e.text().collect::<String>()));
    meta.chain(title).find_map(|text| {
        text.split(['_', '|', '-', '—'])
            .map(str::trim)
            .find(|p| is_title_text(p))
            .map(str::to_string)
    })
}

#[derive(Default)]
struct Renderer {
    items: Vec<Item>,
    notices: Vec<String>,
    /// Pre-order entry and exit counters of every element, for containment.
    range: HashMap<NodeId, (usize, usize)>,
    tables: usize,
    /// Bytes of table text rendered so far.
    table_text: usize,
}

const SKIP: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
    "canvas", "math", "select", "option", "button", "input", "textarea", "audio", "video", "map",
    "nav", "footer", "aside", "title", "meta", "link",
];

const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
    "body",
    "html",
    "caption",
    // Cells and rows of layout tables.
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
];

impl Renderer {
    fn contains(&self, outer: NodeId, inner: NodeId) -> bool {
        match (self.range.get(&outer), self.range.get(&inner)) {
            (Some(&(a, b)), Some(&(c, d))) => a <= c && d <= b,
            _ => false,
        }
    }

    fn render(&mut self, root: NodeRef<'_, Node>) {
        let mut counter = 0usize;
        let mut skip: Option<NodeId> = None;
        let mut blocks: Vec<NodeId> = vec![root.id()];
        let mut buf = String::new();
        let mut pre = 0usize;
        // Which tables hold another table (layout tables), found first.
        let layout = layout_tables(root);
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    counter += 1;
                    if let Some(el) = ElementRef::wrap(node) {
                        self.range.insert(node.id(), (counter, usize::MAX));
                        let name = el.value().name();
                        if name == "table" {
                            self.tables += 1;
                        }
                        if skip.is_some() {
                            continue;
                        }
                        if is_chrome(el) {
                            if BLOCK.contains(&name) || SKIP.contains(&name) {
                                self.flush(&mut buf, &blocks);
                            }
                            skip = Some(node.id());
                            continue;
                        }
                        if name == "table" && !layout.contains(&node.id()) {
                            self.flush(&mut buf, &blocks);
                            let number = self.tables;
                            let before = (self.notices.len(), self.table_text);
                            let (caption, rows) =
                                form_table(el, &mut self.notices, &mut self.table_text);
                            if is_layout_grid(&rows) {
                                // Page layout, not data: read its cells as blocks.
                                self.notices.truncate(before.0);
                                self.table_text = before.1;
                                blocks.push(node.id());
                                continue;
                            }
                            if !caption.is_empty() {
                                self.items.push(Item::Block {
                                    text: caption,
                                    node: node.id(),
                                });
                            }
                            if !rows.is_empty() {
                                self.items.push(Item::Table {
                                    number,
                                    rows,
                                    node: node.id(),
                                });
                            }
                            skip = Some(node.id());
                            continue;
                        }
                        if name == "br" {
                            self.flush(&mut buf, &blocks);
                        } else if BLOCK.contains(&name) {
                            self.flush(&mut buf, &blocks);
                            blocks.push(node.id());
                            if name == "pre" {
                                pre += 1;
                            }
                        }
                    } else if let Node::Text(t) = node.value() {
                        if skip.is_some() {
                            continue;
                        }
                        if pre > 0 {
                            let mut lines = t.split('\n');
                            if let Some(first) = lines.next() {
                                buf.push_str(first);
                            }
                            for l in lines {
                                self.flush(&mut buf, &blocks);
                                buf.push_str(l);
                            }
                        } else {
                            buf.push_str(&t.text);
                        }
                    }
                }
                Edge::Close(node) => {
                    counter += 1;
                    if let Some(r) = self.range.get_mut(&node.id()) {
                        r.1 = counter;
                    }
                    if skip == Some(node.id()) {
                        skip = None;
                        continue;
                    }
                    if skip.is_some() {
                        continue;
                    }
                    if let Some(el) = ElementRef::wrap(node) {
                        if BLOCK.contains(&el.value().name()) {
                            self.flush(&mut buf, &blocks);
                            if blocks.last() == Some(&node.id()) {
                                blocks.pop();
                            }
                            if el.value().name() == "pre" {
                                pre = pre.saturating_sub(1);
                            }
                        }
                    }
                }
            }
        }
        self.flush(&mut buf, &blocks);
    }

    fn flush(&mut self, buf: &mut String, blocks: &[NodeId]) {
        let text = collapse(buf);
        buf.clear();
        if !text.is_empty() {
            self.items.push(Item::Block {
                text,
                node: *blocks.last().expect("the root is always there"),
            });
        }
    }
}

/// A table without nested tables that still is page layout: a cell holds a
/// paragraph's worth of text (a statistics table's longest label, 表三's
/// note on its identities, has under 40 characters).
fn is_layout_grid(rows: &[GridRow]) -> bool {
    rows.iter().any(|r| {
        r.texts
            .iter()
            .any(|t| t.chars().count() > LAYOUT_CELL_CHARS)
    })
}

/// See [`is_layout_grid`].
const LAYOUT_CELL_CHARS: usize = 300;

/// Tables that hold another table, in one pass.
fn layout_tables(root: NodeRef<'_, Node>) -> std::collections::HashSet<NodeId> {
    let mut open: Vec<NodeId> = Vec::new();
    let mut layout = std::collections::HashSet::new();
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) if is_tag(n, "table") => {
                if let Some(&outer) = open.last() {
                    layout.insert(outer);
                }
                open.push(n.id());
            }
            Edge::Close(n) if is_tag(n, "table") => {
                open.pop();
            }
            _ => {}
        }
    }
    layout
}

fn is_tag(n: NodeRef<'_, Node>, tag: &str) -> bool {
    matches!(n.value(), Node::Element(e) if e.name() == tag)
}

/// Site chrome: skipped elements, hidden ones, and navigation, breadcrumbs,
/// share buttons, related links and copyright marked by class or id — unless
/// the element is large or holds a table (then it is the page's content
/// wrongly named, not chrome).
fn is_chrome(el: ElementRef<'_>) -> bool {
    let v = el.value();
    let name = v.name();
    if SKIP.contains(&name) {
        return true;
    }
    if v.attr("hidden").is_some()
        || v.attr("aria-hidden") == Some("true")
        || v.attr("style").is_some_and(|s| {
            s.replace(' ', "")
                .to_ascii_lowercase()
                .contains("display:none")
        })
    {
        return true;
    }
    if matches!(
        v.attr("role"),
        Some("navigation" | "contentinfo" | "banner" | "search" | "complementary")
    ) {
        return small(el);
    }
    let mut named = false;
    for token in v
        .attr("class")
        .unwrap_or("")
        .split_ascii_whitespace()
        .chain(v.attr("id"))
    {
        let t = token.to_ascii_lowercase();
        const ANYWHERE: &[&str] = &[
            "share",
            "breadcrumb",
            "crumb",
            "jiathis",
            "fenxiang",
            "copyright",
            "sidebar",
            "navbar",
            "footer",
            "related",
            "xgxx",
            "xglj",
            "xgwz",
            "toolbar",
        ];
        const WORD: &[&str] = &[
            "nav",
            "menu",
            "foot",
            "pager",
            "pagination",
            "comment",
            "dqwz",
        ];
        if ANYWHERE.iter().any(|k| t.contains(k))
            || WORD.iter().any(|k| {
                t == *k
                    || t.strip_prefix(k).is_some_and(|r| {
                        r.starts_with(['-', '_']) || r.chars().all(|c| c.is_ascii_digit())
                    })
                    || t.strip_suffix(k).is_some_and(|r| r.ends_with(['-', '_']))
            })
        {
            named = true;
            break;
        }
    }
    named && small(el)
}

/// Few nodes, little text and no table.
fn small(el: ElementRef<'_>) -> bool {
    let mut nodes = 0;
    let mut chars = 0;
    for n in el.descendants() {
        nodes += 1;
        if nodes > CHROME_MAX_NODES {
            return false;
        }
        match n.value() {
            Node::Element(e) if e.name() == "table" => return false,
            Node::Text(t) => {
                chars += t.chars().count();
                if chars > CHROME_MAX_CHARS {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// A cell while the table is formed.
struct Cell {
    text: String,
    /// Its first grid column.
    x: usize,
}

/// A row of a table's grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GridRow {
    /// 1-based row of the grid.
    pub row: usize,
    /// One text per grid column; a merged cell's text in every slot it covers.
    pub texts: Vec<String>,
    /// For each column, the first column of the cell covering it (itself
    /// when the slot is empty or the cell starts there).
    pub anchors: Vec<usize>,
}

/// The HTML Standard's algorithm for forming a table, over the table's own
/// row groups (`thead`, `tbody`, `tfoot`, and `tr` children directly under
/// the table), returning its caption and its grid rows as (1-based grid row,
/// one text per grid column). A merged cell's text is repeated in every slot
/// it covers. Departures from the standard, both what browsers do: a
/// rowspan is cut at the end of its row group (so the grid has no rows that
/// no `tr` made), and `tfoot` groups come last. Rows whose slots are all
/// empty are left out, but keep their numbers.
pub(crate) fn form_table(
    table: ElementRef<'_>,
    notices: &mut Vec<String>,
    rendered: &mut usize,
) -> (String, Vec<GridRow>) {
    let mut caption = String::new();
    let mut groups: Vec<Vec<ElementRef<'_>>> = Vec::new();
    let mut feet: Vec<Vec<ElementRef<'_>>> = Vec::new();
    let mut loose: Vec<ElementRef<'_>> = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "caption" if caption.is_empty() => caption = cell_text(child),
            "tr" => loose.push(child),
            name @ ("thead" | "tbody" | "tfoot") => {
                if !loose.is_empty() {
                    groups.push(std::mem::take(&mut loose));
                }
                let rows: Vec<_> = child
                    .child_elements()
                    .filter(|e| e.value().name() == "tr")
                    .collect();
                if name == "tfoot" {
                    feet.push(rows);
                } else {
                    groups.push(rows);
                }
            }
            _ => {}
        }
    }
    if !loose.is_empty() {
        groups.push(loose);
    }
    groups.extend(feet);

    let mut cells: Vec<Cell> = Vec::new();
    // slots[y][x] = index into `cells`.
    let mut slots: Vec<Vec<Option<usize>>> = Vec::new();
    let mut width = 0usize;
    let mut truncated = false;
    'groups: for rows in groups {
        let ystart = slots.len();
        let n = rows.len();
        slots.resize_with(ystart + n, Vec::new);
        for (k, tr) in rows.into_iter().enumerate() {
            let y = ystart + k;
            let mut x = 0usize;
            for td in tr
                .child_elements()
                .filter(|e| matches!(e.value().name(), "td" | "th"))
            {
                while slots[y].get(x).is_some_and(|s| s.is_some()) {
                    x += 1;
                }
                let colspan = match parse_span(td.value().attr("colspan")) {
                    Some(0) | None => 1,
                    Some(c) => c.min(MAX_COLSPAN),
                };
                let rowspan = match parse_span(td.value().attr("rowspan")) {
                    None => 1,
                    Some(r) => r.min(MAX_ROWSPAN),
                };
                // 0 grows to the end of the row group; every span stops there.
                let rowspan = if rowspan == 0 {
                    n - k
                } else {
                    rowspan.min(n - k)
                };
                if (x + colspan).max(width) * slots.len() > MAX_SLOTS {
                    truncated = true;
                    slots.truncate(y);
                    break 'groups;
                }
                width = width.max(x + colspan);
                let idx = cells.len();
                cells.push(Cell {
                    text: cell_text(td),
                    x,
                });
                for row in slots.iter_mut().skip(y).take(rowspan) {
                    if row.len() < x + colspan {
                        row.resize(x + colspan, None);
                    }
                    for slot in &mut row[x..x + colspan] {
                        // Overlapping cells are a table model error; the
                        // first cell keeps the slot.
                        if slot.is_none() {
                            *slot = Some(idx);
                        }
                    }
                }
                x += colspan;
            }
        }
    }
    if truncated {
        notices.push(format!(
            "表格过大（超过 {MAX_SLOTS} 个单元格位置），只读取了前 {} 行",
            slots.len()
        ));
    }
    let mut rows = Vec::new();
    for (y, row) in slots.iter().enumerate() {
        let cell = |x: usize| row.get(x).copied().flatten().map(|i| &cells[i]);
        let size: usize = (0..width)
            .map(|x| cell(x).map_or(0, |c| c.text.len()))
            .sum();
        if *rendered + size > MAX_TABLE_TEXT {
            notices.push(format!(
                "表格文字过多（合并单元格重复后超过 {MAX_TABLE_TEXT} 字节），第 {} 行起未读取",
                y + 1
            ));
            break;
        }
        *rendered += size;
        let texts: Vec<String> = (0..width)
            .map(|x| cell(x).map(|c| c.text.clone()).unwrap_or_default())
            .collect();
        if texts.iter().all(|t| t.is_empty()) {
            continue;
        }
        let anchors = (0..width).map(|x| cell(x).map_or(x, |c| c.x)).collect();
        rows.push(GridRow {
            row: y + 1,
            texts,
            anchors,
        });
    }
    (caption, rows)
}

/// The standard's "rules for parsing non-negative integers" (leading
/// whitespace, digits, anything after ignored); `None` when there are no
/// digits. Huge values saturate.
fn parse_span(v: Option<&str>) -> Option<usize> {
    let v = v?.trim_start_matches([' ', '\t', '\n', '\x0c', '\r']);
    let v = v.strip_prefix('+').unwrap_or(v);
    let digits: &str = &v[..v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len())];
    if digits.is_empty() {
        return None;
    }
    Some(digits.parse::<usize>().unwrap_or(usize::MAX))
}

/// A cell's text: its text nodes in order, a line break at `<br>` and at
/// block elements (Word's `<p class=MsoNormal>`), hidden parts and scripts
/// left out, then whitespace collapsed (see [`collapse`]).
fn cell_text(cell: ElementRef<'_>) -> String {
    let mut out = String::new();
    let mut skip: Option<NodeId> = None;
    for edge in cell.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) => out.push_str(&t.text),
                    Node::Element(e) => {
                        let name = e.name();
                        if n.id() != cell.id() && ElementRef::wrap(n).is_some_and(is_chrome) {
                            skip = Some(n.id());
                        } else if name == "br" || BLOCK.contains(&name) {
                            out.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                } else if skip.is_none() && is_block_node(n) {
                    out.push('\n');
                }
            }
        }
    }
    collapse(&out)
}

fn is_block_node(n: NodeRef<'_, Node>) -> bool {
    matches!(n.value(), Node::Element(e) if BLOCK.contains(&e.name()))
}

/// Collapse whitespace the way a reader sees the text: trimmed, and each run
/// inside becomes one space — except that a run holding a line break (a
/// source line wrap, `<br>`, a block boundary) next to a CJK character
/// vanishes, so `本年新<br>制作数量` reads `本年新制作数量`. `&nbsp;` is
/// whitespace.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = false;
    let mut newline = false;
    for ch in s.chars() {
        if ch.is_whitespace() || ch == '\u{a0}' {
            run = true;
            newline |= ch == '\n' || ch == '\r';
            continue;
        }
        if run && !out.is_empty() {
            let prev = out.chars().next_back().unwrap_or(' ');
            if !(newline && (is_cjk(prev) || is_cjk(ch))) {
                out.push(' ');
            }
        }
        run = false;
        newline = false;
        out.push(ch);
    }
    // `one_line` is the view's own folding; the result already satisfies it.
    debug_assert_eq!(one_line(&out), out);
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3001..=0x303F | 0x3040..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF | 0x2018..=0x201F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(html: &str) -> Vec<GridRow> {
        let doc = Html::parse_fragment(html);
        let t = doc
            .tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "table")
            .unwrap();
        form_table(t, &mut Vec::new(), &mut 0).1
    }

    fn strs(rows: &[GridRow]) -> Vec<String> {
        rows.iter()
            .map(|r| format!("{}:{}", r.row, r.texts.join("|")))
            .collect()
    }

    #[test]
    fn spans_fill_every_slot() {
        let g = grid(
            "<table><tr><td rowspan=2 colspan=2>a</td><td>b</td></tr>\
             <tr><td>c</td></tr><tr><td>d</td><td colspan=0>e</td><td>f</td></tr></table>",
        );
        assert_eq!(strs(&g), ["1:a|a|b", "2:a|a|c", "3:d|e|f"]);
    }

    #[test]
    fn rowspan_zero_and_overlong_stop_at_the_row_group() {
        let g = grid(
            "<table><thead><tr><th rowspan=0>h</th><th>x</th></tr><tr><th>y</th></tr></thead>\
             <tbody><tr><td rowspan=99>a</td><td>1</td></tr><tr><td>2</td></tr></tbody>\
             <tfoot><tr><td>f</td><td>g</td></tr></tfoot><tbody><tr><td>z</td></tr></tbody></table>",
        );
        assert_eq!(
            strs(&g),
            ["1:h|x", "2:h|y", "3:a|1", "4:a|2", "5:z|", "6:f|g"]
        );
    }

    #[test]
    fn huge_spans_are_clamped_and_bad_ones_are_one() {
        let g = grid("<table><tr><td colspan=5000>a</td><td colspan=x>b</td><td rowspan=-1>c</td></tr></table>");
        assert_eq!(g[0].texts.len(), 1002);
        assert_eq!(&g[0].texts[999..], ["a", "b", "c"]);
        assert_eq!(g[0].anchors[998..], [0, 0, 1000, 1001]);
        assert_eq!(parse_span(Some(" 3px")), Some(3));
        assert_eq!(
            parse_span(Some("99999999999999999999999")),
            Some(usize::MAX)
        );
    }

    #[test]
    fn cell_text_of_word_html() {
        let g = grid(
            "<table><tr><td><p class=MsoNormal><span>本年新<br>制作</span><span>数量</span><o:p></o:p></p></td>\
             <td><p class=MsoNormal><span lang=EN-US>1</span><span lang=EN-US>2</span><o:p>&nbsp;</o:p></p></td>\
             <td>&nbsp;</td><td><p>商业</p><p>企业</p></td><td>a\n b</td></tr></table>",
        );
        assert_eq!(g[0].texts, ["本年新制作数量", "12", "", "商业企业", "a b"]);
    }

    #[test]
    fn nesting_depth_estimate() {
        assert_eq!(
            nesting_depth(b"<div><p>a<p>b<span>c</span></div><br><img src=x/>"),
            2
        );
        assert_eq!(
            nesting_depth(b"<div><div/><script>if (a<b) {'<div><div>'}</script></div>"),
            2
        );
        assert_eq!(
            nesting_depth(b"<!-- <div><div> --><table><tr><td><table>"),
            2
        );
        assert_eq!(nesting_depth("<div>".repeat(5000).as_bytes()), 5000);
        assert_eq!(nesting_depth(b"<div"), 1);
        assert_eq!(
            read(&format!(
                "<p>一、总体情况</p>{}",
                "<div>".repeat(MAX_DEPTH + 1)
            ))
            .unwrap_err(),
            InputError::HtmlTooDeep(MAX_DEPTH)
        );
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<p style='x'>a</p>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<table border=1>"));
        assert!(looks_like_html(b"title line\n<div>a</div><p>b</p>"));
        assert!(!looks_like_html(b"<prefix> | a | b |"));
        assert!(!looks_like_html(
            "一、总体情况\n| a | b |\n自然人<br>".as_bytes()
        ));
    }

    #[test]
    fn the_report_is_found_inside_site_chrome() {
        let page = r#"<html><head><title>某某区2024年政府信息公开工作年度报告_某某区人民政府</title></head>
<body><div class="header"><ul class="nav"><li>首页</li><li>政务公开</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 年度报告</div>
<div class="main"><h1 class="title">某某区2024年政府信息公开工作年度报告</h1>
<div class="info">发布日期：2025-01-20</div>
<div class="TRS_Editor"><p>一、总体情况</p><p>正文。</p>
<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>
<p>二、主动公开政府信息情况</p></div>
<div class="bdsharebuttonbox">分享到：微信</div></div>
<div class="related"><p>一、相关链接</p></div>
<div id="footer">版权所有</div><script>var a = "一、总体情况";</script></body></html>"#;
        let v = read(page).unwrap();
        assert_eq!(
            v.text,
            "某某区2024年政府信息公开工作年度报告\n\n发布日期：2025-01-20\n\n一、总体情况\n\n正文。\n\n\
             | 信息内容 | 本年制发件数 |\n| 规章 | 0 |\n\n二、主动公开政府信息情况\n\n"
        );
        let at = v.text.find("| 0").unwrap() + 2;
        assert_eq!(
            v.locate(at).unwrap().describe(),
            "HTML 第 1 个表格 第 2 行 第 2 列"
        );
        assert_eq!(v.locate(0).unwrap().describe(), "HTML 正文第 1 个段落");
    }

    #[test]
    fn a_page_without_a_report_is_refused() {
        let page = "<html><body><nav>首页</nav><p>欢迎访问</p><table><tr><td>a</td></tr></table></body></html>";
        assert_eq!(read(page).unwrap_err(), InputError::NoReport);
    }

    #[test]
    fn a_table_holding_paragraphs_is_layout() {
        let long = "正文。".repeat(120);
        let page = format!(
            "<table><tr><td><p>某局2024年政府信息公开工作年度报告</p><p>一、总体情况</p><p>{long}</p>\
             <p>二、主动公开政府信息情况</p></td></tr></table>"
        );
        let v = read(&page).unwrap();
        assert!(v
            .text
            .starts_with("某局2024年政府信息公开工作年度报告\n\n一、总体情况\n\n正文。"));
        assert!(!v.text.contains('|'));
    }

    #[test]
    fn layout_tables_render_their_cells_as_blocks() {
        let page = "<table><tr><td><p>一、总体情况</p><table><tr><td>信息内容</td><td>1</td></tr></table></td></tr></table>";
        let v = read(page).unwrap();
        assert_eq!(v.text, "一、总体情况\n\n| 信息内容 | 1 |\n\n");
        assert_eq!(
            v.origins[2].as_ref().unwrap().origin,
            Origin::HtmlTable { table: 2, row: 1 }
        );
    }
}

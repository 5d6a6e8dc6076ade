//! `report-lint annotate`: a copy of a Word draft in which every finding is a
//! Word comment (author “report-lint”) anchored on its words, its paragraph
//! or its table cell.
//!
//! The package is opened with the reader's own [`Package`] (same limits) and
//! rendered with the reader's renderer, which also gives the byte offsets of
//! every body paragraph, the text each of its inline children shows, and every
//! table cell ([`Anchors`]). A finding's place in the original
//! ([`Located`], as every output names it) picks the anchor:
//!
//! - a paragraph: the inline children (runs, hyperlinks, …) holding the
//!   finding's words when they are found there (whitespace ignored), else the
//!   whole paragraph;
//! - a table cell (table, row, grid column): the cell's paragraphs; a row
//!   without a column: the row's cells;
//! - a finding with no place in the document (or outside the body): the
//!   first paragraph.
//!
//! `commentRangeStart`/`commentRangeEnd` and a `commentReference` run are
//! inserted into `word/document.xml` at those offsets (nothing else of it
//! changes); the comments go into the comments part, which is created with
//! its content type and relationship when the draft has none and otherwise
//! keeps its comments, ours appended with ids after the highest one in use.
//! Every other entry is copied unchanged (compressed bytes as they were).

use crate::diagnostics::{rows::severity_zh, Diagnostic};
use crate::input::docx::package::Package;
use crate::input::docx::{render_anchored, Anchor, Anchors, ParagraphAnchor, PlainRun};
use crate::input::{InputError, Located, Origin};
use std::io::{Cursor, Write};

pub const AUTHOR: &str = "report-lint";
const W_MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const COMMENTS_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const COMMENTS_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const RELS_CONTENT_TYPE: &str = "application/vnd.openxmlformats-package.relationships+xml";

/// What was written: the comments and how each was anchored.
#[derive(Debug, Default)]
pub struct Annotated {
    pub bytes: Vec<u8>,
    pub comments: usize,
    /// Per finding, in order: `words`, `paragraph`, `cell`, `row` or `document`.
    pub anchored_on: Vec<&'static str>,
}

/// Write a copy of the DOCX `bytes` with one comment per finding. `view` is
/// the text the findings' spans point into (the reader's view of the same
/// bytes; a mismatch is refused rather than anchored wrongly).
pub fn annotate(
    bytes: &[u8],
    view: &str,
    diagnostics: &[Diagnostic],
) -> Result<Annotated, InputError> {
    let rendered = render_anchored(bytes)?;
    if rendered.view.text != view {
        return Err(fail("文档内容与检查时读到的不一致，未写入批注"));
    }
    let mut pkg = Package::open(bytes)?;
    let doc_name = rendered.document_name.clone();
    let rels_name = rels_of(&doc_name);
    let rels_xml = match pkg.find(&rels_name) {
        Some(n) => Some(pkg.read_text(&n)?),
        None => None,
    };
    let ct_name = pkg
        .find("[Content_Types].xml")
        .ok_or_else(|| fail("缺少 [Content_Types].xml，不是完整的 Word 文档"))?;
    let content_types = pkg.read_text(&ct_name)?;

    // The comments part: the one the document's relationships name, if any.
    let existing = rels_xml
        .as_deref()
        .and_then(|r| relationship_target(r, COMMENTS_TYPE))
        .map(|target| resolve(&doc_name, &target));
    let (comments_name, comments_xml) = match existing.as_deref().and_then(|n| pkg.find(n)) {
        Some(n) => {
            let xml = pkg.read_text(&n)?;
            (n, Some(xml))
        }
        None => (resolve(&doc_name, "comments.xml"), None),
    };

    let first_id = next_id(&rendered.document_xml, comments_xml.as_deref());
    let xml = rendered.document_xml.as_str();
    let mut edits: Vec<Edit> = Vec::new();
    let mut split_runs: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut bodies = String::new();
    let mut anchored_on = Vec::with_capacity(diagnostics.len());
    for (i, d) in diagnostics.iter().enumerate() {
        let id = first_id + i as u64;
        let target = anchor_of(&rendered.anchors, view, d)
            .ok_or_else(|| fail("文档正文没有可以挂批注的段落"))?;
        bodies.push_str(&comment_xml(id, d));
        // The words inside one run: split it, once per run.
        if let Some(split) = target
            .split
            .filter(|sp| !split_runs.contains(&sp.run.0) && splittable(xml, &sp.plain))
        {
            split_runs.insert(split.run.0);
            edits.push(Edit::split(xml, &split, id));
            anchored_on.push("words");
            continue;
        }
        anchored_on.push(target.kind);
        edits.push(Edit::start(target.anchor.0, id));
        edits.push(Edit::end(target.anchor.1, id));
    }
    let document = apply_edits(xml, &mut edits);
    let document = declare_w(&document);

    let comments = match &comments_xml {
        Some(xml) => declare_w(&insert_before_root_end(xml, &bodies)?),
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:comments xmlns:w=\"{W_MAIN}\">{bodies}</w:comments>"
        ),
    };
    let rels = match &rels_xml {
        Some(r) if existing.is_some() => r.clone(),
        Some(r) => {
            let id = unused_rel_id(r);
            insert_before_root_end(
                r,
                &format!(
                    "<Relationship Id=\"{id}\" Type=\"{COMMENTS_TYPE}\" Target=\"{}\"/>",
                    relative(&doc_name, &comments_name)
                ),
            )?
        }
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdRl1\" Type=\"{COMMENTS_TYPE}\" Target=\"{}\"/></Relationships>",
            relative(&doc_name, &comments_name)
        ),
    };
    let content_types = with_content_types(&content_types, &comments_name)?;

    // Copy every entry, replacing the parts we changed, then add new ones.
    let mut replaced: Vec<(String, &str)> = vec![
        (doc_name.clone(), document.as_str()),
        (comments_name.clone(), comments.as_str()),
        (rels_name.clone(), rels.as_str()),
        (ct_name.clone(), content_types.as_str()),
    ];
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let zerr = |e: &dyn std::fmt::Display| fail(format!("写入压缩包失败（{e}）"));
    let names: Vec<String> = pkg.names().to_vec();
    for (i, name) in names.iter().enumerate() {
        let canon = name.replace('\\', "/");
        if let Some(pos) = replaced
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(&canon) || n == name)
        {
            let (_, text) = replaced.remove(pos);
            out.start_file(name.as_str(), options)
                .map_err(|e| zerr(&e))?;
            out.write_all(text.as_bytes()).map_err(|e| zerr(&e))?;
            continue;
        }
        let file = pkg.archive().by_index_raw(i).map_err(|e| zerr(&e))?;
        out.raw_copy_file(file).map_err(|e| zerr(&e))?;
    }
    for (name, text) in replaced {
        out.start_file(name.as_str(), options)
            .map_err(|e| zerr(&e))?;
        out.write_all(text.as_bytes()).map_err(|e| zerr(&e))?;
    }
    let bytes = out.finish().map_err(|e| zerr(&e))?.into_inner();
    Ok(Annotated {
        bytes,
        comments: diagnostics.len(),
        anchored_on,
    })
}

fn fail(cause: impl Into<String>) -> InputError {
    InputError::Corrupt("DOCX", cause.into())
}

/// A change to the document part: `at..to` (empty for an insertion)
/// replaced by `text`. At one offset, comment ends go first, then starts,
/// then a split run, so ranges nest.
struct Edit {
    at: usize,
    to: usize,
    order: u8,
    id: u64,
    text: String,
}

fn start_mark(id: u64) -> String {
    format!("<w:commentRangeStart w:id=\"{id}\"/>")
}

fn end_mark(id: u64) -> String {
    format!("<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>")
}

impl Edit {
    fn start(at: usize, id: u64) -> Edit {
        Edit {
            at,
            to: at,
            order: 1,
            id,
            text: start_mark(id),
        }
    }

    fn end(at: usize, id: u64) -> Edit {
        Edit {
            at,
            to: at,
            order: 0,
            id,
            text: end_mark(id),
        }
    }

    /// The run cut in up to three runs with the same properties, the
    /// comment's range around the middle one (the finding's words).
    fn split(xml: &str, sp: &Split, id: u64) -> Edit {
        let rpr = sp.plain.rpr.map_or("", |(a, b)| &xml[a..b]);
        let run = |t: &str| {
            if t.is_empty() {
                String::new()
            } else {
                format!(
                    "<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    escape_text(t)
                )
            }
        };
        Edit {
            at: sp.run.0,
            to: sp.run.1,
            order: 2,
            id,
            text: format!(
                "{}{}{}{}{}",
                run(&sp.before),
                start_mark(id),
                run(&sp.words),
                end_mark(id),
                run(&sp.after)
            ),
        }
    }
}

/// Words inside one plain run: the run, its parts, and its text cut in three.
#[derive(Debug, Clone)]
struct Split {
    run: Anchor,
    plain: PlainRun,
    before: String,
    words: String,
    after: String,
}

/// Where a finding's comment goes.
struct Target {
    anchor: Anchor,
    kind: &'static str,
    split: Option<Split>,
}

/// A run the reader called plain really is: its bytes hold nothing but its
/// `w:rPr` and `w:t` (and whitespace), so nothing the reader skipped (a
/// drawing, a footnote reference) is lost by splitting it.
fn splittable(xml: &str, p: &PlainRun) -> bool {
    let mut cuts = vec![p.t];
    cuts.extend(p.rpr);
    cuts.sort();
    let mut at = p.inner.0;
    for (a, b) in cuts {
        if a < at || !xml[at..a].trim().is_empty() {
            return false;
        }
        at = b;
    }
    at <= p.inner.1 && xml[at..p.inner.1].trim().is_empty()
}

/// The anchor of a finding and what it is anchored on.
fn anchor_of(a: &Anchors, view: &str, d: &Diagnostic) -> Option<Target> {
    let target = |anchor, kind| Target {
        anchor,
        kind,
        split: None,
    };
    let found = match &d.origin {
        Some(Located {
            origin: Origin::DocxParagraph { paragraph },
            ..
        }) => a.paragraphs.get(paragraph.checked_sub(1)?).and_then(|p| {
            let words = view.get(d.span.start..d.span.end.max(d.span.start))?;
            words_in(p, words).or(p.whole.map(|w| target(w, "paragraph")))
        }),
        Some(Located {
            origin: Origin::DocxTable { table, row },
            column,
        }) => {
            let cells = a
                .tables
                .get(table.checked_sub(1)?)?
                .get(row.checked_sub(1)?)?;
            match column {
                Some(c) => cells
                    .get(c.checked_sub(1)?)
                    .copied()
                    .flatten()
                    .map(|w| target(w, "cell")),
                None => {
                    let first = cells.iter().flatten().next()?;
                    let last = cells.iter().flatten().last()?;
                    Some(target((first.0, last.1), "row"))
                }
            }
        }
        _ => None,
    };
    found.or_else(|| {
        a.paragraphs
            .iter()
            .find_map(|p| p.whole)
            .map(|w| target(w, "document"))
    })
}

/// The inline children of a paragraph that show `words` (whitespace ignored):
/// from the start of the first to the end of the last; with the run cut in
/// three when the words are inside one plain run.
fn words_in(p: &ParagraphAnchor, words: &str) -> Option<Target> {
    let needle: String = words.chars().filter(|c| !c.is_whitespace()).collect();
    if needle.is_empty() {
        return None;
    }
    // The paragraph's text without whitespace, each char with its byte offset.
    let hay: Vec<(usize, char)> = p
        .text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let flat: String = hay.iter().map(|(_, c)| *c).collect();
    let at = flat.find(&needle)?;
    let first = flat[..at].chars().count();
    let last = first + needle.chars().count() - 1;
    let start = hay[first].0;
    let end = hay[last].0 + hay[last].1.len_utf8();
    let covering = |b: usize| p.pieces.iter().find(|x| x.text.contains(&b));
    let s = covering(start)?;
    let e = covering(end - 1)?;
    let split = match (std::ptr::eq(s, e), s.plain_run) {
        (true, Some(plain)) => {
            let t = &p.text[s.text.clone()];
            let (a, b) = (start - s.text.start, end - s.text.start);
            Some(Split {
                run: s.at,
                plain,
                before: t[..a].to_string(),
                words: t[a..b].to_string(),
                after: t[b..].to_string(),
            })
        }
        _ => None,
    };
    Some(Target {
        anchor: (s.at.0, e.at.1),
        kind: "words",
        split,
    })
}

/// The document with the edits made.
fn apply_edits(xml: &str, edits: &mut [Edit]) -> String {
    edits.sort_by_key(|e| (e.at, e.order, e.id));
    let mut out = String::with_capacity(xml.len() + edits.len() * 120);
    let mut last = 0;
    for e in edits.iter() {
        if e.at >= last {
            out.push_str(&xml[last..e.at]);
        }
        out.push_str(&e.text);
        last = last.max(e.to);
    }
    out.push_str(&xml[last..]);
    out
}

/// Text for a `w:t`: markup characters escaped, characters XML 1.0 forbids dropped.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One `w:comment`: the message with its level and rule, every note, the help.
fn comment_xml(id: u64, d: &Diagnostic) -> String {
    let mut paras = vec![format!(
        "【{}】{}（{}）",
        severity_zh(d.severity),
        d.message,
        d.rule
    )];
    if let Some(l) = &d.label {
        paras.push(format!("标注：{l}"));
    }
    paras.extend(d.notes.iter().map(|n| format!("说明：{n}")));
    if let Some(h) = &d.help {
        paras.push(format!("建议：{h}"));
    }
    let body: String = paras
        .iter()
        .map(|p| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(p)
            )
        })
        .collect();
    format!("<w:comment w:id=\"{id}\" w:author=\"{AUTHOR}\" w:initials=\"RL\">{body}</w:comment>")
}

/// XML text: markup characters escaped, characters XML 1.0 forbids dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The first comment id after every `w:id` in use in the document and the
/// existing comments.
fn next_id(document: &str, comments: Option<&str>) -> u64 {
    let re = regex::Regex::new(r#"\bw:id\s*=\s*["'](\d{1,18})["']"#).expect("valid regex");
    [Some(document), comments]
        .into_iter()
        .flatten()
        .flat_map(|x| re.captures_iter(x).filter_map(|c| c[1].parse::<u64>().ok()))
        .max()
        .map_or(0, |m| m + 1)
}

/// The relationships part of a part: `word/document.xml` →
/// `word/_rels/document.xml.rels`.
fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A relationship target resolved against the part's folder.
fn resolve(part: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut dir: Vec<&str> = part.split('/').collect();
    dir.pop();
    for seg in target.split('/') {
        match seg {
            ".." => {
                dir.pop();
            }
            "." | "" => {}
            s => dir.push(s),
        }
    }
    dir.join("/")
}

/// The target of `part` as seen from `from`'s folder (both in one folder in
/// every package report-lint writes; otherwise absolute).
fn relative(from: &str, part: &str) -> String {
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    match part.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) {
        Some(rest) if !dir.is_empty() => rest.to_string(),
        _ => format!("/{part}"),
    }
}

/// The attributes of each `<Relationship …/>` element.
fn relationships(rels: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        (
                            a.key.local_name().as_ref().to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn relationship_target(rels: &str, kind: &str) -> Option<String> {
    relationships(rels).into_iter().find_map(|attrs| {
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        (get("Type").as_deref() == Some(kind))
            .then(|| get("Target"))
            .flatten()
    })
}

fn unused_rel_id(rels: &str) -> String {
    let ids: Vec<String> = relationships(rels)
        .into_iter()
        .filter_map(|a| a.into_iter().find(|(k, _)| k == "Id").map(|(_, v)| v))
        .collect();
    (1..)
        .map(|n| format!("rIdRl{n}"))
        .find(|c| !ids.contains(c))
        .expect("an unused id")
}

/// `[Content_Types].xml` with the comments part (and `.rels`) declared.
fn with_content_types(ct: &str, comments: &str) -> Result<String, InputError> {
    let part = format!("/{comments}");
    let mut add = String::new();
    if !ct.contains(&format!("PartName=\"{part}\"")) {
        add.push_str(&format!(
            "<Override PartName=\"{part}\" ContentType=\"{COMMENTS_CONTENT_TYPE}\"/>"
        ));
    }
    if !ct.contains("Extension=\"rels\"") {
        add.push_str(&format!(
            "<Default Extension=\"rels\" ContentType=\"{RELS_CONTENT_TYPE}\"/>"
        ));
    }
    if add.is_empty() {
        return Ok(ct.to_string());
    }
    insert_before_root_end(ct, &add)
}

/// Insert `s` before the end tag of the part's root element (an empty root
/// `<x/>` is opened into `<x>s</x>`).
fn insert_before_root_end(xml: &str, s: &str) -> Result<String, InputError> {
    let bad = || fail("XML 部件不完整，无法加入批注");
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event().map_err(|_| bad())? {
            quick_xml::events::Event::Start(_) => depth += 1,
            quick_xml::events::Event::Empty(e) if depth == 0 => {
                let after = reader.buffer_position() as usize;
                let name = e.name().as_ref().to_string();
                let open = xml[before..after].trim_end_matches("/>").to_string();
                return Ok(format!(
                    "{}{open}>{s}</{name}>{}",
                    &xml[..before],
                    &xml[after..]
                ));
            }
            quick_xml::events::Event::End(_) => {
                depth = depth.checked_sub(1).ok_or_else(bad)?;
                if depth == 0 {
                    return Ok(format!("{}{s}{}", &xml[..before], &xml[before..]));
                }
            }
            quick_xml::events::Event::Eof => return Err(bad()),
            _ => {}
        }
    }
}

/// The part with `xmlns:w` declared on its root element when it is not.
fn declare_w(xml: &str) -> String {
    let Some((start, end)) = root_start_tag(xml) else {
        return xml.to_string();
    };
    let tag = &xml[start..end];
    if tag.contains("xmlns:w=") {
        return xml.to_string();
    }
    let close = if tag.ends_with("/>") {
        end - 2
    } else {
        end - 1
    };
    format!("{} xmlns:w=\"{W_MAIN}\"{}", &xml[..close], &xml[close..])
}

/// Byte range of the root element's start tag.
fn root_start_tag(xml: &str) -> Option<(usize, usize)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event().ok()? {
            quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_) => {
                return Some((before, reader.buffer_position() as usize));
            }
            quick_xml::events::Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_ids() {
        assert_eq!(rels_of("word/document.xml"), "word/_rels/document.xml.rels");
        assert_eq!(
            resolve("word/document.xml", "comments.xml"),
            "word/comments.xml"
        );
        assert_eq!(resolve("word/document.xml", "/word/c.xml"), "word/c.xml");
        assert_eq!(resolve("word/document.xml", "../x/c.xml"), "x/c.xml");
        assert_eq!(
            relative("word/document.xml", "word/comments.xml"),
            "comments.xml"
        );
        assert_eq!(
            next_id(r#"<w:bookmarkStart w:id="7"/>"#, Some(r#"w:id="3""#)),
            8
        );
        assert_eq!(next_id("<w:p/>", None), 0);
        assert_eq!(escape("a<b>&\"\u{1}c"), "a&lt;b&gt;&amp;&quot;c");
    }

    #[test]
    fn marks_nest_at_one_offset() {
        let mut edits = vec![Edit::start(3, 2), Edit::end(3, 1)];
        let out = apply_edits("abcdef", &mut edits);
        let end = out.find("commentRangeEnd").unwrap();
        let start = out.find("commentRangeStart").unwrap();
        assert!(end < start, "{out}");
    }

    #[test]
    fn a_run_is_split_around_the_words() {
        let xml = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>甲乙&amp;丙</w:t></w:r></w:p>"#;
        let r = xml.find("<w:r>").unwrap();
        let re = xml.find("</w:p>").unwrap();
        let rpr = (xml.find("<w:rPr>").unwrap(), xml.find("<w:t>").unwrap());
        let t = (rpr.1, xml.find("</w:r>").unwrap());
        let plain = PlainRun {
            inner: (r + 5, t.1),
            rpr: Some(rpr),
            t,
        };
        assert!(splittable(xml, &plain));
        let sp = Split {
            run: (r, re),
            plain,
            before: "甲".into(),
            words: "乙&".into(),
            after: "丙".into(),
        };
        let mut edits = vec![Edit::split(xml, &sp, 4)];
        let out = apply_edits(xml, &mut edits);
        assert_eq!(
            out,
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">甲</w:t></w:r>\
             <w:commentRangeStart w:id=\"4\"/>\
             <w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">乙&amp;</w:t></w:r>\
             <w:commentRangeEnd w:id=\"4\"/><w:r><w:commentReference w:id=\"4\"/></w:r>\
             <w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">丙</w:t></w:r></w:p>"
        );
        // A run holding something the reader skips (a drawing) is not split.
        let xml2 = r#"<w:r><w:drawing/><w:t>甲</w:t></w:r>"#;
        let t2 = (xml2.find("<w:t>").unwrap(), xml2.find("</w:r>").unwrap());
        let p2 = PlainRun {
            inner: (5, t2.1),
            rpr: None,
            t: t2,
        };
        assert!(!splittable(xml2, &p2));
    }

    #[test]
    fn parts_grow_inside_their_root() {
        let x = r#"<?xml version="1.0"?><w:comments xmlns:w="u"/>"#;
        assert_eq!(
            insert_before_root_end(x, "<w:comment/>").unwrap(),
            r#"<?xml version="1.0"?><w:comments xmlns:w="u"><w:comment/></w:comments>"#
        );
        let x = "<Types><Default/></Types>";
        assert_eq!(
            insert_before_root_end(x, "<Override/>").unwrap(),
            "<Types><Default/><Override/></Types>"
        );
        assert!(insert_before_root_end("", "x").is_err());
    }

    #[test]
    fn w_is_declared_once() {
        let x = "<?xml version=\"1.0\"?><doc a=\"1\"><p/></doc>";
        let y = declare_w(x);
        assert!(y.contains("<doc a=\"1\" xmlns:w="), "{y}");
        assert_eq!(declare_w(&y), y);
    }
}

//! A small DOCX writer for the tests: WordprocessingML snippets and a package
//! (zip in memory) holding `word/document.xml` and, when given,
//! `word/styles.xml` and `word/numbering.xml`, with the content types and
//! relationships Word needs to open it. Output is deterministic (fixed entry
//! times), so a fixture built from it can be compared byte for byte.

#![allow(dead_code)]

pub mod seed;

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Escape text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `word/document.xml` with `body` as the content of `w:body`.
pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

/// `word/styles.xml` with the given `w:style` elements.
pub fn styles(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">{inner}</w:styles>"#
    )
}

/// `word/numbering.xml` with the given `w:abstractNum` and `w:num` elements.
pub fn numbering(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">{inner}</w:numbering>"#
    )
}

/// One `w:lvl` of an abstract list.
pub fn lvl(ilvl: u32, fmt: &str, text: &str, start: i64, suff: Option<&str>) -> String {
    let suff = suff
        .map(|s| format!(r#"<w:suff w:val="{s}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{suff}<w:lvlText w:val="{}"/><w:lvlJc w:val="left"/></w:lvl>"#,
        esc(text)
    )
}

pub fn abstract_num(id: u32, levels: &[String]) -> String {
    format!(
        r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="multilevel"/>{}</w:abstractNum>"#,
        levels.concat()
    )
}

pub fn num(id: u32, abstract_id: u32, overrides: &str) -> String {
    format!(r#"<w:num w:numId="{id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>"#)
}

/// A run of plain text.
pub fn run(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

/// A paragraph of runs (already XML).
pub fn p_xml(ppr: &str, runs: &str) -> String {
    if ppr.is_empty() {
        format!("<w:p>{runs}</w:p>")
    } else {
        format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
    }
}

/// A paragraph of plain text.
pub fn p(text: &str) -> String {
    p_xml("", &run(text))
}

/// A paragraph numbered by list `num_id` at level `ilvl`.
pub fn numbered(text: &str, num_id: u32, ilvl: u32) -> String {
    p_xml(
        &format!(r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>"#),
        &run(text),
    )
}

/// A table cell.
#[derive(Clone, Debug, Default)]
pub struct Tc {
    pub text: String,
    pub span: u32,
    /// `Some("restart")`, `Some("continue")`, or `Some("")` for a bare
    /// `<w:vMerge/>` (continue).
    pub vmerge: Option<&'static str>,
    /// Raw XML instead of one paragraph of `text`.
    pub xml: Option<String>,
}

pub fn tc(text: &str) -> Tc {
    Tc {
        text: text.to_string(),
        span: 1,
        ..Tc::default()
    }
}

impl Tc {
    pub fn span(mut self, n: u32) -> Tc {
        self.span = n;
        self
    }
    pub fn restart(mut self) -> Tc {
        self.vmerge = Some("restart");
        self
    }
    /// A continuation cell (empty, bare `<w:vMerge/>`).
    pub fn cont(mut self) -> Tc {
        self.vmerge = Some("");
        self.text.clear();
        self
    }

    pub fn xml(&self) -> String {
        let mut pr = String::new();
        if self.span > 1 {
            pr.push_str(&format!(r#"<w:gridSpan w:val="{}"/>"#, self.span));
        }
        match self.vmerge {
            Some("") => pr.push_str("<w:vMerge/>"),
            Some(v) => pr.push_str(&format!(r#"<w:vMerge w:val="{v}"/>"#)),
            None => {}
        }
        let content = match &self.xml {
            Some(x) => x.clone(),
            None if self.text.is_empty() => "<w:p/>".to_string(),
            None => p(&self.text),
        };
        format!(r#"<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/>{pr}</w:tcPr>{content}</w:tc>"#)
    }
}

/// A table row with optional `gridBefore`/`gridAfter`.
#[derive(Clone, Debug, Default)]
pub struct Tr {
    pub before: u32,
    pub after: u32,
    pub cells: Vec<Tc>,
}

pub fn tr(cells: Vec<Tc>) -> Tr {
    Tr {
        cells,
        ..Tr::default()
    }
}

impl Tr {
    pub fn xml(&self) -> String {
        let mut pr = String::new();
        if self.before > 0 {
            pr.push_str(&format!(r#"<w:gridBefore w:val="{}"/>"#, self.before));
        }
        if self.after > 0 {
            pr.push_str(&format!(r#"<w:gridAfter w:val="{}"/>"#, self.after));
        }
        let pr = if pr.is_empty() {
            String::new()
        } else {
            format!("<w:trPr>{pr}</w:trPr>")
        };
        let cells: String = self.cells.iter().map(Tc::xml).collect();
        format!("<w:tr>{pr}{cells}</w:tr>")
    }
}

/// A table on a grid of `cols` columns.
pub fn table(cols: usize, rows: &[Tr]) -> String {
    let grid: String = (0..cols).map(|_| r#"<w:gridCol w:w="600"/>"#).collect();
    let rows: String = rows.iter().map(Tr::xml).collect();
    format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"#
    )
}

/// A zip of the given entries, in order, deflated, with fixed times.
pub fn zip_entries(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A complete DOCX package around `document_xml` (see [`document`]).
pub fn package(
    document_xml: &str,
    styles_xml: Option<&str>,
    numbering_xml: Option<&str>,
) -> Vec<u8> {
    let mut overrides = String::from(
        r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    );
    let mut rels = String::new();
    if styles_xml.is_some() {
        overrides.push_str(r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#);
    }
    if numbering_xml.is_some() {
        overrides.push_str(r#"<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#);
    }
    let content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>"#
    );
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let doc_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", root_rels.as_bytes()),
        ("word/document.xml", document_xml.as_bytes()),
        ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
    ];
    if let Some(s) = styles_xml {
        entries.push(("word/styles.xml", s.as_bytes()));
    }
    if let Some(n) = numbering_xml {
        entries.push(("word/numbering.xml", n.as_bytes()));
    }
    zip_entries(&entries)
}

/// A package of a body with no styles or numbering.
pub fn docx(body: &str) -> Vec<u8> {
    package(&document(body), None, None)
}

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

//!
//! The code is split by concern: [`package`] (the zip container, shared with
//! the comment writer of `report-lint annotate`), `xml` (the element tree),
//! `styles`, `numbering` (list numbers), `render` (paragraphs and runs) and
//! `grid` (tables).

mod grid;
mod numbering;
pub mod package;
mod render;
mod styles;
mod xml;

use super::view::View;
use super::{InputError, Source};
pub use numbering::format_number;
pub use package::{MAX_ENTRIES, MAX_PART_BYTES};
pub use render::{Anchor, Anchors, ParagraphAnchor, Piece, PlainRun};

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
    render_anchored(bytes).map(|r| r.view)
}

/// A package rendered for the comment writer: the view, the anchors of its
/// places, and `word/document.xml` (its stored name and text) they point into.
pub struct Anchored {
    pub view: View,
    pub anchors: Anchors,
    pub document_name: String,
    pub document_xml: String,
}

/// Render a DOCX package, keeping the anchors of its paragraphs and cells.
pub fn render_anchored(bytes: &[u8]) -> Result<Anchored, InputError> {
    let mut pkg = package::Package::open(bytes)?;
    let Some(doc_name) = pkg.find("word/document.xml") else {
        return Err(InputError::UnsupportedFormat(
            "ZIP 压缩包（没有 word/document.xml，不是 DOCX）",
        ));
    };
    let doc_xml = pkg.read_text(&doc_name)?;
    let styles_xml = pkg.read_optional("word/styles.xml")?;
    let numbering_xml = pkg.read_optional("word/numbering.xml")?;
    drop(pkg);
    let (view, anchors) = render_parts_anchored(
        (&doc_xml, &doc_name),
        styles_xml.as_ref().map(|(x, n)| (x.as_str(), n.as_str())),
        numbering_xml
            .as_ref()
            .map(|(x, n)| (x.as_str(), n.as_str())),
    )?;
    Ok(Anchored {
        view,
        anchors,
        document_name: doc_name,
        document_xml: doc_xml,
    })
}

/// Render the XML parts of a package, each given with its name in the
/// package (for error messages): the document, and the styles and numbering
/// when the package has them. The fuzz target calls this directly.
pub fn render_parts(
    document: (&str, &str),
    styles: Option<(&str, &str)>,
    numbering: Option<(&str, &str)>,
) -> Result<View, InputError> {
    render_parts_anchored(document, styles, numbering).map(|(view, _)| view)
}

fn render_parts_anchored(
    document: (&str, &str),
    styles: Option<(&str, &str)>,
    numbering: Option<(&str, &str)>,
) -> Result<(View, Anchors), InputError> {
    let styles = match styles {
        Some((xml, name)) => styles::Styles::parse(&xml::parse_xml(name, xml)?.root),
        None => styles::Styles::default(),
    };
    let numbering = match numbering {
        Some((xml, name)) => numbering::Numbering::parse(&xml::parse_xml(name, xml)?.root),
        None => numbering::Numbering::default(),
    };
    let doc = xml::parse_xml(document.1, document.0)?;
    render::render_document(&doc, &styles, &numbering)
}

#[cfg(test)]
mod tests {
    use super::*;

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

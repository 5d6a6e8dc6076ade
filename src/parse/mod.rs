//! Build the report model from a text view.

pub mod lexer;
pub mod meaning;
pub mod metadata;
pub mod normalize;
pub mod numbers;
pub mod runtogether;
pub mod sections;
pub mod tables;

use crate::input::Source;
use crate::model::{FormatInfo, FormatVersion, Line, Paragraph, Report, Span};
use lexer::{LexLine, LineKind};

/// Parse a decoded source into a report.
pub fn parse(source: &Source) -> Report {
    let src = source.text.as_str();
    let lines = lexer::lex_with_origins(src, &source.origins);

    // Title, metadata and year come from the lines before part 一.
    let first_heading = sections::first_part_line(src, &lines).unwrap_or(lines.len().min(20));
    let mut metadata = metadata::read(src, &lines, first_heading);
    let expected = metadata
        .year
        .as_ref()
        .and_then(|y| FormatVersion::for_year(y.value));

    let items = tables::stream(src, &lines);
    let mut tables = tables::find_tables(&items, &lines, expected);
    tables.extend(tables::unreadable_tables(src, &lines, &tables, expected));
    tables.sort_by_key(|t| t.span.start);
    let in_table = |span: Span| {
        tables
            .iter()
            .find(|t| span.start >= t.span.start && span.end <= t.span.end)
    };

    // Top-level headings outside tables, in order.
    let title_span = metadata.title.as_ref().map(|t| t.span);
    let is_title =
        |l: &LexLine| title_span.is_some_and(|t| l.span.start >= t.start && l.span.end <= t.end);
    let candidates = lines
        .iter()
        .filter(|l| l.kind == LineKind::Text && in_table(l.span).is_none() && !is_title(l))
        .filter_map(|l| {
            let text = l.text(src);
            let h = sections::parse_heading(text, l.span.start)?;
            let whole_line = h.span.end == l.span.start + text.trim_end().len();
            Some(sections::Candidate {
                heading: h,
                whole_line,
            })
        })
        .collect();
    let headings = sections::assign_parts(candidates, &tables);
    // Keyed by start offset: the pieces of a split crawler line share one line number.
    let heading_lines: Vec<usize> = lines
        .iter()
        .filter(|l| {
            headings.iter().any(|(_, h)| {
                h.span.start >= l.span.start && h.span.start < l.span.end.max(l.span.start + 1)
            })
        })
        .map(|l| l.span.start)
        .collect();
    let implicit = implicit_part_five(src, &lines, &headings, &tables);
    let mut sections = sections::build_sections(headings, &tables, implicit, src.len());

    // Paragraphs: the remaining text lines.
    let mut paragraphs = Vec::new();
    let mut line_kinds = Vec::new();
    for l in &lines {
        let table = in_table(l.span).map(|t| t.kind.clone()).unwrap_or_default();
        // `heading_lines` is in line order: a binary search keeps this linear.
        let kind = if heading_lines.binary_search(&l.span.start).is_ok() {
            "heading"
        } else if is_title(l) {
            "title"
        } else if !table.is_empty()
            || l.kind == LineKind::Cells
            || (l.kind == LineKind::Text && tables::is_row_label_line(l.text(src)))
        {
            if l.kind == LineKind::Cells && table.is_empty() && l.index < first_heading {
                "metadata"
            } else {
                "cell"
            }
        } else if matches!(l.kind, LineKind::Blank | LineKind::Empty) {
            "blank"
        } else {
            "text"
        };
        line_kinds.push(Line {
            number: l.index + 1,
            span: l.span,
            kind: kind.into(),
            table,
        });
        if kind == "text" {
            let raw = l.text(src);
            let text = raw.trim();
            let start = l.span.start + (raw.len() - raw.trim_start().len());
            let span = Span::new(start, start + text.len());
            let section = sections::containing(&sections, span.start).map_or(0, |s| s.number);
            paragraphs.push(Paragraph {
                text: text.to_string(),
                span,
                section,
                sentences: sections::sentences(text, start),
            });
        }
    }
    sections::attach_subsections(&mut sections, &paragraphs);

    let mut numbers: Vec<_> = paragraphs
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let mut v = numbers::extract(&p.text, p.span.start, i);
            for n in &mut v {
                n.section = p.section;
            }
            v
        })
        .collect();
    let breakdowns = meaning::annotate(src, &mut numbers);
    meaning::periods(&mut numbers, metadata.year.as_ref().map(|y| y.value));

    metadata.stats_period = metadata::stats_period(src);
    if metadata.year.is_none() {
        if let Some(p) = &metadata.stats_period {
            metadata.year = Some(crate::model::Spanned {
                value: p.start.year,
                span: p.span,
            });
        }
    }
    let from = sections
        .iter()
        .find(|s| s.number == 6)
        .map(|s| crate::model::line_col(src, s.span.start).0)
        .unwrap_or(lines.len());
    metadata.signature_date = metadata::signature_date(src, &lines, from);
    if metadata.publication_date.is_none() {
        metadata.publication_date = metadata.signature_date.clone();
    }
    let expected = metadata
        .year
        .as_ref()
        .and_then(|y| FormatVersion::for_year(y.value));
    let detected = tables
        .iter()
        .find(|t| t.kind == "t3")
        .or_else(|| tables.iter().find(|t| t.kind == "t2"))
        .and_then(|t| t.format);

    let mut shapes: Vec<String> = Vec::new();
    for l in &lines {
        if l.kind == LineKind::Cells && !l.shape.is_empty() && !shapes.iter().any(|s| s == l.shape)
        {
            shapes.push(l.shape.to_string());
        }
    }

    let not_a_report = not_a_report(&metadata, &sections, &tables);
    Report {
        not_a_report,
        path: source.path.clone(),
        text: source.text.clone(),
        input_format: source.format.to_string(),
        encoding: source.encoding.to_string(),
        notices: source.notices.clone(),
        origins: source.origins.clone(),
        shapes,
        metadata,
        format: FormatInfo { detected, expected },
        sections,
        paragraphs,
        tables,
        numbers,
        breakdowns,
        lines: line_kinds,
        line_index: Default::default(),
    }
}

/// What an annual report has and this document lacks, when it lacks all of
/// it: a title naming an annual report, any of the six part headings, any
/// statistics table. Empty when it has any one of them (a damaged report is
/// still a report: the rules say what is wrong with it).
pub fn not_a_report(
    metadata: &crate::model::Metadata,
    sections: &[crate::model::Section],
    tables: &[crate::model::Table],
) -> Vec<String> {
    let has_title = metadata.title.is_some();
    let has_part = sections.iter().any(|s| s.heading.is_some());
    if has_title || has_part || !tables.is_empty() {
        return Vec::new();
    }
    vec![
        "没有年度报告标题".to_string(),
        "没有“一、总体情况”等六个部分的标题".to_string(),
        "没有统计表格（表二至表四）".to_string(),
    ]
}

/// Part 五 whose heading was lost (a PDF conversion drops it) but whose content
/// is there: the first sub-heading about 问题 and 改进 after part 四 and before
/// part 六 (`（一）存在的主要问题`). Its heading is then reported missing, not the
/// whole part.
fn implicit_part_five(
    src: &str,
    lines: &[LexLine],
    headings: &[(i64, crate::model::Heading)],
    tables: &[crate::model::Table],
) -> Option<(i64, Span)> {
    if headings.iter().any(|(n, _)| *n == 5) {
        return None;
    }
    let after = headings
        .iter()
        .filter(|(n, _)| *n == 4)
        .map(|(_, h)| h.span.end)
        .chain(tables.iter().filter(|t| t.kind == "t4").map(|t| t.span.end))
        .max()?;
    let before = headings
        .iter()
        .find(|(n, _)| *n == 6)
        .map(|(_, h)| h.span.start)
        .unwrap_or(src.len());
    lines
        .iter()
        .filter(|l| l.kind == LineKind::Text && l.span.start >= after && l.span.end <= before)
        .filter(|l| {
            !tables
                .iter()
                .any(|t| l.span.start >= t.span.start && l.span.end <= t.span.end)
        })
        .find_map(|l| {
            let h = sections::parse_heading(l.text(src), l.span.start)?;
            (h.style.ends_with("_paren") && h.number == 1 && h.title.contains("问题"))
                .then_some((5, l.span))
        })
}

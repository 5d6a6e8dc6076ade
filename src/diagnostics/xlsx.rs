//! XLSX output (`--format xlsx`): a workbook for a supervisor, written with
//! `rust_xlsxwriter`.
//!
//! - 汇总 (summary): one row per checked file — organ, year, format,
//!   errors, warnings, notes, status, failing rules — printable on landscape
//!   pages one page wide with the header repeated;
//! - 问题 (findings): one row per finding, the columns of [`super::rows`]
//!   (the same as the CSV), a file without findings or unreadable on a row of
//!   its own.
//!
//! Both sheets have a bold frozen header row, filters on every column and
//! column widths sized for Chinese text (long text wraps). The workbook is
//! built in memory and written when the run ends.

use super::rows::{
    finding_rows, status, status_zh, summary_row, Cell, FINDING_COLUMNS, SUMMARY_COLUMNS,
};
use super::{FileReport, RunEnd, RunInfo, Writer};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use std::io::{self, Write};

/// The status column of a finding row, shown in Chinese here.
const STATUS: usize = 3;
/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's last row (0-based).
const MAX_ROW: u32 = 1_048_575;

/// Column widths (in Excel's character units; a Chinese character is about
/// two) of the findings sheet, in the order of [`FINDING_COLUMNS`].
const FINDING_WIDTHS: [f64; 16] = [
    36.0, 24.0, 7.0, 8.0, 22.0, 7.0, 9.0, 60.0, 6.0, 6.0, 28.0, 30.0, 60.0, 50.0, 9.0, 9.0,
];
/// Wrapped columns of the findings sheet: message, label, notes, help.
const FINDING_WRAPPED: [usize; 4] = [7, 11, 12, 13];
const SUMMARY_WIDTHS: [f64; 10] = [40.0, 30.0, 7.0, 9.0, 9.0, 7.0, 7.0, 7.0, 10.0, 40.0];

#[derive(Default)]
pub struct XlsxWriter {
    summary: Vec<Vec<Cell>>,
    findings: Vec<Vec<Cell>>,
}

impl Writer for XlsxWriter {
    fn file(&mut self, _out: &mut dyn Write, run: &RunInfo, f: &FileReport) -> io::Result<()> {
        self.summary.push(summary_row(run, f));
        let zh = Cell::Text(status_zh(status(run, f)).to_string());
        self.findings
            .extend(finding_rows(run, f).into_iter().map(|mut row| {
                row[STATUS] = zh.clone();
                row
            }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &RunInfo, _end: &RunEnd) -> io::Result<()> {
        let bytes = self.workbook().map_err(io::Error::other)?;
        out.write_all(&bytes)
    }
}

impl XlsxWriter {
    fn workbook(&self) -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let header = Format::new()
            .set_bold()
            .set_background_color(0xD9E1F2)
            .set_align(FormatAlign::Top);
        let top = Format::new().set_align(FormatAlign::Top);
        let wrap = top.clone().set_text_wrap();

        let ws = wb.add_worksheet();
        ws.set_name("汇总")?;
        let titles = SUMMARY_COLUMNS.map(|(_, t)| t);
        sheet(
            ws,
            &titles,
            &SUMMARY_WIDTHS,
            &[],
            &self.summary,
            (&header, &top, &wrap),
        )?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0)?;

        let ws = wb.add_worksheet();
        ws.set_name("问题")?;
        let titles = FINDING_COLUMNS.map(|(_, t)| t);
        sheet(
            ws,
            &titles,
            &FINDING_WIDTHS,
            &FINDING_WRAPPED,
            &self.findings,
            (&header, &top, &wrap),
        )?;
        ws.set_landscape();
        ws.set_repeat_rows(0, 0)?;
        wb.save_to_buffer()
    }
}

/// Fill one sheet: the header row, frozen and filtered, then the rows.
fn sheet(
    ws: &mut Worksheet,
    titles: &[&str],
    widths: &[f64],
    wrapped: &[usize],
    rows: &[Vec<Cell>],
    (header, top, wrap): (&Format, &Format, &Format),
) -> Result<(), XlsxError> {
    for (c, t) in titles.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *t, header)?;
        ws.set_column_width(c as u16, widths[c])?;
    }
    let last_col = titles.len() as u16 - 1;
    let mut r: u32 = 0;
    for row in rows {
        if r + 1 >= MAX_ROW {
            ws.write_string(
                MAX_ROW,
                0,
                format!(
                    "行数超过 Excel 上限，其余 {} 行未写入；完整结果请用 --format csv 或 json",
                    rows.len() as u32 - r
                ),
            )?;
            break;
        }
        r += 1;
        for (c, cell) in row.iter().enumerate() {
            let fmt = if wrapped.contains(&c) { wrap } else { top };
            match cell {
                Cell::Text(s) => {
                    ws.write_string_with_format(r, c as u16, fit(s), fmt)?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(r, c as u16, *n, fmt)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, r.max(1), last_col)?;
    Ok(())
}

/// A text within Excel's cell limit; a longer one says that it was cut.
fn fit(s: &str) -> String {
    if s.chars().count() <= MAX_CELL_CHARS {
        return s.to_string();
    }
    const TAIL: &str = "……（超出 Excel 单元格上限，完整内容见 --format json 或 csv）";
    let keep = MAX_CELL_CHARS - TAIL.chars().count();
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(TAIL);
    out
}

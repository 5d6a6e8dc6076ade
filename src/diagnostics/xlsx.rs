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
//! column widths sized for Chinese text (long text wraps). Rows go into the
//! workbook as each file is checked; the file is written when the run ends
//! (the workbook is in memory until then: about 5 KB per finding row,
//! `docs/performance.md`).

use super::rows::{
    finding_rows, status, status_zh, summary_row, Cell, FINDING_COLUMNS, SUMMARY_COLUMNS,
};
use super::{FileReport, RunEnd, RunInfo, Writer};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
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

/// The two sheets' indexes in the workbook.
const SUMMARY: usize = 0;
const FINDINGS: usize = 1;

/// Rows go into the workbook as files come (the workbook holds them; no
/// second copy), the file is written when the run ends.
pub struct XlsxWriter {
    wb: Workbook,
    /// The last row written on each sheet (0: the header).
    last: [u32; 2],
    /// Rows that did not fit in a sheet (Excel's row limit).
    dropped: [u32; 2],
    top: Format,
    wrap: Format,
}

impl Default for XlsxWriter {
    fn default() -> Self {
        let top = Format::new().set_align(FormatAlign::Top);
        XlsxWriter {
            wb: Workbook::new(),
            last: [0; 2],
            dropped: [0; 2],
            wrap: top.clone().set_text_wrap(),
            top,
        }
    }
}

impl Writer for XlsxWriter {
    fn begin(&mut self, _out: &mut dyn Write, _run: &RunInfo) -> io::Result<()> {
        self.sheets().map_err(io::Error::other)
    }

    fn file(&mut self, _out: &mut dyn Write, run: &RunInfo, f: &FileReport) -> io::Result<()> {
        self.row(SUMMARY, &summary_row(run, f), &[])
            .map_err(io::Error::other)?;
        let zh = Cell::Text(status_zh(status(run, f)).to_string());
        for mut row in finding_rows(run, f) {
            row[STATUS] = zh.clone();
            self.row(FINDINGS, &row, &FINDING_WRAPPED)
                .map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &RunInfo, _end: &RunEnd) -> io::Result<()> {
        let bytes = self.close().map_err(io::Error::other)?;
        out.write_all(&bytes)
    }
}

impl XlsxWriter {
    /// Both sheets with their header rows, widths and print settings.
    fn sheets(&mut self) -> Result<(), XlsxError> {
        let header = Format::new()
            .set_bold()
            .set_background_color(0xD9E1F2)
            .set_align(FormatAlign::Top);
        let sheets: [(&str, Vec<&str>, &[f64]); 2] = [
            (
                "汇总",
                SUMMARY_COLUMNS.iter().map(|(_, t)| *t).collect(),
                &SUMMARY_WIDTHS,
            ),
            (
                "问题",
                FINDING_COLUMNS.iter().map(|(_, t)| *t).collect(),
                &FINDING_WIDTHS,
            ),
        ];
        for (i, (name, titles, widths)) in sheets.into_iter().enumerate() {
            let ws = self.wb.add_worksheet();
            ws.set_name(name)?;
            for (c, t) in titles.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *t, &header)?;
                ws.set_column_width(c as u16, widths[c])?;
            }
            ws.set_freeze_panes(1, 0)?;
            ws.set_landscape();
            ws.set_repeat_rows(0, 0)?;
            if i == SUMMARY {
                ws.set_print_fit_to_pages(1, 0);
            }
        }
        Ok(())
    }

    /// Append one row to a sheet; past Excel's last row it is counted.
    fn row(&mut self, sheet: usize, row: &[Cell], wrapped: &[usize]) -> Result<(), XlsxError> {
        if self.last[sheet] + 1 >= MAX_ROW {
            self.dropped[sheet] += 1;
            return Ok(());
        }
        self.last[sheet] += 1;
        let r = self.last[sheet];
        let ws = self.wb.worksheet_from_index(sheet)?;
        for (c, cell) in row.iter().enumerate() {
            let fmt = if wrapped.contains(&c) {
                &self.wrap
            } else {
                &self.top
            };
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
        Ok(())
    }

    /// Filters over what was written, the row-limit note, the bytes.
    fn close(&mut self) -> Result<Vec<u8>, XlsxError> {
        let widths = [SUMMARY_COLUMNS.len(), FINDING_COLUMNS.len()];
        for sheet in [SUMMARY, FINDINGS] {
            let (last, dropped) = (self.last[sheet], self.dropped[sheet]);
            let ws = self.wb.worksheet_from_index(sheet)?;
            ws.autofilter(0, 0, last.max(1), widths[sheet] as u16 - 1)?;
            if dropped > 0 {
                ws.write_string(
                    MAX_ROW,
                    0,
                    format!(
                        "行数超过 Excel 上限，其余 {dropped} 行未写入；完整结果请用 --format csv 或 json"
                    ),
                )?;
            }
        }
        self.wb.save_to_buffer()
    }
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

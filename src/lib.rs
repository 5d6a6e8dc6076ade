//! report-lint: a linter for 政府信息公开工作年度报告.
//!
//! Pipeline: [`input`] reads a file into a text view, [`parse`] builds the
//! [`model::Report`], [`engine`] runs the Rhai rules over it, and
//! [`diagnostics`] renders what they find.

pub mod model;
pub mod input;
pub mod parse;

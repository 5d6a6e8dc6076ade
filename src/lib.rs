//! report-lint: a linter for 政府信息公开工作年度报告.
//!
//! Pipeline: [`input`] reads a file into a text view, [`parse`] builds the
//! [`model::Report`], [`engine`] runs the Rhai rules over it, [`diagnostics`]
//! renders what they find, [`check`] runs a batch, [`cli`] is the command line,
//! [`annotate`] writes the findings into a copy of a Word draft as comments
//! and [`server`] is the web page and HTTP API of `report-lint serve`.

pub mod annotate;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod engine;
pub mod input;
pub mod model;
pub mod pairing;
pub mod parse;
pub mod ruletest;
pub mod scaffold;
pub mod server;

//! The diagnostic model, owned by report-lint. Renderers in this module
//! (`human` via codespan-reporting, `json`) are back-ends of it.

pub mod human;
pub mod json;

use crate::model::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A secondary location with its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding of one rule in one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// Primary location.
    pub span: Span,
    /// Label under the primary location.
    pub label: Option<String>,
    /// Secondary locations.
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

/// A rule that failed to load or to run: a fault of the rule, not of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleError {
    pub rule: String,
    /// The rule file.
    pub file: String,
    /// 1-based line and column in the rule file, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The report being checked when the rule failed, if any.
    pub report: Option<String>,
    #[serde(skip)]
    pub source: Option<std::sync::Arc<str>>,
}

impl RuleError {
    /// A rule file or folder that could not be read.
    pub fn unreadable(path: &std::path::Path, message: String) -> RuleError {
        RuleError {
            rule: String::new(),
            file: path.display().to_string(),
            line: None,
            column: None,
            message,
            report: None,
            source: None,
        }
    }
}

//! The errors of an import and the rejected rows it reports.

use polars_core::prelude::PolarsError;
use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read the file: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error(
        "{path}:{line}: not a text CSV file (binary data at byte offset {offset}); export or save it as CSV and \
         import it again"
    )]
    Binary { path: String, line: u64, offset: usize },
    #[error(
        "{path}: the file is {}, more than the {} limit of one import; export a shorter date range (or split \
         the file) and import the parts", megabytes(*size), megabytes(*limit)
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: has a header line but no data rows")]
    NoRows { path: String },
    #[error("{path}:{line}: cannot read the CSV: {reason}")]
    Malformed { path: String, line: u64, reason: String },
    #[error("{path}: missing required column '{field}' (accepted names: {accepted}; headers found: {found})")]
    MissingColumn { path: String, field: &'static str, accepted: String, found: String },
    #[error("{path}: field '{field}' is given by two columns, {columns}; remove or rename one")]
    DuplicateColumn { path: String, field: &'static str, columns: String },
    #[error("{path}: cannot read the workbook: {reason}")]
    Workbook { path: String, reason: String },
    #[error("{path}: the workbook is protected by a password; save a copy without the password and import that")]
    ProtectedWorkbook { path: String },
    #[error("{path}: no sheet of the workbook is {} {kind} export (sheets: {sheets})", article(.kind))]
    NoSheet { path: String, kind: &'static str, sheets: String },
    #[error("{0}")]
    Frame(#[from] PolarsError),
}

/// "an" before a kind that starts with a vowel ("an exceptions export"), else "a".
fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

/// A cell or header as shown in a message: on one line (control characters escaped) and
/// cut to 60 characters, so that a hostile or broken file cannot flood or forge output.
pub fn excerpt(value: &str) -> String {
    const MAX_CHARS: usize = 60;
    let mut shown: String = value.chars().take(MAX_CHARS).flat_map(char::escape_debug).collect();
    if value.chars().nth(MAX_CHARS).is_some() {
        shown.push('…');
    }
    shown
}

/// A row that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    pub file: String,
    /// 1-based physical line where the row starts; the header is line 1.
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: column '{}': {}", self.file, self.line, self.column, self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_without_the_kind_names_it_with_its_article() {
        let no_sheet = |kind| ImportError::NoSheet { path: "r.xlsx".into(), kind, sheets: "Sheet1".into() }.to_string();
        assert_eq!(no_sheet("exceptions"), "r.xlsx: no sheet of the workbook is an exceptions export (sheets: Sheet1)");
        assert_eq!(no_sheet("deliveries"), "r.xlsx: no sheet of the workbook is a deliveries export (sheets: Sheet1)");
    }
}

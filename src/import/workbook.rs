//! docs/rules.md §1.11: Excel and OpenDocument workbooks. Each sheet whose header row fits
//! a kind is read as that kind, through the same column map and row parser as a CSV file;
//! messages name the sheet and its row (`deliveries.xlsx [Sheet1]:12: ...`).

use super::cells::Cells;
use super::fields::{FieldSpec, headers_fit, map_columns, shown_headers};
use super::read::{Parsed, SlashCounts, day_first_passes, finish, merge};
use super::table::Table;
use super::{ImportError, ImportOptions, ImportReport, Rejection, TableKind, detect_kind};
use calamine::{Data, Reader, SheetType, Sheets, Xlsx};
use chrono::Timelike;
use polars_core::prelude::DataFrame;
use std::path::Path;

const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";
/// A title or a blank line may stand above an export's header row.
const HEADER_SEARCH_ROWS: usize = 20;

/// Whether a file is a workbook: by its name, or by the container a workbook is stored in.
pub fn is_workbook(path: &Path) -> bool {
    named_as_workbook(path) || matches!(magic(path), Some(m) if m == ZIP_MAGIC || m == OLE_MAGIC)
}

fn named_as_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|w| e.eq_ignore_ascii_case(w)))
}

fn magic(path: &Path) -> Option<[u8; 4]> {
    use std::io::Read;
    let mut bytes = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut bytes)).ok()?;
    Some(bytes)
}

/// One sheet as text cells: its header row and its data rows with their row numbers.
pub(super) struct SheetText {
    /// `file [sheet]`, as messages name it.
    pub(super) label: String,
    pub(super) name: String,
    pub(super) chart: bool,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<(u64, Vec<String>)>,
}

/// Reads every sheet of a workbook as text.
pub(super) fn read_sheets(path: &Path) -> Result<Vec<SheetText>, ImportError> {
    super::text::check_size(path)?;
    let shown = path.display().to_string();
    let failed = |reason: String| ImportError::Workbook { path: shown.clone(), reason: one_line(&reason) };
    check_parts(path)?;
    let mut workbook = match calamine::open_workbook_auto(path) {
        Ok(w) => w,
        // An Office file protected by a password is an OLE container whatever its name says.
        Err(_) if magic(path).is_some_and(|m| m == OLE_MAGIC) && !is_xls(path) => {
            return Err(ImportError::ProtectedWorkbook { path: shown });
        }
        Err(e) => return Err(failed(e.to_string())),
    };
    let sheets: Vec<(String, bool)> =
        workbook.sheets_metadata().iter().map(|s| (s.name.clone(), s.typ != SheetType::WorkSheet)).collect();
    let mut read = Vec::with_capacity(sheets.len());
    for (name, chart) in sheets {
        let label = format!("{shown} [{name}]");
        if chart {
            read.push(SheetText { label, name, chart, headers: Vec::new(), rows: Vec::new() });
            continue;
        }
        let range = match &mut workbook {
            // Read cell by cell, to stop at the format's row limit instead of holding a
            // hostile sheet whole.
            Sheets::Xlsx(xlsx) => xlsx_range(xlsx, &name).map_err(|e| match e {
                SheetProblem::Read(reason) => failed(format!("sheet {name}: {reason}")),
                SheetProblem::TooManyRows => ImportError::Workbook {
                    path: shown.clone(),
                    reason: format!(
                        "sheet {name} has rows past row {MAX_SHEET_ROWS}, the most a spreadsheet sheet can hold; \
                         it was not saved by a spreadsheet program: export the data as CSV instead"
                    ),
                },
            })?,
            other => other.worksheet_range(&name).map_err(|e| failed(format!("sheet {name}: {e}")))?,
        };
        let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
        let mut rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| (first_row + i as u64 + 1, cells.iter().map(cell_text).collect::<Vec<_>>()))
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
        let mut above: Vec<(u64, Vec<String>)> = Vec::new();
        let mut headers = None;
        for row in rows.by_ref().take(HEADER_SEARCH_ROWS) {
            if detect_kind(&row.1).is_some() {
                headers = Some(row.1);
                break;
            }
            above.push(row);
        }
        let (headers, rows) = match headers {
            Some(h) => (h, rows.collect()),
            // No header row fits a kind: the first row is shown as the sheet's headers.
            None => {
                let mut above = above.into_iter();
                let first = above.next().map(|r| r.1).unwrap_or_default();
                (first, above.chain(rows).collect())
            }
        };
        read.push(SheetText { label, name, chart, headers, rows });
    }
    Ok(read)
}

/// The most rows a sheet of Excel or OpenDocument can hold.
const MAX_SHEET_ROWS: u32 = 1_048_576;
/// The most a part of a workbook (a sheet's XML, the shared strings) may unpack to: a sheet
/// of [`MAX_SHEET_ROWS`] rows of an export is well under it, a compressed bomb is not.
const MAX_PART_BYTES: u64 = 1 << 30;

enum SheetProblem {
    Read(String),
    TooManyRows,
}

/// An .xlsx sheet read cell by cell, refused as soon as a cell lies past the format's row
/// limit (a sheet that says it has millions of rows is not a spreadsheet's).
fn xlsx_range<R: std::io::Read + std::io::Seek>(
    workbook: &mut Xlsx<R>,
    name: &str,
) -> Result<calamine::Range<Data>, SheetProblem> {
    let mut reader = workbook.worksheet_cells_reader(name).map_err(|e| SheetProblem::Read(e.to_string()))?;
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| SheetProblem::Read(e.to_string()))? {
        let (row, column) = cell.get_position();
        if row >= MAX_SHEET_ROWS {
            return Err(SheetProblem::TooManyRows);
        }
        let value: Data = cell.get_value().clone().into();
        if value != Data::Empty {
            cells.push(calamine::Cell::new((row, column), value));
        }
    }
    Ok(calamine::Range::from_sparse(cells))
}

/// A zipped workbook (.xlsx, .ods) whose parts say they unpack past [`MAX_PART_BYTES`] is
/// refused before anything is unpacked.
fn check_parts(path: &Path) -> Result<(), ImportError> {
    if magic(path).is_none_or(|m| m != ZIP_MAGIC) {
        return Ok(());
    }
    let shown = path.display().to_string();
    // A zip that cannot be listed is left to the workbook reader, whose message says why.
    let Ok(mut archive) =
        std::fs::File::open(path).map_err(|_| ()).and_then(|f| zip::ZipArchive::new(f).map_err(|_| ()))
    else {
        return Ok(());
    };
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(i) else { continue };
        if part.size() > MAX_PART_BYTES {
            return Err(ImportError::Workbook {
                path: shown,
                reason: format!(
                    "its part {} unpacks to {:.1} GB, more than the {} GB a workbook part may take; this is not \
                     an export a spreadsheet program saved: export the data as CSV instead",
                    super::excerpt(&part.name().unwrap_or_default()),
                    part.size() as f64 / 1e9,
                    MAX_PART_BYTES >> 30
                ),
            });
        }
    }
    Ok(())
}

fn is_xls(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xls"))
}

/// A cell as the text a CSV export would hold. Date-times are the fleet's local time; one
/// without a time of day is a date, so a date-only deadline keeps meaning the day's end.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Ids and counts typed as numbers come back as whole floats.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(d) if d.is_duration() => d.as_f64().to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) => {
                // To the nearest second: the stored fraction of a day rarely lands on one.
                let t = t + chrono::Duration::milliseconds(500);
                let t = t.with_nanosecond(0).unwrap_or(t);
                if t.time() == chrono::NaiveTime::MIN {
                    t.format("%Y-%m-%d").to_string()
                } else {
                    t.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            None => d.as_f64().to_string(),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The kinds of the workbook's sheets, in sheet order, each once.
pub(super) fn kinds(sheets: &[SheetText]) -> Vec<TableKind> {
    let mut kinds = Vec::new();
    for kind in sheets.iter().filter_map(|s| detect_kind(&s.headers)) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// The headers of the first sheet of `kind`.
pub(super) fn headers_of(sheets: &[SheetText], kind: TableKind) -> Vec<String> {
    sheets.iter().find(|s| detect_kind(&s.headers) == Some(kind)).map(|s| s.headers.clone()).unwrap_or_default()
}

/// What each sheet holds, for a message that no sheet is of the kind wanted.
pub(super) fn describe(sheets: &[SheetText]) -> String {
    if sheets.is_empty() {
        return "none".to_string();
    }
    let each = sheets.iter().map(|s| match (s.chart, detect_kind(&s.headers)) {
        (true, _) => format!("{}: a chart", s.name),
        (false, Some(kind)) => format!("{}: {}", s.name, kind.name()),
        (false, None) if s.headers.is_empty() => format!("{}: empty", s.name),
        (false, None) => format!("{}: headers {}", s.name, shown_headers(&s.headers)),
    });
    each.collect::<Vec<_>>().join("; ")
}

/// Reads the sheets of one kind into its frame, adding their counts and rejections to
/// `report` as one file named with its sheets.
pub(super) fn load_as<T: Table>(
    path: &Path,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    let sheets = read_sheets(path)?;
    let specs = kind.fields();
    // The sheets told to be of the kind; else any sheet whose headers fit it.
    let mut fitting: Vec<&SheetText> =
        sheets.iter().filter(|s| !s.chart && detect_kind(&s.headers) == Some(kind)).collect();
    if fitting.is_empty() {
        fitting = sheets.iter().filter(|s| !s.chart && headers_fit(&s.headers, specs)).collect();
    }
    if fitting.is_empty() {
        return Err(ImportError::NoSheet {
            path: path.display().to_string(),
            kind: kind.name(),
            sheets: describe(&sheets),
        });
    }
    let mut notes = Vec::new();
    // A field counts as present when any sheet of the kind has it.
    let mut columns: Vec<&'static str> = Vec::new();
    for sheet in &fitting {
        let map = map_columns(&sheet.label, &sheet.headers, specs)?;
        columns.extend(map.present(specs).into_iter().filter(|c| !columns.contains(c)).collect::<Vec<_>>());
        notes.extend(map.unused_matches);
    }
    let parsed = day_first_passes(specs.len(), opts.day_first, |day_first| {
        let pieces =
            fitting.iter().map(|s| parse_sheet::<T>(s, specs, opts, day_first)).collect::<Result<Vec<_>, _>>()?;
        merge::<T>(pieces, opts.detail, notes.clone(), columns.clone(), specs.len())
    })?;
    let names: Vec<&str> = fitting.iter().map(|s| s.name.as_str()).collect();
    finish(parsed, kind, &format!("{} [{}]", path.display(), names.join(", ")), opts, report)
}

fn parse_sheet<T: Table>(
    sheet: &SheetText,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
) -> Result<(Parsed, SlashCounts), ImportError> {
    let map = map_columns(&sheet.label, &sheet.headers, specs)?;
    let mut orders = vec![(0usize, 0usize); specs.len()];
    let mut table = T::default();
    table.keep(opts.detail);
    table.reserve(sheet.rows.len());
    let mut rejections = Vec::new();
    for (line, row) in &sheet.rows {
        let record: Vec<&str> = row.iter().map(String::as_str).collect();
        let mut cells =
            Cells { record: &record, line: *line, map: &map, zone: opts.zone, day_first, orders: &mut orders };
        if let Err(e) = table.read(&mut cells) {
            rejections.push(Rejection {
                file: sheet.label.clone(),
                line: *line,
                column: map.written[e.field].clone(),
                reason: e.reason,
            });
        }
    }
    Ok((Parsed { frame: table.frame()?, rejections, notes: Vec::new(), columns: Vec::new(), found: None }, orders))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn stamp(serial: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false))
    }

    #[test]
    fn cells_read_as_a_csv_export_writes_them() {
        // 46083 is 2026-03-02; a quarter of a day is 06:00.
        assert_eq!(cell_text(&stamp(46083.25)), "2026-03-02 06:00:00");
        // A fraction a hair short of a whole second rounds to it.
        assert_eq!(cell_text(&stamp(46083.25 - 0.4 / 86_400_000.0 * 1000.0)), "2026-03-02 06:00:00");
        // Midnight exactly is a date, so a date-only deadline keeps its meaning.
        assert_eq!(cell_text(&stamp(46083.0)), "2026-03-02");
        assert_eq!(cell_text(&Data::Float(12345.0)), "12345");
        assert_eq!(cell_text(&Data::Float(0.5)), "0.5");
        assert_eq!(cell_text(&Data::Int(-3)), "-3");
        assert_eq!(cell_text(&Data::Bool(true)), "yes");
        assert_eq!(cell_text(&Data::DateTimeIso("2026-03-02T07:00:00".into())), "2026-03-02T07:00:00");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn files_are_told_workbooks_by_name_or_by_their_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        assert!(is_workbook(&write("a.XLSX", b"anything")));
        assert!(is_workbook(&write("export.csv", b"PK\x03\x04rest")));
        assert!(is_workbook(&write("export", b"\xD0\xCF\x11\xE0rest")));
        assert!(!is_workbook(&write("b.csv", b"driver_id,block_id\n")));
    }
}

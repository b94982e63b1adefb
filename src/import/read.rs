//! Reading a file's records into a frame: in blocks of whole records on both cores when
//! the file is plain UTF-8, whole otherwise; day-first columns read again; duplicate keys
//! resolved (the later row wins).

use super::blocks::RecordText;
use super::cells::Cells;
use super::fields::{ColumnMap, FieldSpec, map_columns};
use super::records::{self, split_header};
use super::scan::{Survey, survey};
use super::table::Table;
use super::text::CsvText;
use super::{Detail, FileSummary, ImportError, ImportOptions, ImportReport, Rejection, TableKind, excerpt};
use polars_core::prelude::*;

pub(super) struct Parsed {
    pub(super) frame: DataFrame,
    pub(super) rejections: Vec<Rejection>,
    pub(super) notes: Vec<String>,
    /// The fields the file has a column for.
    pub(super) columns: Vec<&'static str>,
    /// The rows whose keys were looked for before they were dropped, with the row of each in its
    /// report ([`super::watch::WatchedIds`]); `None` when they were not, or keys were kept.
    pub(super) found: Option<super::watch::Found>,
}

pub(super) fn finish(
    mut parsed: Parsed,
    kind: TableKind,
    path: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    if kind == TableKind::Scorecard {
        super::scorecards::resolve_weeks(&mut parsed, path, opts.week)?;
    }
    let rows = parsed.frame.height();
    let read = rows + parsed.rejections.len();
    if read == 0 && matches!(kind, TableKind::Blocks | TableKind::Deliveries) {
        return Err(ImportError::NoRows { path: path.to_string() });
    }
    let (frame, duplicate) = crate::timings::phase(&format!("{} duplicate keys", kind.name()), || {
        later_rows_win(parsed.frame, kind.key_column())
    })?;
    report.files.push(FileSummary {
        path: path.to_string(),
        kind,
        read,
        accepted: rows - duplicate,
        duplicate,
        rejected: parsed.rejections.len(),
        merged: None,
        columns: parsed.columns,
    });
    report.rejections.extend(parsed.rejections);
    report.notes.extend(parsed.notes);
    Ok(frame)
}

/// Duplicate keys: the later row wins. Returns the rows kept and how many were dropped.
/// An export in key order (strictly increasing keys) has none, which one comparison per
/// row shows without a hash table.
pub(super) fn later_rows_win(frame: DataFrame, key_column: Option<&str>) -> Result<(DataFrame, usize), ImportError> {
    let Some(name) = key_column else { return Ok((frame, 0)) };
    let Some(kept) = rows_kept(frame.column(name)?.str()?) else { return Ok((frame, 0)) };
    let duplicate = frame.height() - kept.num_trues();
    Ok((frame.filter(&kept)?, duplicate))
}

/// `Some(last key)` (`Some(None)` without keys) when every key is present and greater than
/// the one before: keys in strictly increasing order, which cannot repeat.
pub(super) fn last_if_increasing(keys: &StringChunked) -> Option<Option<&str>> {
    let mut previous: Option<&str> = None;
    keys.iter()
        .all(|key| match key {
            Some(k) if previous.is_none_or(|p| p < k) => {
                previous = Some(k);
                true
            }
            _ => false,
        })
        .then_some(previous)
}

/// Which rows a later row with the same key does not replace; `None` when all are kept.
pub(super) fn rows_kept(keys: &StringChunked) -> Option<BooleanChunked> {
    // Keys dropped as they were read in order ([`IncreasingKeys`]): none repeats.
    if keys.null_count() == keys.len() {
        return None;
    }
    let increasing = |rows: std::ops::Range<usize>| {
        Ok::<bool, ()>(last_if_increasing(&keys.slice(rows.start as i64, rows.len())).is_some())
    };
    if crate::parallel::holds_in_parts(keys.len(), increasing, || Ok(false)) == Ok(true) {
        return None;
    }
    let mut last: PlHashMap<&str, usize> = PlHashMap::with_capacity(keys.len());
    for (row, key) in keys.iter().enumerate() {
        if let Some(k) = key {
            last.insert(k, row);
        }
    }
    (last.len() < keys.len() - keys.null_count())
        .then(|| keys.iter().enumerate().map(|(row, key)| key.is_none_or(|k| last.get(k) == Some(&row))).collect())
}

/// Runs `pass` until the day-first reading of every column is settled. docs/rules.md §1.9: a
/// column is day-first when it holds a value valid only day-first and none valid only
/// month-first; such a column is read again.
pub(super) fn day_first_passes<E>(
    fields: usize,
    day_first_everywhere: bool,
    mut pass: impl FnMut(&[bool]) -> Result<(Parsed, SlashCounts), E>,
) -> Result<Parsed, E> {
    let mut day_first = vec![day_first_everywhere; fields];
    loop {
        let (parsed, orders) = pass(&day_first)?;
        let mut again = false;
        for (flag, (only_day_first, only_month_first)) in day_first.iter_mut().zip(&orders) {
            if !*flag && *only_day_first > 0 && *only_month_first == 0 {
                *flag = true;
                again = true;
            }
        }
        if !again {
            return Ok(parsed);
        }
    }
}

/// Per field: values valid only day-first, only month-first.
pub(super) type SlashCounts = Vec<(usize, usize)>;

/// One pass over a decoded file.
pub(super) fn parse_pass<T: Table>(
    csv: &CsvText,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
) -> Result<(Parsed, SlashCounts), ImportError> {
    let (headers, body_start, body_line) = split_header(csv)?;
    let map = map_columns(&csv.path, &headers, specs)?;
    let records = Records { path: &csv.path, delimiter: csv.delimiter, headers: &headers, map: &map, opts, day_first };
    let body = RecordText::Whole(csv.text.get(body_start..).unwrap_or_default());
    // Decoded text is UTF-8 throughout: every piece reads.
    let (pieces, _) = records.read::<T>(body, body_line)?.unwrap_or_default();
    merge::<T>(pieces, opts.detail, map.unused_matches.clone(), map.present(specs), specs.len())
}

/// The pieces of a run of records, each read into a frame with its slash-date counts, and
/// the run's line count.
pub(super) type PiecesRead = (Vec<(Parsed, SlashCounts)>, u64);

/// What reading records of a file needs besides their bytes.
pub(super) struct Records<'a> {
    pub(super) path: &'a str,
    pub(super) delimiter: u8,
    pub(super) headers: &'a [String],
    pub(super) map: &'a ColumnMap,
    pub(super) opts: &'a ImportOptions,
    pub(super) day_first: &'a [bool],
}

impl Records<'_> {
    /// Reads a run of whole records starting on line `first_line`: big runs in pieces on
    /// all cores, each piece starting at a record boundary.
    /// Also returns how many lines the run has; `None` when a piece is not UTF-8 (the
    /// file is then decoded whole).
    pub(super) fn read<T: Table>(&self, text: RecordText, first_line: u64) -> Result<Option<PiecesRead>, ImportError> {
        let failed = || ImportError::Malformed {
            path: self.path.to_string(),
            line: 0,
            reason: "a reader thread failed".to_string(),
        };
        let pieces: Vec<(&[u8], Survey)> = match text {
            RecordText::Surveyed(pieces) => pieces,
            RecordText::Whole(body) => {
                let mut bounds = vec![0];
                bounds.extend(records::record_cuts(body.as_bytes(), crate::parallel::cores(), self.delimiter));
                bounds.push(body.len());
                let pieces: Vec<&[u8]> = bounds.windows(2).filter_map(|w| body.as_bytes().get(w[0]..w[1])).collect();
                // Each piece's lines (where the next piece starts, and room for its rows) and
                // the checks it needs, on all cores.
                crate::parallel::map_on_threads(pieces, |piece| Some((piece, survey(piece))), || None)
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(failed)?
            }
        };
        let mut start = first_line;
        let mut jobs = Vec::with_capacity(pieces.len());
        for (piece, survey) in pieces {
            jobs.push((piece, start, survey));
            start += survey.newlines;
        }
        // Cuts fall just after a newline: a piece of UTF-8 text is UTF-8 on its own.
        let read = crate::parallel::map_on_threads(
            jobs,
            |(piece, line, survey)| match std::str::from_utf8(piece) {
                Ok(piece) => self.read_piece::<T>(piece, line, &survey).map(Some),
                Err(_) => Ok(None),
            },
            || Err(failed()),
        )
        .into_iter()
        .collect::<Result<Option<Vec<_>>, _>>()?;
        Ok(read.map(|read| (read, start - first_line)))
    }

    fn read_piece<T: Table>(
        &self,
        piece: &str,
        first_line: u64,
        survey: &Survey,
    ) -> Result<(Parsed, SlashCounts), ImportError> {
        let mut orders = vec![(0usize, 0usize); self.day_first.len()];
        let mut table = T::default();
        table.keep(self.opts.detail);
        let mut rejections = Vec::new();
        // A quote left open at the end (a truncated export) would swallow the rest of the
        // file into one cell: that row is rejected and the rows before it are read.
        let open_quote =
            if survey.quotes { records::unterminated_quote(piece.as_bytes(), self.delimiter) } else { None };
        let piece = match open_quote {
            Some(open) => {
                rejections.push(Rejection {
                    file: self.path.to_string(),
                    line: first_line
                        + memchr::memchr_iter(b'\n', &piece.as_bytes()[..open.record_start]).count() as u64,
                    column: self
                        .headers
                        .get(open.field)
                        .map_or_else(|| format!("column {}", open.field + 1), |h| excerpt(h.trim())),
                    reason: "a quoted value starts here and is never closed: the file ends inside it (a truncated \
                             export?)"
                        .to_string(),
                });
                // A record starts just after a newline: a character boundary.
                piece.get(..open.record_start).unwrap_or_default()
            }
            None => piece,
        };
        // Room for as many rows as the piece has lines: the columns keep the room they are given.
        table.reserve(survey.newlines as usize + 1);
        let (map, zone, day_first) = (self.map, self.opts.zone, self.day_first);
        let crs = survey.carriage_returns;
        records::for_each_record_in(self.path, piece, self.delimiter, first_line, crs, |line, record| {
            let mut cells = Cells { record, line, map, zone, day_first, orders: &mut orders };
            match table.read(&mut cells) {
                Ok(()) => {}
                Err(e) => rejections.push(Rejection {
                    file: self.path.to_string(),
                    line,
                    column: map.written[e.field].clone(),
                    reason: e.reason,
                }),
            }
        })?;
        // Each piece's columns become one chunk of the frame, built on the piece's core.
        Ok((Parsed { frame: table.frame()?, rejections, notes: Vec::new(), columns: Vec::new(), found: None }, orders))
    }
}

/// The pieces of a file, in order, as one frame (the pieces' columns chained as chunks,
/// not copied) with their rejections and slash-date counts.
pub(super) fn merge<T: Table>(
    pieces: Vec<(Parsed, SlashCounts)>,
    detail: Detail,
    notes: Vec<String>,
    columns: Vec<&'static str>,
    fields: usize,
) -> Result<(Parsed, SlashCounts), ImportError> {
    let mut empty = T::default();
    empty.keep(detail);
    let mut merged = Parsed { frame: empty.frame()?, rejections: Vec::new(), notes, columns, found: None };
    let mut orders = vec![(0usize, 0usize); fields];
    for (parsed, counts) in pieces {
        merged.frame.vstack_mut_owned(parsed.frame)?;
        merged.rejections.extend(parsed.rejections);
        for (total, (d, m)) in orders.iter_mut().zip(counts) {
            total.0 += d;
            total.1 += m;
        }
    }
    Ok((merged, orders))
}

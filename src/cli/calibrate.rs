//! `calibrate` (docs/rules.md §7): fits the thresholds to observed tiers, writes them as a
//! thresholds TOML and reports how well they agree.

use super::{Failure, Inputs, emit, load_data};
use crate::fsutil::write_atomic;
use crate::import::{Detail, TableKind, check_input};
use crate::load::read_observed;
use crate::standing::calibrate::{calibrate, observations_of};
use std::path::{Path, PathBuf};

pub(super) fn run(
    inputs: &Inputs,
    workspace: Option<&Path>,
    observed: &Path,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    check_input(observed, TableKind::Observed).map_err(Failure::input)?;
    let loaded = load_data(inputs, workspace, Detail::Standing)?;
    let (rows, report) = read_observed(observed, loaded.dataset.zone, inputs.day_first)?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for r in &report.rejections {
        eprintln!("rejected: {r}");
    }
    let (observations, unknown) = observations_of(&loaded.fleet, &rows);
    if !unknown.is_empty() {
        eprintln!(
            "note: {}: {} driver(s) not in the data left out: {}",
            observed.display(),
            unknown.len(),
            unknown.join(", ")
        );
    }
    if observations.is_empty() {
        return Err(Failure::input(format!("{}: no observation of a driver in the data", observed.display())));
    }
    let result =
        crate::timings::phase("calibrate", || calibrate(&loaded.fleet, &observations, &loaded.settings.thresholds));
    if let Some(path) = &out {
        write_atomic(path, result.after.to_toml().as_bytes())
            .map_err(|e| Failure::other(format!("{}: cannot write: {e}", path.display())))?;
        eprintln!("standwatch: wrote the calibrated thresholds to {}", path.display());
    } else {
        eprintln!("standwatch: give --out FILE.toml to write the calibrated thresholds");
    }
    emit(None, result.report_text().as_bytes())
}

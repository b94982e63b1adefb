//! The baseline of the fleet benchmark (`benches/fleet.sh`): polars reading CSV files with
//! every column as a string, and nothing else. Prints the seconds taken.
//!
//!     polars_read FILE...

use polars::prelude::*;
use std::time::Instant;

fn main() -> PolarsResult<()> {
    let started = Instant::now();
    let mut rows = 0;
    for path in std::env::args().skip(1) {
        let frame = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .try_into_reader_with_file_path(Some(path.into()))?
            .finish()?;
        rows += frame.height();
    }
    println!("{:.3} s, {rows} rows", started.elapsed().as_secs_f64());
    Ok(())
}

//! docs/rules.md §1.12: what an export's columns cost when they are absent, and how an
//! export changed shape since the last import of its kind. Exports change without notice;
//! a column that silently disappears must not silently remove a dispute ground.

use super::TableKind;

/// What the standing, the grounds or the letters lose without an optional column, for
/// the columns that matter (`None`: nothing but the column's own values).
pub fn cost(kind: TableKind, field: &str) -> Option<&'static str> {
    Some(match (kind, field) {
        (TableKind::Blocks, "checked_in_at") => "every block without a check-in counts as a no-show",
        (TableKind::Blocks, "cancelled_at") => "cancelled blocks count as no-shows",
        (TableKind::Blocks, "departed_at") => "STATION_DELAY cannot be found",
        (TableKind::Blocks, "station") => "outages of one station cannot apply",
        (TableKind::Deliveries, "block_id") => "STATION_DELAY and IMPOSSIBLE_DEADLINE cannot be found",
        (TableKind::Deliveries, "attempted_at") => "attempts cannot be timed: on-time rates and OUTAGE suffer",
        (TableKind::Deliveries, "reason") => "ACCESS_DOCUMENTED, SAFETY, APP_FAILURE and ID_CHECK cannot be found",
        (TableKind::Deliveries, "contact_attempts") => "ACCESS_DOCUMENTED cannot be found for unreachable customers",
        (TableKind::Deliveries, "photo") => "PHOTO_PROOF cannot be found",
        (TableKind::Deliveries, "dnr") => "DNR claims come only from a concessions report",
        (TableKind::Deliveries, "returned_at") => "UNRETURNED cannot be told",
        (TableKind::Concessions, "geo_far" | "no_pod") => "DELIVERED_AT_PIN cannot be found",
        _ => return None,
    })
}

/// The optional columns whose absence costs a dispute ground, checked on every run
/// without a workspace.
fn ground_column(kind: TableKind, field: &str) -> bool {
    matches!(
        (kind, field),
        (TableKind::Blocks, "departed_at")
            | (TableKind::Deliveries, "block_id" | "reason" | "contact_attempts" | "photo")
            | (TableKind::Concessions, "geo_far" | "no_pod")
    )
}

/// Notes for a file that lacks a column a dispute ground needs ("deliveries.csv: no
/// 'photo' column: PHOTO_PROOF cannot be found"). Nothing when its columns are not known.
pub fn missing_ground_columns(kind: TableKind, path: &str, columns: &[&str]) -> Vec<String> {
    if columns.is_empty() {
        return Vec::new();
    }
    kind.fields()
        .iter()
        .filter(|f| !f.required && ground_column(kind, f.name) && !columns.contains(&f.name))
        .filter_map(|f| cost(kind, f.name).map(|c| format!("{path}: no '{}' column: {c}", f.name)))
        .collect()
}

/// Notes for an import whose columns differ from the last import of its kind: each column
/// gone (with its cost) and each new one.
pub fn changes(kind: TableKind, path: &str, last: &[String], now: &[&str]) -> Vec<String> {
    let mut notes = Vec::new();
    for gone in last.iter().filter(|c| !now.contains(&c.as_str())) {
        let cost = cost(kind, gone).map_or_else(|| "its values are missing".to_string(), str::to_string);
        notes.push(format!("{path}: no '{gone}' column this time (the last {} import had one): {cost}", kind.name()));
    }
    let new: Vec<&str> = now.iter().copied().filter(|c| !last.iter().any(|l| l == c)).collect();
    if !new.is_empty() {
        notes.push(format!(
            "{path}: new column(s) since the last {} import: {}",
            kind.name(),
            new.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_ground_column_is_named_with_its_cost() {
        let notes = missing_ground_columns(
            TableKind::Deliveries,
            "d.csv",
            &["tracking_id", "driver_id", "block_id", "deliver_by", "outcome", "reason", "contact_attempts"],
        );
        assert_eq!(notes, ["d.csv: no 'photo' column: PHOTO_PROOF cannot be found"]);
        assert!(missing_ground_columns(TableKind::Deliveries, "d.csv", &[]).is_empty(), "columns not known");
        assert!(missing_ground_columns(TableKind::Roster, "r.csv", &["driver_id"]).is_empty());
    }

    #[test]
    fn a_changed_shape_names_the_columns_gone_and_new() {
        let last: Vec<String> = ["tracking_id", "photo", "notes"].map(str::to_string).into();
        let notes = changes(TableKind::Deliveries, "d.csv", &last, &["tracking_id", "reason"]);
        assert_eq!(
            notes,
            [
                "d.csv: no 'photo' column this time (the last deliveries import had one): PHOTO_PROOF cannot be found",
                "d.csv: no 'notes' column this time (the last deliveries import had one): its values are missing",
                "d.csv: new column(s) since the last deliveries import: 'reason'",
            ]
        );
        assert!(changes(TableKind::Deliveries, "d.csv", &last, &["tracking_id", "photo", "notes"]).is_empty());
    }
}

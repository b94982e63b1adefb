//! The canonical fixture: boundaries, lag, DNR, the default as-of, and local days under --tz.

use super::*;

// ---------------------------------------------------------------------------------------------
// 1. canonical headers, ISO timestamps, boundaries, lag, DNR, default as-of
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/canonical. Newest event: package T233 of C3 on 2026-03-09 (a package, not a
/// block: the default as-of looks at both) → as-of 2026-03-11, cut 2026-03-09.
#[test]
fn canonical_report_boundaries_lag_dnr_and_default_as_of() {
    let t = report(&inputs("canonical"));
    // Sorted by driver_id, one row per driver in blocks or deliveries.
    assert_eq!(t.driver_ids(), ["A1", "B2", "C3", "D4"]);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-03-11", "default as-of = newest event day 03-09 + 2");
    }

    // A1 blocks (start 07:00 each day):
    //   B101 03-02 check-in 07:05:00 = exactly +5:00      → on time (inclusive)
    //   B102 03-03 check-in 07:05:01 = +5:01              → miss (late arrival)
    //   B103 03-04 cancelled 06:15:00 = exactly 45:00 before → on-time cancel, not counted
    //   B104 03-05 cancelled 06:15:01 = 44:59 before      → miss (late cancel)
    //   B105 03-06 neither checked in nor cancelled        → miss (no-show)
    //   B106 03-07 check-in 06:50                          → on time
    //   B107 03-08 check-in 06:55                          → on time
    // counted 6, on time 3 → 0.5 → At Risk; no packages → quality No standing.
    // blocks_to_next_tier: (3+k)/(6+k) ≥ 0.80 ⇔ k ≥ 9 (12/15 = 0.80 exactly, window not full) → 9.
    // Headroom empty at At Risk. D−7 = 03-04 (cut 03-02: B101 only, 1/1 Fantastic) → TIER_DROP.
    check(
        &t,
        "A1",
        &[
            ("driver_name", "Ann Alpha"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "At Risk"),
            ("reliability_rate", "0.5"),
            ("reliability_blocks", "6"),
            ("quality_tier", "No standing"),
            ("attempted_rate", ""),
            ("success_rate", ""),
            ("on_time_rate", ""),
            ("dnr_count", ""),
            ("quality_packages", "0"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", "9"),
            ("packages_to_next_tier", ""),
            ("alerts", "AT_RISK;TIER_DROP"),
        ],
    );

    // B2 packages only (no name anywhere → empty name):
    //   T201 03-02 delivered before deadline            ok
    //   T202 03-02 delivered 30 min after deadline      late
    //   T203 03-03 attempted (not delivered) on time, returned_at set
    //   T204 03-03 not_attempted, no returned_at        → UNRETURNED
    //   T205 03-04 delivered on time, DNR Y reported 03-05 09:00
    //   T206..T209 delivered on time; T210 attempted_at == deliver_by (on time, inclusive)
    // n = 10: attempted 9/10 = 0.9, success 8/10 = 0.8, on_time 8/10 = 0.8 (T202, T204 not), dnr 1
    // → attempted tier At Risk → quality At Risk.
    // packages_to_next_tier (window 500 not full): attempted (9+k)/(10+k) ≥ 0.98 ⇔ k ≥ 40,
    // success (8+k)/(10+k) ≥ 0.96 ⇔ k ≥ 40, on_time ≥ 0.90 ⇔ k ≥ 10, dnr 1 ≤ 2 → Fair at k = 40.
    // NEW_DNR: claim day 03-05 ∈ [D−6, D] = [03-05, 03-11] (inclusive lower bound).
    // D−7 = 03-04 (cut 03-02: T201, T202 → on_time 0.5, At Risk) → no TIER_DROP.
    check(
        &t,
        "B2",
        &[
            ("driver_name", ""),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "No standing"),
            ("reliability_rate", ""),
            ("reliability_blocks", "0"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "0.9"),
            ("success_rate", "0.8"),
            ("on_time_rate", "0.8"),
            ("dnr_count", "1"),
            ("quality_packages", "10"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", ""),
            ("packages_to_next_tier", "40"),
            ("alerts", "AT_RISK;NEW_DNR;UNRETURNED"),
        ],
    );

    // C3: 3 on-time blocks (03-02..03-04), 3 packages delivered on time (03-07..03-09).
    // Reliability 1.0 Fantastic; one more miss → 3/4 = 0.75 At Risk → headroom 1.
    // Quality 1.0/1.0/1.0, dnr 0 → Fantastic; one not_attempted → 3/4 → headroom 1 → NEAR_DROP.
    check(
        &t,
        "C3",
        &[
            ("driver_name", "Cat Charlie"),
            ("overall_tier", "Fantastic"),
            ("reliability_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "3"),
            ("quality_tier", "Fantastic"),
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "1"),
            ("dnr_count", "0"),
            ("quality_packages", "3"),
            ("reliability_headroom", "1"),
            ("quality_headroom", "1"),
            ("blocks_to_next_tier", ""),
            ("packages_to_next_tier", ""),
            ("alerts", "NEAR_DROP"),
        ],
    );

    // D4 "=cmd": one on-time block → 1.0 Fantastic; one more miss → 1/2 = 0.5 → headroom 1.
    // The name would run as a formula in a spreadsheet → written with a leading apostrophe.
    check(
        &t,
        "D4",
        &[
            ("driver_name", "'=cmd"),
            ("overall_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "1"),
            ("quality_tier", "No standing"),
            ("quality_packages", "0"),
            ("reliability_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
}

/// Lag: with `--as-of 2026-03-09` the cut is 03-07, so A1's block B107 on 03-08 (= as-of − 1)
/// does not count, and only C3's package of 03-07 counts.
#[test]
fn canonical_report_block_on_as_of_minus_one_does_not_count() {
    let mut args = inputs("canonical");
    args.extend(["--as-of".into(), "2026-03-09".into()]);
    let t = report(&args);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-03-09");
    }
    // A1: B101 on, B102 miss, B104 miss, B105 miss, B106 on → 2/5 = 0.4 (B107 excluded).
    // blocks_to_next_tier: (2+k)/(5+k) ≥ 0.8 ⇔ k ≥ 10 (12/15).
    check(
        &t,
        "A1",
        &[
            ("reliability_rate", "0.4"),
            ("reliability_blocks", "5"),
            ("reliability_tier", "At Risk"),
            ("blocks_to_next_tier", "10"),
        ],
    );
    // B2 unchanged (all its packages are ≤ 03-06).
    check(&t, "B2", &[("quality_packages", "10"), ("attempted_rate", "0.9"), ("packages_to_next_tier", "40")]);
    // C3: packages of 03-08 and 03-09 are after the cut → 1 package.
    check(&t, "C3", &[("quality_packages", "1"), ("reliability_blocks", "3"), ("quality_tier", "Fantastic")]);
}

/// The system time zone is not the fleet time zone (default UTC): TZ=Pacific/Kiritimati (UTC+14)
/// must not change anything.
#[test]
fn canonical_report_ignores_system_time_zone() {
    let sw = Standwatch::new();
    let mut utc = sw.cmd();
    utc.arg("report").args(inputs("canonical")).args(["--format", "csv"]);
    let (expected, _) = run_ok(utc);
    let mut kiritimati = sw.cmd();
    kiritimati.env("TZ", "Pacific/Kiritimati").arg("report").args(inputs("canonical")).args(["--format", "csv"]);
    let (got, _) = run_ok(kiritimati);
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------------------------------------
// 5. offsets and --tz America/New_York (local days, DST on 2026-03-08)
// ---------------------------------------------------------------------------------------------
//
// New York: EST (UTC−5) until 2026-03-08 02:00 local, then EDT (UTC−4).
// blocks:
//   M1 B501 start 2026-03-05T02:00Z          = 03-04 21:00 EST → day 03-04 (UTC day 03-05);
//           check-in 2026-03-04T21:04-05:00 = +4 min → on time
//   M1 B502 start naive 2026-03-05 21:00 EST = 03-06T02:00Z → day 03-05;
//           check-in 2026-03-06T02:03Z = +3 min → on time (naive read as UTC: +5 h → miss)
//   M1 B503 start naive 2026-03-08 07:00 EDT = 11:00Z → day 03-08;
//           check-in 2026-03-08T12:04Z = +64 min → miss (EST wrongly applied: +4 min → on time)
//   N2 B511 start 2026-03-02T12:00+01:00     = 11:00Z = 06:00 EST → day 03-02;
//           check-in naive 2026-03-02 06:06 EST = +6 min → miss
// deliveries (all delivered):
//   T501 by 2026-03-09T20:00-04:00 (= 03-10T00:00Z) → day 03-09 (UTC day 03-10);
//        attempted naive 03-09 19:30 EDT → on time
//   T502 by 2026-03-10T03:30Z = 03-09 23:30 EDT → day 03-09 (UTC day 03-10);
//        attempted naive 03-09 23:45 EDT = 03:45Z → late (naive read as UTC: on time)
//   T503 by naive 2026-03-07 18:00 EST = 23:00Z → day 03-07; attempted 22:59Z → on time

fn tz_args() -> Vec<String> {
    let mut args = inputs("offsets_tz");
    args.extend(["--tz".into(), "America/New_York".into()]);
    args
}

/// Newest local event day is 03-09 (its UTC date is 03-10) → as-of 2026-03-11, cut 03-09,
/// which includes T501/T502 (local day 03-09) even though their UTC date is 03-10.
#[test]
fn offsets_and_tz_report_default_as_of_uses_local_days() {
    let t = report(&tz_args());
    assert_eq!(t.driver_ids(), ["M1", "N2"]);
    // M1: blocks on, on, miss → 2/3; to next (Fair): (2+k)/(3+k) ≥ 0.8 ⇔ k ≥ 2.
    //     packages: attempted 1, success 1, on_time 2/3 (T502 late) → At Risk;
    //     to next: (2+k)/(3+k) ≥ 0.90 ⇔ k ≥ 7.
    check(
        &t,
        "M1",
        &[
            ("driver_name", "Mia Mike"),
            ("as_of", "2026-03-11"),
            ("overall_tier", "At Risk"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "0.666667"),
            ("dnr_count", "0"),
            ("quality_packages", "3"),
            ("blocks_to_next_tier", "2"),
            ("packages_to_next_tier", "7"),
            ("alerts", "AT_RISK"),
        ],
    );
    // N2: 0/1 → 0.0 At Risk; k/(1+k) ≥ 0.8 ⇔ k ≥ 4. D−7 = 03-04 (cut 03-02: same 0/1) → no drop.
    check(
        &t,
        "N2",
        &[
            ("as_of", "2026-03-11"),
            ("reliability_rate", "0"),
            ("reliability_blocks", "1"),
            ("reliability_tier", "At Risk"),
            ("blocks_to_next_tier", "4"),
            ("alerts", "AT_RISK"),
        ],
    );
}

/// `--as-of 2026-03-06` (cut 03-04): B501 counts because its New York day is 03-04 (its UTC date,
/// 03-05, would be after the cut). `--as-of 2026-03-10` (cut 03-08): T501/T502 (local 03-09) are
/// out; the DST-day block B503 (03-08) is in.
#[test]
fn offsets_and_tz_report_cut_uses_local_days() {
    let mut args = tz_args();
    args.extend(["--as-of".into(), "2026-03-06".into()]);
    let t = report(&args);
    check(
        &t,
        "M1",
        &[
            ("as_of", "2026-03-06"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "1"),
            ("reliability_tier", "Fantastic"),
            ("quality_tier", "No standing"),
            ("quality_packages", "0"),
        ],
    );

    let mut args = tz_args();
    args.extend(["--as-of".into(), "2026-03-10".into()]);
    let t = report(&args);
    // Blocks B501 on, B502 on, B503 miss → 2/3; packages: only T503 (on time) → 1.0.
    check(
        &t,
        "M1",
        &[
            ("as_of", "2026-03-10"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_packages", "1"),
            ("on_time_rate", "1"),
            ("quality_tier", "Fantastic"),
        ],
    );
}

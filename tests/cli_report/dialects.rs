//! Export dialects: header aliases and US dates, BOM/CRLF/multi-line fields, Windows-1252
//! with semicolons, day-first dates.

use super::*;

// ---------------------------------------------------------------------------------------------
// 2. header aliases + US dates (M/D/YYYY h:mm AM/PM), date-only deadlines, outcome synonyms, roster
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/aliases_us (default month-first: no value is valid only day-first).
/// Newest event: P5, planned 03/06/2026 → as-of 2026-03-08, cut 03-06.
#[test]
fn aliases_and_us_dates_report() {
    let mut args = inputs("aliases_us");
    args.extend(["--roster".into(), path_arg(&fixture("aliases_us/roster.csv"))]);
    let t = report(&args);
    // Every driver in blocks, deliveries or roster has a row; G3 is only in the roster.
    assert_eq!(t.driver_ids(), ["E1", "F2", "G3"]);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-03-08");
    }

    // E1 (blocks: Transporter ID / Shift ID / Scheduled Start / Check-In Time / Cancel Time):
    //   S1 03/02 7:00 AM, check-in 7:05 AM        → on time (exactly +5)
    //   S2 03/03 7:00 AM, check-in 7:06 AM        → miss
    //   S3 03/04 12:00 AM (midnight), 12:04 AM    → on time
    //   S4 03/05 1:00 PM (13:00), 12:58 PM (noon) → on time (read without PM: 01:00 vs 12:58 → miss)
    //   S5 03/05 5:00 PM cancelled 9:00 AM (8 h notice) → not counted
    // 3/4 = 0.75 → At Risk; blocks_to_next_tier: 4/5 = 0.80 → 1.
    // The roster name wins over the blocks' "Eve Echo".
    check(
        &t,
        "E1",
        &[
            ("driver_name", "Evelyn Echo"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "At Risk"),
            ("reliability_rate", "0.75"),
            ("reliability_blocks", "4"),
            ("quality_tier", "No standing"),
            ("quality_packages", "0"),
            ("reliability_headroom", ""),
            ("blocks_to_next_tier", "1"),
            ("alerts", "AT_RISK"),
        ],
    );

    // F2 (deliveries: Tracking ID / Planned Delivery Date (date only → 23:59:59) / Delivered At /
    // Package Status / Returned to Station At):
    //   P1 planned 03/02, delivered 03/02 11:59 PM, "Delivered to Customer" → on time
    //   P2 planned 03/03, delivered 03/04 12:01 AM                         → late
    //   P3 planned 03/04, 3:15 PM, "RTS", returned 8:00 PM                  → attempted, on time
    //   P4 planned 03/05, "No Attempt", not returned                        → not attempted, UNRETURNED
    //   P5 planned 03/06, 10:00 AM, "DELIVERED_TO_LOCKER"                   → delivered on time
    // attempted 4/5 = 0.8, success 3/5 = 0.6, on_time 3/5 = 0.6, dnr 0 → At Risk.
    // packages_to_next_tier: attempted (4+k)/(5+k) ≥ 0.98 ⇔ k ≥ 45; success (3+k)/(5+k) ≥ 0.96
    // ⇔ k ≥ 45; on_time ⇔ k ≥ 15 → 45.
    check(
        &t,
        "F2",
        &[
            ("driver_name", "Finn Foxtrot"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "No standing"),
            ("reliability_rate", ""),
            ("reliability_blocks", "0"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "0.8"),
            ("success_rate", "0.6"),
            ("on_time_rate", "0.6"),
            ("dnr_count", "0"),
            ("quality_packages", "5"),
            ("quality_headroom", ""),
            ("packages_to_next_tier", "45"),
            ("alerts", "AT_RISK;UNRETURNED"),
        ],
    );

    // G3: roster only → No standing everywhere, counts 0, everything else empty.
    check(
        &t,
        "G3",
        &[
            ("driver_name", "Gus Golf"),
            ("overall_tier", "No standing"),
            ("reliability_tier", "No standing"),
            ("reliability_rate", ""),
            ("reliability_blocks", "0"),
            ("quality_tier", "No standing"),
            ("attempted_rate", ""),
            ("success_rate", ""),
            ("on_time_rate", ""),
            ("dnr_count", ""),
            ("quality_packages", "0"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", ""),
            ("packages_to_next_tier", ""),
            ("alerts", ""),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 3. BOM + CRLF + quoted newlines + blank lines; physical line numbers in rejections
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/bom_crlf (both files: UTF-8 BOM, CRLF, quoted fields spanning lines, blank lines).
///
/// blocks.csv physical lines: 1 header | 2–3 B301 (remarks "gate code⏎changed") | 4 blank |
/// 5 B302 | 6 B303 | 7 B304 with hour 25 → rejected | 8 blank.
/// deliveries.csv: 1 header | 2–3 T301 | 4 blank | 5 T302 | 6 T303 bad attempted_at → rejected |
/// 7–9 T304 (3-line note) | 10 blank | 11 T305 outcome "teleported" → rejected | 12 T306 | 13 blank.
#[test]
fn bom_crlf_multiline_fields_and_physical_line_numbers() {
    let raw = std::fs::read(fixture("bom_crlf/deliveries.csv")).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF") && raw.windows(2).any(|w| w == b"\r\n"), "fixture lost its BOM/CRLF");

    let (t, stderr) = csv_of("report", &inputs("bom_crlf"));
    assert_rejection(&stderr, "blocks.csv", 7);
    assert_rejection(&stderr, "deliveries.csv", 6);
    assert_rejection(&stderr, "deliveries.csv", 11);
    // Record numbers (not physical lines) would be 5 for B304 and 4 / 6 for T303 / T305.
    assert_no_rejection(&stderr, "blocks.csv", 5);
    assert_no_rejection(&stderr, "deliveries.csv", 4);
    assert!(stderr.to_lowercase().contains("rejected"), "no import summary on stderr:\n{stderr}");

    assert_eq!(t.driver_ids(), ["H1"]);
    // Newest accepted event day 03-04 → as-of 03-06, cut 03-04.
    // Blocks: B301 06:58 on, B302 07:01 on, B303 no-show → 2/3 = 0.666667 At Risk;
    //   blocks_to_next_tier: (2+k)/(3+k) ≥ 0.8 ⇔ k ≥ 2.
    // Packages: T301 on, T302 on, T304 13:00 > 12:00 late, T306 on; all delivered →
    //   attempted 1, success 1, on_time 3/4 = 0.75 → At Risk;
    //   packages_to_next_tier: (3+k)/(4+k) ≥ 0.90 ⇔ k ≥ 6.
    check(
        &t,
        "H1",
        &[
            ("driver_name", "Hana Hotel"),
            ("as_of", "2026-03-06"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "At Risk"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "0.75"),
            ("dnr_count", "0"),
            ("quality_packages", "4"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", "2"),
            ("packages_to_next_tier", "6"),
            ("alerts", "AT_RISK"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Windows-1252 + semicolons
// ---------------------------------------------------------------------------------------------

#[test]
fn windows_1252_semicolon_files() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = cp1252(
        "driver_id;driver_name;block_id;block_start;checked_in_at;remarks\n\
         K1;José Müller;B401;2026-03-02 07:00;2026-03-02 06:59;€5 tip\n\
         L2;Zoë Ångström;B403;2026-03-02 07:00;2026-03-02 07:10;\n\
         K1;José Müller;B402;2026-03-03 07:00;2026-03-03 07:00;\n\
         L2;Zoë Ångström;B404;2026-03-03 07:00;2026-03-03 06:45;“quoted”\n",
    );
    let deliveries = cp1252(
        "tracking_id;driver_id;deliver_by;attempted_at;outcome;notes\n\
         T401;K1;2026-03-03 12:00;2026-03-03 11:00;Delivered;Laissé à l’accueil\n",
    );
    assert!(std::str::from_utf8(&blocks).is_err() && std::str::from_utf8(&deliveries).is_err());
    assert!(blocks.contains(&0xE9), "é is the single byte 0xE9");
    let (bp, dp) = (dir.path().join("blocks.csv"), dir.path().join("deliveries.csv"));
    std::fs::write(&bp, blocks).unwrap();
    std::fs::write(&dp, deliveries).unwrap();

    let t = report(&["--blocks".into(), path_arg(&bp), "--deliveries".into(), path_arg(&dp)]);
    assert_eq!(t.driver_ids(), ["K1", "L2"]);
    // Newest day 03-03 → as-of 03-05.
    // K1: B401 06:59, B402 07:00 → 2/2 = 1.0 Fantastic, headroom 1 (2/3 At Risk);
    //     T401 delivered on time → quality Fantastic, headroom 1 → NEAR_DROP.
    check(
        &t,
        "K1",
        &[
            ("driver_name", "José Müller"),
            ("as_of", "2026-03-05"),
            ("overall_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "2"),
            ("quality_tier", "Fantastic"),
            ("quality_packages", "1"),
            ("reliability_headroom", "1"),
            ("quality_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // L2: B403 07:10 miss, B404 06:45 on → 0.5 At Risk; (1+k)/(2+k) ≥ 0.8 ⇔ k ≥ 3.
    check(
        &t,
        "L2",
        &[
            ("driver_name", "Zoë Ångström"),
            ("as_of", "2026-03-05"),
            ("overall_tier", "At Risk"),
            ("reliability_rate", "0.5"),
            ("reliability_blocks", "2"),
            ("quality_tier", "No standing"),
            ("blocks_to_next_tier", "3"),
            ("alerts", "AT_RISK"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 8. day-first dates
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/dayfirst/auto: every date column holds a value valid only day-first
/// (13/03/2026) and none valid only month-first → read day-first.
///   B801 02/03 07:00 check-in 07:04 → 2 March, on time
///   B802 03/03 07:00 check-in 07:30 → 3 March, miss
///   B803 13/03 07:00 check-in 06:59 → 13 March, on time   → 2/3, to next 2
///   T801 02/03 on time, T802 13/03 12:30 > 12:00 late     → on_time 0.5; (1+k)/(2+k) ≥ 0.9 ⇔ k ≥ 8
/// Newest day 13 March → as-of 2026-03-15.
#[test]
fn day_first_detected_from_values() {
    let t = report(&inputs("dayfirst/auto"));
    check(
        &t,
        "R1",
        &[
            ("as_of", "2026-03-15"),
            ("overall_tier", "At Risk"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_packages", "2"),
            ("attempted_rate", "1"),
            ("on_time_rate", "0.5"),
            ("blocks_to_next_tier", "2"),
            ("packages_to_next_tier", "8"),
            ("alerts", "AT_RISK"),
        ],
    );
}

/// tests/fixtures/dayfirst/flag: only ambiguous dates (04/03, 05/03). With `--day-first` they are
/// 4 and 5 March (as-of 2026-03-07); without it they are April 3 and May 3 (as-of 2026-05-05).
/// B811 +5:00 on time, B812 +10 miss → 0.5 either way; T811 on time.
#[test]
fn day_first_flag_switches_ambiguous_dates() {
    let mut args = inputs("dayfirst/flag");
    args.push("--day-first".into());
    let t = report(&args);
    check(
        &t,
        "S1",
        &[
            ("as_of", "2026-03-07"),
            ("reliability_rate", "0.5"),
            ("reliability_blocks", "2"),
            ("quality_packages", "1"),
            ("on_time_rate", "1"),
            ("blocks_to_next_tier", "3"),
            ("quality_headroom", "1"),
            ("alerts", "AT_RISK;NEAR_DROP"),
        ],
    );

    let t = report(&inputs("dayfirst/flag"));
    check(
        &t,
        "S1",
        &[("as_of", "2026-05-05"), ("reliability_rate", "0.5"), ("reliability_blocks", "2"), ("quality_packages", "1")],
    );
}

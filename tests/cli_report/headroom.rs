//! Headroom and recovery with the default windows and with small windows from a file.

use super::*;

// ---------------------------------------------------------------------------------------------
// headroom / recovery (default windows) and small windows through --thresholds
// ---------------------------------------------------------------------------------------------
//
// tests/fixtures/headroom: one block a day 2026-02-01..02-20 at 07:00 for U1..X4 (block n = day n,
// n = 1 oldest); a miss is a check-in at 07:15. Packages: Y5 10 a day 02-01..02-20 (200, all
// delivered on time); Z6 10 a day 02-11..02-20 (100), the oldest (02-11 10:00) not_attempted and
// returned, the rest delivered on time. Newest day 02-20 → as-of 2026-02-22.
//   U1 no miss; V2 miss at block 10; W3 miss at block 1 (the oldest); X4 misses at blocks 3, 11, 18.

#[test]
fn headroom_and_recovery_with_default_windows() {
    let t = report(&inputs("headroom"));
    assert_eq!(t.driver_ids(), ["U1", "V2", "W3", "X4", "Y5", "Z6"]);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-02-22");
    }
    // U1: 20/20 = 1.0 Fantastic. +1 miss: 19/20 = 0.95 still Fantastic; +2: 18/20 = 0.90 Great → 2.
    check(
        &t,
        "U1",
        &[
            ("overall_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "20"),
            ("reliability_headroom", "2"),
            ("blocks_to_next_tier", ""),
            ("quality_tier", "No standing"),
            ("quality_headroom", ""),
            ("alerts", ""),
        ],
    );
    // V2: 19/20 = 0.95 Fantastic. +1 miss: block 1 (on time) leaves → 18/20 = 0.90 Great → 1.
    check(
        &t,
        "V2",
        &[
            ("reliability_tier", "Fantastic"),
            ("reliability_rate", "0.95"),
            ("reliability_blocks", "20"),
            ("reliability_headroom", "1"),
            ("blocks_to_next_tier", ""),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // W3: 19/20 = 0.95, but the miss is the oldest: +1 miss replaces it → still 19/20;
    // +2: block 2 (on time) leaves too → 18/20 Great → 2.
    check(
        &t,
        "W3",
        &[
            ("reliability_tier", "Fantastic"),
            ("reliability_rate", "0.95"),
            ("reliability_headroom", "2"),
            ("alerts", ""),
        ],
    );
    // X4: 17/20 = 0.85 Fair.
    //  headroom: +1 miss, block 1 (on) leaves → 16/20 = 0.80 still Fair (inclusive);
    //            +2, block 2 (on) leaves → 15/20 = 0.75 At Risk → 2.
    //  blocks_to_next_tier: on-time blocks push out blocks 1, 2, 3; the first miss (block 3) leaves
    //  at k = 3 → 18/20 = 0.90 Great → 3 (a growing window would need 10).
    //  D−7 = 02-15 (cut 02-13: blocks 1..13, misses 3 and 11 → 11/13 Fair) → no TIER_DROP.
    check(
        &t,
        "X4",
        &[
            ("overall_tier", "Fair"),
            ("reliability_tier", "Fair"),
            ("reliability_rate", "0.85"),
            ("reliability_blocks", "20"),
            ("reliability_headroom", "2"),
            ("blocks_to_next_tier", "3"),
            ("alerts", ""),
        ],
    );
    // Y5: 200 packages all on time → Fantastic. +1 not_attempted: 200/201 = 0.995025 ≥ 0.995,
    // still Fantastic; +2: 200/202 = 0.990099 < 0.995 → Great → quality_headroom 2. No claim,
    // and Fantastic allows none: one claim makes it Great → dnr_headroom 1 → NEAR_DROP.
    check(
        &t,
        "Y5",
        &[
            ("overall_tier", "Fantastic"),
            ("reliability_tier", "No standing"),
            ("reliability_blocks", "0"),
            ("quality_tier", "Fantastic"),
            ("attempted_rate", "1"),
            ("quality_packages", "200"),
            ("quality_headroom", "2"),
            ("packages_to_next_tier", ""),
            ("dnr_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // Z6: 99/100 on all three rates → attempted 0.99 Great (success 0.99 and on_time 0.99 are
    // Fantastic) → Great. +1 not_attempted: 99/101 = 0.980 → attempted Fair → headroom 1.
    // Up: (99+k)/(100+k) ≥ 0.995 ⇔ k ≥ 100 (199/200, window of 500 not full) → 100.
    // The not-attempted package was returned → no UNRETURNED.
    check(
        &t,
        "Z6",
        &[
            ("overall_tier", "Great"),
            ("quality_tier", "Great"),
            ("attempted_rate", "0.99"),
            ("success_rate", "0.99"),
            ("on_time_rate", "0.99"),
            ("dnr_count", "0"),
            ("quality_packages", "100"),
            ("quality_headroom", "1"),
            ("packages_to_next_tier", "100"),
            // Great allows 1 claim: the first keeps it Great, the second makes it Fair.
            ("dnr_headroom", "2"),
            ("alerts", "NEAR_DROP"),
        ],
    );
}

/// Same fixture with tests/fixtures/headroom/thresholds.toml: `[windows] blocks = 10,
/// packages = 100`, every other setting default. Windows hold blocks 11..20 and the newest 100
/// packages.
#[test]
fn headroom_with_small_windows_from_thresholds_file() {
    let mut args = inputs("headroom");
    args.extend(["--thresholds".into(), path_arg(&fixture("headroom/thresholds.toml"))]);
    let t = report(&args);
    // U1: 10/10; +1 miss → 9/10 = 0.90 Great → 1.
    check(
        &t,
        "U1",
        &[
            ("reliability_rate", "1"),
            ("reliability_blocks", "10"),
            ("reliability_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // V2: its miss (block 10) is outside the window → 10/10 → headroom 1.
    check(&t, "V2", &[("reliability_rate", "1"), ("reliability_blocks", "10"), ("reliability_headroom", "1")]);
    // X4: blocks 11..20 with misses 11 and 18 → 0.80 Fair (inclusive).
    //  headroom: +1 miss replaces block 11 (a miss) → 0.80 Fair; +2 replaces block 12 → 0.70 → 2.
    //  to next: +1 on time replaces block 11 → 0.90 Great → 1.
    //  D−7 = 02-15 (cut 02-13: blocks 4..13, miss 11 → 0.90 Great) → Great to Fair → TIER_DROP.
    check(
        &t,
        "X4",
        &[
            ("reliability_tier", "Fair"),
            ("reliability_rate", "0.8"),
            ("reliability_blocks", "10"),
            ("reliability_headroom", "2"),
            ("blocks_to_next_tier", "1"),
            ("alerts", "TIER_DROP"),
        ],
    );
    // Y5: newest 100 packages all on time; +1 not_attempted → 99/100 = 0.99 Great → 1.
    check(&t, "Y5", &[("quality_packages", "100"), ("quality_tier", "Fantastic"), ("quality_headroom", "1")]);
    // Z6: 100 packages, the oldest not attempted → 0.99 Great.
    //  headroom: +1 replaces that very package → still 0.99; +2 → 98/100 = 0.98 attempted Fair → 2.
    //  to next: +1 on-time package pushes it out → 100/100 Fantastic → 1.
    //  D−7 (cut 02-13: 30 packages, 29 attempted = 0.967, At Risk) → improved, no alert.
    check(
        &t,
        "Z6",
        &[
            ("quality_tier", "Great"),
            ("attempted_rate", "0.99"),
            ("quality_packages", "100"),
            ("quality_headroom", "2"),
            ("packages_to_next_tier", "1"),
            ("alerts", ""),
        ],
    );
}

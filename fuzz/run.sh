#!/usr/bin/env bash
# Fuzzes the CSV import, the timestamp parser and the exceptions reports, one target after
# the other, each until it has run RUNS inputs (default 10 million) or SECONDS_PER_TARGET have passed (default
# 1800). Needs the nightly toolchain (`rustup toolchain install nightly`); installs
# cargo-fuzz when missing. A crash stops the run and leaves the input in
# fuzz/artifacts/<target>/: copy it into fuzz/regressions/<target>/ so that
# `cargo test --test fuzz_regressions` keeps it, then fix the bug.
#
#   bash fuzz/run.sh                 # the full run
#   RUNS=100000 bash fuzz/run.sh     # a quick check
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-10000000}
SECONDS_PER_TARGET=${SECONDS_PER_TARGET:-1800}
# Its own target folder: the instrumented build never invalidates the normal one.
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$HOME/.cache/standwatch-fuzz-target}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# Rust code cannot read out of bounds: a panic is the bug looked for, so no sanitizer
# (several times faster per input).
cargo +nightly fuzz build --sanitizer none --debug-assertions

for target in import_csv timestamp import_exceptions; do
    mkdir -p "corpus/$target"
    echo "== $target: up to $RUNS runs or $SECONDS_PER_TARGET s"
    # New inputs go to corpus/<target>; the regression inputs seed it.
    set +e
    cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" "corpus/$target" "regressions/$target" -- \
        -runs="$RUNS" -max_total_time="$SECONDS_PER_TARGET" -max_len=8192 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 2>&1 |
        grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|Done)|panicked|ERROR|SUMMARY|artifact"
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then
        echo "$target: stopped with status $status; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
echo "fuzzing finished without a crash"

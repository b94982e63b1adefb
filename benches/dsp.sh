#!/usr/bin/env bash
# DSP mode at scale (issue 30): a generated DSP of DAS delivery associates over WEEKS weeks
# (one scorecard file a week, the RTS report of their undelivered packages and their
# concessions), loaded and shown as `standwatch scorecard` does it: from the CSV files, and
# from a workspace holding them, run alternately.
#
#   bash benches/dsp.sh              # 2,000 DAs x 52 weeks (about 300,000 exceptions), 5 rounds
#   ROUNDS=3 bash benches/dsp.sh 500 26
#
# Prints the median time and peak memory of each (targets: under 2 s from CSV, under 1 s
# from the workspace, on the 2-core machine) and checks both give the same scorecard.
set -euo pipefail
DAS=${1:-2000}
WEEKS=${2:-52}
ROUNDS=${ROUNDS:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}

cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/standwatch
data=$CARGO_TARGET_DIR/bench-dsp-${DAS}x${WEEKS}
if [ ! -f "$data/dsp-exceptions.csv" ]; then
    "$bin" generate --das "$DAS" --weeks "$WEEKS" --start 2025-05-04 --seed 3 --out "$data" >/dev/null 2>&1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

inputs=(--exceptions "$data/dsp-exceptions.csv" --concessions "$data/dsp-concessions.csv")
files=()
for f in "$data"/scorecards/*.csv; do
    inputs+=(--scorecard "$f")
    files+=("$f")
done
"$bin" --workspace "$work/ws" import "${files[@]}" "$data/dsp-exceptions.csv" "$data/dsp-concessions.csv" \
    >/dev/null 2>&1

measure() {
    local step=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$step.out" 2>"$work/$step.err" ||
        { cat "$work/$step.err" >&2; exit 1; }
    echo "$step $(cat "$work/time")" >>"$work/results"
}
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    if [ $((round % 2)) -eq 1 ]; then
        measure csv "$bin" scorecard "${inputs[@]}" --format csv
        measure workspace "$bin" --workspace "$work/ws" scorecard --format csv
    else
        measure workspace "$bin" --workspace "$work/ws" scorecard --format csv
        measure csv "$bin" scorecard "${inputs[@]}" --format csv
    fi
done
cmp -s "$work/csv.out" "$work/workspace.out" || { echo "the two scorecards differ" >&2; exit 1; }
exceptions=$(($(wc -l <"$data/dsp-exceptions.csv") - 1))

python3 - "$work/results" "$DAS" "$WEEKS" "$exceptions" <<'PY'
import statistics, sys
from collections import defaultdict
results, das, weeks, exceptions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = defaultdict(list)
for line in open(results):
    step, seconds, rss_kb = line.split()
    runs[step].append((float(seconds), int(rss_kb) * 1024))
print(f"\n{das} DAs x {weeks} weeks, {exceptions:,} exceptions rows; median of {len(runs['csv'])} rounds")
for step, target in [("csv", 2.0), ("workspace", 1.0)]:
    med = statistics.median(t for t, _ in runs[step])
    peak = max(m for _, m in runs[step])
    print(f"scorecard from {step:<9} {med:5.2f} s  {peak / 1e9:5.2f} GB peak  (target < {target} s)")
print("both give the same scorecard")
PY

#!/usr/bin/env bash
# What Amazon's package exceptions report costs `report` (issue 28): the generated fleet
# (2,000 drivers x 120 days, 7 M packages) with and without its exceptions report, grown
# to EXCEPTION_ROWS rows (default 100,000) or cut to as many, run alternately.
#
#   bash benches/exceptions.sh              # 2,000 x 120, 100,000 rows, 5 rounds
#   ROUNDS=3 EXCEPTION_ROWS=50000 bash benches/exceptions.sh 1000 60
#
# Prints the median time and peak memory of each and their ratio (target: at most 1.10).
set -euo pipefail
DRIVERS=${1:-2000}
DAYS=${2:-120}
ROUNDS=${ROUNDS:-5}
EXCEPTION_ROWS=${EXCEPTION_ROWS:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}

cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/standwatch
data=$CARGO_TARGET_DIR/bench-data-${DRIVERS}x${DAYS}
if [ ! -f "$data/exceptions.csv" ]; then
    "$bin" generate --drivers "$DRIVERS" --days "$DAYS" --out "$data" >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generated report (its failed attempts, claims at apartment buildings and packages
# never handed over), grown to EXCEPTION_ROWS rows with more of the fleet's packages listed
# as Amazon lists a failed attempt (or cut to that many).
exceptions=$data/exceptions-$EXCEPTION_ROWS.csv
[ -f "$exceptions" ] || python3 - "$data/exceptions.csv" "$data/deliveries.csv" "$exceptions" "$EXCEPTION_ROWS" <<'PY'
import csv, sys
source, deliveries, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(source, newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)[:wanted]
listed = {r[0] for r in rows}
more = wanted - len(rows)
if more > 0:
    with open(deliveries, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        packages = [r for r in reader if r[5] == "delivered" and r[0] not in listed]
    step = max(1, len(packages) // more)
    for i, p in enumerate(packages[::step][:more]):
        rows.append([p[0], "CX-100", "SWTC", "", p[1], f"{100 + i % 900} Elm St, Springfield, IL 62704",
                     "Reattemptable", "CUSTOMER UNAVAILABLE", p[4]])
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    w.writerows(rows)
print(f"exceptions: {len(rows)} rows, {len(rows) - max(0, more)} of them the generated report's", file=sys.stderr)
PY

as_of=$("$bin" report --blocks "$data/blocks.csv" --deliveries "$data/deliveries.csv" --format csv 2>/dev/null |
    awk -F, 'NR == 2 { print $3 }')
measure() {
    local step=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$step.out" 2>"$work/$step.err" ||
        { cat "$work/$step.err" >&2; exit 1; }
    echo "$step $(cat "$work/time")" >>"$work/results"
}
inputs=(--blocks "$data/blocks.csv" --deliveries "$data/deliveries.csv" --as-of "$as_of" --format csv)
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    if [ $((round % 2)) -eq 1 ]; then
        measure without "$bin" report "${inputs[@]}"
        measure with "$bin" report "${inputs[@]}" --exceptions "$exceptions"
    else
        measure with "$bin" report "${inputs[@]}" --exceptions "$exceptions"
        measure without "$bin" report "${inputs[@]}"
    fi
done
grep -E "^note: .*(updated|added)" "$work/with.err" | head -3 >&2 || true

python3 - "$work/results" "$DRIVERS" "$DAYS" "$EXCEPTION_ROWS" <<'PY'
import statistics, sys
from collections import defaultdict
results, drivers, days, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = defaultdict(list)
for line in open(results):
    step, seconds, rss_kb = line.split()
    runs[step].append((float(seconds), int(rss_kb) * 1024))
med = {s: statistics.median(t for t, _ in r) for s, r in runs.items()}
rss = {s: max(m for _, m in r) for s, r in runs.items()}
print(f"\n{drivers} drivers x {days} days, {rows:,} exceptions rows; median of {len(runs['with'])} rounds")
for s in ["without", "with"]:
    print(f"report {s:<8} {med[s]:6.2f} s  {rss[s] / 1e9:5.2f} GB peak")
print(f"with / without: {med['with'] / med['without']:.3f} (target <= 1.10)")
# Each round's two runs side by side: the machine's speed drifts between rounds more than
# within one, so the median of the rounds' ratios is the steadier figure.
pairs = [w / o for (w, _), (o, _) in zip(runs["with"], runs["without"])]
print(f"median of the rounds' ratios: {statistics.median(pairs):.3f} (each: {' '.join(f'{p:.2f}' for p in pairs)})")
# The least time of each: what the work costs when nothing else on the machine slows it.
least = {s: min(t for t, _ in r) for s, r in runs.items()}
print(f"least: without {least['without']:.2f} s, with {least['with']:.2f} s, ratio {least['with'] / least['without']:.3f}")
PY

#!/usr/bin/env bash
# Calibration benchmark (issue 16): `standwatch calibrate` with 1,000 observed driver-days
# (tiers made under other thresholds) on the 2,000 x 120 generated fleet, alternated with
# `report` on the same files (the load both share), medians of the rounds.
#
#   bash benches/calibrate.sh            # 3 rounds
#   ROUNDS=5 bash benches/calibrate.sh
set -euo pipefail
ROUNDS=${ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}
cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/standwatch
data=$CARGO_TARGET_DIR/bench-data-2000x120
[ -f "$data/deliveries.csv" ] || "$bin" generate --drivers 2000 --days 120 --out "$data" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inputs=(--blocks "$data/blocks.csv" --deliveries "$data/deliveries.csv")

# Tiers "observed" under thresholds Standwatch does not know: 1,000 random driver-days.
printf '[reliability]\nfantastic = 0.97\ngreat = 0.92\nfair = 0.85\n[on_time]\nfantastic = 0.97\ngreat = 0.94\nfair = 0.88\n[dnr]\nfantastic = 0\ngreat = 2\nfair = 3\n' >"$work/secret.toml"
"$bin" history "${inputs[@]}" --thresholds "$work/secret.toml" --out "$work/history.csv" 2>/dev/null
python3 - "$work" <<'PY'
import csv, random, sys
work = sys.argv[1]
random.seed(3)
rows = [r for r in csv.DictReader(open(f"{work}/history.csv")) if r["overall_tier"] != "No standing"]
with open(f"{work}/observed.csv", "w") as f:
    f.write("driver_id,date,overall_tier,reliability_tier,quality_tier\n")
    for r in random.sample(rows, 1000):
        f.write(f"{r['driver_id']},{r['as_of']},{r['overall_tier']},{r['reliability_tier']},{r['quality_tier']}\n")
PY

seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
report=() calibrate=()
for _ in $(seq "$ROUNDS"); do
    report+=("$(seconds "$bin" report "${inputs[@]}" --format csv)")
    calibrate+=("$(seconds "$bin" calibrate "${inputs[@]}" --observed "$work/observed.csv")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "report (load + standings of every driver): median $(median "${report[@]}") s of ${report[*]}"
echo "calibrate (load + 1,000 observations):     median $(median "${calibrate[@]}") s of ${calibrate[*]}"
# The fit alone (the observations' metrics and the search), from the command's own timings.
fit=()
for _ in $(seq "$ROUNDS"); do
    fit+=("$(STANDWATCH_TIMINGS=1 "$bin" calibrate "${inputs[@]}" --observed "$work/observed.csv" 2>&1 >/dev/null |
        awk -F': ' '/^timing: calibrate:/ {split($3, t, " "); print t[1]}')")
done
echo "the fit alone:                             median $(median "${fit[@]}") s of ${fit[*]}"
"$bin" calibrate "${inputs[@]}" --observed "$work/observed.csv" 2>/dev/null | tail -1

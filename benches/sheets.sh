#!/usr/bin/env bash
# Coaching sheets benchmark (issue 17): `standwatch sheet --all` for a 1,000-driver,
# 120-day generated fleet (1,000 one-page PDFs and fleet.pdf), alternated with `report` on
# the same files (the load both share), medians of the rounds; target: under 60 s on two
# cores. Prints the time of the sheets alone (sheet − report) and the folder's size.
#
#   bash benches/sheets.sh             # 3 rounds
#   ROUNDS=5 bash benches/sheets.sh
#   BIN=/path/to/standwatch bash benches/sheets.sh   # a binary already built
set -euo pipefail
ROUNDS=${ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
    BIN=$CARGO_TARGET_DIR/release/standwatch
fi
data=$CARGO_TARGET_DIR/bench-data-1000x120
[ -f "$data/deliveries.csv" ] || "$BIN" generate --drivers 1000 --days 120 --out "$data" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inputs=(--blocks "$data/blocks.csv" --deliveries "$data/deliveries.csv" --roster "$data/roster.csv")

seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
report=() sheets=()
for _ in $(seq "$ROUNDS"); do
    rm -rf "$work/sheets"
    report+=("$(seconds "$BIN" report "${inputs[@]}" --format csv)")
    sheets+=("$(seconds "$BIN" sheet "${inputs[@]}" --all --out "$work/sheets")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
r=$(median "${report[@]}") s=$(median "${sheets[@]}")
files=$(find "$work/sheets" -name '*.pdf' | wc -l)
size=$(du -sh "$work/sheets" | cut -f1)
echo "report (the load):      ${report[*]}  median $r s"
echo "sheet --all:            ${sheets[*]}  median $s s  ($files PDFs, $size)"
echo "the sheets alone:       $(echo "$s - $r" | bc -l | sed 's/^\./0./') s (target: all of it under 60 s)"

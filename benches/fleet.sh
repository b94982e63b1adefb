#!/usr/bin/env bash
# Fleet-scale benchmark (issues 6 and 19): standwatch against polars' bare CSV read and the
# DuckDB peer (../shared/bench/duckdb_peer.py), on the same files, run alternately; on the
# data of both generators: `standwatch generate` and the peer's own `gen`.
#
#   bash benches/fleet.sh                 # 2,000 drivers x 120 days, both generators, 5 rounds
#   ROUNDS=3 bash benches/fleet.sh 1000 60
#   GENERATORS=peer bash benches/fleet.sh # one generator only (standwatch or peer)
#   SCALING=1 bash benches/fleet.sh       # also report time for 250..2,000 drivers
#
# Prints per generator the median time and peak memory of each step, the ratios the issues
# set targets for, and whether standwatch and the peer agree on every shared column.
set -euo pipefail
DRIVERS=${1:-2000}
DAYS=${2:-120}
ROUNDS=${ROUNDS:-5}
GENERATORS=${GENERATORS:-standwatch peer}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}
PEER=${PEER:-$root/../shared/bench/duckdb_peer.py}

cargo build --release --quiet --bin standwatch --example polars_read --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/standwatch
read=$CARGO_TARGET_DIR/release/examples/polars_read
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb

# bench-data-* from `standwatch generate`, peer-data-* from the peer's generator.
data_for() { echo "$CARGO_TARGET_DIR/$1-data-${2}x${3}"; }
ensure_data() {
    local dir
    dir=$(data_for "$1" "$2" "$3")
    if [ ! -f "$dir/deliveries.csv" ]; then
        case $1 in
        bench) "$bin" generate --drivers "$2" --days "$3" --out "$dir" >/dev/null ;;
        peer) python3 "$PEER" gen --drivers "$2" --days "$3" --out "$dir" >/dev/null ;;
        esac
    fi
    echo "$dir"
}

for generator in $GENERATORS; do
case $generator in
standwatch) prefix=bench ;;
peer) prefix=peer ;;
*) echo "unknown generator $generator (standwatch or peer)" >&2; exit 2 ;;
esac
echo "== data from the $generator generator" >&2
data=$(ensure_data "$prefix" "$DRIVERS" "$DAYS")
blocks=$data/blocks.csv
deliveries=$data/deliveries.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One as-of day for both tools: standwatch's default (newest event day + lag).
as_of=$("$bin" report --blocks "$blocks" --deliveries "$deliveries" --format csv 2>/dev/null |
    awk -F, 'NR == 2 { print $3 }')

# Runs a command, appending "<step> <seconds> <max RSS KB>" to the results.
measure() {
    local step=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$step.out" 2>"$work/$step.err" ||
        { cat "$work/$step.err" >&2; exit 1; }
    echo "$step $(cat "$work/time")" >>"$work/results"
}

run_step() {
    case $1 in
    polars_read) measure polars_read "$read" "$blocks" "$deliveries" ;;
    report) measure report "$bin" report --blocks "$blocks" --deliveries "$deliveries" --as-of "$as_of" --format csv ;;
    history) measure history "$bin" history --blocks "$blocks" --deliveries "$deliveries" --to "$as_of" --format csv ;;
    peer_report) measure peer_report python3 "$PEER" report --blocks "$blocks" --deliveries "$deliveries" --as-of "$as_of" ;;
    peer_history) measure peer_history python3 "$PEER" history --blocks "$blocks" --deliveries "$deliveries" --as-of "$as_of" ;;
    esac
}

steps=(polars_read report history peer_report peer_history)
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    # The order turns by one step each round: on this VM a process that starts right after
    # one that freed a lot of memory is slower (its fresh pages come back from the host),
    # and no step should always be the one that follows the 1.8 GB polars read.
    for i in "${!steps[@]}"; do
        run_step "${steps[$(((i + round - 1) % ${#steps[@]}))]}"
    done
done

if [ -n "${SCALING:-}" ]; then
    for n in 250 500 1000 2000; do
        dir=$(ensure_data "$prefix" "$n" "$DAYS")
        for round in $(seq "$ROUNDS"); do
            measure "scaling_$n" "$bin" report --blocks "$dir/blocks.csv" --deliveries "$dir/deliveries.csv" --format csv
        done
    done
fi

csv_bytes=$(($(stat -c %s "$blocks") + $(stat -c %s "$deliveries")))
python3 - "$work" "$csv_bytes" "$DRIVERS" "$DAYS" "$generator" <<'PY'
import csv, statistics, sys
from collections import defaultdict

work, csv_bytes, drivers, days, generator = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
runs = defaultdict(list)
for line in open(f"{work}/results"):
    step, seconds, rss_kb = line.split()
    runs[step].append((float(seconds), int(rss_kb) * 1024))
med = {s: statistics.median(t for t, _ in r) for s, r in runs.items()}
rss = {s: max(m for _, m in r) for s, r in runs.items()}

def rows(path, keys):
    with open(path, newline="") as f:
        return {tuple(r[k] for k in keys): r for r in csv.DictReader(f)}

def compare(ours_path, peer_path, keys):
    ours, peer = rows(ours_path, keys), rows(peer_path, keys)
    shared = [c for c in next(iter(peer.values())).keys() if c not in keys]
    both = ours.keys() & peer.keys()
    bad = 0
    for k in both:
        for c in shared:
            a, b = ours[k][c], peer[k][c]
            if a == b:
                continue
            try:
                if abs(float(a) - float(b)) <= 1e-6:
                    continue
            except ValueError:
                pass
            bad += 1
            if bad <= 5:
                print(f"  differs: {k} {c}: standwatch {a!r}, peer {b!r}")
    only_peer = len(peer.keys() - ours.keys())
    return len(both), len(shared), bad, only_peer, len(ours.keys() - peer.keys())

print(f"\nData of the {generator} generator: {drivers} drivers x {days} days, {csv_bytes / 1e6:.0f} MB of CSV; "
      f"median of {len(runs['report'])} rounds")
print(f"{'step':<14} {'median s':>9} {'peak RSS MB':>12}")
for s in ["polars_read", "report", "history", "peer_report", "peer_history"]:
    print(f"{s:<14} {med[s]:>9.2f} {rss[s] / 1e6:>12.0f}")
print()
targets = [
    ("report / polars read", med["report"] / med["polars_read"], "<= 1.3"),
    ("peer report / report", med["peer_report"] / med["report"], ">= 2"),
    ("peer history / history", med["peer_history"] / med["history"], ">= 3"),
    ("report peak RSS / CSV bytes", rss["report"] / csv_bytes, "<= 1.3"),
]
for name, value, target in targets:
    print(f"{name:<28} {value:>6.2f}   target {target}")
print()
for name, keys in [("report", ["driver_id"]), ("history", ["driver_id", "as_of"])]:
    both, cols, bad, only_peer, only_ours = compare(f"{work}/{name}.out", f"{work}/peer_{name}.out", keys)
    print(f"{name}: {both} rows in both x {cols} shared columns, {bad} cells differ; "
          f"rows only in the peer: {only_peer}, only in standwatch: {only_ours}")
scaling = sorted((int(s.split('_')[1]), t) for s, t in med.items() if s.startswith("scaling_"))
if scaling:
    print("\nreport time by fleet size:")
    for n, t in scaling:
        print(f"  {n:>5} drivers  {t:6.2f} s  {1000 * t / n:6.2f} ms per driver")
PY
rm -rf "$work"
done

#!/usr/bin/env bash
# `report` on the 2,000-driver peer data (../shared/bench/duckdb_peer.py gen) by the
# Linux binary and by the Windows binary under Wine, alternated, medians of ROUNDS (3).
# Wine's overhead is noted, not a target (issue 31); the two reports must be equal.
#
#   bash benches/wine.sh        # after assets/packaging/windows/build.sh
set -euo pipefail
ROUNDS=${ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}
cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
linux=$CARGO_TARGET_DIR/release/standwatch
exe=$CARGO_TARGET_DIR/x86_64-pc-windows-gnu/release/standwatch.exe
[ -f "$exe" ] || { echo "build the Windows binary first: bash assets/packaging/windows/build.sh" >&2; exit 2; }
data=$CARGO_TARGET_DIR/peer-data-2000x120
[ -f "$data/deliveries.csv" ] ||
    python3 "$root/../shared/bench/duckdb_peer.py" gen --drivers 2000 --days 120 --out "$data" >/dev/null
work=$(mktemp -d)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
wineboot -i >/dev/null 2>&1
wineserver -w
# Wine 8.0's missing bcryptprimitives.dll (see .ci/windows-test).
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$root/assets/packaging/windows/wine/bcryptprimitives.c" -ladvapi32
# Wine's server stays up between runs, as a Windows session would.
wineserver -p
blocks_w=$(winepath -w "$data/blocks.csv")
deliveries_w=$(winepath -w "$data/deliveries.csv")
seconds() { /usr/bin/time -f "%e" -o "$work/time" "$@" >"$work/out" 2>/dev/null; cat "$work/time"; }
linux_runs=() wine_runs=()
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    linux_runs+=("$(seconds "$linux" report --blocks "$data/blocks.csv" --deliveries "$data/deliveries.csv" --format csv)")
    cp "$work/out" "$work/linux.csv"
    wine_runs+=("$(seconds wine "$exe" report --blocks "$blocks_w" --deliveries "$deliveries_w" --format csv)")
    tr -d '\r' <"$work/out" >"$work/wine.csv"
done
cmp -s "$work/linux.csv" "$work/wine.csv" || { echo "the reports differ" >&2; exit 1; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.2f}')" "$@"; }
echo "report on the peer's 2,000 drivers x 120 days, median of $ROUNDS; the same bytes"
echo "linux          $(median "${linux_runs[@]}") s"
echo "windows (wine) $(median "${wine_runs[@]}") s"

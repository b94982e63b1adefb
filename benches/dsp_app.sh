#!/usr/bin/env bash
# DSP mode in the app (issue 30): how long the desktop app takes from its start to the
# Scorecards view of a generated DSP of DAS delivery associates over WEEKS weeks (one
# scorecard file a week, the RTS report of their undelivered packages, their
# concessions), opened from the CSV files (the files remembered in Recent) and from a
# workspace holding them, run alternately.
#
#   bash benches/dsp_app.sh            # 2,000 DAs x 52 weeks, 3 rounds
#   ROUNDS=5 bash benches/dsp_app.sh 500 26
#
# The app runs under Xvfb with STANDWATCH_TIMINGS=1, which marks when its job starts and
# when the job's result is laid out (painted in the same frame); each run has a fresh
# HOME. Targets: under 2 s from the CSV files, under 1 s from the workspace (job start to
# the view on screen), on the 2-core machine.
set -euo pipefail
DAS=${1:-2000}
WEEKS=${2:-52}
ROUNDS=${ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}
command -v xvfb-run >/dev/null || apt-get install -y -qq xvfb >/dev/null
cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/standwatch
data=$CARGO_TARGET_DIR/bench-dsp-${DAS}x${WEEKS}
if [ ! -f "$data/dsp-exceptions.csv" ]; then
    "$bin" generate --das "$DAS" --weeks "$WEEKS" --start 2025-05-04 --seed 3 --out "$data" >/dev/null 2>&1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --workspace "$work/ws" import "$data"/scorecards/*.csv "$data/dsp-exceptions.csv" \
    "$data/dsp-concessions.csv" >/dev/null 2>&1

# The files as Recent remembers them (DSP mode: no blocks or deliveries).
{
    echo '[[recent]]'
    echo 'blocks = ""'
    echo 'deliveries = ""'
    echo "exceptions = [\"$data/dsp-exceptions.csv\"]"
    echo "concessions = [\"$data/dsp-concessions.csv\"]"
    printf 'scorecards = ['
    sep=""
    for f in "$data"/scorecards/*.csv; do
        printf '%s"%s"' "$sep" "$f"
        sep=", "
    done
    echo ']'
} >"$work/files.toml"

# Runs the app once with the given settings file (or none) and arguments; prints the
# seconds from process start, and from its job's start, to the job's result on screen.
app_seconds() {
    local settings=$1
    shift
    rm -rf "$work/home"
    mkdir -p "$work/home/.config/standwatch"
    [ -z "$settings" ] || cp "$settings" "$work/home/.config/standwatch/settings.toml"
    HOME=$work/home STANDWATCH_TIMINGS=1 timeout 60 xvfb-run -a -s "-screen 0 1440x900x24" \
        "$bin" "$@" >"$work/app.log" 2>&1 &
    local runner=$!
    for _ in $(seq 600); do
        grep -q "job result laid out" "$work/app.log" 2>/dev/null && break
        sleep 0.1
    done
    pkill -f "$bin" 2>/dev/null || true
    wait "$runner" 2>/dev/null || true
    python3 - "$work/app.log" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
start = re.findall(r"job started: at ([0-9.]+) s", log)
done = re.findall(r"job result laid out \(painted next\): at ([0-9.]+) s", log)
if not start or not done:
    sys.exit("the app did not show its data: " + log[-600:])
print(f"{float(done[0]):.2f} {float(done[0]) - float(start[-1]):.2f}")
PY
}

median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.2f}')" "$@"; }
csv_start=() csv_job=() ws_start=() ws_job=()
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    if [ $((round % 2)) -eq 1 ]; then
        read -r a b < <(app_seconds "$work/files.toml")
        read -r c d < <(app_seconds "" --workspace "$work/ws")
    else
        read -r c d < <(app_seconds "" --workspace "$work/ws")
        read -r a b < <(app_seconds "$work/files.toml")
    fi
    csv_start+=("$a") csv_job+=("$b") ws_start+=("$c") ws_job+=("$d")
done
echo
echo "$DAS DAs x $WEEKS weeks; median of $ROUNDS rounds (process start / job start to the Scorecards view)"
echo "app: the CSV files    $(median "${csv_start[@]}") s / $(median "${csv_job[@]}") s   target < 2"
echo "app: the workspace    $(median "${ws_start[@]}") s / $(median "${ws_job[@]}") s   target < 1"

#!/usr/bin/env bash
# App benchmark (issues 5 and 6): how long the desktop app takes to show the fleet view
#   - when it reopens a workspace of 2,000 drivers x 180 days (issue 5: under 2 s), and
#   - when it opens the two CSV exports of 2,000 drivers x 120 days, at start and again on
#     the running app (issue 6: at most the `report` time + 0.5 s), beside
#     `standwatch report` on the same files.
#
#   bash benches/app.sh            # 3 rounds each
#   ROUNDS=5 bash benches/app.sh
#
# The app runs under Xvfb (software rendering shares the CPU with the import) with
# STANDWATCH_TIMINGS=1, which marks when the job starts and when its result is laid out
# (painted in the same frame). Each run has a fresh HOME, so nothing is remembered.
set -euo pipefail
ROUNDS=${ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}
command -v xvfb-run >/dev/null || apt-get install -y -qq xvfb >/dev/null
command -v xdotool >/dev/null || apt-get install -y -qq xdotool >/dev/null
cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/standwatch

data_for() {
    local dir=$CARGO_TARGET_DIR/bench-data-${1}x${2}
    [ -f "$dir/deliveries.csv" ] || "$bin" generate --drivers "$1" --days "$2" --out "$dir" >/dev/null
    echo "$dir"
}
files=$(data_for 2000 120)
ws=$CARGO_TARGET_DIR/bench-ws-app-2000x180
if [ ! -f "$ws/standwatch.db" ]; then
    big=$(data_for 2000 180)
    "$bin" --workspace "$ws" import --blocks "$big/blocks.csv" --deliveries "$big/deliveries.csv" >/dev/null 2>&1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs the app once with the given settings file (or none) and arguments; prints the
# seconds from the start of its job to the job's result on screen.
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
    sys.exit("the app did not show its data: " + log[-400:])
# From process start, and from the job's start (as after dropping files on a running app).
print(f"{float(done[0]):.2f} {float(done[0]) - float(start[-1]):.2f}")
PY
}

# The same files opened again on the running app (its data on screen), as when exports
# are dropped on it: Recent, then its first entry, clicked with xdotool in a 1280x800
# window. Prints the seconds from that job's start to its result on screen.
warm_seconds() {
    rm -rf "$work/home"
    mkdir -p "$work/home/.config/standwatch"
    cp "$1" "$work/home/.config/standwatch/settings.toml"
    local display=:97
    Xvfb "$display" -screen 0 1440x900x24 >/dev/null 2>&1 &
    local xvfb=$!
    sleep 1
    DISPLAY=$display HOME=$work/home STANDWATCH_TIMINGS=1 timeout 60 "$bin" >"$work/app.log" 2>&1 &
    local app=$!
    for _ in $(seq 600); do
        grep -q "job result laid out" "$work/app.log" 2>/dev/null && break
        sleep 0.1
    done
    local window
    window=$(DISPLAY=$display xdotool search --name "Standwatch" | head -1)
    DISPLAY=$display xdotool windowmove "$window" 0 0 windowsize "$window" 1280 800
    sleep 1
    DISPLAY=$display xdotool mousemove 606 16 click 1
    sleep 0.5
    DISPLAY=$display xdotool mousemove 660 45 click 1
    for _ in $(seq 600); do
        [ "$(grep -c "job result laid out" "$work/app.log")" -ge 2 ] && break
        sleep 0.1
    done
    kill "$app" "$xvfb" 2>/dev/null || true
    wait "$app" "$xvfb" 2>/dev/null || true
    python3 - "$work/app.log" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
start = re.findall(r"job started: at ([0-9.]+) s", log)
done = re.findall(r"job result laid out \(painted next\): at ([0-9.]+) s", log)
if len(start) < 2 or len(done) < 2:
    sys.exit("the second opening did not show its data: " + log[-400:])
print(f"{float(done[1]) - float(start[1]):.2f}")
PY
}

cat >"$work/files.toml" <<EOF
[[recent]]
blocks = "$files/blocks.csv"
deliveries = "$files/deliveries.csv"
EOF

median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.2f}')" "$@"; }
reopen=() files_job=() warm_job=() report=()
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    read -r from_start _ < <(app_seconds "" --workspace "$ws")
    reopen+=("$from_start")
    read -r _ from_job < <(app_seconds "$work/files.toml")
    files_job+=("$from_job")
    warm_job+=("$(warm_seconds "$work/files.toml")")
    /usr/bin/time -f "%e" -o "$work/time" "$bin" report --blocks "$files/blocks.csv" \
        --deliveries "$files/deliveries.csv" --format csv >/dev/null 2>&1
    report+=("$(cat "$work/time")")
done
echo
echo "median of $ROUNDS rounds"
echo "app: reopen the 2000x180 workspace, process start to fleet view   $(median "${reopen[@]}") s   target < 2"
echo "app: open the 2000x120 exports, job start to fleet view          $(median "${files_job[@]}") s"
echo "app: open them again on the running app, job start to fleet view $(median "${warm_job[@]}") s"
echo "standwatch report on the same exports                            $(median "${report[@]}") s   (app target: this + 0.5)"

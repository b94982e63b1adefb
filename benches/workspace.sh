#!/usr/bin/env bash
# Workspace benchmark (issue 5): reopening a workspace and writing the report, and the
# cost of a weekly import against the history already held.
#
#   bash benches/workspace.sh              # 2,000 drivers x 180 days
#   bash benches/workspace.sh 500 120
#
# The generated export is split by date into the history (all but the last 7 days) and
# the last week. Timed: importing the history, importing the week on top of it, the same
# week on top of only the newer half of the history (a weekly import should cost the
# same: it is proportional to the new rows), and reopening the full workspace to write
# the report (median of 3).
set -euo pipefail
DRIVERS=${1:-2000}
DAYS=${2:-180}
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}
cargo build --release --quiet --bin standwatch --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/standwatch
data=$CARGO_TARGET_DIR/bench-data-${DRIVERS}x${DAYS}
[ -f "$data/deliveries.csv" ] || "$bin" generate --drivers "$DRIVERS" --days "$DAYS" --out "$data" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# history/ = rows before the last 7 days, recent/ = the newer half of that history,
# week/ = the last 7 days (by block_start and deliver_by).
python3 - "$data" "$work" <<'PY'
import csv, datetime as dt, os, sys
data, work = sys.argv[1], sys.argv[2]
def day(text):
    return dt.date.fromisoformat(text[:10])
parts = {}
for name, column in [("blocks.csv", "block_start"), ("deliveries.csv", "deliver_by")]:
    with open(os.path.join(data, name), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    at = header.index(column)
    days = sorted({day(r[at]) for r in body})
    last_week = days[-1] - dt.timedelta(days=6)
    half = days[0] + (last_week - days[0]) / 2
    for part, keep in [("history", lambda d: d < last_week), ("recent", lambda d: half <= d < last_week),
                       ("week", lambda d: d >= last_week)]:
        os.makedirs(os.path.join(work, part), exist_ok=True)
        with open(os.path.join(work, part, name), "w", newline="") as out:
            w = csv.writer(out)
            w.writerow(header)
            n = 0
            for r in body:
                if keep(day(r[at])):
                    w.writerow(r)
                    n += 1
        parts.setdefault(part, 0)
        parts[part] += n
for part, n in parts.items():
    print(f"{part}: {n} rows", file=sys.stderr)
PY

timed() {
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r seconds rss <"$work/time"
    printf '%-46s %7.2f s %7.0f MB\n' "$label" "$seconds" "$((rss / 1024))"
}

echo "Data: $DRIVERS drivers x $DAYS days"
timed "import the history (all but the last week)" "$bin" --workspace "$work/full" import --blocks "$work/history/blocks.csv" --deliveries "$work/history/deliveries.csv"
timed "import the last week on top of it" "$bin" --workspace "$work/full" import --blocks "$work/week/blocks.csv" --deliveries "$work/week/deliveries.csv"
timed "import the newer half of the history" "$bin" --workspace "$work/half" import --blocks "$work/recent/blocks.csv" --deliveries "$work/recent/deliveries.csv"
timed "import the same week on top of that half" "$bin" --workspace "$work/half" import --blocks "$work/week/blocks.csv" --deliveries "$work/week/deliveries.csv"
timed "re-import the same week (nothing changes)" "$bin" --workspace "$work/full" import --blocks "$work/week/blocks.csv" --deliveries "$work/week/deliveries.csv"
for round in 1 2 3; do
    timed "reopen the workspace and write the report ($round)" "$bin" --workspace "$work/full" report --format csv
done
echo "workspace size: $(du -sh "$work/full" | cut -f1)"

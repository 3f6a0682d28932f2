#!/usr/bin/env bash
# CSV import benchmark (issue 4): ROWS synthetic residents with valid ID numbers through `govshare data import`
# (streamed: header mapping, type/length/GB 11643 validation, staging and one upsert in one all-or-nothing
# transaction, audited; its peak memory is printed), against loading the
# same file with the database's own bulk loader (`sqlite3 .import` / `psql \copy`) into a plain table.
# Usage: Benchmarks/exchange_import.sh sqlite|postgres [postgres-url]   (env: ROWS=1000000, BUILD, BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
ROWS=${ROWS:-1000000}
BUILD=${BUILD:-release}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
common=(--data-dir "$data" --log-level warning)
[ "$kind" = postgres ] && common+=(--database "$url")
python3 Benchmarks/generate_residents.py "$ROWS" >"$data/rows.csv"
echo "file: $ROWS rows, $(du -h "$data/rows.csv" | cut -f1) ($kind, $(basename "$(dirname "$bin")") build, $(nproc) cores)"
# Seed the demo catalog with one dataset row so 人口基础信息 is mounted, then stop the server.
PORT=18557
GOVSHARE_DEMO_ROWS=1 "$bin" serve --demo --port $PORT "${common[@]}" >"$data/server.log" 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 1; done
kill -TERM $pid; wait $pid || true
code=$("$bin" data stale "${common[@]}" >/dev/null 2>&1; python3 - "$kind" "$data" "$url" <<'PY'
import sys, sqlite3, subprocess
kind, data, url = sys.argv[1:4]
q = "SELECT entry_code FROM datasets WHERE entry_code LIKE '101001/%'"
if kind == "sqlite":
    print(sqlite3.connect(f"{data}/govshare.sqlite").execute(q).fetchone()[0])
else:
    print(subprocess.check_output(["psql", url, "-Atc", q]).decode().strip())
PY
)
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$data/rss" "$bin" data import --resource "$code" "$data/rows.csv" "${common[@]}" | tail -1
end=$(date +%s.%N)
printf "RSS   max_resident_mb=%.0f (the import command, whole run)\n" "$(python3 -c "print($(cat "$data/rss") / 1024)")"
ours=$(python3 -c "print($ROWS / ($end - $start))")
printf "OURS  rows_per_s=%.0f seconds=%.1f (whole command: read, decode, validate, write, audit)\n" "$ours" "$(python3 -c "print($end - $start)")"
cols="c0 TEXT PRIMARY KEY, c1 TEXT, c2 TEXT, c3 TEXT, c4 TEXT, c5 TEXT, c6 TEXT, c7 TEXT, c8 TEXT"
start=$(date +%s.%N)
if [ "$kind" = postgres ]; then
  psql "$url" -qc "DROP TABLE IF EXISTS bench_bulk; CREATE TABLE bench_bulk ($cols)" >/dev/null
  psql "$url" -qc "\\copy bench_bulk FROM '$data/rows.csv' WITH (FORMAT csv, HEADER true)"
  psql "$url" -qc "DROP TABLE bench_bulk" >/dev/null
else
  sqlite3 "$data/bulk.sqlite" "CREATE TABLE bench_bulk ($cols)"
  sqlite3 "$data/bulk.sqlite" ".import --csv --skip 1 $data/rows.csv bench_bulk"
fi
end=$(date +%s.%N)
printf "BULK  rows_per_s=%.0f seconds=%.1f (no validation)\n" "$(python3 -c "print($ROWS / ($end - $start))")" "$(python3 -c "print($end - $start)")"

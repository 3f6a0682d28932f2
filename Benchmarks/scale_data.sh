#!/usr/bin/env bash
# Scale on data (issue 19, part 4): the same measurements on a small and a large 人口基础信息 dataset, in one run.
# For each size: generate the residents (Benchmarks/generate_residents.py) and import them with `govshare data import`
# (rate and peak memory); start the server and walk the whole dataset through the query API in 1,000-row keyset pages
# (Benchmarks/walk_pages.py), timing 1,000 100-row pages taken at evenly spaced depths — every row read once, so the
# large dataset leaves as many read references as it has rows; wait for the auditor's record index to catch up; then
# time the auditor's "who read this record" lookup for 20 records at random depths.
# Usage: Benchmarks/scale_data.sh sqlite|postgres [postgres-url]
#   env: SIZES="100000 10000000", BUILD, BIN, PORT. The PostgreSQL database is emptied (schema public dropped) before
#   each size: give it a database of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
SIZES=${SIZES:-100000 10000000}
BUILD=${BUILD:-release}
PORT=${PORT:-18558}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$PORT"
echo "scale on data: sizes $SIZES ($kind, $(basename "$(dirname "$bin")") build, $(nproc) cores, encrypt_from_grade ${GOVSHARE_ENCRYPT_FROM_GRADE:-3})"
sql() { # one value from the database of the current size
  if [ "$kind" = postgres ]; then psql -qtA "$url" -c "$1"
  else python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$data/govshare.sqlite" "$1"; fi
}
token() {
  curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"GovShare#2026\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
serve() {
  "$bin" serve --demo --port "$PORT" "${common[@]}" >>"$data/server.log" 2>&1 &
  pid=$!
  until curl -fsS "$base/healthz" >/dev/null 2>&1; do sleep 1; done
}
for rows in $SIZES; do
  data="$work/$rows"
  mkdir -p "$data"
  common=(--data-dir "$data" --log-level warning)
  if [ "$kind" = postgres ]; then
    psql -q "$url" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
    common+=(--database "$url")
  fi
  python3 Benchmarks/generate_residents.py "$rows" >"$work/rows.csv"
  # The demo catalog with one row in 人口基础信息 (so it is mounted), then the import with the server stopped.
  GOVSHARE_DEMO_ROWS=1 serve
  kill -TERM $pid; wait $pid || true; pid=
  code=$(sql "SELECT entry_code FROM datasets WHERE entry_code LIKE '101001/%'")
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$data/rss" "$bin" data import --resource "$code" "$work/rows.csv" "${common[@]}" >/dev/null
  end=$(date +%s.%N)
  rm -f "$work/rows.csv"
  printf "SIZE %s IMPORT rows_per_s=%.0f seconds=%.1f max_resident_mb=%.0f\n" "$rows" \
    "$(python3 -c "print($rows / ($end - $start))")" "$(python3 -c "print($end - $start)")" "$(python3 -c "print($(cat "$data/rss") / 1024)")"
  GOVSHARE_DEMO_ROWS=1 serve
  reader=$(token hrss_user)
  purpose=$(curl -fsS "$base/api/v1/subscriptions" -H "Authorization: Bearer $reader" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  total=$(curl -fsS "$base/api/v1/datasets" -H "Authorization: Bearer $reader" | python3 -c '
import json,sys
print([x for x in json.load(sys.stdin) if x["entry_code"].startswith("101001/")][0]["row_count"])')
  echo "SIZE $rows WALK  $(python3 Benchmarks/walk_pages.py "$base" "$reader" "$purpose" "${code//\//-}" --rows "$total")"
  lag_sql="SELECT (SELECT COALESCE(MAX(audit_seq), 0) FROM data_reads) - indexed_through FROM data_read_ref_index"
  start=$(date +%s)
  while [ "$(sql "$lag_sql")" -gt 0 ]; do sleep 1; done
  refs=$(sql "SELECT COUNT(*) FROM data_read_refs")
  echo "SIZE $rows INDEX caught up $(( $(date +%s) - start )) s after the walk; $refs read references indexed"
  auditor=$(token auditor)
  times=()
  for _ in $(seq 20); do
    # The record is asked for by its key in clear (the ID number), as an auditor would: a random one of the file's.
    record=$(python3 -c 'import random,sys; sys.path.insert(0, "Benchmarks"); import generate_residents as g; print(g.resident_id(random.randrange(int(sys.argv[1]))))' "$rows")
    times+=("$(curl -fsS -o "$data/trace.json" -w '%{time_total}' "$base/api/v1/data-reads?record=$record" -H "Authorization: Bearer $auditor")")
    python3 -c 'import json,sys; n=len(json.load(open(sys.argv[1]))); sys.exit(0 if n >= 1 else "record " + sys.argv[2] + " has no read listed")' "$data/trace.json" "$record"
  done
  echo "SIZE $rows TRACE $(printf '%s\n' "${times[@]}" | sort -n | python3 -c '
import sys
t = [float(x) * 1000 for x in sys.stdin.read().split()]
print(f"lookups={len(t)} p50_ms={t[len(t) // 2]:.1f} max_ms={t[-1]:.1f} (each record listed at least one read)")')"
  kill -TERM $pid; wait $pid || true; pid=
  rm -rf "$data"
done

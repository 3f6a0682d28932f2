#!/usr/bin/env bash
# Kills the server with SIGKILL in the middle of a large CSV import and shows that the dataset is exactly as it was
# before the import, that the server restarts cleanly, and that the audit chain still verifies.
#
#   Tests/e2e/kill_during_import.sh [--database postgres://…] [--port 18090] [--rows 400000]
#
# Uses .build/debug/govshare (BIN= to override), curl, python3. Exit 0 and "kill test: PASS" on success.
set -euo pipefail
BIN=${BIN:-.build/debug/govshare}
PORT=18090
ROWS=400000
DATABASE=""
while [ $# -gt 0 ]; do
    case $1 in
        --database) DATABASE=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --rows) ROWS=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
work=$(mktemp -d /tmp/govshare-kill.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT
base="http://127.0.0.1:$PORT"
args=(serve --demo --data-dir "$work/data" --port "$PORT" --host 127.0.0.1)
[ -n "$DATABASE" ] && args+=(--database "$DATABASE")
export GOVSHARE_DEMO_ROWS=2000

# start, token, kill_after_progress
source "$(dirname "$0")/lib.sh"

row_count() {
    curl -fsS "$base/api/v1/datasets/$code" -H "Authorization: Bearer $1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["row_count"])'
}

echo "kill test: starting server ($([ -n "$DATABASE" ] && echo postgres || echo sqlite))"
start
tok=$(token gd_cataloger)
code=$(curl -fsS "$base/api/v1/datasets" -H "Authorization: Bearer $tok" \
    | python3 -c 'import json,sys; print([d["entry_code"] for d in json.load(sys.stdin) if d["entry_code"].startswith("101001/")][0].replace("/","-"))')
before=$(row_count "$tok")
echo "kill test: dataset $code has $before rows; generating $ROWS rows"
python3 "$(dirname "$0")/../../Benchmarks/generate_residents.py" "$ROWS" >"$work/rows.csv"

curl -sS -o "$work/import.out" -X POST "$base/api/v1/datasets/$code/import" -H "Authorization: Bearer $tok" \
    -H 'Content-Type: text/csv' --data-binary @"$work/rows.csv" 2>/dev/null &
curl_pid=$!

# Wait until the batch is being written: a growing WAL (SQLite), or rows streaming into the staging table or landing in
# the dataset table (PostgreSQL).
writing=0
for _ in $(seq 1 2400); do
    if [ -n "$DATABASE" ]; then
        n=$(psql "$DATABASE" -Atc "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND (query LIKE 'COPY govshare_stage%' OR query LIKE 'INSERT INTO ds_%')" 2>/dev/null || echo 0)
        [ "$n" -gt 0 ] && writing=1
    else
        size=$(stat -c %s "$work/data/govshare.sqlite-wal" 2>/dev/null || echo 0)
        [ "$size" -gt 30000000 ] && writing=1
    fi
    [ "$writing" = 1 ] && break
    kill -0 "$curl_pid" 2>/dev/null || break
    sleep 0.05
done
[ "$writing" = 1 ] || { echo "kill test: FAIL: never saw the import writing (import finished or failed first)"; cat "$work/import.out"; exit 1; }
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
wait "$curl_pid" 2>/dev/null || true
echo "kill test: server killed with SIGKILL while writing; restarting"

start
tok=$(token gd_cataloger)
after=$(row_count "$tok")
echo "kill test: rows before import $before, after crash and restart $after"
[ "$after" = "$before" ] || { echo "kill test: FAIL: the dataset changed"; exit 1; }
# ID numbers are stored encrypted (matched exactly, never by prefix): look up the batch's first, middle and last.
ids=$(python3 -c 'import json,sys; lines=open(sys.argv[1]).read().splitlines()[1:]; print(json.dumps([lines[i].split(",")[0] for i in (0, len(lines)//2, -1)]))' "$work/rows.csv")
direct=$(curl -fsS -X POST "$base/api/v1/datasets/$code/query" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
    -d "{\"fields\":[\"GMSFHM\"],\"filters\":{\"GMSFHM\":$ids},\"limit\":10}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["records"]))')
[ "$direct" = 0 ] || { echo "kill test: FAIL: rows of the killed batch are visible"; exit 1; }
auditor=$(token auditor)
ok=$(curl -fsS "$base/api/v1/audit/verify" -H "Authorization: Bearer $auditor" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ok"])')
[ "$ok" = True ] || { echo "kill test: FAIL: audit chain does not verify"; exit 1; }
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
rm -rf "$work"
echo "kill test: PASS"

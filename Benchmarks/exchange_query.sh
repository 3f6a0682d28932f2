#!/usr/bin/env bash
# Query API benchmark (issue 4): 100-row pages of 4 items with masking through the HTTP API, each read audited
# durably (group commit), wrk at 32 connections; then, once the server is idle, the same SELECT directly in the database
# (a plain SQLite loop, or pgbench with a prepared statement at 32 clients), and the API rate as a ratio of it.
# Usage: Benchmarks/exchange_query.sh sqlite|postgres [postgres-url]   (env: DURATION, CONNECTIONS, ROWS, BUILD, BIN, PORT)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
ROWS=${ROWS:-100000}
BUILD=${BUILD:-release}
PORT=${PORT:-18556}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
data=$(mktemp -d)
args=(--data-dir "$data" --port "$PORT" --log-level warning)
[ "$kind" = postgres ] && args+=(--database "$url")
GOVSHARE_DEMO_ROWS=$ROWS "$bin" serve --demo "${args[@]}" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 1; done
base="http://127.0.0.1:$PORT"
TOKEN=$(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"hrss_user","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PURPOSE=$(curl -fsS "$base/api/v1/subscriptions" -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
read -r CODE DSID COUNT < <(curl -fsS "$base/api/v1/datasets" -H "Authorization: Bearer $TOKEN" | python3 -c '
import json,sys
d=[x for x in json.load(sys.stdin) if x["entry_code"].startswith("101001/")][0]
print(d["entry_code"].replace("/","-"), d["id"].replace("-",""), d["row_count"])')
table="ds_$DSID"
echo "dataset $CODE: $COUNT rows ($kind, $(basename "$(dirname "$bin")") build, $(nproc) cores, $CONNECTIONS connections, ${DURATION}s)"
# What this HTTP stack does on this machine without the read: a static file, /healthz (one SELECT 1), and a signed-in
# list of one's subscriptions (the lookup generation and one small query) — the ceilings the query API runs under.
for path in /static/app.css /healthz /api/v1/subscriptions; do
  rps=$(wrk -t2 -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $TOKEN" "$base$path" | awk '/Requests\/sec/ {print $2}')
  echo "STACK GET $path: $rps req/s"
done
api=$(TOKEN=$TOKEN PURPOSE=$PURPOSE CODE=$CODE wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s Benchmarks/exchange_query.lua "$base" | grep RESULT)
echo "API   $api"
reads=$(curl -fsS "$base/api/v1/audit/verify" -H "Authorization: Bearer $(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"auditor","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')" \
  | python3 -c 'import json,sys; v=json.load(sys.stdin); print("audit chain ok=%s entries=%s" % (v["ok"], v["checked"]))')
echo "      $reads"
# The record index is filled in the background (a tenth of a core while reads flow): how far behind it is now, and
# how long it takes to catch up once the load stops.
lag_sql="SELECT (SELECT COALESCE(MAX(audit_seq), 0) FROM data_reads) - indexed_through FROM data_read_ref_index"
lag() { if [ "$kind" = postgres ]; then psql -qtA "$url" -c "$lag_sql"; else python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$data/govshare.sqlite" "$lag_sql"; fi; }
# An auditor's question while the index is behind: who read the first record of every page the load asked for.
first_sql="SELECT _pk FROM $table WHERE c2 = '1' ORDER BY _pk LIMIT 1"
if [ "$kind" = postgres ]; then first=$(psql -qtA "$url" -c "$first_sql"); else first=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$data/govshare.sqlite" "$first_sql"); fi
auditor=$(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' -d '{"username":"auditor","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
behind=$(lag)
trace=$(curl -fsS -o "$data/trace.json" -w '%{time_total}' "$base/api/v1/data-reads?record=$first&limit=100000" -H "Authorization: Bearer $auditor")
echo "TRACE who read record 1 with $behind reads not yet indexed: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$data/trace.json") reads listed (the API lists at most 1,000) in ${trace} s"
start=$(date +%s)
while [ "$(lag)" -gt 0 ]; do sleep 1; done
echo "INDEX $behind reads not yet indexed when the load stopped; caught up in $(( $(date +%s) - start )) s"
# GMSFHM c0, XM c1, XB c2, CSRQ c4 (the mount's column order follows the items).
if [ "$kind" = postgres ]; then
  cat >"$data/bare.sql" <<SQL
\set xb random(1, 2)
SELECT _pk, c0, c1, c2, c4 FROM $table WHERE c2 = :xb::text ORDER BY _pk LIMIT 101;
SQL
  bare=$(pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$data/bare.sql" "$url" 2>/dev/null | awk '/^tps/ {printf "RESULT rps=%.1f", $3}')
else
  bare=$(python3 Benchmarks/bare_query.py "$data/govshare.sqlite" "$table" "c0, c1, c2, c4" "$DURATION")
fi
echo "BARE  $bare   (after the index caught up: nothing else running)"
python3 - "$api" "$bare" <<'PY'
import re, sys
api = float(re.search(r"rps=([\d.]+)", sys.argv[1]).group(1)); bare = float(re.search(r"rps=([\d.]+)", sys.argv[2]).group(1))
print(f"RATIO api/bare = {api / bare:.2f}")
PY

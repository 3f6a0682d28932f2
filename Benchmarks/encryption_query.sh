#!/usr/bin/env bash
# Encryption at rest (issue 15): the query API's throughput with graded items stored SM4-GCM sealed (the default,
# encrypt_from_grade 3) against the same server with nothing encrypted (encrypt_from_grade 5), in one run. The two
# servers alternate (off, on, off, on) so that this machine's drift falls on both; each round is the query benchmark's
# request (100 rows of 4 items of 人口基础信息 under a subscription, audited) at 32 connections.
# Usage: Benchmarks/encryption_query.sh [sqlite|postgres] [postgres-url]   (env: DURATION, CONNECTIONS, ROWS, BUILD, BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
ROWS=${ROWS:-100000}
BUILD=${BUILD:-release}
PORT=${PORT:-18557}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; true' EXIT
base="http://127.0.0.1:$PORT"

# start GRADE: a fresh demo server encrypting from GRADE; sets pid, TOKEN, PURPOSE, CODE and data.
start() {
  data=$(mktemp -d)
  local args=(--data-dir "$data" --port "$PORT" --log-level warning)
  if [ "$kind" = postgres ]; then
    psql -q "$url" -c "DROP SCHEMA IF EXISTS bench_enc CASCADE; CREATE SCHEMA bench_enc" >/dev/null
    args+=(--database "$url")
    export GOVSHARE_DATABASE_SCHEMA=bench_enc
  fi
  GOVSHARE_ENCRYPT_FROM_GRADE=$1 GOVSHARE_DEMO_ROWS=$ROWS GOVSHARE_SCHEDULER_SECONDS=0 "$bin" serve --demo "${args[@]}" >"$data/server.log" 2>&1 &
  pid=$!
  until curl -fsS "$base/healthz" >/dev/null 2>&1; do sleep 1; done
  TOKEN=$(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"username":"hrss_user","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  PURPOSE=$(curl -fsS "$base/api/v1/subscriptions" -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  CODE=$(curl -fsS "$base/api/v1/datasets" -H "Authorization: Bearer $TOKEN" | python3 -c '
import json,sys
print([x for x in json.load(sys.stdin) if x["entry_code"].startswith("101001/")][0]["entry_code"].replace("/","-"))')
}

stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; rm -rf "$data"; }

round() {
  TOKEN=$TOKEN PURPOSE=$PURPOSE CODE=$CODE wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s Benchmarks/exchange_query.lua "$base" \
    | grep RESULT | sed 's/.*rps=\([0-9.]*\).*/\1/'
}

echo "encryption at rest, query API ($kind, $(basename "$(dirname "$bin")") build, $(nproc) cores, $ROWS rows, $CONNECTIONS connections, ${DURATION}s rounds)"
off=() on=()
for r in 1 2; do
  start 5; round >/dev/null; off+=("$(round)"); stop
  start 3; round >/dev/null; on+=("$(round)"); stop
  echo "ROUND $r: clear ${off[-1]} req/s, encrypted ${on[-1]} req/s"
done
python3 - "${off[*]}" "${on[*]}" <<'PY'
import sys
off = [float(x) for x in sys.argv[1].split()]; on = [float(x) for x in sys.argv[2].split()]
print(f"RESULT clear={sum(off)/len(off):.1f} encrypted={sum(on)/len(on):.1f} ratio={sum(on)/sum(off):.2f}")
PY

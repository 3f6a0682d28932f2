#!/usr/bin/env bash
# Catalog search benchmark: 100,000 published entries, Chinese queries through the HTTP API, wrk on loopback.
# Usage: Benchmarks/catalog_search.sh sqlite|postgres [postgres-url]   (env: COUNT, DURATION, CONNECTIONS, BUILD=debug|release, BIN=path)
# Needs: wrk, python3, psql for postgres. Prints one RESULT line; record it in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
COUNT=${COUNT:-100000}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-8}
BUILD=${BUILD:-release}
PORT=${PORT:-18555}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
data=$(mktemp -d)
args=(--data-dir "$data" --port "$PORT" --log-level warning)
[ "$kind" = postgres ] && args+=(--database "$url")
"$bin" serve --demo "${args[@]}" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 1; done
if [ "$kind" = postgres ]; then
  python3 Benchmarks/generate_catalog.py --count "$COUNT" --postgres "$url"
else
  python3 Benchmarks/generate_catalog.py --count "$COUNT" --sqlite "$data/govshare.sqlite"
fi
TOKEN=$(curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"hrss_user","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
total=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/catalog/search?rows=0" -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "entries searchable: $total ($kind, $BUILD build, $(nproc) cores)"
TOKEN=$TOKEN wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s Benchmarks/catalog_search.lua "http://127.0.0.1:$PORT" | grep RESULT

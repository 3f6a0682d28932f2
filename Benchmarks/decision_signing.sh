#!/usr/bin/env bash
# Sealing a decision letter (issue 14: adds < 5 ms p99 to a decision): see decision_signing.py.
# Usage: Benchmarks/decision_signing.sh sqlite|postgres [postgres-url]   (env: N, BUILD, BIN, PORT)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
N=${N:-2000}
BUILD=${BUILD:-release}
PORT=${PORT:-18557}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
data=$(mktemp -d)
args=(--data-dir "$data" --port "$PORT" --log-level warning)
[ "$kind" = postgres ] && args+=(--database "$url")
GOVSHARE_DEMO_ROWS=1000 "$bin" serve --demo "${args[@]}" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data" "$data-keys"' EXIT
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 1; done
echo "decision letter signing ($kind, $(basename "$(dirname "$bin")") build, $(nproc) cores)"
python3 Benchmarks/decision_signing.py "http://127.0.0.1:$PORT" "$N"

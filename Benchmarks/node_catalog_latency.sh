#!/usr/bin/env bash
# Catalog changes between nodes (issue 18, parts 2 and 5): a province and a city sub-node on this machine, each with
# the demo catalog, registered with each other through the CLI. Measures (1) the first synchronisation: the city's whole
# published catalog reaching the province's search, and (2) ROUNDS withdrawals on the city, each timed from the
# city's answer until the province's search no longer finds the entry (polled every 50 ms). The issue's target: a
# change reaches the other node in under 5 s while both are up. There is no bare tool for this: the figures are
# absolute, next to the sync period (federation_sync_seconds) they depend on.
# Usage: Benchmarks/node_catalog_latency.sh   (env: ROUNDS=10, SYNC=2, BUILD=debug|release, BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-10}
SYNC=${SYNC:-2}
BUILD=${BUILD:-release}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cat > "$work/province.json" <<JSON
{"outbound_allow_loopback": true, "demo_rows": 300, "federation_sync_seconds": $SYNC, "log_level": "warning"}
JSON
cat > "$work/gz.json" <<JSON
{"node_region_code": "440100", "outbound_allow_loopback": true, "demo_rows": 300, "federation_sync_seconds": $SYNC, "log_level": "warning"}
JSON
"$bin" serve --demo --port 18571 --data-dir "$work/province" --config "$work/province.json" > "$work/province.log" 2>&1 &
pids+=($!)
"$bin" serve --demo --port 18572 --data-dir "$work/gz" --node-id gz-city --config "$work/gz.json" > "$work/gz.log" 2>&1 &
pids+=($!)
for port in 18571 18572; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
done
"$bin" node self --data-dir "$work/gz" --node-id gz-city --config "$work/gz.json" --certificate-out "$work/gz.pem" >/dev/null
"$bin" node self --data-dir "$work/province" --config "$work/province.json" --certificate-out "$work/province.pem" >/dev/null
"$bin" node register --data-dir "$work/province" --config "$work/province.json" --id gz-city --name 广州 --region 440100 \
  --url http://127.0.0.1:18572 --certificate "$work/gz.pem" >/dev/null
start=$(date +%s.%N)
"$bin" node register --data-dir "$work/gz" --node-id gz-city --config "$work/gz.json" --id gd-province --name 广东省 \
  --region 440000 --url http://127.0.0.1:18571 --certificate "$work/province.pem" >/dev/null
ROUNDS=$ROUNDS START=$start python3 - <<'PY'
import json, os, statistics, time, urllib.request

def call(port, method, path, token=None, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r: return json.load(r)

def token(port, user):
    return call(port, "POST", "/api/v1/auth/token", body={"username": user, "password": "GovShare#2026"})["access_token"]

province, city = token(18571, "gd_reviewer"), token(18572, "gd_reviewer")
def city_entries(port, tok):  # entries the city issued (their codes carry 440100) in a node's search
    found, start = [], 0
    while True:
        page = call(port, "GET", f"/api/v1/catalog/search?rows=100&start={start}", tok)
        found += [i for i in page["items"] if "/440100" in i["code"]]
        start += 100
        if start >= page["total"]: return found
own = len(city_entries(18572, city))
while len(city_entries(18571, province)) < own: time.sleep(0.05)
print(f"first synchronisation: {own} city entries in the province's search {time.time() - float(os.environ['START']):.2f} s after the city registered its parent")

entries = city_entries(18572, city)[: int(os.environ["ROUNDS"])]
latencies = []
for e in entries:
    call(18572, "POST", f"/api/v1/catalog/entries/{e['entry_id']}/withdraw", city, {"reason": "benchmark"})
    t = time.time()
    while True:
        hits = call(18571, "GET", f"/api/v1/catalog/entries/{e['entry_id']}", province)
        if hits["status"] == "withdrawn": break
        time.sleep(0.05)
    latencies.append(time.time() - t)
latencies.sort()
print(f"withdrawal reaching the province ({len(latencies)} rounds): median {statistics.median(latencies):.2f} s, "
      f"max {latencies[-1]:.2f} s, min {latencies[0]:.2f} s")
PY

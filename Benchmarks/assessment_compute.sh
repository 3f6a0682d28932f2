#!/usr/bin/env bash
# Assessment (issue 17 part 4, Art. 31) and the supervision checks (part 1, Art. 30): computing a year for DEPARTMENTS departments (200) over RECORDS records
# (100,000: report batches, reads by other departments, applications with deadlines; generate_assessment_records.py),
# through POST /api/v1/assessments, ROUNDS times. The bare tool is the same aggregate reads as plain SQL statements in
# one sqlite3 / psql invocation on the same database, in the same run. The issue's limit: under 10 s on either database.
# Usage: Benchmarks/assessment_compute.sh [sqlite|postgres] [postgres-url]   (env: DEPARTMENTS, RECORDS, ROUNDS, BUILD, BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
DEPARTMENTS=${DEPARTMENTS:-200}
RECORDS=${RECORDS:-100000}
ROUNDS=${ROUNDS:-3}
BUILD=${BUILD:-release}
PORT=${PORT:-18561}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; true' EXIT
base="http://127.0.0.1:$PORT"
data=$(mktemp -d)
year=$(TZ=Asia/Shanghai date +%Y)
args=(--data-dir "$data" --port "$PORT" --log-level warning)
if [ "$kind" = postgres ]; then
  PGOPTIONS="--client-min-messages=warning" psql -q "$url" -c "DROP SCHEMA IF EXISTS bench_assessment CASCADE; CREATE SCHEMA bench_assessment" >/dev/null
  export GOVSHARE_DATABASE_SCHEMA=bench_assessment
  args+=(--database "$url")
fi
sql() {  # sql QUERY: statements on the platform's database, output discarded unless asked for
  if [ "$kind" = postgres ]; then psql -qAt "$url" -c "SET search_path TO bench_assessment; $1"; else sqlite3 "$data/govshare.sqlite" "$1"; fi
}
serve() {
  GOVSHARE_DEMO_ROWS=1 GOVSHARE_DEMO_APPLICATIONS=false GOVSHARE_SCHEDULER_SECONDS=0 "$bin" serve --demo "${args[@]}" >>"$data/server.log" 2>&1 &
  pid=$!
  until curl -fsS "$base/healthz" >/dev/null 2>&1; do sleep 1; done
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }

serve; stop
sql "SELECT content FROM catalog_versions WHERE status = 'published' ORDER BY entry_id LIMIT 1" >"$data/content.json"
python3 Benchmarks/generate_assessment_records.py --dialect "$kind" --year "$year" --content "$data/content.json" \
  --departments "$DEPARTMENTS" --records "$RECORDS" >"$data/records.sql"
if [ "$kind" = postgres ]; then
  PGOPTIONS="-c search_path=bench_assessment" psql -q "$url" -f "$data/records.sql" >/dev/null
else
  sqlite3 "$data/govshare.sqlite" <"$data/records.sql"
fi
serve
token=$(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"gd_reviewer","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
times=()
for _ in $(seq "$ROUNDS"); do
  out=$(curl -fsS -o "$data/out.json" -w '%{time_total}' -X POST "$base/api/v1/assessments" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"period\":\"$year\"}")
  times+=("$(python3 -c 'import sys; print(int(float(sys.argv[1]) * 1000))' "$out")")
done
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["content"]["departments"]))' "$data/out.json")
# The supervision checks (Art. 30) over the same records: the first run opens every finding, later ones refresh them.
checks=()
for _ in $(seq "$ROUNDS"); do
  out=$(curl -fsS -o "$data/run.json" -w '%{time_total}' -X POST "$base/api/v1/supervision/checks" -H "Authorization: Bearer $token")
  checks+=("$(python3 -c 'import sys; print(int(float(sys.argv[1]) * 1000))' "$out")")
done
found=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["found"], json.dumps(r["by_rule"], sort_keys=True))' "$data/run.json")
stop
# The bare tool: the facts' aggregate reads as plain SQL, one invocation, same database.
start="${year}-01-01T00:00:00"; end=$(date -u +%Y-%m-%dT%H:%M:%S)
bare_sql="SELECT e.id, v.content FROM catalog_entries e JOIN catalog_versions v ON v.entry_id = e.id AND v.version = e.published_version;
SELECT entry_id FROM datasets UNION SELECT entry_id FROM resource_files UNION SELECT entry_id FROM service_mounts;
SELECT d.id, (SELECT MAX(b.created_at) FROM dataset_batches b WHERE b.dataset_id = d.id AND b.created_at < '$end') FROM datasets d;
SELECT d.provider_id, SUM(b.received), SUM(b.accepted) FROM dataset_batches b JOIN datasets d ON d.id = b.dataset_id WHERE b.created_at >= '$start' AND b.created_at < '$end' GROUP BY d.provider_id;
SELECT s.provider_id, COUNT(*), SUM(CASE WHEN t.status = 'met' AND t.updated_at < (t.due_on || 'T16:00:00') THEN 1 ELSE 0 END) FROM deadlines t JOIN share_applications s ON s.id = t.subject_id WHERE t.subject_type = 'application' AND t.status <> 'cancelled' AND t.due_on >= '${year}-01-01' AND t.due_on <= '${end:0:10}' GROUP BY s.provider_id;
SELECT d.provider_id, COUNT(DISTINCT r.dataset_id) FROM data_reads r JOIN datasets d ON d.id = r.dataset_id WHERE r.read_at >= '$start' AND r.read_at < '$end' AND r.department_id <> d.provider_id GROUP BY d.provider_id;"
bare=()
for _ in $(seq "$ROUNDS"); do
  t0=$(date +%s%N); sql "$bare_sql" >/dev/null; t1=$(date +%s%N)
  bare+=($(((t1 - t0) / 1000000)))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m=$(median "${times[@]}"); b=$(median "${bare[@]}")
echo "$kind: supervision checks rounds (ms): ${checks[*]}; findings: $found"
echo "$kind: $count departments assessed over $RECORDS records; compute median ${m} ms (rounds: ${times[*]}); bare SQL median ${b} ms (rounds: ${bare[*]}); ratio $(python3 -c "print(round($m / max($b, 1), 1))")×; limit 10000 ms"

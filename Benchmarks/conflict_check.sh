#!/usr/bin/env bash
# Conflict check (issue 16 part 3, Art. 13): 人口基础信息.CSRQ ↔ 居民户籍信息.CSRQ keyed by GMSFHM, two datasets of ROWS
# residents each (Benchmarks/generate_residents.py; the household copy has every 100th birth date a day later), checked
# through POST /api/v1/conflicts/check. Twice in one run: with the key and the item encrypted at rest (the default,
# encrypt_from_grade 3: each side read once, opened and hash-joined in memory) and with nothing encrypted
# (encrypt_from_grade 5: one SQL join). The bare tool is the same join as one SQL statement in sqlite3 / psql on the
# clear tables of the same run.
# Usage: Benchmarks/conflict_check.sh [sqlite|postgres] [postgres-url]   (env: ROWS, ROUNDS, BUILD, BIN, MODES)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-sqlite}
url=${2:-}
ROWS=${ROWS:-100000}
ROUNDS=${ROUNDS:-3}
BUILD=${BUILD:-release}
PORT=${PORT:-18559}
if [ -n "${BIN:-}" ]; then bin=$BIN; else swift build -c "$BUILD" --product govshare >/dev/null; bin=".build/$BUILD/govshare"; fi
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; true' EXIT
base="http://127.0.0.1:$PORT"
work=$(mktemp -d)
python3 Benchmarks/generate_residents.py "$ROWS" >"$work/population.csv"
python3 - "$work/population.csv" "$work/household.csv" <<'PY'
import csv, datetime, sys
src, dst = sys.argv[1:3]
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8", newline="") as g:
    r = csv.reader(f); w = csv.writer(g); next(r)
    w.writerow(["公民身份号码", "姓名", "性别", "民族", "出生日期", "户籍地址", "户主姓名", "与户主关系", "户籍登记机关"])
    for n, row in enumerate(r):
        birth = row[4]
        if n % 100 == 0:
            birth = (datetime.date.fromisoformat(birth) + datetime.timedelta(days=1)).isoformat()
        w.writerow([row[0], row[1], row[2], row[3], birth, row[6], row[1], "02", "测试公安分局户政科"])
PY

sql() {  # sql DATA QUERY: one statement on the platform's database
  if [ "$kind" = postgres ]; then psql -qAt "$url" -c "SET search_path TO bench_conflicts; $2"; else sqlite3 "$1/govshare.sqlite" "$2"; fi
}

serve() {  # serve GRADE DATA
  local args=(--data-dir "$2" --port "$PORT" --log-level warning)
  [ "$kind" = postgres ] && args+=(--database "$url")
  GOVSHARE_ENCRYPT_FROM_GRADE=$1 GOVSHARE_DEMO_ROWS=1 GOVSHARE_DEMO_APPLICATIONS=false GOVSHARE_SCHEDULER_SECONDS=0 \
    "$bin" serve --demo "${args[@]}" >>"$2/server.log" 2>&1 &
  pid=$!
  until curl -fsS "$base/healthz" >/dev/null 2>&1; do sleep 1; done
}

stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }

measure() {  # measure GRADE LABEL
  local data; data=$(mktemp -d)
  local common=(--data-dir "$data")
  if [ "$kind" = postgres ]; then
    PGOPTIONS="--client-min-messages=warning" psql -q "$url" -c "DROP SCHEMA IF EXISTS bench_conflicts CASCADE; CREATE SCHEMA bench_conflicts" >/dev/null
    export GOVSHARE_DATABASE_SCHEMA=bench_conflicts
    common+=(--database "$url")
  fi
  serve "$1" "$data"; stop
  local pop hh
  pop=$(sql "$data" "SELECT entry_code FROM datasets WHERE entry_code LIKE '101001/%'")
  hh=$(sql "$data" "SELECT entry_code FROM datasets WHERE entry_code LIKE '301001/%'")
  GOVSHARE_ENCRYPT_FROM_GRADE=$1 "$bin" data import --resource "$pop" "$work/population.csv" "${common[@]}" | tail -1 >&2
  GOVSHARE_ENCRYPT_FROM_GRADE=$1 "$bin" data import --resource "$hh" "$work/household.csv" "${common[@]}" | tail -1 >&2
  serve "$1" "$data"
  local token
  token=$(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"username":"gd_reviewer","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -fsS -X POST "$base/api/v1/conflicts/pairs" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"left\":{\"entry_code\":\"$pop\",\"item\":\"CSRQ\",\"key_item\":\"GMSFHM\"},\"right\":{\"entry_code\":\"$hh\",\"item\":\"CSRQ\",\"key_item\":\"GMSFHM\"}}" >/dev/null
  local times=()
  for _ in $(seq "$ROUNDS"); do
    local out
    out=$(curl -fsS -X POST "$base/api/v1/conflicts/check" -H "Authorization: Bearer $token")
    times+=("$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["milliseconds"], r["disagreements"])' "$out")")
  done
  stop
  # The bare tool: the same join in one SQL statement (clear tables only; sealed values cannot be compared in SQL).
  local bare=""
  if [ "$1" = 5 ]; then
    local tables cols
    tables=$(sql "$data" "SELECT id FROM datasets WHERE entry_code IN ('$pop', '$hh') ORDER BY entry_code" | tr -d '-' | sed 's/^/ds_/' | tr '\n' ' ')
    read -r tp th <<<"$tables"
    cols=$(python3 - "$(sql "$data" "SELECT columns FROM datasets WHERE entry_code = '$pop'")" "$(sql "$data" "SELECT columns FROM datasets WHERE entry_code = '$hh'")" <<'PY'
import json, sys
print(*[next(c["column"] for c in json.loads(a) if c["item_code"] == "CSRQ") for a in sys.argv[1:3]])
PY
)
    read -r cp ch <<<"$cols"
    local q="SELECT COUNT(*) FROM $tp l JOIN $th r ON l._pk = r._pk WHERE l.$cp <> r.$ch"
    local b=()
    for _ in $(seq "$ROUNDS"); do
      local s e n; s=$(date +%s.%N); n=$(sql "$data" "$q"); e=$(date +%s.%N)
      b+=("$(python3 -c "print(round(($e - $s) * 1000), $n)")")
    done
    bare="${b[*]}"
  fi
  rm -rf "$data"
  python3 - "$2" "$(printf '%s;' "${times[@]}")" "$bare" <<'PY'
import sys
label, runs, bare = sys.argv[1], [r.split() for r in sys.argv[2].strip(";").split(";")], sys.argv[3].split()
ms = sorted(int(r[0]) for r in runs)
line = f"RESULT {label}: check {ms[len(ms)//2]} ms median of {len(ms)} ({', '.join(map(str, ms))}), {runs[0][1]} disagreeing records"
if bare:
    b = sorted(int(x) for x in bare[0::2])
    line += f"; bare SQL join {b[len(b)//2]} ms ({bare[1]} records), ratio {ms[len(ms)//2] / max(b[len(b)//2], 1):.1f}x"
print(line)
PY
}

echo "conflict check ($kind, $(basename "$(dirname "$bin")") build, $(nproc) cores, $ROWS + $ROWS rows)"
for mode in ${MODES:-clear encrypted}; do
  case $mode in clear) measure 5 clear ;; encrypted) measure 3 encrypted ;; esac
done
rm -rf "$work"

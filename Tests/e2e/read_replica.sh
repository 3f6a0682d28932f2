#!/usr/bin/env bash
# Read replicas (issue 19, part 3): a PostgreSQL primary and a streaming replica made with pg_basebackup, two GovShare
# servers over the primary — A alone, B with `database_read_url` naming the replica. Shows that B serves consumers'
# data pages from the replica once it is fresh, the same rows as A; that B falls back to the primary while the replica
# is down; and that a subscription revoked through A is refused on the very next read through either server.
#
#   Tests/e2e/read_replica.sh [--port 18094] [--pg-bin /usr/lib/postgresql/15/bin] [--pg-port 54350]
#
# Uses .build/debug/govshare (BIN= to override), curl, python3 and PostgreSQL's initdb, pg_ctl, pg_basebackup, psql
# (run as the OS user postgres when run as root). Exit 0 and "replica test: PASS" on success.
set -euo pipefail
BIN=${BIN:-.build/debug/govshare}
PORT=18094
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=54350
while [ $# -gt 0 ]; do
    case $1 in
        --port) PORT=$2; shift 2 ;;
        --pg-bin) PG_BIN=$2; shift 2 ;;
        --pg-port) PG_PORT=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
REPLICA_PORT=$((PG_PORT + 1))
PORT_B=$((PORT + 1))
work=$(mktemp -d /tmp/govshare-replica.XXXXXX)
chmod 755 "$work"
pids=()

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_cluster() { as_pg "$PG_BIN/pg_ctl" -D "$1" -m immediate stop >/dev/null 2>&1 || true; }
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    stop_cluster "$work/pg/replica"
    stop_cluster "$work/pg/primary"
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "replica test: FAIL: $*" >&2
    curl -fsS "http://127.0.0.1:$PORT_B/metrics" 2>/dev/null | grep -i replica || true
    for f in "$work"/server-*.log; do echo "---- $f"; grep -v 'path=/metrics' "$f" | tail -n 30; done
    exit 1
}

mkdir -p "$work/pg/socket"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$work/pg"
chmod 700 "$work/pg"
start_cluster() {  # DIR PORT
    as_pg "$PG_BIN/pg_ctl" -D "$1" -l "$1.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $2 -k $work/pg/socket -c fsync=off -c max_connections=200" start >/dev/null \
        || { cat "$1.log"; fail "PostgreSQL in $1 did not start"; }
}
echo "replica test: primary on $PG_PORT, streaming replica on $REPLICA_PORT"
as_pg "$PG_BIN/initdb" -D "$work/pg/primary" -U postgres --auth-local=trust --auth-host=trust --encoding=UTF8 --no-locale \
    >"$work/pg/initdb.log" 2>&1 || { cat "$work/pg/initdb.log"; fail "initdb"; }
start_cluster "$work/pg/primary" "$PG_PORT"
as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/pg/socket" -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE ROLE govshare LOGIN CREATEDB PASSWORD 'govshare'" -c "CREATE DATABASE govshare_replica OWNER govshare" >/dev/null
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$work/pg/replica" -R -X stream \
    || fail "pg_basebackup"
start_cluster "$work/pg/replica" "$REPLICA_PORT"
standby=$(as_pg "$PG_BIN/psql" -X -Atq -h "$work/pg/socket" -p "$REPLICA_PORT" -U postgres -d postgres -c "SELECT pg_is_in_recovery()")
[ "$standby" = t ] || fail "the replica is not a standby"

primary_url="postgres://govshare:govshare@127.0.0.1:$PG_PORT/govshare_replica"
replica_url="postgres://govshare:govshare@127.0.0.1:$REPLICA_PORT/govshare_replica"
export GOVSHARE_DEMO_ROWS=2000
# One data directory for both servers: the same key file and token secret, as servers behind one load balancer share.
start_server() {  # NAME PORT [env...]
    local name=$1 port=$2
    shift 2
    env "$@" "$BIN" serve --demo --data-dir "$work/data" --port "$port" --host 127.0.0.1 --database "$primary_url" \
        >>"$work/server-$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 240); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
        sleep 1
    done
    fail "server $name did not become healthy"
}
start_server A "$PORT"
start_server B "$PORT_B" GOVSHARE_DATABASE_READ_URL="$replica_url" GOVSHARE_DATABASE_READ_CHECK_MS=100
A="http://127.0.0.1:$PORT"
B="http://127.0.0.1:$PORT_B"

token() {
    curl -fsS "$A/api/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"GovShare#2026\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
metric() {  # BASE NAME: the value of a counter or gauge line starting with NAME (0 when absent)
    curl -fsS "$1/metrics" | awk -v n="$2" 'index($0, n) == 1 { v = $NF } END { print (v == "" ? 0 : v) }'
}
wait_fresh() {
    for _ in $(seq 1 150); do
        [ "$(metric "$B" 'govshare_database_replica_fresh{replica="replica1"}')" = 1.0 ] && return 0
        sleep 0.2
    done
    fail "the replica never became fresh on server B"
}
reader=$(token hrss_user)
code=$(curl -fsS "$A/api/v1/datasets" -H "Authorization: Bearer $reader" \
    | python3 -c 'import json,sys; print([d["entry_code"] for d in json.load(sys.stdin) if d["entry_code"].startswith("101001/")][0].replace("/","-"))')
subscription=$(curl -fsS "$A/api/v1/subscriptions" -H "Authorization: Bearer $reader" \
    | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s.get("revoked_at") is None][0])')
query() {  # BASE → "STATUS DIGEST" of one 50-row page read under the subscription
    local out status
    out=$(mktemp -p "$work")
    status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$1/api/v1/datasets/$code/query" -H "Authorization: Bearer $reader" \
        -H 'Content-Type: application/json' -d "{\"purpose\":\"$subscription\",\"fields\":[\"GMSFHM\",\"XM\",\"CSRQ\"],\"limit\":50}")
    echo "$status $(python3 -c 'import hashlib,json,sys; d=json.load(open(sys.argv[1])); print(hashlib.sha256(json.dumps(d.get("records"), sort_keys=True).encode()).hexdigest()[:16])' "$out")"
}

wait_fresh
served0=$(metric "$B" govshare_database_replica_reads_total)
a=$(query "$A"); b=$(query "$B")
served1=$(metric "$B" govshare_database_replica_reads_total)
[ "${a%% *}" = 200 ] && [ "${b%% *}" = 200 ] || fail "reads before the revocation: A=$a B=$b"
[ "$a" = "$b" ] || fail "A and B (replica) answered different rows: $a / $b"
python3 -c "import sys; sys.exit(0 if float('$served1') > float('$served0') else 1)" || fail "B did not read the page from the replica ($served0 → $served1)"
served_a=$(metric "$A" govshare_database_replica_reads_total)
python3 -c "import sys; sys.exit(0 if float('$served_a') == 0 else 1)" || fail "A has no replica but counted replica reads: $served_a"
echo "replica test: B served the page from the replica (replica reads $served0 → $served1), the same rows as A"

# The provider reading its own data reads the primary (it may just have reported).
provider=$(token gd_cataloger)
before=$(metric "$B" govshare_database_replica_reads_total)
status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$B/api/v1/datasets/$code/query" -H "Authorization: Bearer $provider" \
    -H 'Content-Type: application/json' -d '{"purpose":"provider","limit":10}')
after=$(metric "$B" govshare_database_replica_reads_total)
[ "$status" = 200 ] && [ "$before" = "$after" ] || fail "provider read: HTTP $status, replica reads $before → $after"
echo "replica test: the provider's own read went to the primary"

# Replica down: B answers from the primary.
stop_cluster "$work/pg/replica"
down=$(query "$B")
[ "${down%% *}" = 200 ] && [ "$down" = "$a" ] || fail "with the replica down B answered $down"
echo "replica test: with the replica down, B answered from the primary"
start_cluster "$work/pg/replica" "$REPLICA_PORT"
wait_fresh

# Revoked through A, refused through both on the very next read.
status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$A/api/v1/subscriptions/$subscription/revoke" \
    -H "Authorization: Bearer $reader" -H 'Content-Type: application/json' -d '{"reason":"replica test"}')
[ "$status" = 200 ] || fail "revoke answered $status"
b=$(query "$B"); a=$(query "$A")
[ "${b%% *}" = 403 ] && [ "${a%% *}" = 403 ] || fail "after the revocation: B=$b A=$a (both must be 403)"
echo "replica test: the subscription revoked through A is refused through B and A"
echo "replica test: PASS"

#!/usr/bin/env bash
# A provincial node and two city sub-nodes on this machine (issue 18): the province on PostgreSQL, 广州 (440100) and
# 深圳 (440300) on SQLite, each a `govshare serve --demo` process, registered with each other through `govshare node
# register` using the certificates their public `GET /api/v1/nodes/self` shows. Checks, over real HTTP between the
# processes:
#   1. each city's published entries reach the provincial search, and the province forwards them to the other city —
#      except entries the city does not share (not_shared), which stay out of the other city's catalog;
#   2. the province is killed with SIGKILL; meanwhile 广州 withdraws an entry (its message waits in the outbox, the link
#      shows the error); the province restarts and the withdrawal reaches the province and 深圳;
#   3. afterwards 广州's last sent sequence number equals the province's last received one, nothing waits, and the
#      province's audit chain verifies.
#
#   Tests/e2e/three_nodes.sh --database postgres://govshare:govshare@127.0.0.1:54329/govshare_nodes [--port 18096]
#
# Uses .build/debug/govshare (BIN= to override), curl, python3 and psql (it empties the province's schema public).
# Exit 0 and "three nodes test: PASS" on success.
set -euo pipefail
BIN=${BIN:-.build/debug/govshare}
PORT=18096
DATABASE=""
while [ $# -gt 0 ]; do
    case $1 in
        --port) PORT=$2; shift 2 ;;
        --database) DATABASE=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$DATABASE" ] || { echo "--database (the province's PostgreSQL URL) is required" >&2; exit 2; }
work=$(mktemp -d /tmp/govshare-nodes.XXXXXX)
declare -A pid port dir extra region
port=([province]=$PORT [gz]=$((PORT + 1)) [sz]=$((PORT + 2)))
extra=([province]="--database $DATABASE" [gz]="--node-id gz-city" [sz]="--node-id sz-city")
region=([province]=440000 [gz]=440100 [sz]=440300)
for n in province gz sz; do dir[$n]="$work/$n"; done

cleanup() {
    for n in province gz sz; do
        [ -z "${pid[$n]:-}" ] || { kill -9 "${pid[$n]}" && wait "${pid[$n]}"; } 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "three nodes test: FAIL: $*" >&2
    for n in province gz sz; do echo "---- $n server log"; grep -v 'path=/metrics' "$work/$n.log" 2>/dev/null | tail -n 25; done
    exit 1
}

# govshare NODE ARGS...: the CLI against NODE's data (its database, directory, node id and region).
govshare() {
    local n=$1
    shift
    # shellcheck disable=SC2086
    GOVSHARE_NODE_REGION_CODE=${region[$n]} GOVSHARE_OUTBOUND_ALLOW_LOOPBACK=true \
        "$BIN" "$@" --data-dir "${dir[$n]}" ${extra[$n]}
}

start() {
    local n=$1
    # shellcheck disable=SC2086
    GOVSHARE_NODE_REGION_CODE=${region[$n]} GOVSHARE_OUTBOUND_ALLOW_LOOPBACK=true GOVSHARE_DEMO_ROWS=300 \
        GOVSHARE_FEDERATION_SYNC_SECONDS=1 \
        "$BIN" serve --demo --host 127.0.0.1 --port "${port[$n]}" --data-dir "${dir[$n]}" ${extra[$n]} \
        >>"$work/$n.log" 2>&1 &
    pid[$n]=$!
}

wait_healthy() {
    local n=$1
    for _ in $(seq 1 240); do
        curl -fsS -o /dev/null "http://127.0.0.1:${port[$n]}/healthz" 2>/dev/null && return 0
        kill -0 "${pid[$n]}" 2>/dev/null || fail "the $n server exited"
        sleep 1
    done
    fail "the $n server did not become healthy"
}

# api NODE METHOD PATH [TOKEN] [BODY]: the JSON answer.
api() {
    local n=$1 method=$2 path=$3 token=${4:-} body=${5:-}
    local args=(-sS -X "$method" "http://127.0.0.1:${port[$n]}$path" -H 'Content-Type: application/json')
    [ -z "$token" ] || args+=(-H "Authorization: Bearer $token")
    [ -z "$body" ] || args+=(-d "$body")
    curl "${args[@]}"
}

token() {
    api "$1" POST /api/v1/auth/token "" "{\"username\":\"$2\",\"password\":\"GovShare#2026\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# codes NODE TOKEN [SHARE_TYPE]: the codes the node's catalog search finds, one per line.
codes() {
    local filter=""
    [ -z "${3:-}" ] || filter="&share_type=$3"
    api "$1" GET "/api/v1/catalog/search?rows=1000$filter" "$2" \
        | python3 -c 'import json,sys; [print(i["code"]) for i in json.load(sys.stdin)["items"]]'
}

# field JSON KEY: one field of a JSON object ("" when missing or null).
field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }

# until_true SECONDS DESCRIPTION COMMAND...: polls COMMAND every second.
until_true() {
    local seconds=$1 what=$2
    shift 2
    local started=$SECONDS
    until "$@"; do
        [ $((SECONDS - started)) -lt "$seconds" ] || fail "not within $seconds s: $what"
        sleep 1
    done
    echo "three nodes test: $what after $((SECONDS - started)) s"
}

# A fresh provincial database (its keys are wrapped by a key-encryption key made with this run's data directory).
PGOPTIONS='--client-min-messages=warning' psql "$DATABASE" -X -q -v ON_ERROR_STOP=1 \
    -c "DROP SCHEMA IF EXISTS public CASCADE" -c "CREATE SCHEMA public" || fail "cannot empty the province's database"
echo "three nodes test: province on ${port[province]} (PostgreSQL), 广州 on ${port[gz]}, 深圳 on ${port[sz]} (SQLite)"
for n in province gz sz; do start "$n"; done
for n in province gz sz; do wait_healthy "$n"; done

# Each node registers the others it talks to, with the certificate the peer shows.
for n in province gz sz; do
    api "$n" GET /api/v1/nodes/self | python3 -c 'import json,sys; print(json.load(sys.stdin)["certificate_pem"], end="")' \
        >"$work/$n.pem"
done
govshare province node register --id gz-city --name 广州市 --region 440100 --url "http://127.0.0.1:${port[gz]}" \
    --certificate "$work/gz.pem" >/dev/null || fail "the province could not register 广州"
govshare province node register --id sz-city --name 深圳市 --region 440300 --url "http://127.0.0.1:${port[sz]}" \
    --certificate "$work/sz.pem" >/dev/null || fail "the province could not register 深圳"
for n in gz sz; do
    govshare "$n" node register --id gd-province --name 广东省 --region 440000 --url "http://127.0.0.1:${port[province]}" \
        --certificate "$work/province.pem" >/dev/null || fail "$n could not register the province"
done

declare -A reviewer
for n in province gz sz; do reviewer[$n]=$(token "$n" gd_reviewer); done

has_code() {
    local list
    list=$(codes "$1" "${reviewer[$1]}")
    grep -q -- "$2" <<<"$list"
}
until_true 120 "广州's and 深圳's entries are in the provincial search" \
    eval 'has_code province /440100 && has_code province /440300'
until_true 120 "深圳's entries reach 广州 and 广州's reach 深圳 through the province" \
    eval 'has_code gz /440300 && has_code sz /440100'
until_true 60 "the province's own entries reach both cities" \
    eval 'has_code gz "/[0-9]\{6\}$" && has_code sz "/[0-9]\{6\}$"'

# Not shared stays home: 广州 has such entries, 深圳 sees none of them.
[ -n "$(codes gz "${reviewer[gz]}" not_shared | grep -- /440100 || true)" ] || fail "广州's demo has no not_shared entry to test with"
if codes sz "${reviewer[sz]}" not_shared | grep -q -- /440100; then fail "广州's not_shared entries reached 深圳"; fi
echo "three nodes test: 广州's not_shared entries stay out of 深圳's catalog"

# The province dies; 广州 withdraws a shared entry meanwhile.
target=$(api gz GET "/api/v1/catalog/search?rows=1000&share_type=unconditional" "${reviewer[gz]}" | python3 -c '
import json, sys
items = [i for i in json.load(sys.stdin)["items"] if "/440100" in i["code"]]
print(items[0]["entry_id"], items[0]["code"]) if items else print("")')
read -r target_id target_code <<<"$target"
[ -n "${target_code:-}" ] || fail "广州 has no shared entry of its own"
has_code province "$target_code" && has_code sz "$target_code" || fail "$target_code is not on the province and 深圳 yet"
{ kill -9 "${pid[province]}" && wait "${pid[province]}"; } 2>/dev/null || true
pid[province]=""
answer=$(api gz POST "/api/v1/catalog/entries/$target_id/withdraw" "${reviewer[gz]}" '{"reason":"停止提供（节点测试）"}')
[ "$(field "$answer" status)" = withdrawn ] || fail "广州 could not withdraw $target_code: $answer"
echo "three nodes test: 广州 withdrew $target_code while the province was down"
gz_admin=$(token gz admin)
link_down() {
    local link
    link=$(api gz GET /api/v1/nodes/gd-province "$gz_admin")
    [ -n "$(field "$link" last_error)" ] && [ "$(field "$link" pending)" != 0 ]
}
until_true 30 "广州's link to the province shows the error and the waiting message" link_down

start province
wait_healthy province
reviewer[province]=$(token province gd_reviewer)
until_true 150 "the withdrawal reached the restarted province" eval '! has_code province "$target_code"'
until_true 60 "the withdrawal reached 深圳" eval '! has_code sz "$target_code"'

# Converged: what 广州 sent is what the province received, nothing waits, and the chain is whole.
province_admin=$(token province admin)
converged() {
    local sent received link
    link=$(api gz GET /api/v1/nodes/gd-province "$gz_admin")
    sent=$(field "$link" last_sent_seq)
    received=$(field "$(api province GET /api/v1/nodes/gz-city "$province_admin")" last_received_seq)
    [ "$(field "$link" pending)" = 0 ] && [ -n "$sent" ] && [ "$sent" = "$received" ]
}
until_true 30 "广州's last sent sequence number equals the province's last received one, nothing pending" converged
# The same entries everywhere: 广州's own on the province, and those it shares on 深圳.
own=$(codes gz "${reviewer[gz]}" | grep -- /440100 | sort)
[ "$(codes province "${reviewer[province]}" | grep -- /440100 | sort)" = "$own" ] \
    || fail "the province's copies of 广州's entries differ from 广州's catalog"
hidden=$(codes gz "${reviewer[gz]}" not_shared | grep -- /440100 | sort)
[ "$(codes sz "${reviewer[sz]}" | grep -- /440100 | sort)" = "$(comm -23 <(echo "$own") <(echo "$hidden"))" ] \
    || fail "深圳's copies of 广州's entries are not 广州's shared entries"
echo "three nodes test: the province holds 广州's $(wc -l <<<"$own") entries, 深圳 the shared ones"
auditor=$(token province auditor)
[ "$(field "$(api province GET /api/v1/audit/verify "$auditor")" ok)" = True ] || fail "the province's audit chain does not verify"
echo "three nodes test: the province's audit chain verifies after the SIGKILL"
echo "three nodes test: PASS"

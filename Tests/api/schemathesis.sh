#!/usr/bin/env bash
# Property-based API test of a running GovShare server against its own OpenAPI document, with schemathesis 4.
#
#   Tests/api/schemathesis.sh BASE_URL [extra schemathesis run options...]
#   e.g. Tests/api/schemathesis.sh http://127.0.0.1:18080
#
# Signs in as the demo admin (POST /api/v1/auth/token), then runs schemathesis against
# BASE_URL/api/v1/openapi.json with that bearer token. Only BASE_URL is ever contacted (it must be a loopback
# address): --origin pins every request to it, whatever `servers` the document declares.
#
# Environment (all optional):
#   SCHEMATHESIS            schemathesis executable (default: on PATH, else /tmp/ci-venv/bin/schemathesis)
#   SCHEMATHESIS_MAX_EXAMPLES  test cases per operation and phase (default 30)
#   SCHEMATHESIS_SEED       seed for a reproducible run (default: random, printed)
#   SCHEMATHESIS_USER / SCHEMATHESIS_PASSWORD  account to sign in with (default admin / GovShare#2026)
#   ARTIFACT_DIR            where the JUnit report goes (default /tmp)
# Exit status: 0 when schemathesis reports no failure, non-zero otherwise.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 BASE_URL [extra schemathesis run options...]" >&2
    exit 2
fi
base=${1%/}
shift

case "$base" in
    http://127.*|http://localhost|http://localhost:*|http://\[::1\]*) ;;
    *) echo "schemathesis.sh: refusing to test $base: only loopback addresses are allowed" >&2; exit 2 ;;
esac

st=${SCHEMATHESIS:-}
if [ -z "$st" ]; then
    st=$(command -v schemathesis || true)
    [ -n "$st" ] || st=/tmp/ci-venv/bin/schemathesis
fi
[ -x "$st" ] || { echo "schemathesis.sh: schemathesis not found (looked on PATH and at $st)" >&2; exit 2; }

user=${SCHEMATHESIS_USER:-admin}
password=${SCHEMATHESIS_PASSWORD:-GovShare#2026}
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-30}
seed=${SCHEMATHESIS_SEED:-$(( (RANDOM << 15) | RANDOM ))}
artifact_dir=${ARTIFACT_DIR:-/tmp}
mkdir -p "$artifact_dir"
report_dir=$(realpath "$artifact_dir")/schemathesis-$(echo "$base" | tr -c 'A-Za-z0-9' '_')
mkdir -p "$report_dir"

echo "schemathesis.sh: $("$st" --version) against $base (seed $seed, max examples $max_examples)"

# 1. A bearer token for the demo admin.
body=$(python3 -c 'import json,sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2]}))' \
    "$user" "$password")
token_json=$(curl -sS --max-time 30 -H 'Content-Type: application/json' -H 'Accept: application/json' \
    -X POST --data "$body" -w '\n%{http_code}' "$base/api/v1/auth/token") \
    || { echo "schemathesis.sh: POST $base/api/v1/auth/token failed" >&2; exit 1; }
status=${token_json##*$'\n'}
token_json=${token_json%$'\n'*}
if [ "$status" != 200 ]; then
    echo "schemathesis.sh: POST /api/v1/auth/token answered HTTP $status: $token_json" >&2
    exit 1
fi
token=$(printf '%s' "$token_json" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
tok, kind = doc.get("access_token"), doc.get("token_type", "")
if not isinstance(tok, str) or not tok or kind.lower() != "bearer":
    sys.exit("token response lacks a bearer access_token: %r" % doc)
print(tok)') || { echo "schemathesis.sh: unexpected token response: $token_json" >&2; exit 1; }
echo "schemathesis.sh: got a bearer token for '$user'"

# 2. The OpenAPI document must be there before fuzzing starts.
curl -fsS --max-time 30 -o "$report_dir/openapi.json" "$base/api/v1/openapi.json" \
    || { echo "schemathesis.sh: cannot fetch $base/api/v1/openapi.json" >&2; exit 1; }

# 3. Fuzz. The token endpoint is left out: wrong passwords would lock the admin account after five tries.
#    --origin keeps every request on $base; the schema's own base path (servers[0].url) is kept.
#    It runs in a scratch directory: schemathesis and hypothesis keep caches (.schemathesis/, .hypothesis/) in the
#    working directory, and they belong neither in the repository nor in the next run.
# Service calls are excluded: they proxy to whatever endpoint a fuzzed mount names, and a made-up endpoint that does not
# answer is rightly 503 upstream_failed (MountTests covers the route with a live endpoint).
scratch=$(mktemp -d /tmp/govshare-schemathesis.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
set +e
"$st" run "$base/api/v1/openapi.json" \
    --origin "$base" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path-regex '/auth/token$|/resources/[^/]+/call$' \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --request-timeout 20 \
    --workers 1 \
    --generation-database none \
    --report junit --report-dir "$report_dir" \
    --no-color \
    "$@"
rc=$?
set -e
echo "schemathesis.sh: report in $report_dir; exit status $rc (seed $seed)"
exit "$rc"

# Shared by the kill tests (sourced). The caller sets BIN, args (the serve arguments), work (its temp directory) and
# base (the server's URL).

# Starts the server in the background (its pid in server_pid) and waits until /healthz answers.
start() {
    "$BIN" "${args[@]}" >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 180); do
        curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && return 0
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server exited" >&2; exit 1; }
        sleep 1
    done
    echo "server did not become healthy" >&2; exit 1
}

# token USERNAME: a bearer token of a demo account.
token() {
    curl -fsS "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"GovShare#2026\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# kill_after_progress PID FILE PATTERN TRIES: SIGKILLs the background command PID as soon as its output FILE matches
# PATTERN (polled every 50 ms, at most TRIES times) and reaps it; returns 1 when the command had already ended.
kill_after_progress() {
    local pid=$1 file=$2 pattern=$3 tries=$4
    for _ in $(seq 1 "$tries"); do
        grep -q "$pattern" "$file" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || return 1
    wait "$pid" 2>/dev/null || true
}

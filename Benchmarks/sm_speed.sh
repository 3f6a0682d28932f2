#!/usr/bin/env bash
# SM2 sign/verify per second and SM3 MB/s through GovShare's wrapper (`govshare crypto speed`) against OpenSSL's own
# loop over the same libcrypto (`openssl speed sm2`, `openssl speed -evp sm3 -bytes 16384`), alternated in one run so
# both see the same machine; the target is >= 0.9x of openssl (issue 14).
#
# Usage: Benchmarks/sm_speed.sh   (env: SECONDS_PER_TEST=3, ROUNDS=3, BUILD=debug|release (release), BIN=path)
# Prints one line per round and a RESULT line (sums over the rounds); record them in docs/benchmarks.md.
#
# What each side measures: openssl speed sm2 signs a 20-byte message with a key already parsed into an EVP_PKEY
# (EVP_DigestSignInit + EVP_DigestSign, one thread) and verifies the same way; govshare crypto speed calls
# NationalCrypto.sign / verify on a 20-byte message with the key as PKCS#8 / SubjectPublicKeyInfo DER, which
# goes through its cache of parsed keys, as the platform does. SM3: 16,384-byte blocks on both sides, MB = 10^6 bytes.
# Both sides divide by USER CPU time (openssl speed's default; `-elapsed` would divide by wall time): on this 2-core
# machine a build next door would otherwise halve our wall-clock rate while openssl's stays put.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TEST=${SECONDS_PER_TEST:-3}
ROUNDS=${ROUNDS:-3}
BUILD=${BUILD:-release}
if [ -n "${BIN:-}" ]; then
    bin=$BIN
else
    swift build -c "$BUILD" --product govshare >/dev/null
    bin=".build/$BUILD/govshare"
fi
command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 2; }
echo "$(openssl version); $bin; $(nproc) cores; $SECONDS_PER_TEST s per test, $ROUNDS rounds"

total() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

os_sign=0 os_verify=0 os_sm3=0 gs_sign=0 gs_verify=0 gs_sm3=0
printf '%-6s %12s %12s %10s | %12s %12s %10s | %6s %6s %6s\n' round "ossl sign/s" "ossl vfy/s" "ossl MB/s" \
    "ours sign/s" "ours vfy/s" "ours MB/s" sign verify sm3
for round in $(seq 1 "$ROUNDS"); do
    # openssl first on odd rounds, ours first on even ones, so neither always gets the quieter half-minute.
    for side in $( [ $((round % 2)) = 1 ] && echo "openssl ours" || echo "ours openssl"); do
        if [ "$side" = openssl ]; then
            read -r o_sign o_verify < <(openssl speed -seconds "$SECONDS_PER_TEST" sm2 2>/dev/null \
                | awk '/SM2 \(CurveSM2\)/ { print $(NF-1), $NF }')  || true
            o_sm3=$(openssl speed -seconds "$SECONDS_PER_TEST" -bytes 16384 -evp sm3 2>/dev/null \
                | awk '$1 == "sm3" { sub(/k$/, "", $NF); printf "%.1f", $NF / 1000 }')
        else
            out=$("$bin" crypto speed --seconds "$SECONDS_PER_TEST")
            g_sign=$(awk '$1 == "sm2" && $2 == "sign/s" { print $3 }' <<<"$out")
            g_verify=$(awk '$1 == "sm2" && $2 == "verify/s" { print $3 }' <<<"$out")
            g_sm3=$(awk '$1 == "sm3" && $2 == "MB/s" { print $3 }' <<<"$out")
        fi
    done
    for value in "$o_sign" "$o_verify" "$o_sm3" "$g_sign" "$g_verify" "$g_sm3"; do
        [ -n "$value" ] || { echo "could not read a measurement (round $round)" >&2; exit 1; }
    done
    printf '%-6s %12s %12s %10s | %12s %12s %10s | %6s %6s %6s\n' "$round" "$o_sign" "$o_verify" "$o_sm3" \
        "$g_sign" "$g_verify" "$g_sm3" "$(ratio "$g_sign" "$o_sign")" "$(ratio "$g_verify" "$o_verify")" "$(ratio "$g_sm3" "$o_sm3")"
    os_sign=$(total "$os_sign" "$o_sign"); os_verify=$(total "$os_verify" "$o_verify"); os_sm3=$(total "$os_sm3" "$o_sm3")
    gs_sign=$(total "$gs_sign" "$g_sign"); gs_verify=$(total "$gs_verify" "$g_verify"); gs_sm3=$(total "$gs_sm3" "$g_sm3")
done
avg() { awk -v a="$1" -v n="$ROUNDS" 'BEGIN { printf "%.1f", a / n }'; }
echo "RESULT openssl: sm2 sign $(avg "$os_sign")/s, verify $(avg "$os_verify")/s, sm3 $(avg "$os_sm3") MB/s;" \
    "govshare ($BUILD): sign $(avg "$gs_sign")/s, verify $(avg "$gs_verify")/s, sm3 $(avg "$gs_sm3") MB/s;" \
    "ratios: sign $(ratio "$gs_sign" "$os_sign"), verify $(ratio "$gs_verify" "$os_verify"), sm3 $(ratio "$gs_sm3" "$os_sm3")" \
    "(target >= 0.9)"

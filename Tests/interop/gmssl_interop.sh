#!/usr/bin/env bash
# `govshare crypto` against a second implementation, PyPI gmssl 3.2.2 (Tests/interop/gmssl_peer.py), both ways:
# SM3 digests, SM2 signatures with the ID 1234567812345678 made by either side and verified by the other, a key made by
# each side used by the other, and changed messages, IDs and keys rejected by both.
#
#   bash Tests/interop/gmssl_interop.sh [GOVSHARE_BINARY] [PYTHON_WITH_GMSSL]
#
# Defaults: .build/debug/govshare and python3. Exits non-zero on any mismatch. Needs no database.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
govshare=${1:-.build/debug/govshare}
python=${2:-python3}
peer=Tests/interop/gmssl_peer.py

[ -x "$govshare" ] || { echo "no executable $govshare (swift build --product govshare)" >&2; exit 2; }
"$python" -c 'import gmssl' 2>/dev/null || { echo "$python cannot import gmssl (pip install gmssl==3.2.2)" >&2; exit 2; }

work=$(mktemp -d /tmp/gmssl-interop.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# expect 0|1|error NAME COMMAND...: the command must succeed (0), answer "invalid" (exactly 1, not a crash or an input
# error), or fail in any way (error).
expect() {
    local want=$1 name=$2 rc=0
    shift 2
    "$@" >"$work/out" 2>&1 || rc=$?
    if [ "$rc" = "$want" ] || { [ "$want" = error ] && [ "$rc" != 0 ]; }; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        echo "FAIL  $name (exit $rc, wanted $want)"
        sed 's/^/      /' "$work/out"
    fi
}

gov() { "$govshare" crypto "$@"; }
gm() { "$python" "$peer" "$@"; }

expect 0 "gmssl reproduces the standard's SM3 and SM2 vectors (self-test)" gm selftest

# Messages: the SM3 example, Chinese text, binary bytes, empty.
printf abc >"$work/abc"
printf '广东省政务数据共享平台 审批决定书 第 2026-0001 号\n' >"$work/letter.txt"
head -c 5000 /dev/urandom >"$work/random.bin"
: >"$work/empty"

for file in abc letter.txt random.bin empty; do
    digest=$(gov sm3 "$work/$file" | cut -d' ' -f1)
    expect 0 "SM3 of $file: govshare and gmssl agree" gm sm3 "$work/$file" "$digest"
done
expect 0 "SM3 of abc is the GB/T 32905 value" \
    test "$(gov sm3 "$work/abc" | cut -d' ' -f1)" = 66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0

# govshare's key and signature, verified by gmssl.
expect 0 "govshare crypto keygen" gov keygen --out "$work/gov.key" --pub "$work/gov.pub"
expect error "keygen refuses to overwrite a key" gov keygen --out "$work/gov.key"
for file in letter.txt random.bin empty; do
    expect 0 "govshare signs $file" gov sign "$work/$file" --key "$work/gov.key" --out "$work/$file.gov.sig"
    expect 0 "gmssl verifies govshare's signature of $file" gm verify "$work/$file" "$work/$file.gov.sig" "$work/gov.pub"
done
printf 'tampered' >>"$work/letter.txt.changed"
cat "$work/letter.txt" "$work/letter.txt.changed" >"$work/letter.changed"
expect 1 "gmssl rejects govshare's signature over a changed message" \
    gm verify "$work/letter.changed" "$work/letter.txt.gov.sig" "$work/gov.pub"
expect error "govshare refuses the empty ID (OpenSSL 3.0's silent default)" \
    gov sign "$work/letter.txt" --key "$work/gov.key" --id "" --out "$work/empty-id.sig"
expect 0 "govshare signs with another ID" \
    gov sign "$work/letter.txt" --key "$work/gov.key" --id ALICE123@YAHOO.COM --out "$work/alice.sig"
expect 1 "gmssl (default ID) rejects a signature made with another ID" \
    gm verify "$work/letter.txt" "$work/alice.sig" "$work/gov.pub"
expect 0 "govshare verifies it with that ID" \
    gov verify "$work/letter.txt" "$work/alice.sig" --pub "$work/gov.pub" --id ALICE123@YAHOO.COM

# gmssl's key and signature, verified by govshare.
expect 0 "gmssl makes a key pair" gm keygen "$work/gm.key" "$work/gm.pub"
for file in letter.txt random.bin empty; do
    expect 0 "gmssl signs $file" gm sign "$work/$file" "$work/gm.key" "$work/$file.gm.sig"
    expect 0 "govshare verifies gmssl's signature of $file" gov verify "$work/$file" "$work/$file.gm.sig" --pub "$work/gm.pub"
done
expect 1 "govshare rejects gmssl's signature over a changed message" \
    gov verify "$work/letter.changed" "$work/letter.txt.gm.sig" --pub "$work/gm.pub"
expect 1 "govshare rejects gmssl's signature checked with another ID" \
    gov verify "$work/letter.txt" "$work/letter.txt.gm.sig" --pub "$work/gm.pub" --id ALICE123@YAHOO.COM
expect 1 "govshare rejects gmssl's signature under another key" \
    gov verify "$work/letter.txt" "$work/letter.txt.gm.sig" --pub "$work/gov.pub"

# Each side's key used by the other: govshare signs with gmssl's key, gmssl with govshare's.
expect 0 "govshare signs with gmssl's key" gov sign "$work/letter.txt" --key "$work/gm.key" --out "$work/cross1.sig"
expect 0 "gmssl verifies it" gm verify "$work/letter.txt" "$work/cross1.sig" "$work/gm.pub"
expect 0 "gmssl signs with govshare's key" gm sign "$work/letter.txt" "$work/gov.key" "$work/cross2.sig"
expect 0 "govshare verifies it" gov verify "$work/letter.txt" "$work/cross2.sig" --pub "$work/gov.pub"

echo "gmssl interop: $passed passed, $failed failed"
[ "$failed" = 0 ]

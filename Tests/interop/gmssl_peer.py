#!/usr/bin/env python3
"""A second SM2/SM3 implementation (PyPI gmssl 3.2.2, pure Python) facing `govshare crypto`.

  gmssl_peer.py selftest                      the standard's vectors (GB/T 32905, GB/T 32918.5) through gmssl
  gmssl_peer.py sm3 FILE HEX                  exit 0 when gmssl's SM3 of FILE is HEX
  gmssl_peer.py verify FILE SIG.der PUB.pem   exit 0 when the DER SM2 signature verifies (ID 1234567812345678)
  gmssl_peer.py sign FILE KEY.pem SIG.der     sign with gmssl (ID 1234567812345678), write DER SEQUENCE {r, s}
  gmssl_peer.py keygen KEY.pem PUB.pem        a key pair made by gmssl: PKCS#8 and SubjectPublicKeyInfo PEM

gmssl reads keys only as hex, so the PEM/DER around them is parsed and written here with a minimal DER reader that
checks the curve is sm2p256v1. gmssl 3.2.2 quirks worked around: CryptSM2 strips any leading '0'/'4' characters of
the public key (`lstrip("04")`), so the key is set after construction; its Z_A always uses the default ID.
Exit status: 0 success, 1 mismatch or invalid signature, 2 unusable input.
"""
import base64
import secrets
import sys

from gmssl import sm2, sm3

ID_EC_PUBLIC_KEY = bytes.fromhex("06072A8648CE3D0201")
SM2_CURVE = bytes.fromhex("06082A811CCF5501822D")
CURVE_N = int(sm2.default_ecc_table["n"], 16)


class InputError(Exception):
    pass


def tlv(data, offset):
    """(tag, content start, end) of the DER element at offset."""
    if offset + 2 > len(data):
        raise InputError("truncated DER")
    tag, length, index = data[offset], data[offset + 1], offset + 2
    if length & 0x80:
        count = length & 0x7F
        if not 1 <= count <= 3 or index + count > len(data):
            raise InputError("bad DER length")
        length = int.from_bytes(data[index:index + count], "big")
        index += count
    if index + length > len(data):
        raise InputError("truncated DER")
    return tag, index, index + length


def children(data, start, end):
    out, offset = [], start
    while offset < end:
        tag, content, stop = tlv(data, offset)
        out.append((tag, content, stop, data[offset:stop]))
        offset = stop
    return out


def pem_or_der(path):
    raw = open(path, "rb").read()
    if b"-----BEGIN" not in raw:
        return raw
    lines = raw.decode("ascii").splitlines()
    body = [line.strip() for line in lines if line.strip() and not line.startswith("-----")]
    return base64.b64decode("".join(body))


def require_sm2(algorithm_der):
    if ID_EC_PUBLIC_KEY not in algorithm_der or SM2_CURVE not in algorithm_der:
        raise InputError("not an SM2 (id-ecPublicKey, sm2p256v1) key")


def public_key_hex(path):
    """x || y (128 hex digits) of a SubjectPublicKeyInfo, PEM or DER."""
    der = pem_or_der(path)
    _, start, end = tlv(der, 0)
    parts = children(der, start, end)
    if len(parts) != 2 or parts[1][0] != 0x03:
        raise InputError("not a SubjectPublicKeyInfo")
    require_sm2(parts[0][3])
    point = der[parts[1][1]:parts[1][2]]
    if len(point) != 66 or point[0] != 0 or point[1] != 4:
        raise InputError("public key is not an uncompressed point")
    return point[2:].hex()


def private_key_hex(path):
    """d (64 hex digits) of a PKCS#8 PrivateKeyInfo wrapping a SEC1 ECPrivateKey, PEM or DER."""
    der = pem_or_der(path)
    _, start, end = tlv(der, 0)
    parts = children(der, start, end)
    if len(parts) < 3 or parts[2][0] != 0x04:
        raise InputError("not a PKCS#8 PrivateKeyInfo")
    require_sm2(parts[1][3])
    inner = der[parts[2][1]:parts[2][2]]
    _, start, end = tlv(inner, 0)
    fields = children(inner, start, end)
    if len(fields) < 2 or fields[1][0] != 0x04:
        raise InputError("not an ECPrivateKey")
    d = inner[fields[1][1]:fields[1][2]]
    if len(d) > 32 or not 0 < int.from_bytes(d, "big") < CURVE_N:
        raise InputError("private scalar out of range")
    return d.rjust(32, b"\0").hex()


def crypt(private_hex, public_hex):
    engine = sm2.CryptSM2(private_key=private_hex, public_key="", asn1=True)
    engine.public_key = public_hex  # after construction: CryptSM2's lstrip("04") would eat the key's own digits
    return engine


def public_of(private_hex):
    engine = crypt(private_hex, "")
    return engine._kg(int(private_hex, 16), sm2.default_ecc_table["g"])


def sm3_hex(data):
    return sm3.sm3_hash(list(data))


def sign(data, private_hex):
    engine = crypt(private_hex, public_of(private_hex))
    while True:  # gmssl returns None for the rare unusable k; draw another
        signature = engine.sign_with_sm3(data, "%064x" % (secrets.randbelow(CURVE_N - 1) + 1))
        if signature:
            return bytes.fromhex(signature)


def verify(data, signature_der, public_hex):
    try:
        return bool(crypt("", public_hex).verify_with_sm3(signature_der.hex(), data))
    except (ValueError, IndexError, TypeError):
        return False


def pem(der, label):
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


def selftest():
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    d = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
    xy = ("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
          "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
    assert public_of(d).upper() == xy
    signature = bytes.fromhex(
        "3046022100F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
        "022100B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
    assert verify(b"message digest", signature, xy.lower())
    assert not verify(b"message digesT", signature, xy.lower())
    # With the standard's fixed k, gmssl reproduces the standard's (r, s).
    engine = crypt(d, xy)
    made = engine.sign_with_sm3(b"message digest", "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21")
    assert bytes.fromhex(made) == signature, made
    return True


def main(argv):
    command, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    try:
        if command == "selftest" and not args:
            selftest()
            print("gmssl self-test: SM3 and SM2 vectors OK")
            return 0
        if command == "sm3" and len(args) == 2:
            digest = sm3_hex(open(args[0], "rb").read())
            same = digest == args[1].strip().lower()
            print("sm3 %s: gmssl %s, given %s" % ("match" if same else "MISMATCH", digest, args[1]))
            return 0 if same else 1
        if command == "verify" and len(args) == 3:
            ok = verify(open(args[0], "rb").read(), open(args[1], "rb").read(), public_key_hex(args[2]))
            print("gmssl: signature %s" % ("verified" if ok else "INVALID"))
            return 0 if ok else 1
        if command == "sign" and len(args) == 3:
            signature = sign(open(args[0], "rb").read(), private_key_hex(args[1]))
            open(args[2], "wb").write(signature)
            return 0
        if command == "keygen" and len(args) == 2:
            d = "%064x" % (secrets.randbelow(CURVE_N - 2) + 1)
            point = "04" + public_of(d)
            algorithm = "301306072A8648CE3D020106082A811CCF5501822D"
            pkcs8 = bytes.fromhex("308187020100" + algorithm + "046D306B0201010420" + d + "A144034200" + point)
            spki = bytes.fromhex("3059" + algorithm + "034200" + point)
            open(args[0], "w").write(pem(pkcs8, "PRIVATE KEY"))
            open(args[1], "w").write(pem(spki, "PUBLIC KEY"))
            return 0
    except (InputError, OSError, ValueError) as error:
        print("gmssl peer: %s" % error, file=sys.stderr)
        return 2
    except AssertionError as error:
        print("gmssl peer: self-test failed %s" % error, file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

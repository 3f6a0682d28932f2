#!/usr/bin/env python3
"""What sealing a decision letter adds to a decision (issue 14: < 5 ms p99). A decision signs its reply letter with
the data authority's data seal (SealService.signAsAuthority: seal lookup, key unwrap, SM3, SM2 sign, GB/T 38540
encoding, the seal.sign audit entry). The same work is POST /api/v1/seals/{id}/sign on the authority's data seal with a
real decision letter; its latency minus that of a signed-in request doing one small query (GET /api/v1/me) is the
added cost. Sequential, one keep-alive connection. Usage: decision_signing.py BASE_URL N. Prints RESULT lines."""
import base64
import http.client
import json
import sys
import time
import urllib.parse

base, n = sys.argv[1], int(sys.argv[2])
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port)


def call(method, path, token=None, body=None, ctype="application/json"):
    headers = {"Content-Type": ctype}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


def token(user):
    return call("POST", "/api/v1/auth/token", body=json.dumps({"username": user, "password": "GovShare#2026"}))["access_token"]


reviewer = token("gd_reviewer")
seal = next(s for s in call("GET", "/api/v1/seals", reviewer) if s["kind"] == "data_seal" and s["status"] == "active")
auditor = token("auditor")
# The demo's approved application (a reviewer's list holds the applications it reviews).
approved = next(a for a in call("GET", "/api/v1/applications", reviewer) + call("GET", "/api/v1/applications", token("hrss_user"))
                if a["status"] == "approved")
letter = base64.b64decode(call("GET", f"/api/v1/applications/{approved['id']}/decision-letter", auditor)["document"])


def measure(fn):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


for _ in range(20):  # warm up
    call("GET", "/api/v1/me", reviewer)
base50, base99 = measure(lambda: call("GET", "/api/v1/me", reviewer))
path = f"/api/v1/seals/{seal['id']}/sign?purpose=benchmark"
sign50, sign99 = measure(lambda: call("POST", path, reviewer, body=letter, ctype="application/octet-stream"))
print(f"RESULT letter_bytes={len(letter)} n={n}")
print(f"RESULT baseline GET /api/v1/me p50={base50:.2f}ms p99={base99:.2f}ms")
print(f"RESULT sign p50={sign50:.2f}ms p99={sign99:.2f}ms")
print(f"RESULT added p50={sign50 - base50:.2f}ms p99={sign99 - base99:.2f}ms (target < 5 ms p99)")

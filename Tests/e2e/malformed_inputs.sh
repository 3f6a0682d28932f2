#!/usr/bin/env bash
# Sends the malformed inputs of issue 11 to a running demo server, signed in and anonymously, and checks that every one
# is refused with a 4xx (never a 5xx or a dropped connection) and that /healthz still answers 200 afterwards.
#
#   Tests/e2e/malformed_inputs.sh http://127.0.0.1:18080 [server-pid]
#
# With a pid, the server process must also still be alive at the end. Needs python3 only (the XLSX files are written
# with its zipfile module). Exit 0 and "malformed inputs: PASS" on success.
set -euo pipefail
BASE=${1:?usage: malformed_inputs.sh BASE_URL [SERVER_PID]}
PID=${2:-}

python3 - "$BASE" <<'PY'
import http.client, io, json, re, sys, urllib.parse, zipfile

base = urllib.parse.urlparse(sys.argv[1])
failures, count = [], 0

def request(method, path, body=b"", headers=None, expect="4xx", label=None):
    """One request on a fresh connection; a dropped connection or a wrong status class is a failure."""
    global count
    count += 1
    label = label or f"{method} {path[:80]}"
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        status = response.status
    except Exception as error:  # the server closed the connection or died
        failures.append(f"{label}: no answer ({type(error).__name__}: {error})")
        print(f"  DROPPED {label}")
        return None, b"", {}
    finally:
        conn.close()
    ok = 400 <= status < 500 if expect == "4xx" else status < 500 if expect == "not5xx" else status == expect
    print(f"  {status} {'ok ' if ok else 'BAD'} {label}")
    if not ok:
        failures.append(f"{label}: {status} (expected {expect}) {data[:200]!r}")
    return status, data, dict(response.getheaders())

def token(username):
    status, data, _ = request("POST", "/api/v1/auth/token", json.dumps({"username": username, "password": "GovShare#2026"}).encode(),
                              {"Content-Type": "application/json"}, expect=200, label=f"sign in {username}")
    return json.loads(data)["access_token"]

def bearer(tok, content_type="application/json"):
    return {"Authorization": f"Bearer {tok}", "Content-Type": content_type}

def xlsx(rows_xml):
    """A minimal workbook whose first sheet holds the given <row> elements (as a spreadsheet program would not)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook><sheets><sheet name="s" sheetId="1"/></sheets></workbook>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet><sheetData>{rows_xml}</sheetData></worksheet>')
    return out.getvalue()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
twenty_letters = xlsx('<row r="1"><c r="ZZZZZZZZZZZZZZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>')
huge_row = xlsx('<row r="999999999999"><c r="A999999999999"><v>1</v></c></row>')
past_excel = xlsx('<row r="1048577"><c><v>1</v></c></row>')
print(f"malformed inputs: the 20-letter workbook is {len(twenty_letters)} bytes")

user, cataloger, provider, auditor = token("hrss_user"), token("psb_cataloger"), token("gd_cataloger"), token("auditor")
status, data, _ = request("GET", "/api/v1/datasets", headers=bearer(provider), expect=200, label="list datasets")
code = [d["entry_code"] for d in json.loads(data) if d["entry_code"].startswith("101001/")][0].replace("/", "-")

print("XLSX to the catalog import (data user, cataloger, anonymous):")
for name, book in [("20-letter cell reference", twenty_letters), ("huge row number", huge_row), ("row past 1,048,576", past_excel)]:
    for who, tok in [("data user", user), ("cataloger", cataloger)]:
        request("POST", "/api/v1/catalog/import", book, bearer(tok, XLSX), label=f"{name} as {who}")
    request("POST", "/api/v1/catalog/import", book, {"Content-Type": XLSX}, label=f"{name} anonymously")
request("POST", f"/api/v1/datasets/{code}/import", twenty_letters, bearer(provider, XLSX), label="20-letter XLSX as a dataset import (provider)")

print("Oversized and deeply nested bodies:")
big_id = json.dumps({"client_id": "A" * (2 << 20), "client_secret": "x"}).encode()
request("POST", "/api/v1/auth/token", big_id, {"Content-Type": "application/json"}, label="2 MB client_id, anonymous")
deep = b"[" * 200_000 + b"]" * 200_000
request("POST", "/api/v1/auth/token", deep, {"Content-Type": "application/json"}, label="deeply nested JSON to sign-in, anonymous")
request("POST", "/api/3/action/package_search", b'{"q":' + b"[" * 30_000 + b"]" * 30_000 + b"}", {"Content-Type": "application/json"},
        label="deeply nested JSON to CKAN, anonymous")
request("POST", f"/api/v1/datasets/{code}/query", deep, bearer(provider), label="deeply nested JSON to a query (provider)")
request("POST", f"/api/v1/datasets/{code}/rows", b"[" * (9 << 20), bearer(user), label="9 MiB of rows from a data user")
request("POST", f"/api/v1/datasets/{code}/rows", b"[" * (9 << 20), bearer(provider), label="9 MiB of rows from the provider")
request("POST", "/api/v1/calendar/import", b"2024-01-01,holiday," + b"x" * (9 << 20), bearer(user, "text/csv"), label="9 MiB calendar from a data user")

print("Huge multipart:")
boundary = "----govshare" + "b" * 20
multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\n".encode()
             + b"x" * (9 << 20) + f"\r\n--{boundary}--\r\n".encode())
for who, tok in [("anonymously", None), ("data user", user), ("cataloger", cataloger)]:
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if tok:
        headers["Authorization"] = f"Bearer {tok}"
    request("POST", "/api/v1/catalog/import", multipart, headers, label=f"9 MiB multipart to the catalog import {who}")
many = "".join(f"--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n" for i in range(5000)) + "--b--\r\n"
request("POST", "/catalog/import", many.encode(), {"Content-Type": "multipart/form-data; boundary=b"}, expect="not5xx",
        label="5,000-part multipart to the portal, anonymously")

def portal_session(username):
    """Signs in through the portal's form (double-submit CSRF cookie) and returns the Cookie header."""
    status, page, headers = request("GET", "/login", expect=200, label=f"portal sign-in page for {username}")
    csrf = re.search(r'name="_csrf"[^>]*value="([^"]+)"', page.decode()) or re.search(r'value="([^"]+)"[^>]*name="_csrf"', page.decode())
    cookie = f"gs_csrf={csrf.group(1)}"
    form = urllib.parse.urlencode({"_csrf": csrf.group(1), "username": username, "password": "GovShare#2026"}).encode()
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
    conn.request("POST", "/login", body=form, headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    session = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("gs_session=")]
    conn.close()
    if response.status != 303 or not session:
        failures.append(f"portal sign-in of {username}: {response.status}")
        return cookie
    return f"{cookie}; {session[0]}"

sessions = {who: portal_session(who) for who in ["psb_cataloger", "hrss_user"]}
for who, cookies in sessions.items():
    for name, body, kind in [("5,000-part", many.encode(), "b"), ("9 MiB", multipart, boundary)]:
        request("POST", "/catalog/import", body, {"Content-Type": f"multipart/form-data; boundary={kind}", "Cookie": cookies},
                label=f"{name} multipart to the portal's catalog import as {who}")

print("Numbers and cursors from the address:")
for q in ["limit=99999999999999999999", "limit=-1", "offset=-1", "offset=9223372036854775807", "offset=99999999999999999999"]:
    request("GET", f"/api/3/action/datastore_search?resource_id={code}&{q}", headers=bearer(provider), label=f"datastore_search {q}")
for path in ["/api/v1/catalog/search?start=99999999999999999999", "/api/v1/catalog/search?rows=-1", "/api/v1/catalog/search?start=-1",
             "/api/v1/calendar/due?from=2024-01-01&working_days=9223372036854775807", "/api/v1/calendar/due?from=99999-01-01&working_days=1"]:
    request("GET", path, headers=bearer(user), label=path)
for q in ["limit=99999999999999999999", "limit=0", "before_seq=99999999999999999999", "before_seq=-9223372036854775808"]:
    request("GET", f"/api/v1/audit/events?{q}", headers=bearer(auditor), label=f"audit events {q}")
request("GET", "/api/v1/audit/events?before_seq=9223372036854775807", headers=bearer(auditor), expect="not5xx", label="audit events before_seq=Int64.max")
# A valid but huge start is an empty page (these overflowed start + rows and ended the server): 2xx or 4xx, never 5xx.
request("GET", "/api/3/action/package_search?q=%E6%88%B7%E7%B1%8D&start=9223372036854775807", expect="not5xx",
        label="CKAN package_search start=Int.max, anonymously")
request("GET", "/catalog?q=%E6%88%B7%E7%B1%8D&start=9223372036854775807", headers={"Cookie": sessions["hrss_user"]}, expect="not5xx",
        label="portal catalog start=Int.max (signed in)")
request("GET", "/api/v1/catalog/search?q=%E6%88%B7%E7%B1%8D&start=9223372036854775807", headers=bearer(user), expect="not5xx",
        label="catalog search start=Int.max")
for after in ["garbage!!", "A" * 10_000, "", "%%%", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]:
    request("POST", f"/api/v1/datasets/{code}/query", json.dumps({"after": after, "fields": ["XM"]}).encode(), bearer(provider),
            label=f"garbage cursor after={after[:20]!r}")

status, _, _ = request("GET", "/healthz", expect=200, label="healthz after all of the above")
print(f"malformed inputs: {count} requests, {len(failures)} failures")
for failure in failures:
    print("  FAIL " + failure)
sys.exit(1 if failures else 0)
PY

if [ -n "$PID" ] && ! kill -0 "$PID" 2>/dev/null; then
    echo "malformed inputs: FAIL: the server process $PID is gone"
    exit 1
fi
echo "malformed inputs: PASS"

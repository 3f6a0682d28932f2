#!/usr/bin/env python3
"""Walks a whole dataset through the query API by keyset pages and times pages at every depth (issue 19, part 4).

    python3 Benchmarks/walk_pages.py BASE TOKEN PURPOSE CODE [--page 1000] [--probes 1000]

It follows the `next` cursors with PAGE-row pages (4 items, as Benchmarks/exchange_query.lua reads) from the first row
to the last, so every row is read once and leaves one read reference for the auditor's index. At evenly spaced cursors
along the way it also asks for the 100-row page that starts there (a cursor is bound to the reader, purpose, sort and
filters, not to the page size), PROBES probes in all, repeated at each cursor where the dataset has fewer pages than
that. Prints the walk's totals and the probes' p50/p99 in milliseconds on one line starting with RESULT.
"""
import argparse
import http.client
import json
import math
import time
import urllib.parse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("token")
    p.add_argument("purpose")
    p.add_argument("code")
    p.add_argument("--rows", type=int, required=True, help="the dataset's row count, to space the probes")
    p.add_argument("--page", type=int, default=1000)
    p.add_argument("--probes", type=int, default=1000)
    args = p.parse_args()
    url = urllib.parse.urlparse(args.base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    path = f"/api/v1/datasets/{args.code}/query"

    def page(limit, after):
        body = {"purpose": args.purpose, "fields": ["GMSFHM", "XM", "XB", "CSRQ"], "limit": limit}
        if after:
            body["after"] = after
        start = time.perf_counter()
        conn.request("POST", path, json.dumps(body), headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"query answered {response.status}: {data[:300]!r}")
        answer = json.loads(data)
        return answer.get("next"), len(answer["records"]), elapsed

    pages = max(1, math.ceil(args.rows / args.page))
    every = max(1, pages // args.probes)
    repeat = max(1, math.ceil(args.probes / pages))
    probes, walk_times = [], []
    after, rows, index = None, 0, 0
    walk_start = time.perf_counter()
    while True:
        if index % every == 0 and len(probes) < args.probes:
            for _ in range(repeat):
                _, _, elapsed = page(100, after)
                probes.append(elapsed)
        after, count, elapsed = page(args.page, after)
        walk_times.append(elapsed)
        rows += count
        index += 1
        if not after:
            break
    walk_seconds = time.perf_counter() - walk_start
    probes.sort()
    walk_times.sort()

    def pct(values, q):
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    print(
        f"RESULT rows_walked={rows} pages={len(walk_times)} walk_s={walk_seconds:.1f} "
        f"walk_p50_ms={pct(walk_times, 0.5):.1f} walk_p99_ms={pct(walk_times, 0.99):.1f} "
        f"probes={len(probes)} probe_p50_ms={pct(probes, 0.5):.2f} probe_p99_ms={pct(probes, 0.99):.2f}"
    )


if __name__ == "__main__":
    main()

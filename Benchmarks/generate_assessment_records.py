#!/usr/bin/env python3
"""A year of platform records for the assessment benchmark (issue 17, Art. 31), as SQL for sqlite3 or psql.

    python3 Benchmarks/generate_assessment_records.py --dialect sqlite --year 2026 --content content.json > records.sql

DEPARTMENTS departments (default 200), each with ENTRIES published catalog entries and as many mounted datasets; then
RECORDS records (default 100,000) spread over the year up to today: 40 % report batches, 40 % reads by other
departments, 20 % sharing applications with their reply deadlines (some answered late, some still open). Every row
goes in through plain INSERTs in one transaction; the catalog content is a demo entry's published content.
"""

import argparse
import datetime
import json
import random
import sys
import uuid


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dialect", choices=["sqlite", "postgres"], required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--content", required=True, help="a published catalog version's content (JSON file)")
    p.add_argument("--departments", type=int, default=200)
    p.add_argument("--entries", type=int, default=5)
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--node", default="gd-province")
    a = p.parse_args()
    rnd = random.Random(31)
    content = open(a.content, encoding="utf-8").read().strip().replace("'", "''")
    false = "false" if a.dialect == "postgres" else "0"
    start = datetime.datetime(a.year, 1, 1, tzinfo=datetime.timezone.utc)
    now = datetime.datetime.now(datetime.timezone.utc)
    end = min(now, datetime.datetime(a.year + 1, 1, 1, tzinfo=datetime.timezone.utc)) - datetime.timedelta(hours=1)
    span = (end - start).total_seconds()

    def at(fraction=None):
        t = start + datetime.timedelta(seconds=span * (rnd.random() if fraction is None else fraction))
        return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    out = sys.stdout
    out.write("BEGIN;\n")
    created = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    departments, datasets = [], []
    for d in range(a.departments):
        did = str(uuid.uuid4())
        code = f"BENCH{d:013d}"
        departments.append(did)
        out.write(
            "INSERT INTO departments (id, code, name_zh, name_en, level, region_code, kind, node_id, created_at, updated_at) "
            f"VALUES ('{did}', '{code}', '基准测试部门{d:03d}', 'Bench {d}', 'province', '440000', 'government', '{a.node}', "
            f"'{created}', '{created}');\n")
        for e in range(a.entries):
            eid, sid = str(uuid.uuid4()), str(uuid.uuid4())
            entry_code = f"9{d:03d}{e:02d}/{e + 1:06d}"
            published = at(rnd.random() * 0.2)
            out.write(
                "INSERT INTO catalog_entries (id, code, kind, provider_id, latest_version, published_version, status, node_id, "
                f"created_at, updated_at) VALUES ('{eid}', '{entry_code}', 'department', '{did}', 1, 1, 'published', "
                f"'{a.node}', '{published}', '{published}');\n")
            out.write(
                "INSERT INTO catalog_versions (entry_id, version, status, content, created_by, created_at, submitted_at, "
                f"published_at) VALUES ('{eid}', 1, 'published', '{content}', 'bench', '{published}', '{published}', "
                f"'{published}');\n")
            if e < a.entries - 1:  # one entry per department stays unmounted
                cycle = rnd.choice(["daily", "weekly", "monthly", "quarterly", "irregular"])
                out.write(
                    "INSERT INTO datasets (id, entry_id, entry_code, entry_version, provider_id, columns, primary_key, "
                    f"update_cycle, row_count, node_id, created_at) VALUES ('{sid}', '{eid}', '{entry_code}', 1, '{did}', "
                    f"'[]', 'ID', '{cycle}', 0, '{a.node}', '{published}');\n")
                datasets.append((sid, did, entry_code))
    batches = a.records * 2 // 5
    reads = a.records * 2 // 5
    applications = a.records - batches - reads
    rows = []
    for _ in range(batches):
        sid, did, _code = rnd.choice(datasets)
        received = rnd.randint(10, 5000)
        accepted = received - (rnd.randint(0, received // 10) if rnd.random() < 0.3 else 0)
        rows.append(
            f"('{uuid.uuid4()}', '{sid}', 'api', 'upsert', {received}, {accepted}, {received - accepted}, 0, 'bench', "
            f"'{did}', '{at()}')")
    for chunk in range(0, len(rows), 500):
        out.write("INSERT INTO dataset_batches (id, dataset_id, source, mode, received, accepted, rejected, deleted, "
                  "created_by, department_id, created_at) VALUES " + ", ".join(rows[chunk:chunk + 500]) + ";\n")
    rows = []
    for n in range(reads):
        sid, did, code = rnd.choice(datasets)
        reader = rnd.choice(departments)
        rows.append(
            f"({10_000_000 + n}, '{sid}', '{code}', 'bench', 'bench', '{reader}', 'purpose', '[]', '', "
            f"{rnd.randint(1, 500)}, '{at()}', 'bench-{n}')")
    for chunk in range(0, len(rows), 500):
        out.write("INSERT INTO data_reads (audit_seq, dataset_id, entry_code, actor_id, actor_name, department_id, "
                  "purpose_id, items, filter, row_count, read_at, request_id) VALUES " + ", ".join(rows[chunk:chunk + 500])
                  + ";\n")
    apps, deadlines = [], []
    today = now.date()
    for _ in range(applications):
        sid, did, code = rnd.choice(datasets)
        applicant = rnd.choice(departments)
        received = start.date() + datetime.timedelta(days=int((end - start).days * rnd.random()))
        due = received + datetime.timedelta(days=14)
        answered = rnd.random()
        if due >= today and answered < 0.5:
            status, closed = "open", f"{received.isoformat()}T02:00:00.000Z"
        else:
            status = "met"
            day = due - datetime.timedelta(days=rnd.randint(0, 10)) if answered < 0.85 else due + datetime.timedelta(days=3)
            closed = f"{day.isoformat()}T02:00:00.000Z"
        aid = str(uuid.uuid4())
        apps.append(f"('{aid}', '{applicant}', '{did}', '{departments[0]}', (SELECT entry_id FROM datasets WHERE id = '{sid}'), "
                    f"'{'approved' if status == 'met' else 'pending'}', '{{}}', '{received.isoformat()}T01:00:00.000Z', '{closed}')")
        deadlines.append(f"('{uuid.uuid4()}', 'application', '{aid}', '{received.isoformat()}', 10, '{due.isoformat()}', {false}, "
                         f"'{status}', '{a.node}', '{received.isoformat()}T01:00:00.000Z', '{closed}')")
    for chunk in range(0, len(apps), 500):
        out.write("INSERT INTO share_applications (id, applicant_department_id, provider_id, authority_id, entry_id, status, "
                  "document, created_at, updated_at) VALUES " + ", ".join(apps[chunk:chunk + 500]) + ";\n")
        out.write("INSERT INTO deadlines (id, subject_type, subject_id, received_on, working_days, due_on, provisional, status, "
                  "node_id, created_at, updated_at) VALUES " + ", ".join(deadlines[chunk:chunk + 500]) + ";\n")
    out.write("COMMIT;\n")
    print(json.dumps({"departments": a.departments, "entries": a.departments * a.entries, "datasets": len(datasets),
                      "batches": batches, "reads": reads, "applications": applications}), file=sys.stderr)


if __name__ == "__main__":
    main()

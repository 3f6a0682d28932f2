#!/usr/bin/env python3
"""The query API's read done directly in SQLite: the same SELECT (4 columns, 100 rows, filter on 性别), in a plain loop
on one connection, for SECONDS. Prints RESULT rps=…"""
import random
import sqlite3
import sys
import time

db, table, columns, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
conn = sqlite3.connect(db)
sql = f"SELECT _pk, {columns} FROM {table} WHERE c2 = ? ORDER BY _pk LIMIT 101"
n = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    rows = conn.execute(sql, (str(random.randint(1, 2)),)).fetchall()
    n += 1
print(f"RESULT rps={n / seconds:.1f} rows_last={len(rows)}")

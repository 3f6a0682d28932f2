#!/usr/bin/env python3
"""Adds N synthetic published catalog entries straight into a GovShare database (SQLite file or PostgreSQL via psql),
for the search benchmark. Run `govshare serve --demo` (or `govshare migrate`) on the database first: it uses the demo
departments as providers. Names mix real catalog vocabulary so that Chinese substring queries have realistic hit rates."""
import argparse, json, random, subprocess, sys, uuid, io, csv

SUBJECTS = ["营业执照", "户籍", "不动产登记", "社会保险参保", "医保结算", "纳税信用", "食品经营许可", "机动车登记", "驾驶证",
            "婚姻登记", "出生医学证明", "学籍", "建设工程规划许可", "环境信用评价", "安全生产许可", "行政处罚", "道路交通运行",
            "公积金缴存", "残疾人证", "低保救助", "药品经营许可", "医师执业注册", "律师执业", "公证", "船舶登记", "特种设备",
            "排污许可", "林木采伐", "取水许可", "农药登记", "兽药经营", "文物保护", "旅行社", "出版物经营", "网吧经营"]
QUALIFIERS = ["企业", "个体工商户", "居民", "法人", "城市", "农村", "省级", "市级", "县级", "重点", "年度", "历史", "实时", "变更", "注销"]
SUFFIX = ["信息", "数据", "记录", "目录", "台账"]
ITEMS = ["统一社会信用代码", "企业名称", "法定代表人", "姓名", "公民身份号码", "登记日期", "有效期", "地址", "联系电话",
         "经营范围", "许可证编号", "发证机关", "状态", "金额", "备注", "所属区域", "行业类别"]


SEARCH_COLUMNS = ("entry_id, code, version, name, summary, item_names, provider_id, "
                  "region_code, kind, share_type, classification_code, open_to_public, published_at")




def rows(n, providers, seed):
    rnd = random.Random(seed)
    for i in range(n):
        provider_id, region = rnd.choice(providers)
        kind, digit = rnd.choice([("department", "3"), ("department", "3"), ("thematic", "2"), ("base", "1")])
        klass = f"{digit}{rnd.randint(1, 12):02d}{rnd.randint(1, 30):03d}"
        name = rnd.choice(QUALIFIERS) + rnd.choice(SUBJECTS) + rnd.choice(SUFFIX) + f"（{i:06d}）"
        items = rnd.sample(ITEMS, rnd.randint(3, 8))
        summary = f"{name}，包括" + "、".join(items[:3]) + "等信息项。"
        share = rnd.choice(["unconditional"] * 6 + ["conditional"] * 3 + ["not_shared"])
        entry_id = str(uuid.uuid4())
        yield dict(id=entry_id, code=f"{klass}/{900000 + i:06d}", kind=kind, provider=provider_id, region=region,
                   name=name, summary=summary, items=" ".join(items), share=share, klass=klass,
                   open=rnd.random() < 0.2, published=f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}T08:00:00.000Z",
                   content=json.dumps({"kind": kind, "name": name, "summary": summary, "classification_code": klass,
                                       "items": [{"name": x, "code": f"I{j}", "data_type": "C", "length": 100,
                                                  "share_type": "unconditional"} for j, x in enumerate(items)]},
                                      ensure_ascii=False))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--sqlite")
    ap.add_argument("--postgres", help="postgres URL (psql must be on PATH)")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    if a.sqlite:
        import sqlite3
        db = sqlite3.connect(a.sqlite)
        providers = db.execute("SELECT id, region_code FROM departments").fetchall()
        with db:
            for r in rows(a.count, providers, a.seed):
                db.execute("INSERT INTO catalog_entries VALUES (?,?,?,?,1,1,'published','bench',?,?)",
                           (r["id"], r["code"], r["kind"], r["provider"], r["published"], r["published"]))
                db.execute("INSERT INTO catalog_versions VALUES (?,1,'published',?,'bench',?,NULL,NULL,NULL,?)",
                           (r["id"], r["content"], r["published"], r["published"]))
                db.execute(f"INSERT INTO catalog_search ({SEARCH_COLUMNS}) VALUES (?,?,1,?,?,?,?,?,?,?,?,?,?)",
                           (r["id"], r["code"], r["name"], r["summary"], r["items"], r["provider"], r["region"], r["kind"],
                            r["share"], r["klass"], r["open"], r["published"]))
                db.execute("UPDATE catalog_search_state SET generation = generation + 1 WHERE id = 1")
                db.execute("INSERT INTO catalog_search_changes (seq, entry_id) "
                           "SELECT generation, ? FROM catalog_search_state WHERE id = 1", (r["id"],))
        db.execute("ANALYZE")
    elif a.postgres:
        out = subprocess.run(["psql", a.postgres, "-At", "-F", "\t", "-c", "SELECT id, region_code FROM departments"],
                             check=True, capture_output=True, text=True).stdout
        providers = [tuple(l.split("\t")) for l in out.splitlines() if l]
        out = subprocess.run(["psql", a.postgres, "-At", "-c", "SELECT generation FROM catalog_search_state WHERE id = 1"],
                             check=True, capture_output=True, text=True).stdout
        generation = int(out.strip())
        buffers = {t: io.StringIO() for t in ("e", "v", "s", "c")}
        w = {t: csv.writer(b) for t, b in buffers.items()}
        for r in rows(a.count, providers, a.seed):
            w["e"].writerow([r["id"], r["code"], r["kind"], r["provider"], 1, 1, "published", "bench", r["published"], r["published"]])
            w["v"].writerow([r["id"], 1, "published", r["content"], "bench", r["published"], "", "", "", r["published"]])
            w["s"].writerow([r["id"], r["code"], 1, r["name"], r["summary"], r["items"], r["provider"], r["region"], r["kind"],
                             r["share"], r["klass"], "true" if r["open"] else "false", r["published"]])
            generation += 1
            w["c"].writerow([generation, r["id"]])
        for table, key in (("catalog_entries", "e"), ("catalog_versions", "v"), (f"catalog_search ({SEARCH_COLUMNS})", "s"),
                           ("catalog_search_changes (seq, entry_id)", "c")):
            subprocess.run(["psql", a.postgres, "-q", "-c", f"\\copy {table} FROM STDIN WITH (FORMAT csv, NULL '')"],
                           input=buffers[key].getvalue(), check=True, text=True)
        # Publishing tells every server's in-memory search index through the generation (CatalogSearchCache).
        subprocess.run(["psql", a.postgres, "-q", "-c", f"UPDATE catalog_search_state SET generation = {generation} WHERE id = 1"],
                       check=True)
        subprocess.run(["psql", a.postgres, "-q", "-c", "ANALYZE"], check=True)
    else:
        sys.exit("give --sqlite FILE or --postgres URL")
    print(f"inserted {a.count} entries", file=sys.stderr)


if __name__ == "__main__":
    main()

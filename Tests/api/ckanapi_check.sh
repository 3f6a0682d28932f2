#!/usr/bin/env bash
# Reads the demo catalog with the real CKAN client (ckanapi) as a harvester would: package_search with a Chinese query
# and facets, package_show, organization_list and group_list. The API token goes as ckanapi sends it, `-a TOKEN`
# (`Authorization: TOKEN`, no scheme: CKAN's convention). Usage: Tests/api/ckanapi_check.sh BASE_URL
set -euo pipefail
base=${1:?usage: ckanapi_check.sh BASE_URL}
token=$(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"hrss_user","password":"GovShare#2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
out=$(mktemp)
ckanapi action package_search q=营业执照 'facet.field=["organization","share_type"]' rows=5 -r "$base" -a "$token" > "$out"
python3 - "$out" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
titles = [p["title"] for p in result["results"]]
assert "企业营业执照信息" in titles, f"企业营业执照信息 not in {titles}"
assert result["count"] >= 1
assert result["search_facets"]["organization"]["items"], "no organization facet"
assert result["facets"]["share_type"], "no share_type facet"
print(f"package_search q=营业执照: {result['count']} results, first {titles[0]!r}, facets {sorted(result['facets'])}")
PY
name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["name"])' "$out")
ckanapi action package_show id="$name" -r "$base" -a "$token" | python3 -c 'import json,sys; p=json.load(sys.stdin); assert p["title"]; print("package_show:", p["name"], p["title"])'
ckanapi action organization_list -r "$base" | python3 -c 'import json,sys; o=json.load(sys.stdin); assert len(o) >= 30, o; print("organization_list:", len(o))'
ckanapi action group_list all_fields=true -r "$base" | python3 -c 'import json,sys; g=json.load(sys.stdin); assert len(g) == 3, g; print("group_list:", [x["title"] for x in g])'
echo "1 passed, 0 failed"

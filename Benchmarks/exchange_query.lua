-- One query API read per request: 100 rows of 4 items (two of them masked) of 人口基础信息, filtered on 性别,
-- under a self-service subscription; every read is audited durably before it is answered.
local token, purpose, code = os.getenv("TOKEN"), os.getenv("PURPOSE"), os.getenv("CODE")
local limit = os.getenv("LIMIT") or "100"
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
request = function()
  local sex = math.random(1, 2)
  local body = string.format('{"purpose":"%s","fields":["GMSFHM","XM","XB","CSRQ"],"filters":{"XB":"%d"},"limit":%s}', purpose, sex, limit)
  return wrk.format(nil, "/api/v1/datasets/" .. code .. "/query", nil, body)
end
local errors = 0
response = function(status, headers, body) if status ~= 200 then errors = errors + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f non200=%d socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

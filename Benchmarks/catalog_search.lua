-- wrk script: rotates Chinese catalog queries through the search API and prints p50/p95/p99 at the end.
local queries = {"营业执照", "户籍", "不动产登记", "社会保险", "企业 许可", "纳税信用", "驾驶证", "学籍", "道路交通",
                 "公民身份号码", "排污许可", "低保", "法定代表人", "医保", "文物"}
local counter = 0
local token = os.getenv("TOKEN")

local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  counter = counter + 1
  local q = queries[(counter % #queries) + 1]
  local path = "/api/v1/catalog/search?rows=20&q=" .. encode(q)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end

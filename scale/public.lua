-- wrk's anonymous load in the scale test (scripts/scale-test.sh): the
-- public pages listed one a line in $SCALE_PATHS, in turn, each connection
-- pausing $SCALE_WRK_DELAY_MS between its requests (a steady load that
-- leaves the machine room to restart replicas). Answers are counted per
-- second and status, so that the report attributes errors to its phases;
-- done() writes them to $SCALE_WRK_OUT as JSON.

local paths = {}
for line in io.lines(os.getenv("SCALE_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local pause = tonumber(os.getenv("SCALE_WRK_DELAY_MS") or "0")

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  i = (id or 0) * 7
  -- counts["<epoch> <status>"] = answers (flat: wrk copies one level of
  -- table from a thread, nested ones crash it)
  counts = {}
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "br" })
end

function delay()
  return pause
end

function response(status, headers, body)
  local key = os.time() .. " " .. status
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      local second, status = key:match("(%d+) (%d+)")
      total[second] = total[second] or {}
      total[second][status] = (total[second][status] or 0) + n
    end
  end
  local parts = {}
  for second, by_status in pairs(total) do
    local inner = {}
    for status, n in pairs(by_status) do
      inner[#inner + 1] = string.format('"%s": %d', status, n)
    end
    parts[#parts + 1] = string.format('"%s": {%s}', second, table.concat(inner, ", "))
  end
  local e = summary.errors
  local out = io.open(os.getenv("SCALE_WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, "p50_ms": %.1f, "p99_ms": %.1f, "seconds": {%s}}\n',
    summary.requests, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ", ")))
  out:close()
end

-- usage: every cell's numbers, after dropping expired leases.
--
-- KEYS[1] the accounts hash   KEYS[1 + c] cell c's live leases, c = 1..count
-- ARGV[1] count   ARGV[2] release channel   ARGV[2 + c] the name of cell c
-- Returns 8 values per cell: units in flight, until, leases, throttles,
-- streak, last, episode start (kept by the caller for its fall-back, not part
-- of AccountUsage), and the cool-down's reason ("" when none).
local count = tonumber(ARGV[1])
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dropped = 0
for c = 1, count do
  dropped = dropped + redis.call('ZREMRANGEBYSCORE', KEYS[1 + c], '-inf', server_ms)
end
if dropped > 0 then
  redis.call('PUBLISH', ARGV[2], 'expired')
end
local out = {}
for c = 1, count do
  local n = ARGV[2 + c]
  local function field(name)
    return tonumber(redis.call('HGET', KEYS[1], n .. ':' .. name) or '0') or 0
  end
  table.insert(out, redis.call('ZCARD', KEYS[1 + c]))
  table.insert(out, field('until'))
  table.insert(out, field('leases'))
  table.insert(out, field('throttles'))
  table.insert(out, field('streak'))
  table.insert(out, field('last'))
  table.insert(out, field('episode'))
  table.insert(out, redis.call('HGET', KEYS[1], n .. ':reason') or '')
end
return out

-- usage: every account's numbers, after dropping expired leases.
--
-- KEYS[1] the accounts hash   KEYS[1 + i] account i's live leases, i = 1..count
-- ARGV[1] count   ARGV[2] release channel
-- Returns 7 numbers per account: in flight, until, leases, throttles, streak, last,
-- episode start (kept by the caller for its fall-back, not part of AccountUsage).
local count = tonumber(ARGV[1])
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dropped = 0
for i = 1, count do
  dropped = dropped + redis.call('ZREMRANGEBYSCORE', KEYS[1 + i], '-inf', server_ms)
end
if dropped > 0 then
  redis.call('PUBLISH', ARGV[2], 'expired')
end
local out = {}
for i = 1, count do
  local function field(name)
    return tonumber(redis.call('HGET', KEYS[1], i .. ':' .. name) or '0') or 0
  end
  table.insert(out, redis.call('ZCARD', KEYS[1 + i]))
  table.insert(out, field('until'))
  table.insert(out, field('leases'))
  table.insert(out, field('throttles'))
  table.insert(out, field('streak'))
  table.insert(out, field('last'))
  table.insert(out, field('episode'))
end
return out

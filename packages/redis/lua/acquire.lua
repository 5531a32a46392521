-- acquire: lease the first account of the preference list that is neither
-- cooling down nor full, or refuse with every account's usage.
-- One atomic step: nothing can interleave between the checks and the ZADD.
--
-- KEYS[1]       the accounts hash ({ns}:accounts): "<i>:until", "<i>:leases",
--               "<i>:throttles", "<i>:streak", "<i>:last", "<i>:episode"
-- KEYS[1 + i]   account i's live leases, a sorted set lease id -> expiry (ms,
--               this server's clock), for i = 1..count
-- ARGV[1] now (caller's clock, ms)   ARGV[2] lease TTL (ms)   ARGV[3] lease id
-- ARGV[4] count   ARGV[5] P = preference length
-- ARGV[6 .. 5+P] preference (account numbers)
-- ARGV[6+P .. 5+P+count] capacity of accounts 1..count
-- ARGV[6+P+count] release channel (published to when expired leases were dropped)
-- Returns {1, index} or {0, usage...} (7 numbers per account, see usage.lua).
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local id = ARGV[3]
local count = tonumber(ARGV[4])
local p = tonumber(ARGV[5])
local channel = ARGV[6 + p + count]

local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Leases of crashed processes: their expiry passed without a renewal.
local dropped = 0
for i = 1, count do
  dropped = dropped + redis.call('ZREMRANGEBYSCORE', KEYS[1 + i], '-inf', server_ms)
end
if dropped > 0 then
  redis.call('PUBLISH', channel, 'expired')
end

local function field(i, name)
  return tonumber(redis.call('HGET', KEYS[1], i .. ':' .. name) or '0') or 0
end

for k = 1, p do
  local i = tonumber(ARGV[5 + k])
  local capacity = tonumber(ARGV[5 + p + i])
  if field(i, 'until') <= now and redis.call('ZCARD', KEYS[1 + i]) < capacity then
    redis.call('ZADD', KEYS[1 + i], server_ms + ttl, id)
    -- The set outlives its last lease by one TTL at most.
    redis.call('PEXPIRE', KEYS[1 + i], ttl * 2)
    redis.call('HINCRBY', KEYS[1], i .. ':leases', 1)
    redis.call('HSET', KEYS[1], i .. ':last', ARGV[1])
    return {1, i}
  end
end

local usage = {0}
for i = 1, count do
  table.insert(usage, redis.call('ZCARD', KEYS[1 + i]))
  table.insert(usage, field(i, 'until'))
  table.insert(usage, field(i, 'leases'))
  table.insert(usage, field(i, 'throttles'))
  table.insert(usage, field(i, 'streak'))
  table.insert(usage, field(i, 'last'))
  table.insert(usage, field(i, 'episode'))
end
return usage

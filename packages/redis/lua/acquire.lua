-- acquire: lease the first cell of the preference list that is neither
-- cooling down nor too full for the lease's weight, or refuse with every
-- cell's usage. One atomic step: nothing can interleave between the checks
-- and the ZADD.
--
-- A cell is an account, or an account in a region; its name N ("2" or
-- "2:eu-central-1") prefixes its fields in the hash. A lease of weight w is
-- w members of the cell's set: the lease id, then "<id>#2" .. "<id>#w", so
-- ZCARD is the units in flight and expiry drops a lease whole.
--
-- KEYS[1]       the accounts hash ({ns}:accounts): "<N>:until", "<N>:leases",
--               "<N>:throttles", "<N>:streak", "<N>:last", "<N>:episode", "<N>:reason"
-- KEYS[1 + c]   cell c's live leases, a sorted set member -> expiry (ms, this
--               server's clock), for c = 1..count
-- ARGV[1] now (caller's clock, ms)   ARGV[2] lease TTL (ms)   ARGV[3] lease id
-- ARGV[4] count (cells)   ARGV[5] P = preference length
-- ARGV[6 .. 5+P] preference (cell numbers)
-- ARGV[6+P .. 5+P+count] capacity of cells 1..count (units)
-- ARGV[6+P+count] release channel (published to when expired leases were dropped)
-- ARGV[7+P+count] weight (units)
-- ARGV[8+P+count .. 7+P+2*count] the names of cells 1..count
-- Returns {1, cell} or {0, usage...} (8 values per cell, see usage.lua).
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local id = ARGV[3]
local count = tonumber(ARGV[4])
local p = tonumber(ARGV[5])
local channel = ARGV[6 + p + count]
local weight = tonumber(ARGV[7 + p + count])
local function name(c)
  return ARGV[7 + p + count + c]
end

local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Leases of crashed processes: their expiry passed without a renewal.
local dropped = 0
for c = 1, count do
  dropped = dropped + redis.call('ZREMRANGEBYSCORE', KEYS[1 + c], '-inf', server_ms)
end
if dropped > 0 then
  redis.call('PUBLISH', channel, 'expired')
end

local function field(c, f)
  return tonumber(redis.call('HGET', KEYS[1], name(c) .. ':' .. f) or '0') or 0
end

for k = 1, p do
  local c = tonumber(ARGV[5 + k])
  local capacity = tonumber(ARGV[5 + p + c])
  if field(c, 'until') <= now and redis.call('ZCARD', KEYS[1 + c]) + weight <= capacity then
    local expiry = server_ms + ttl
    redis.call('ZADD', KEYS[1 + c], expiry, id)
    for u = 2, weight do
      redis.call('ZADD', KEYS[1 + c], expiry, id .. '#' .. u)
    end
    -- The set outlives its last lease by one TTL at most.
    redis.call('PEXPIRE', KEYS[1 + c], ttl * 2)
    redis.call('HINCRBY', KEYS[1], name(c) .. ':leases', 1)
    redis.call('HSET', KEYS[1], name(c) .. ':last', ARGV[1])
    return {1, c}
  end
end

local usage = {0}
for c = 1, count do
  table.insert(usage, redis.call('ZCARD', KEYS[1 + c]))
  table.insert(usage, field(c, 'until'))
  table.insert(usage, field(c, 'leases'))
  table.insert(usage, field(c, 'throttles'))
  table.insert(usage, field(c, 'streak'))
  table.insert(usage, field(c, 'last'))
  table.insert(usage, field(c, 'episode'))
  table.insert(usage, redis.call('HGET', KEYS[1], name(c) .. ':reason') or '')
end
return usage

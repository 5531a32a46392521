-- acquire: lease the first cell of the preference list that is neither
-- cooling down nor too full for the lease's weight, or refuse with every
-- cell's usage. One atomic step: nothing can interleave between the checks
-- and the ZADD.
--
-- A cell is an account, or an account in a region; its name N ("2" or
-- "2:eu-central-1") prefixes its fields in the hash. A lease of weight w is
-- w members of the cell's set: the lease id, then "<id>#2" .. "<id>#w", so
-- ZCARD is the units in flight and expiry drops a lease whole. Only the
-- cells looked at are trimmed (all of them for a refusal, which reports
-- every cell).
--
-- KEYS[1] the accounts hash ({ns}:accounts): "<N>:until", "<N>:leases",
--         "<N>:throttles", "<N>:streak", "<N>:last", "<N>:episode", "<N>:reason"
-- KEYS[2] the fleet hash   KEYS[3] the processes (sorted set)   KEYS[4] the
--         processes pending since a gap (set): see include/fleet.lua
-- KEYS[4 + c] cell c's live leases, a sorted set member -> expiry (ms, this
--         server's clock), for c = 1..count
-- ARGV[1] now (caller's clock, ms)   ARGV[2] lease TTL (ms)   ARGV[3] lease id
-- ARGV[4] weight (units)   ARGV[5] release channel (told when expired leases
-- were dropped)   ARGV[6] gap (ms)   ARGV[7] grace (ms)   ARGV[8] count (cells)
-- ARGV[9] P = preference length   ARGV[10 .. 9+P] preference (cell numbers)
-- ARGV[10+P .. 9+P+count] capacity of cells 1..count (units)
-- ARGV[10+P+count .. 9+P+2*count] the names of cells 1..count
-- Returns {1, cell} or {0, usage...} (8 values per cell, see usage.lua).
--!include fleet.lua

local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local id = ARGV[3]
local weight = tonumber(ARGV[4])
local count = tonumber(ARGV[8])
local p = tonumber(ARGV[9])
local caps = 9 + p
local names = 9 + p + count

local server_ms = server_now()
local recovering = fleet_recovering(KEYS[2], KEYS[3], KEYS[4], server_ms,
  tonumber(ARGV[6]), tonumber(ARGV[7]))

local dropped = 0
local trimmed = {}
local function trimmed_cell(c)
  if not trimmed[c] then
    trimmed[c] = true
    dropped = dropped + trim(KEYS[4 + c], server_ms, recovering, KEYS[4])
  end
end
local function expired_dropped()
  -- Places of crashed processes came free: waiting processes may take them.
  if dropped > 0 then redis.call('PUBLISH', ARGV[5], 'expired') end
end

for k = 1, p do
  local c = tonumber(ARGV[9 + k])
  local name = ARGV[names + c]
  if (tonumber(redis.call('HGET', KEYS[1], name .. ':until')) or 0) <= now then
    trimmed_cell(c)
    local key = KEYS[4 + c]
    if redis.call('ZCARD', key) + weight <= tonumber(ARGV[caps + c]) then
      local expiry = server_ms + ttl
      redis.call('ZADD', key, expiry, id)
      for u = 2, weight do
        redis.call('ZADD', key, expiry, id .. '#' .. u)
      end
      redis.call('HINCRBY', KEYS[1], name .. ':leases', 1)
      redis.call('HSET', KEYS[1], name .. ':last', ARGV[1])
      expired_dropped()
      return {1, c}
    end
  end
end

local usage = {0}
for c = 1, count do
  trimmed_cell(c)
  local n = ARGV[names + c]
  local f = redis.call('HMGET', KEYS[1], n .. ':until', n .. ':leases', n .. ':throttles',
    n .. ':streak', n .. ':last', n .. ':episode', n .. ':reason')
  table.insert(usage, redis.call('ZCARD', KEYS[4 + c]))
  for i = 1, 6 do table.insert(usage, tonumber(f[i]) or 0) end
  table.insert(usage, f[7] or '')
end
expired_dropped()
return usage

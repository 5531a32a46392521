-- heartbeat: one process's batched renewal and check-in, every renewal
-- period and whenever it finds Redis usable again after a fall-back.
--
-- - Registers the process as alive for one TTL (the processes set), or
--   removes it (leaving: close()).
-- - Removes the leases it let go while Redis could not be told (and those
--   of acquisitions it gave up on: they may have landed late).
-- - Renews every lease it holds: one still in its cell's set (live, or
--   expired but not yet dropped: nobody has its place) runs one TTL longer;
--   one Redis does not have (granted from memory, lost to a failover or a
--   restart) is written anew when the cell has room for it; otherwise it is
--   lost (its call runs uncounted: the caller is told).
-- - Checks the process in after a gap (include/fleet.lua): the fleet's
--   recovery ends when the last pending process has.
--
-- KEYS[1] the fleet hash   KEYS[2] the processes (sorted set: id -> alive
-- until, server ms)   KEYS[3] the pending processes (set)
-- KEYS[3 + k] the lease sets the entries below name by k
-- ARGV[1] process id   ARGV[2] lease TTL (ms)   ARGV[3] gap (ms)
-- ARGV[4] grace (ms)   ARGV[5] release channel   ARGV[6] 1 when leaving
-- ARGV[7] R removals   ARGV[8] H held leases
-- then R × (k, lease id, weight), then H × (k, lease id, weight, capacity)
-- Returns {live processes, recovering (0/1), then per held lease 1 (renewed),
-- 2 (written anew) or 0 (lost)}.
--!include fleet.lua

local me = ARGV[1]
local ttl = tonumber(ARGV[2])
local removals = tonumber(ARGV[7])
local held = tonumber(ARGV[8])
local server_ms = server_now()
local recovering = fleet_recovering(KEYS[1], KEYS[2], KEYS[3], server_ms,
  tonumber(ARGV[3]), tonumber(ARGV[4]))
local freed = 0

local function members(id, weight)
  local list = {id}
  for u = 2, weight do list[u] = id .. '#' .. u end
  return list
end

local at = 9
for _ = 1, removals do
  freed = freed + redis.call('ZREM', KEYS[3 + tonumber(ARGV[at])],
    unpack(members(ARGV[at + 1], tonumber(ARGV[at + 2]))))
  at = at + 3
end

if ARGV[6] == '1' then
  redis.call('ZREM', KEYS[2], me)
else
  redis.call('ZADD', KEYS[2], server_ms + ttl, me)
  -- Processes gone for a whole TTL (a crash: no heartbeat, no leaving).
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', server_ms - ttl)
end

local out = {0, 0}
local expiry = server_ms + ttl
for i = 1, held do
  local key = KEYS[3 + tonumber(ARGV[at])]
  local id = ARGV[at + 1]
  local weight = tonumber(ARGV[at + 2])
  local status = 1
  if not redis.call('ZSCORE', key, id) then
    freed = freed + trim(key, server_ms, recovering, KEYS[3])
    if redis.call('ZCARD', key) + weight <= tonumber(ARGV[at + 3]) then
      status = 2
    else
      status = 0
    end
  end
  if status > 0 then
    for _, member in ipairs(members(id, weight)) do
      redis.call('ZADD', key, expiry, member)
    end
  end
  out[2 + i] = status
  at = at + 4
end

-- Checked in: its leases are what it says. The last one in ends the recovery.
if redis.call('SREM', KEYS[3], me) == 1 and redis.call('SCARD', KEYS[3]) == 0 then
  redis.call('HDEL', KEYS[1], 'recovering')
  recovering = false
  freed = freed + 1
end
if freed > 0 then
  redis.call('PUBLISH', ARGV[5], 'heartbeat')
end
out[1] = redis.call('ZCOUNT', KEYS[2], server_ms, '+inf')
if recovering then out[2] = 1 end
return out

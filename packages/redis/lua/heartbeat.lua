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
-- - Places freed go to the fleet's line (include/queue.lua).
--
-- KEYS and ARGV[1..6]: see include/pool.lua (KEYS[13] unused).
-- ARGV[7] process id   ARGV[8] 1 when leaving   ARGV[9] R removals
-- ARGV[10] H held leases   ARGV[11] C cells, then C cell names; then
-- R × (cell k, lease id, weight), then H × (cell k, lease id, weight, capacity)
-- Returns {live processes, recovering (0/1), then per held lease 1 (renewed),
-- 2 (written anew) or 0 (lost)}.
--!include fleet.lua
--!include pool.lua
--!include queue.lua

local me = ARGV[7]
local removals = tonumber(ARGV[9])
local held = tonumber(ARGV[10])
local cells = tonumber(ARGV[11])
local names = 11
local touched = {}

local function members(id, weight)
  local list = {id}
  for u = 2, weight do list[u] = id .. '#' .. u end
  return list
end

local at = 12 + cells
for _ = 1, removals do
  local name = ARGV[names + tonumber(ARGV[at])]
  if redis.call('ZREM', leases_key(name), unpack(members(ARGV[at + 1], tonumber(ARGV[at + 2])))) > 0 then
    touched[name] = true
  end
  redis.call('HDEL', K.granted, ARGV[at + 1])
  at = at + 3
end

if ARGV[8] == '1' then
  redis.call('ZREM', K.processes, me)
else
  redis.call('ZADD', K.processes, SERVER + TTL, me)
  -- Processes gone for a whole TTL (a crash: no heartbeat, no leaving).
  redis.call('ZREMRANGEBYSCORE', K.processes, '-inf', SERVER - TTL)
end

local out = {0, 0}
local expiry = SERVER + TTL
for i = 1, held do
  local name = ARGV[names + tonumber(ARGV[at])]
  local key = leases_key(name)
  local id = ARGV[at + 1]
  local weight = tonumber(ARGV[at + 2])
  local status = 1
  if not redis.call('ZSCORE', key, id) then
    if trim(key, SERVER, RECOVERING, K.pending, K.granted) > 0 then touched[name] = true end
    if redis.call('ZCARD', key) + weight <= tonumber(ARGV[at + 3]) then
      status = 2
      touched[name] = true
      redis.call('ZADD', K.expiries, 'LT', expiry, name)
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
for name in pairs(touched) do place(name) end

-- Checked in: its leases are what it says. The last one in ends the recovery.
if redis.call('SREM', K.pending, me) == 1 and redis.call('SCARD', K.pending) == 0 then
  redis.call('HDEL', K.fleet, 'recovering')
  RECOVERING = false
end
upkeep()
out[1] = redis.call('ZCOUNT', K.processes, SERVER, '+inf')
if RECOVERING then out[2] = 1 end
return out

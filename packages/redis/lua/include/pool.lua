-- Included (after fleet.lua) by every script: the fixed KEYS, the common
-- ARGV header, and the structures that keep an acquisition independent of
-- the number of cells.
--
-- KEYS[1] accounts (hash of per-cell fields)   KEYS[2] fleet (hash)
-- KEYS[3] processes (zset: id -> alive until)  KEYS[4] pending (set)
-- KEYS[5] capacity (hash: cell -> units)       KEYS[6] room (zset: cell ->
--   free units, cells not cooling down)        KEYS[7] big (zset: cell ->
--   capacity, cells not cooling down)          KEYS[8] cooling (zset: cell
--   -> until, caller's clock)                  KEYS[9] expiries (zset: cell
--   -> a lower bound of its earliest lease expiry, server ms)
-- KEYS[10] queue (zset: waiter id -> arrival number)   KEYS[11] waiters
--   (hash: id -> its request)   KEYS[12] granted (hash: id -> "cell grantedAt
--   weight", a lease handed to a waiter)   KEYS[13] the request's layout (set
--   of its cell names)
-- ARGV[1] the hash-tagged prefix ("{credchain:<ns>}"): a cell's leases are
--   the zset <prefix>:leases:<cell> and a process's wake-up channel is
--   <prefix>:wake:<process>, built here so a request's size does not grow
--   with the pool (same slot as every KEYS: Cluster-safe)
-- ARGV[2] now (caller's clock, ms)   ARGV[3] lease TTL (ms)   ARGV[4] gap
-- ARGV[5] grace   ARGV[6] liveness: a waiter whose process has not beaten
--   for this long is dropped from the line (ms)
local K = {
  accounts = KEYS[1], fleet = KEYS[2], processes = KEYS[3], pending = KEYS[4],
  capacity = KEYS[5], room = KEYS[6], big = KEYS[7], cooling = KEYS[8],
  expiries = KEYS[9], queue = KEYS[10], waiters = KEYS[11], granted = KEYS[12],
  layout = KEYS[13],
}
local PREFIX = ARGV[1]
local NOW = tonumber(ARGV[2])
local TTL = tonumber(ARGV[3])
local LIVENESS = tonumber(ARGV[6])
local SERVER = server_now()
local RECOVERING = fleet_recovering(K.fleet, K.processes, K.pending, SERVER,
  tonumber(ARGV[4]), tonumber(ARGV[5]))

local function leases_key(name) return PREFIX .. ':leases:' .. name end
local function process_of(id) return string.match(id, '^[^.]+') end

local function split(csv)
  local list = {}
  for item in string.gmatch(csv, '[^,]+') do list[#list + 1] = item end
  return list
end

local function set_of(list)
  local set = {}
  for _, item in ipairs(list) do set[item] = true end
  return set
end

-- Puts a registered cell where it belongs now: cooling, or in room with its free units.
local function place(name)
  local cap = tonumber(redis.call('HGET', K.capacity, name))
  if not cap then return end
  local untl = tonumber(redis.call('HGET', K.accounts, name .. ':until')) or 0
  if untl > NOW then
    redis.call('ZREM', K.room, name)
    redis.call('ZREM', K.big, name)
    redis.call('ZADD', K.cooling, untl, name)
  else
    redis.call('ZREM', K.cooling, name)
    redis.call('ZADD', K.room, cap - redis.call('ZCARD', leases_key(name)), name)
    redis.call('ZADD', K.big, cap, name)
  end
end

-- Re-indexes a cell's earliest lease expiry (while the fleet recovers, an
-- expired lease of a pending process is looked at again when it ends).
local function index_expiry(name)
  local first = redis.call('ZRANGE', leases_key(name), 0, 0, 'WITHSCORES')
  if first[2] == nil then
    redis.call('ZREM', K.expiries, name)
  elseif tonumber(first[2]) <= SERVER and RECOVERING then
    local ends = tonumber(redis.call('HGET', K.fleet, 'recovering')) or (SERVER + TTL)
    redis.call('ZADD', K.expiries, math.max(ends, SERVER + 1), name)
  else
    redis.call('ZADD', K.expiries, first[2], name)
  end
end

-- Lazily: drops the expired leases of at most `limit` cells whose earliest
-- lease has expired (a hand-off's grant record goes with its lease).
-- Returns the units freed.
local function trim_due(limit)
  local freed = 0
  for _, name in ipairs(redis.call('ZRANGEBYSCORE', K.expiries, '-inf', SERVER, 'LIMIT', 0, limit)) do
    local went = trim(leases_key(name), SERVER, RECOVERING, K.pending, K.granted)
    index_expiry(name)
    if went > 0 then
      freed = freed + went
      place(name)
    end
  end
  return freed
end

-- Lazily: cells whose cool-down ended (caller's clock) go back to room.
local function uncool_due(limit)
  local due = redis.call('ZRANGEBYSCORE', K.cooling, '-inf', NOW, 'LIMIT', 0, limit)
  for _, name in ipairs(due) do place(name) end
  return #due
end

-- Whether cell `name` can take `weight` units now (checked on the cell itself).
local function fits(name, weight)
  local cap = tonumber(redis.call('HGET', K.capacity, name))
  if not cap or cap < weight then return false end
  if (tonumber(redis.call('HGET', K.accounts, name .. ':until')) or 0) > NOW then return false end
  return redis.call('ZCARD', leases_key(name)) + weight <= cap
end

-- `ttl`: the holder's own lease TTL (a waiter handed a place renews it at
-- its own process's pace, not the releaser's); the caller's by default.
local function grant(name, id, weight, ttl)
  local key = leases_key(name)
  local expiry = SERVER + (ttl or TTL)
  redis.call('ZADD', key, expiry, id)
  for u = 2, weight do redis.call('ZADD', key, expiry, id .. '#' .. u) end
  redis.call('HINCRBY', K.accounts, name .. ':leases', 1)
  redis.call('HSET', K.accounts, name .. ':last', NOW)
  redis.call('ZADD', K.expiries, 'LT', expiry, name)
  if redis.call('ZSCORE', K.room, name) then
    redis.call('ZINCRBY', K.room, -weight, name)
  else
    place(name)
  end
end

-- A cell for a request: the first of its preferred cells that fits, else
-- the roomiest other cell of its layout (O(log cells) + what it skips).
local function choose(prefs, excluded, excluded_count, weight, layout)
  for _, name in ipairs(prefs) do
    if not excluded[name] and fits(name, weight) then return name end
  end
  local roomiest = redis.call('ZREVRANGEBYSCORE', K.room, '+inf', weight,
    'LIMIT', 0, excluded_count + #prefs + 8)
  for _, name in ipairs(roomiest) do
    if not excluded[name] and redis.call('SISMEMBER', layout, name) == 1 then
      if fits(name, weight) then return name end
      place(name) -- its place was out of date: corrected
    end
  end
  return nil
end

-- Why nothing fits a request: 'full' (a usable cell is not cooling, only
-- full), 'cooling' (every usable cell cools; the first end), or 'none'.
local function refusal(excluded_list, excluded, weight, layout)
  local usable = redis.call('ZCOUNT', K.big, weight, '+inf')
  for _, name in ipairs(excluded_list) do
    local cap = tonumber(redis.call('ZSCORE', K.big, name))
    if cap and cap >= weight then usable = usable - 1 end
  end
  local retry = 0
  local cooling = redis.call('ZRANGE', K.cooling, 0, #excluded_list + 16, 'WITHSCORES')
  for i = 1, #cooling, 2 do
    local name = cooling[i]
    if not excluded[name] and redis.call('SISMEMBER', layout, name) == 1
      and (tonumber(redis.call('HGET', K.capacity, name)) or 0) >= weight then
      retry = tonumber(cooling[i + 1])
      break
    end
  end
  if usable > 0 then return 'full', retry end
  if retry > 0 then return 'cooling', retry end
  return 'none', 0
end

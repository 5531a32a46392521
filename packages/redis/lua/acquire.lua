-- acquire: lease a cell for one request — the first of its preferred cells
-- that fits, else the roomiest other cell of its layout — or say why not,
-- and (ARGV[10] = 1) join the fleet's line when waiting helps. One atomic
-- step whose cost does not grow with the number of cells: the request names
-- at most a few preferred and excluded cells, the free cells are read from
-- sorted sets, and expired leases and ended cool-downs are put right lazily.
--
-- KEYS and ARGV[1..6]: see include/pool.lua.
-- ARGV[7] lease id (the waiter's id in the line)   ARGV[8] weight (units)
-- ARGV[9] the layout's capacity version (registered by register.lua)
-- ARGV[10] 1: join the line when waiting helps   ARGV[11] waitUntil (caller's
-- clock; -1: never wait for a cool-down)   ARGV[12] preferred cells (names,
-- comma-separated, in order)   ARGV[13] excluded cells (names)
-- Returns {-1} (register the layout first), {1, cell} (leased), {2, why,
-- retry} (in the line: a release will hand it a place) or {0, why, retry}.
--!include fleet.lua
--!include pool.lua
--!include queue.lua

if redis.call('HGET', K.fleet, 'v:' .. K.layout) ~= ARGV[9] then return {-1} end
local id = ARGV[7]
local weight = tonumber(ARGV[8])
local wait_until = tonumber(ARGV[11])
local prefs = split(ARGV[12])
local excl_list = split(ARGV[13])
local excluded = set_of(excl_list)

upkeep()
-- The line first: a request may take a place only when nobody waits.
if redis.call('ZCARD', K.queue) == 0 then
  local name = choose(prefs, excluded, #excl_list, weight, K.layout)
  if name then
    grant(name, id, weight)
    return {1, name}
  end
end
local why, retry = refusal(excl_list, excluded, weight, K.layout)
if not waiting_helps(why, retry, wait_until) or ARGV[10] ~= '1' then
  return {0, why, retry}
end
join(id, waiter_record(weight, wait_until, K.layout, ARGV[9], ARGV[12], ARGV[13]))
-- Its turn may be now (the waiters ahead could not use what is free).
local mine = serve(16, id)
if mine then return {1, mine} end
return {2, why, retry}

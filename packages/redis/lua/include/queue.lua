-- Included after pool.lua: the fleet's line of waiting requests, first come
-- first served across every process, and the hand-off that wakes one waiter
-- per place freed (on its own process's channel) instead of everybody.
--
-- A waiter is its lease id "<process>.<n>" in the queue (scored by arrival)
-- with its request in the waiters hash: "weight|waitUntil|ttl|liveness|
-- layout key|capacity version|preferred cells|excluded cells" (ttl and
-- liveness: its own process's, which may differ from the caller's). It is dropped when its
-- process has not beaten for its liveness (a dead waiter cannot hold the
-- line), when it leaves (leave.lua), or when waiting stops helping (poll.lua).
-- It is handed a place only while its own pool's capacity version is the
-- one registered for its layout (else its poll sends it to join anew).

local function waiter_record(weight, wait_until, layout, version, prefs, excluded)
  return table.concat({weight, wait_until, TTL, LIVENESS, layout, version, prefs, excluded}, '|')
end

local function parse_waiter(record)
  local weight, wait_until, ttl, liveness, layout, version, prefs, excluded =
    string.match(record, '^(%d+)|(-?%d+)|(%d+)|(%d+)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  local excl_list = split(excluded or '')
  return {
    weight = tonumber(weight) or 1, wait_until = tonumber(wait_until) or -1,
    ttl = tonumber(ttl) or TTL, liveness = tonumber(liveness) or LIVENESS,
    layout = layout or '', version = version or '', prefs = split(prefs or ''), excl_list = excl_list,
    excluded = set_of(excl_list),
  }
end

-- Whether waiting helps a refused request: a usable cell is only full, or
-- the first cool-down ends by its waitUntil (-1: never wait for one).
local function waiting_helps(why, retry, wait_until)
  return why == 'full' or (why == 'cooling' and wait_until >= 0 and retry <= wait_until)
end

-- Whether waiter `id` (its record parsed: `w`) has a live process: one that
-- beat within its liveness (the processes' scores are "alive until": the
-- last beat plus that process's TTL).
local function alive(id, w)
  local beat = (tonumber(redis.call('ZSCORE', K.processes, process_of(id))) or 0) - w.ttl
  return beat >= SERVER - w.liveness
end

-- Whether the capacities registered for the waiter's layout are its own
-- pool's (another pool of the layout may have registered different ones
-- since it joined, or its own changed).
local function current(w)
  return redis.call('HGET', K.fleet, 'v:' .. w.layout) == w.version
end

local function any_room()
  return #redis.call('ZREVRANGEBYSCORE', K.room, '+inf', 1, 'LIMIT', 0, 1) > 0
end

local function join(id, record)
  local arrival = redis.call('HINCRBY', K.fleet, 'arrivals', 1)
  redis.call('ZADD', K.queue, arrival, id)
  redis.call('HSET', K.waiters, id, record)
  -- Alive from now: its first heartbeat may still be on its way.
  redis.call('ZADD', K.processes, 'GT', SERVER + TTL, process_of(id))
end

local function unqueue(id)
  redis.call('ZREM', K.queue, id)
  redis.call('HDEL', K.waiters, id)
end

-- Hands free places to the waiters at the head of the line (at most `limit`
-- looked at), in order. Each is told on its process's channel — one message
-- per waiter served — except `quiet` (the caller itself), whose cell is
-- returned. Stops as soon as no cell has room.
local function serve(limit, quiet)
  if redis.call('ZCARD', K.queue) == 0 or not any_room() then return nil end
  local mine = nil
  for _, id in ipairs(redis.call('ZRANGE', K.queue, 0, limit - 1)) do
    local record = redis.call('HGET', K.waiters, id)
    local w = record and parse_waiter(record)
    if not w or not alive(id, w) then
      unqueue(id)
    elseif not current(w) then
      -- Never handed a place counted against another pool's capacities: it
      -- is passed over (its poll sends it to join anew, registering its own).
    else
      local name = choose(w.prefs, w.excluded, #w.excl_list, w.weight, w.layout)
      if name then
        grant(name, id, w.weight, w.ttl)
        unqueue(id)
        redis.call('HSET', K.granted, id, name .. ' ' .. NOW .. ' ' .. w.weight)
        if id == quiet then
          mine = name
        else
          redis.call('PUBLISH', PREFIX .. ':wake:' .. process_of(id), id .. ' ' .. name .. ' ' .. NOW)
        end
        if not any_room() then break end
      elseif w.weight > 1 or #w.excl_list == 0 then
        -- FIFO: a heavier waiter keeps the units it waits for from those
        -- behind it; one that may use every cell shows that none has room.
        break
      end
    end
  end
  return mine
end

-- The lazy upkeep every script does before it decides: expired leases of a
-- few cells dropped, ended cool-downs put back, and the line served.
local function upkeep()
  trim_due(8)
  uncool_due(8)
  serve(16, nil)
end

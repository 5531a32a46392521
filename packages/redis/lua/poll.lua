-- poll: a process asks after its own waiters (a wake-up may have been lost;
-- a cool-down may have ended with nobody releasing): the line is served
-- first, then each waiter is reported — granted (with its cell), still
-- waiting, refused (waiting stopped helping: it left the line) or lost
-- (dropped from the line, or its layout's capacities are another pool's
-- now: it joins again). A granted waiter's lease is
-- renewed for one TTL (the caller's: its own process's) as it is reported.
--
-- KEYS and ARGV[1..6]: see include/pool.lua (KEYS[13] unused).
-- ARGV[7] W, then W waiter ids
-- Returns 4 values per waiter: id, state (granted | waiting | refused | lost),
-- then cell and grantedAt (granted) or why and retry (waiting, refused).
--!include fleet.lua
--!include pool.lua
--!include queue.lua

upkeep()
local out = {}
for i = 1, tonumber(ARGV[7]) do
  local id = ARGV[7 + i]
  local granted = redis.call('HGET', K.granted, id)
  local record = redis.call('HGET', K.waiters, id)
  if granted then
    local name, at, weight = string.match(granted, '^(%S+) (%S+) (%S+)$')
    -- Found now (its message was lost, or there is no channel): its holder
    -- renews it from now on, so it runs one TTL from here (the hand-off's
    -- own TTL may be nearly over, with the next renewal still to come).
    local key = leases_key(name)
    local expiry = SERVER + TTL
    if redis.call('ZSCORE', key, id) then
      redis.call('ZADD', key, 'XX', 'GT', expiry, id)
      for u = 2, tonumber(weight) or 1 do redis.call('ZADD', key, 'XX', 'GT', expiry, id .. '#' .. u) end
    end
    for _, v in ipairs({id, 'granted', name, at}) do table.insert(out, v) end
  elseif record and redis.call('ZSCORE', K.queue, id) and not current(parse_waiter(record)) then
    -- Its layout's capacities are another pool's now: it joins anew (and
    -- registers its own), at most once per poll.
    unqueue(id)
    for _, v in ipairs({id, 'lost', '', 0}) do table.insert(out, v) end
  elseif record and redis.call('ZSCORE', K.queue, id) then
    local w = parse_waiter(record)
    local why, retry = refusal(w.excl_list, w.excluded, w.weight, w.layout)
    local state = 'waiting'
    if not waiting_helps(why, retry, w.wait_until) then
      unqueue(id)
      state = 'refused'
    end
    for _, v in ipairs({id, state, why, retry}) do table.insert(out, v) end
  else
    for _, v in ipairs({id, 'lost', '', 0}) do table.insert(out, v) end
  end
end
return out

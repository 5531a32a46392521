-- Included (by the loader, at this line's place) in the scripts that drop
-- expired leases or check a process in: the server's clock, the fleet's
-- recovery after a gap, and trimming a cell's expired leases.
--
-- Recovery: a lease expires leaseTtlMs after its holder last renewed it, so
-- a live process renews well within that. When no process could reach Redis
-- for longer than `gap` ms (a failover, a server that hung), the leases of
-- processes still alive may have expired meanwhile although their calls
-- still run. The first script after such a gap makes every process alive at
-- its start (a heartbeat in the processes set) "pending": until a pending
-- process checks in again (heartbeat.lua: its running leases renewed or
-- written anew, the others removed), or `grace` ms pass, its expired leases
-- stay counted instead of being dropped, so their places are not granted.

local function server_now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Records this call's time (`seen`); starts a recovery after a gap; ends one
-- whose grace is over. Returns true while the fleet recovers.
local function fleet_recovering(fleet, processes, pending, now, gap, grace)
  local f = redis.call('HMGET', fleet, 'seen', 'recovering')
  local seen = tonumber(f[1])
  local recovering = tonumber(f[2]) or 0
  if recovering > 0 and now >= recovering then
    redis.call('DEL', pending)
    redis.call('HDEL', fleet, 'recovering')
    recovering = 0
  end
  if seen ~= nil and now - seen > gap then
    local live = redis.call('ZRANGEBYSCORE', processes, seen, '+inf')
    for i = 1, #live, 1000 do
      redis.call('SADD', pending, unpack(live, i, math.min(i + 999, #live)))
    end
    if #live > 0 then
      recovering = now + grace
      redis.call('HSET', fleet, 'recovering', recovering)
    end
  end
  -- Written when it moved by a quarter of a gap at least: a gap is still
  -- never missed (at worst one three quarters as long is taken for one).
  if seen == nil or now - seen >= gap / 4 then
    redis.call('HSET', fleet, 'seen', now)
  end
  return recovering > 0
end

-- Drops a cell's expired leases (members "<process>.<n>" or "<process>.<n>#u"),
-- but not those of a pending process while the fleet recovers; with
-- `granted`, the hand-off record of each lease that goes too. Returns how
-- many members went.
local function trim(key, now, recovering, pending, granted)
  if not recovering then
    if not granted then
      return redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    end
    local gone = redis.call('ZRANGEBYSCORE', key, '-inf', now)
    if #gone == 0 then return 0 end
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    for _, member in ipairs(gone) do
      if not string.find(member, '#', 1, true) then redis.call('HDEL', granted, member) end
    end
    return #gone
  end
  local dropped = 0
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', now)) do
    if redis.call('SISMEMBER', pending, string.match(member, '^[^.]+')) == 0 then
      redis.call('ZREM', key, member)
      if granted and not string.find(member, '#', 1, true) then
        redis.call('HDEL', granted, member)
      end
      dropped = dropped + 1
    end
  end
  return dropped
end

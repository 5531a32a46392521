-- release: end a lease and record how its call went, atomically (the twin of
-- applyThrottle in @credchain/aws, checked by the shared contract suite),
-- then hand the place to the next waiter in the fleet's line (one wake-up).
--
-- KEYS and ARGV[1..6]: see include/pool.lua (KEYS[13] unused).
-- ARGV[7] cell name ("2" or "2:eu-central-1")   ARGV[8] lease id
-- ARGV[9] outcome: success | failure | throttled
-- ARGV[10] the throttle's now (caller's clock, ms)   ARGV[11] initial ms
-- ARGV[12] multiplier   ARGV[13] max ms   ARGV[14] jitter factor
-- ARGV[15] the lease's grantedAt (caller's clock, ms)   ARGV[16] weight
-- ARGV[17] throttle reason: concurrency | rate | reserved | "" (none given)
-- ARGV[18] the cool-down's floor from now, ms (Retry-After; 0 when none)
-- Returns {released (0/1), streak, throttledUntil, episode start, reason ("" when none)}.
--!include fleet.lua
--!include pool.lua
--!include queue.lua

local n = ARGV[7]
local key = leases_key(n)

-- A lease counts once: an expired one is dropped but was not "released" here.
local expiry = redis.call('ZSCORE', key, ARGV[8])
local released = 0
local freed = expiry ~= false and expiry ~= nil
if freed then
  redis.call('ZREM', key, ARGV[8])
  for u = 2, tonumber(ARGV[16]) do
    redis.call('ZREM', key, ARGV[8] .. '#' .. u)
  end
  if tonumber(expiry) > SERVER then released = 1 end
end
redis.call('HDEL', K.granted, ARGV[8])

local f = redis.call('HMGET', K.accounts, n .. ':streak', n .. ':until', n .. ':episode', n .. ':reason')
local streak = tonumber(f[1]) or 0
local until_ms = tonumber(f[2]) or 0
local episode = tonumber(f[3]) or 0
local current = f[4] or ''
local kind = ARGV[9]
if kind == 'success' then
  -- A call leased before the latest episode began proves nothing about the
  -- cell since: at a concurrency limit such successes are the norm.
  if tonumber(ARGV[15]) >= episode and streak ~= 0 then
    streak = 0
    redis.call('HSET', K.accounts, n .. ':streak', 0)
  end
elseif kind == 'throttled' then
  local now = tonumber(ARGV[10])
  local reason = ARGV[17]
  redis.call('HINCRBY', K.accounts, n .. ':throttles', 1)
  if reason ~= 'reserved' then
    local before = until_ms
    -- Calls in flight when an episode began report it too: only the first
    -- report of an episode escalates the back-off. A rate limit never does,
    -- and a brief rate-limit cool-down does not hide a full cell.
    local new_episode = reason ~= 'rate' and (before <= now or current == 'rate')
    if new_episode then
      streak = streak + 1
      local delay = math.min(tonumber(ARGV[13]), tonumber(ARGV[11]) * tonumber(ARGV[12]) ^ (streak - 1))
      until_ms = math.max(until_ms, now + math.floor(delay * tonumber(ARGV[14])))
      episode = now
      redis.call('HSET', K.accounts, n .. ':streak', streak, n .. ':episode', now)
    end
    -- Never shorter: a later cool-down only ever extends an earlier one.
    until_ms = math.max(until_ms, now + math.max(0, tonumber(ARGV[18])))
    if until_ms > before then
      redis.call('HSET', K.accounts, n .. ':until', until_ms)
    end
    -- A new concurrency episode is the cell's reason now, even inside a
    -- longer rate-limit cool-down it does not extend (else every report of
    -- the same episode would start one more).
    if until_ms > before or new_episode then
      if reason == '' then
        redis.call('HDEL', K.accounts, n .. ':reason')
      else
        redis.call('HSET', K.accounts, n .. ':reason', reason)
      end
      current = reason
    end
  end
end

-- Where the cell stands now (room, or cooling), then the line's turn.
place(n)
upkeep()
return {released, streak, until_ms, episode, current}

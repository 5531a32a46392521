-- release: end a lease and record how its call went, atomically (the twin of
-- applyThrottle in @credchain/aws, checked by the shared contract suite).
--
-- KEYS[1] the accounts hash   KEYS[2] the cell's live leases (sorted set)
-- ARGV[1] cell name ("2" or "2:eu-central-1")   ARGV[2] lease id
-- ARGV[3] outcome: success | failure | throttled
-- ARGV[4] now (caller's clock, ms)   ARGV[5] initial ms   ARGV[6] multiplier
-- ARGV[7] max ms   ARGV[8] jitter factor   ARGV[9] release channel
-- ARGV[10] the lease's grantedAt (caller's clock, ms)   ARGV[11] weight
-- ARGV[12] throttle reason: concurrency | rate | reserved | "" (none given)
-- ARGV[13] the cool-down's floor from now, ms (Retry-After; 0 when none)
-- Returns {released (0/1), streak, throttledUntil, episode start, reason ("" when none)}.
local n = ARGV[1]
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- A lease counts once: an expired one is dropped but was not "released" here.
local expiry = redis.call('ZSCORE', KEYS[2], ARGV[2])
local released = 0
local freed = expiry ~= false and expiry ~= nil
if freed then
  redis.call('ZREM', KEYS[2], ARGV[2])
  for u = 2, tonumber(ARGV[11]) do
    redis.call('ZREM', KEYS[2], ARGV[2] .. '#' .. u)
  end
  if tonumber(expiry) > server_ms then released = 1 end
end

local f = redis.call('HMGET', KEYS[1], n .. ':streak', n .. ':until', n .. ':episode', n .. ':reason')
local streak = tonumber(f[1]) or 0
local until_ms = tonumber(f[2]) or 0
local episode = tonumber(f[3]) or 0
local current = f[4] or ''
local kind = ARGV[3]
if kind == 'success' then
  -- A call leased before the latest episode began proves nothing about the
  -- cell since: at a concurrency limit such successes are the norm.
  if tonumber(ARGV[10]) >= episode and streak ~= 0 then
    streak = 0
    redis.call('HSET', KEYS[1], n .. ':streak', 0)
  end
elseif kind == 'throttled' then
  local now = tonumber(ARGV[4])
  local reason = ARGV[12]
  redis.call('HINCRBY', KEYS[1], n .. ':throttles', 1)
  if reason ~= 'reserved' then
    local before = until_ms
    -- Calls in flight when an episode began report it too: only the first
    -- report of an episode escalates the back-off. A rate limit never does,
    -- and a brief rate-limit cool-down does not hide a full cell.
    local new_episode = reason ~= 'rate' and (before <= now or current == 'rate')
    if new_episode then
      streak = streak + 1
      local delay = math.min(tonumber(ARGV[7]), tonumber(ARGV[5]) * tonumber(ARGV[6]) ^ (streak - 1))
      until_ms = math.max(until_ms, now + math.floor(delay * tonumber(ARGV[8])))
      episode = now
      redis.call('HSET', KEYS[1], n .. ':streak', streak, n .. ':episode', now)
    end
    -- Never shorter: a later cool-down only ever extends an earlier one.
    until_ms = math.max(until_ms, now + math.max(0, tonumber(ARGV[13])))
    if until_ms > before then
      redis.call('HSET', KEYS[1], n .. ':until', until_ms)
    end
    -- A new concurrency episode is the cell's reason now, even inside a
    -- longer rate-limit cool-down it does not extend (else every report of
    -- the same episode would start one more).
    if until_ms > before or new_episode then
      if reason == '' then
        redis.call('HDEL', KEYS[1], n .. ':reason')
      else
        redis.call('HSET', KEYS[1], n .. ':reason', reason)
      end
      current = reason
    end
  end
end

-- An expired lease still in the set (its holder pending after a gap) held
-- a place too: waiting processes may take it now.
if freed then
  redis.call('PUBLISH', ARGV[9], n)
end
return {released, streak, until_ms, episode, current}

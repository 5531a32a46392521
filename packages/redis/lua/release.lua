-- release: end a lease and record how its call went, atomically.
--
-- KEYS[1] the accounts hash   KEYS[2] the account's live leases (sorted set)
-- ARGV[1] account index   ARGV[2] lease id   ARGV[3] outcome: success | failure | throttled
-- ARGV[4] now (caller's clock, ms)   ARGV[5] initial ms   ARGV[6] multiplier
-- ARGV[7] max ms   ARGV[8] jitter factor   ARGV[9] release channel
-- ARGV[10] the lease's grantedAt (caller's clock, ms)
-- Returns {released (0/1), streak, throttledUntil, episode start}.
local i = ARGV[1]
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- A lease counts once: an expired one is dropped but was not "released" here.
local expiry = redis.call('ZSCORE', KEYS[2], ARGV[2])
local released = 0
if expiry then
  redis.call('ZREM', KEYS[2], ARGV[2])
  if tonumber(expiry) > server_ms then released = 1 end
end

local streak = tonumber(redis.call('HGET', KEYS[1], i .. ':streak') or '0') or 0
local until_ms = tonumber(redis.call('HGET', KEYS[1], i .. ':until') or '0') or 0
local episode = tonumber(redis.call('HGET', KEYS[1], i .. ':episode') or '0') or 0
local kind = ARGV[3]
if kind == 'success' then
  -- A call leased before the latest episode began proves nothing about the
  -- account since: at a concurrency limit such successes are the norm.
  if tonumber(ARGV[10]) >= episode then
    streak = 0
    redis.call('HSET', KEYS[1], i .. ':streak', 0)
  end
elseif kind == 'throttled' then
  local now = tonumber(ARGV[4])
  redis.call('HINCRBY', KEYS[1], i .. ':throttles', 1)
  -- Calls in flight when an episode began report it too: only the first
  -- report of an episode escalates the back-off.
  if until_ms <= now then
    streak = streak + 1
    local delay = math.min(tonumber(ARGV[7]), tonumber(ARGV[5]) * tonumber(ARGV[6]) ^ (streak - 1))
    until_ms = now + math.floor(delay * tonumber(ARGV[8]))
    episode = now
    redis.call('HSET', KEYS[1], i .. ':streak', streak, i .. ':until', until_ms, i .. ':episode', now)
  end
end

if released == 1 then
  redis.call('PUBLISH', ARGV[9], i)
end
return {released, streak, until_ms, episode}

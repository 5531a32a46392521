-- adopt: write a lease this process holds into Redis after a fall-back —
-- one granted from memory, or one Redis granted before it became unusable
-- (it may have lost it meanwhile: restart, or the outage outlasted the TTL).
-- Its call is running, so it counts, even above capacity: while falling
-- back, capacity held per process only (PoolState contract of the fall-back).
--
-- KEYS[1] the cell's live leases (sorted set)
-- ARGV[1] lease id   ARGV[2] lease TTL (ms)   ARGV[3] weight
-- Returns 1 when Redis still had the lease live, 0 when it was written anew.
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
local live = 0
if expiry and tonumber(expiry) > server_ms then live = 1 end
local next_expiry = server_ms + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], next_expiry, ARGV[1])
for u = 2, tonumber(ARGV[3]) do
  redis.call('ZADD', KEYS[1], next_expiry, ARGV[1] .. '#' .. u)
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return live

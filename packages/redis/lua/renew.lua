-- renew: push a live lease's expiry one TTL ahead (all of its weight's
-- members). A lease Redis no longer has, or whose expiry has passed, is not
-- revived (PoolState.renew): its place may already belong to another
-- process. Leases granted from memory while Redis was unusable are written by
-- adopt.lua instead.
--
-- KEYS[1] the cell's live leases (sorted set)
-- ARGV[1] lease id   ARGV[2] lease TTL (ms)   ARGV[3] weight
-- Returns 1 when the lease was live and now runs one TTL longer, 0 otherwise.
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry or tonumber(expiry) <= server_ms then return 0 end
local next_expiry = server_ms + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', next_expiry, ARGV[1])
for u = 2, tonumber(ARGV[3]) do
  redis.call('ZADD', KEYS[1], next_expiry, ARGV[1] .. '#' .. u)
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1

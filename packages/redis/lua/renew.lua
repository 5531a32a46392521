-- renew: push a lease's expiry one TTL ahead. The caller renews only leases
-- whose call is still running in its process, so a lease Redis no longer
-- has (it restarted without persistence, or the lease was taken while Redis
-- was unreachable) is added again: a call in flight is counted.
--
-- KEYS[1] the account's live leases (sorted set)
-- ARGV[1] lease id   ARGV[2] lease TTL (ms)
-- Returns 1 when the lease was live, 0 when it had to be added again.
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
local live = 0
if expiry and tonumber(expiry) > server_ms then live = 1 end
redis.call('ZADD', KEYS[1], server_ms + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return live

-- cool-down: set an account's cool-down end.
--
-- KEYS[1] the accounts hash
-- ARGV[1] account index   ARGV[2] until (caller's clock, ms)
-- ARGV[3] mode: "set" replaces the value (AccountPool.markThrottled);
--         "extend" keeps the later of both (cool-downs seen while Redis was
--         unreachable, written back when it returns)
-- Returns the account's cool-down end afterwards.
local field = ARGV[1] .. ':until'
local wanted = tonumber(ARGV[2])
if ARGV[3] == 'extend' then
  local current = tonumber(redis.call('HGET', KEYS[1], field) or '0') or 0
  if current >= wanted then return current end
end
redis.call('HSET', KEYS[1], field, wanted)
return wanted

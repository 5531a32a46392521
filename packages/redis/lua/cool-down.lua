-- cool-down: set a cell's cool-down end.
--
-- KEYS[1] the accounts hash
-- ARGV[1] cell name ("2" or "2:eu-central-1")   ARGV[2] until (caller's clock, ms)
-- ARGV[3] mode: "set" replaces the value and forgets the reason
--         (AccountPool.markThrottled); "extend" keeps the later of both,
--         taking ARGV[4]'s reason when it wins (cool-downs seen while Redis
--         was unreachable, written back when it returns)
-- ARGV[4] the reason ("" when none; "extend" only)
-- Returns the cell's cool-down end afterwards.
local field = ARGV[1] .. ':until'
local wanted = tonumber(ARGV[2])
if ARGV[3] == 'extend' then
  local current = tonumber(redis.call('HGET', KEYS[1], field) or '0') or 0
  if current >= wanted then return current end
end
redis.call('HSET', KEYS[1], field, wanted)
if ARGV[3] == 'extend' and ARGV[4] ~= nil and ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], ARGV[1] .. ':reason', ARGV[4])
else
  redis.call('HDEL', KEYS[1], ARGV[1] .. ':reason')
end
return wanted

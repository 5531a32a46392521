-- cool-down: set a cell's cool-down end.
--
-- KEYS and ARGV[1..6]: see include/pool.lua (KEYS[13] unused).
-- ARGV[7] cell name ("2" or "2:eu-central-1")   ARGV[8] until (caller's clock, ms)
-- ARGV[9] mode: "set" replaces the value and forgets the reason
--         (AccountPool.markThrottled); "extend" keeps the later of both,
--         taking ARGV[10]'s reason when it wins (cool-downs seen while Redis
--         was unreachable, written back when it returns)
-- ARGV[10] the reason ("" when none; "extend" only)
-- Returns the cell's cool-down end afterwards.
--!include fleet.lua
--!include pool.lua
--!include queue.lua

local name = ARGV[7]
local field = name .. ':until'
local wanted = tonumber(ARGV[8])
if ARGV[9] == 'extend' then
  local current = tonumber(redis.call('HGET', K.accounts, field) or '0') or 0
  if current >= wanted then return current end
end
redis.call('HSET', K.accounts, field, wanted)
if ARGV[9] == 'extend' and ARGV[10] ~= nil and ARGV[10] ~= '' then
  redis.call('HSET', K.accounts, name .. ':reason', ARGV[10])
else
  redis.call('HDEL', K.accounts, name .. ':reason')
end
-- Cooling, or (a cool-down ended early) free again: the line may move.
place(name)
upkeep()
return wanted

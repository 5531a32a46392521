-- usage: every cell's numbers, after dropping expired leases (but not those
-- of processes pending since a gap: include/fleet.lua).
--
-- KEYS[1] the accounts hash   KEYS[2] the fleet hash   KEYS[3] the processes
-- KEYS[4] the pending processes   KEYS[4 + c] cell c's live leases, c = 1..count
-- ARGV[1] count   ARGV[2] release channel   ARGV[3] gap (ms)   ARGV[4] grace (ms)
-- ARGV[4 + c] the name of cell c
-- Returns 8 values per cell: units in flight, until, leases, throttles,
-- streak, last, episode start (kept by the caller for its fall-back, not part
-- of AccountUsage), and the cool-down's reason ("" when none).
--!include fleet.lua

local count = tonumber(ARGV[1])
local server_ms = server_now()
local recovering = fleet_recovering(KEYS[2], KEYS[3], KEYS[4], server_ms,
  tonumber(ARGV[3]), tonumber(ARGV[4]))
local dropped = 0
for c = 1, count do
  dropped = dropped + trim(KEYS[4 + c], server_ms, recovering, KEYS[4])
end
if dropped > 0 then
  redis.call('PUBLISH', ARGV[2], 'expired')
end
local out = {}
for c = 1, count do
  local n = ARGV[4 + c]
  local f = redis.call('HMGET', KEYS[1], n .. ':until', n .. ':leases', n .. ':throttles',
    n .. ':streak', n .. ':last', n .. ':episode', n .. ':reason')
  table.insert(out, redis.call('ZCARD', KEYS[4 + c]))
  for i = 1, 6 do table.insert(out, tonumber(f[i]) or 0) end
  table.insert(out, f[7] or '')
end
return out

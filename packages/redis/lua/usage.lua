-- usage: every cell's numbers, after dropping expired leases (but not those
-- of processes pending since a gap: include/fleet.lua). The one script
-- whose cost grows with the number of cells (pool.stats(), an
-- AccountsExhaustedError): it also puts each cell back where it belongs.
--
-- KEYS and ARGV[1..6]: see include/pool.lua (KEYS[13] unused).
-- ARGV[7] count, then the names of cells 1..count
-- Returns 8 values per cell: units in flight, until, leases, throttles,
-- streak, last, episode start (kept by the caller for its fall-back, not part
-- of AccountUsage), and the cool-down's reason ("" when none).
--!include fleet.lua
--!include pool.lua
--!include queue.lua

local count = tonumber(ARGV[7])
local out = {}
for c = 1, count do
  local n = ARGV[7 + c]
  local key = leases_key(n)
  if trim(key, SERVER, RECOVERING, K.pending, K.granted) > 0 then index_expiry(n) end
  place(n)
  local f = redis.call('HMGET', K.accounts, n .. ':until', n .. ':leases', n .. ':throttles',
    n .. ':streak', n .. ':last', n .. ':episode', n .. ':reason')
  table.insert(out, redis.call('ZCARD', key))
  for i = 1, 6 do table.insert(out, tonumber(f[i]) or 0) end
  table.insert(out, f[7] or '')
end
upkeep()
return out

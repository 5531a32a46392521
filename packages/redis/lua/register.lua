-- register: a layout's cells and their capacities, once per capacity
-- version (and again when Redis lost them: a restart, a failover to a
-- replica that lacked them). The only script besides usage whose cost grows
-- with the number of cells; acquire answers {-1} until it ran.
--
-- KEYS and ARGV[1..6]: see include/pool.lua (KEYS[13] the layout's set).
-- ARGV[7] the capacity version   ARGV[8] count, then count cell names, then
-- their capacities (units)
--!include fleet.lua
--!include pool.lua
--!include queue.lua

local count = tonumber(ARGV[8])
for c = 1, count do
  local name = ARGV[8 + c]
  redis.call('HSET', K.capacity, name, ARGV[8 + count + c])
  redis.call('SADD', K.layout, name)
  trim(leases_key(name), SERVER, RECOVERING, K.pending, K.granted)
  index_expiry(name)
  place(name)
end
redis.call('HSET', K.fleet, 'v:' .. K.layout, ARGV[7])
upkeep()
return 1

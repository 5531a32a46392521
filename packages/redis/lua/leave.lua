-- leave: a waiter gives up (its call was aborted): out of the line at once;
-- a place handed to it in that race goes back (to the next waiter).
--
-- KEYS and ARGV[1..6]: see include/pool.lua (KEYS[13] unused).
-- ARGV[7] the waiter's id
-- Returns {1, cell} when a place handed to it went back, else {0}.
--!include fleet.lua
--!include pool.lua
--!include queue.lua

local id = ARGV[7]
unqueue(id)
local granted = redis.call('HGET', K.granted, id)
if not granted then return {0} end
local name, _, weight = string.match(granted, '^(%S+) (%S+) (%S+)$')
local key = leases_key(name)
redis.call('ZREM', key, id)
for u = 2, tonumber(weight) do redis.call('ZREM', key, id .. '#' .. u) end
redis.call('HDEL', K.granted, id)
place(name)
upkeep()
return {1, name}

-- merge-episode: write back what a fall-back changed in a cell's
-- throttle streak, once Redis answers again.
--
-- KEYS[1] the accounts hash
-- ARGV[1] cell name ("2" or "2:eu-central-1")
-- ARGV[2] start of the latest episode begun while falling back (caller's
--         clock, ms; 0 when none)   ARGV[3] the streak it reached
-- ARGV[4] grantedAt of the latest success that reset the streak while
--         falling back, or -1
-- An episode newer than Redis's replaces streak and episode start (the
-- cool-down end is written by cool-down.lua, "extend"); otherwise a success
-- of a call leased at or after Redis's episode start resets the streak, as
-- release.lua would have. Returns the account's streak afterwards.
local i = ARGV[1]
local episode = tonumber(redis.call('HGET', KEYS[1], i .. ':episode') or '0') or 0
local streak = tonumber(redis.call('HGET', KEYS[1], i .. ':streak') or '0') or 0
local local_episode = tonumber(ARGV[2])
local reset_at = tonumber(ARGV[4])
if local_episode > episode then
  streak = tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], i .. ':streak', streak, i .. ':episode', local_episode)
elseif reset_at >= 0 and reset_at >= episode then
  streak = 0
  redis.call('HSET', KEYS[1], i .. ':streak', 0)
end
return streak

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';

/** The Lua scripts shipped in the package's `lua/` folder, one per atomic operation. */
export const LUA_SCRIPTS = {
  credchainAcquire: 'acquire.lua',
  credchainRelease: 'release.lua',
  credchainRenew: 'renew.lua',
  credchainAdopt: 'adopt.lua',
  credchainMergeEpisode: 'merge-episode.lua',
  credchainCoolDown: 'cool-down.lua',
  credchainUsage: 'usage.lua',
} as const;

export type LuaCommandName = keyof typeof LUA_SCRIPTS;

type LuaCommand = (numberOfKeys: number, ...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** A client with the pool's scripts defined on it. */
export type RedisWithScripts = Redis & Record<LuaCommandName, LuaCommand>;

/** Where the scripts live: `lua/` beside `dist/` (built) and beside `src/` (tests). */
export const LUA_DIR = join(__dirname, '..', 'lua');

/**
 * Defines the scripts on `redis` once, with ioredis `defineCommand`: each
 * call is an EVALSHA, and ioredis sends the script again by itself when
 * Redis answers NOSCRIPT (a restart, `SCRIPT FLUSH`). Keys are passed per
 * call (the number of accounts varies), every one under the pool's hash tag.
 */
export function defineLuaScripts(redis: Redis, dir = LUA_DIR): RedisWithScripts {
  const target = redis as RedisWithScripts;
  for (const [name, file] of Object.entries(LUA_SCRIPTS) as [LuaCommandName, string][]) {
    if (typeof target[name] === 'function') continue; // another pool on this client did it
    redis.defineCommand(name, { lua: readFileSync(join(dir, file), 'utf8') });
  }
  return target;
}

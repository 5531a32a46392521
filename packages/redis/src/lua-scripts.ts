import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Lua scripts shipped in the package's `lua/` folder, one per atomic operation. */
export const LUA_SCRIPTS = {
  credchainAcquire: 'acquire.lua',
  credchainRelease: 'release.lua',
  credchainHeartbeat: 'heartbeat.lua',
  credchainMergeEpisode: 'merge-episode.lua',
  credchainCoolDown: 'cool-down.lua',
  credchainUsage: 'usage.lua',
  credchainRegister: 'register.lua',
  credchainPoll: 'poll.lua',
  credchainLeave: 'leave.lua',
} as const;

export type LuaCommandName = keyof typeof LUA_SCRIPTS;

/** One script, ready to send: its source (includes resolved) and SHA-1 (for EVALSHA). */
export interface LuaScript {
  /** Also the command name ioredis defines for it (`defineCommand`). */
  readonly name: LuaCommandName;
  readonly source: string;
  readonly sha1: string;
}

export type LuaScripts = Readonly<Record<LuaCommandName, LuaScript>>;

/** Where the scripts live: `lua/` beside `dist/` (built) and beside `src/` (tests). */
export const LUA_DIR = join(__dirname, '..', 'lua');

// `--!include <file>` (alone on its line) stands for lua/include/<file>.
const INCLUDE = /^--!include ([\w.-]+)$/m;

/**
 * Reads the scripts from `dir`, each with its `--!include` lines replaced by
 * the helper they name (`lua/include/`), so a script stays one file per
 * atomic operation while sharing the fleet's recovery rules.
 */
export function loadLuaScripts(dir = LUA_DIR): LuaScripts {
  const entries = (Object.entries(LUA_SCRIPTS) as [LuaCommandName, string][]).map(
    ([name, file]) => {
      let source = readFileSync(join(dir, file), 'utf8');
      for (let match = INCLUDE.exec(source); match; match = INCLUDE.exec(source)) {
        const included = readFileSync(join(dir, 'include', match[1] as string), 'utf8');
        source = source.replace(match[0], () => included);
      }
      const sha1 = createHash('sha1').update(source).digest('hex');
      return [name, { name, source, sha1 }] as const;
    },
  );
  return Object.fromEntries(entries) as LuaScripts;
}

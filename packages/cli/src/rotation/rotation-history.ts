import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type AccountPool, DEFAULT_PREFIX, type StrategyName } from '@credchain/aws';
import { fingerprint } from '@credchain/core';

/** How many picks each pool has made with each stateful strategy, by pool digest. */
type History = Record<string, Partial<Record<StrategyName, number>>>;

/**
 * Lets `round-robin` and `least-recently-used` rotate across `credchain`
 * runs, each of which is a new process with a new pool. The file keeps, per
 * pool (a SHA-256 digest of its prefix and key ids, so a changed pool starts
 * afresh), how many picks each strategy has made — no key, no secret. Both
 * strategies repeat with a period of the pool's size, so replaying that many
 * picks modulo the size on a fresh pool restores their position.
 *
 * Where: `$XDG_STATE_HOME/credchain/rotation.json`, else
 * `~/.local/state/credchain/rotation.json`. An unreadable file counts as empty;
 * concurrent runs may pick the same account, which rotation tolerates.
 */
export class RotationHistory {
  private readonly file: string;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    const home = env.HOME || homedir();
    const stateHome = env.XDG_STATE_HOME || join(home, '.local', 'state');
    this.file = join(stateHome, 'credchain', 'rotation.json');
  }

  /** Picks an account with `strategy`, continuing where the last run stopped. */
  pick(pool: AccountPool, strategy: StrategyName, prefix = DEFAULT_PREFIX): number {
    if (strategy === 'random') return pool.pick(strategy);
    const key = fingerprint(prefix, ...pool.accounts.map((a) => a.accessKeyId));
    const history = this.read();
    const done = history[key]?.[strategy] ?? 0;
    for (let i = 0; i < done % pool.count; i++) pool.pick(strategy);
    const picked = pool.pick(strategy);
    history[key] = { ...history[key], [strategy]: (done % pool.count) + 1 };
    this.write(history);
    return picked;
  }

  private read(): History {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return parsed !== null && typeof parsed === 'object' ? (parsed as History) : {};
    } catch {
      return {};
    }
  }

  private write(history: History): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(history)}\n`, { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch {
      // Rotation still works without history: the next run starts at 1.
    }
  }
}

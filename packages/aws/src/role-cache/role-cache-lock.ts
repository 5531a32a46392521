import type { Logger } from '@credchain/core';
import { describeFsError } from './role-cache-file-store';

/** Options of the cross-process lock beside each role cache entry (`<key>.json.lock`). */
export interface RoleCacheLockOptions {
  /**
   * A lock whose holder has not touched it for this long is stale (its
   * owner died) and is broken. The holder refreshes it every `staleMs / 2`.
   * proper-lockfile's floor is 2000. @default 10000
   */
  readonly staleMs?: number;
  /**
   * How long a process waits for another's lock before it assumes the role
   * on its own — counted from the start of the resolution, so the hops of a
   * role chain (each taking its lock inside the previous one's assumption)
   * share this one deadline instead of adding up. Longer than one role assumption (5 s deadline) plus
   * `staleMs`, so a live holder is waited for and a dead one is outlived;
   * an MFA prompt in the holder may still take longer. @default 30000
   */
  readonly waitMs?: number;
  /** How often a waiter tries again. @default 50 */
  readonly pollMs?: number;
}

/** {@link RoleCacheLockOptions} with every default applied. */
export type RoleCacheLockConfig = Required<RoleCacheLockOptions>;

export const DEFAULT_LOCK_STALE_MS = 10_000;
export const DEFAULT_LOCK_WAIT_MS = 30_000;
export const DEFAULT_LOCK_POLL_MS = 50;

/** The one place lock defaults are applied. */
export function resolveRoleCacheLockConfig(
  options: RoleCacheLockOptions = {},
): RoleCacheLockConfig {
  return {
    staleMs: options.staleMs ?? DEFAULT_LOCK_STALE_MS,
    waitMs: options.waitMs ?? DEFAULT_LOCK_WAIT_MS,
    pollMs: options.pollMs ?? DEFAULT_LOCK_POLL_MS,
  };
}

/** Releases a held lock; never throws. */
export type ReleaseLock = () => Promise<void>;

/**
 * The cross-process lock beside a cache entry: `<key>.json.lock`, a
 * directory made by `proper-lockfile` (`mkdir` is atomic, also on network
 * file systems; the holder refreshes its mtime, so a lock whose holder died
 * goes stale and is broken after `staleMs`).
 *
 * Only "someone else holds it" is waited on. Any other failure (a read-only
 * directory, a file in the way) gives no lock at once and a debug line: the
 * caller then assumes the role on its own, which is what the AWS CLI always
 * does.
 */
export class RoleCacheLock {
  private readonly config: RoleCacheLockConfig;

  constructor(
    private readonly logger: Logger,
    options: RoleCacheLockOptions = {},
  ) {
    this.config = resolveRoleCacheLockConfig(options);
  }

  /**
   * Waits for the lock of `entryPath`, until `waitMs` after `startedAt` (a
   * `Date.now()` value: a role chain passes the time its resolution began,
   * so its hops share one deadline).
   * @returns its release, or `undefined` when it was not taken.
   */
  async acquire(
    entryPath: string,
    label: string,
    startedAt: number = Date.now(),
  ): Promise<ReleaseLock | undefined> {
    // Loaded on first use: a chain that never assumes a role does not pay for it.
    const lockfile = require('proper-lockfile') as typeof import('proper-lockfile');
    const { staleMs, waitMs, pollMs } = this.config;
    const started = startedAt;
    let waited = false;
    for (;;) {
      try {
        const release = await lockfile.lock(entryPath, {
          realpath: false,
          stale: staleMs,
          retries: 0,
          // The default throws from a timer, which would kill the process:
          // losing the lock only means another process may call STS too.
          onCompromised: (error) =>
            this.logger.debug(`role cache: lock of ${label} lost (${describeFsError(error)})`),
        });
        if (waited) {
          this.logger.debug(
            `role cache: got the lock of ${label} after ${Date.now() - started} ms`,
          );
        }
        return async () => {
          await release().catch((error: unknown) =>
            this.logger.debug(
              `role cache: could not release the lock of ${label} (${describeFsError(error)})`,
            ),
          );
        };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'ELOCKED') {
          this.logger.debug(
            `role cache: cannot lock ${label} (${describeFsError(error)}); assuming the role without the lock`,
          );
          return undefined;
        }
        if (Date.now() - started >= waitMs) {
          this.logger.debug(
            `role cache: ${label} still locked by another process after ${waitMs} ms; assuming the role without the lock`,
          );
          return undefined;
        }
        if (!waited) {
          this.logger.debug(`role cache: ${label} is locked by another process; waiting`);
          waited = true;
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }
  }
}

import type { Clock, Logger } from '@credchain/core';
import type { AccountPickStrategy } from '../account-pick-strategy';
import type { CoolDownBook } from '../cool-down-book';
import type { LeaseBroker } from '../lease-broker';
import type { PickHistory } from '../pick-history';
import { rankCandidates } from '../rank-candidates';
import type { RedactedAccount } from '../redacted-account';
import type { RunContext, RunOptions } from '../run-options';
import type { LeaseOutcome, PoolState } from '../state/pool-state';
import type { CoolDownConfig } from '../throttling/cool-down-options';
import { isThrottlingError } from '../throttling/is-throttling-error';
import { exhaustedErrorOf } from './exhausted-error-of';
import { keepLeaseAlive } from './lease-keep-alive';
import { releaseQuietly } from './release-quietly';

/** What {@link RunLoop} works with: the pool's parts, shared, not copied. */
export interface RunLoopParts {
  readonly state: PoolState;
  readonly broker: LeaseBroker;
  readonly clock: Clock;
  /** Numbers in [0, 1): the cool-down jitter. */
  readonly random: () => number;
  readonly coolDown: CoolDownConfig;
  readonly logger: Logger;
  /** 1..count, built once. */
  readonly indexes: readonly number[];
  readonly history: PickHistory;
  readonly coolDowns: CoolDownBook;
  /** The accounts, redacted, for an {@link AccountsExhaustedError}. */
  readonly accounts: () => readonly RedactedAccount[];
  /** Runs `fn` scoped to account n (`AccountPool.withAccount`). */
  readonly scope: <R>(n: number, fn: () => R) => R;
}

const SUCCESS: LeaseOutcome = { kind: 'success' };
const FAILURE: LeaseOutcome = { kind: 'failure' };

/**
 * `AccountPool.run`'s loop and retry policy: rank the accounts this call has
 * not tried, lease one (waiting in FIFO order while all are full), run `fn`
 * in its scope, release; on a throttling error record the cool-down and go
 * on with the next account; when none is left, an `AccountsExhaustedError`.
 */
export class RunLoop {
  constructor(private readonly parts: RunLoopParts) {}

  async run<R>(
    fn: (account: RunContext) => R | PromiseLike<R>,
    strategy: AccountPickStrategy,
    options: RunOptions,
  ): Promise<R> {
    const { broker, clock, coolDown, coolDowns, history, logger } = this.parts;
    const { signal } = options;
    const count = this.parts.indexes.length;
    const tried = new Set<number>();
    let lastThrottle: unknown;
    for (;;) {
      signal?.throwIfAborted();
      // Once every account was tried, candidates and preference are empty and
      // the broker answers `exhausted` (no account listed can be leased).
      const candidates = this.parts.indexes.filter((n) => !tried.has(n));
      const preference = rankCandidates(strategy, {
        count,
        candidates,
        lastPicked: (n) => history.lastPicked(n),
      });
      const got = await broker.acquire(preference, signal);
      if ('exhausted' in got) {
        coolDowns.mirror(got.exhausted);
        throw exhaustedErrorOf(
          got.exhausted,
          this.parts.accounts(),
          tried,
          lastThrottle,
          clock.now(),
        );
      }
      const { lease } = got;
      if (signal?.aborted) {
        // Aborted after the grant but before fn started: fn must not run.
        await releaseQuietly(this.parts.state, lease, FAILURE, logger);
        signal.throwIfAborted();
      }
      tried.add(lease.index);
      history.record(lease.index);
      const stopRenewing = keepLeaseAlive(this.parts.state, lease, clock, logger);
      // Whatever happens below (even a throw while classifying the error),
      // the lease is released in `finally`; a failure unless shown otherwise.
      let outcome: LeaseOutcome = FAILURE;
      try {
        const context: RunContext =
          signal === undefined
            ? { index: lease.index, attempt: tried.size }
            : { index: lease.index, attempt: tried.size, signal };
        const result = await this.parts.scope(lease.index, () => fn(context));
        outcome = SUCCESS;
        return result;
      } catch (error) {
        if (!isThrottlingError(error)) throw error;
        lastThrottle = error;
        outcome = {
          kind: 'throttled',
          now: clock.now(),
          backoff: coolDown,
          jitterFactor: 1 - coolDown.jitterRatio * this.parts.random(),
        };
      } finally {
        stopRenewing();
        const released = await releaseQuietly(this.parts.state, lease, outcome, logger);
        if (released && outcome.kind === 'throttled') {
          coolDowns.set(lease.index, released.throttledUntil);
        }
      }
      logger.debug(`account ${lease.index} throttled: cooling down, trying another`);
    }
  }
}

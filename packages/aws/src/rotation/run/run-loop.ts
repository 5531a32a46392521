import {
  type Clock,
  diagnosticChannels,
  type Logger,
  type PoolLeaseMessage,
  type PoolRunMessage,
} from '@credchain/core';
import type { AccountPickStrategy } from '../account-pick-strategy';
import { isAccountsExhaustedError } from '../accounts-exhausted-error';
import type { CellLayout } from '../cells/cell-layout';
import type { CoolDownBook } from '../cool-down-book';
import { describeValue } from '../describe-value';
import type { LeaseBroker } from '../lease-broker';
import { UNLIMITED_CAPACITY } from '../parse-capacity';
import type { PickHistory } from '../pick-history';
import { rankCandidates } from '../rank-candidates';
import type { RedactedAccount } from '../redacted-account';
import type { RunContext, RunOptions } from '../run-options';
import {
  type LeaseOutcome,
  type PoolLease,
  type PoolState,
  PREFERENCE_LIMIT,
} from '../state/pool-state';
import { isThrottlingError } from '../throttling/is-throttling-error';
import type { ThrottleReason } from '../throttling/throttle-reason';
import type { CapacityFacts } from './capacity-facts';
import type { CoolDownEvent } from './cool-down-event';
import type { CoolDownPolicy } from './cool-down-policy';
import { exhaustedErrorOf } from './exhausted-error-of';
import { keepLeaseAlive } from './lease-keep-alive';
import { releaseQuietly } from './release-quietly';
import { throttleOutcome } from './throttle-outcome';

/** What {@link RunLoop} works with: the pool's parts, shared, not copied. */
export interface RunLoopParts {
  readonly state: PoolState;
  readonly broker: LeaseBroker;
  readonly clock: Clock;
  /** Numbers in [0, 1): the cool-down jitter. */
  readonly random: () => number;
  readonly policy: CoolDownPolicy;
  readonly logger: Logger;
  readonly layout: CellLayout;
  /** Units per cell, live (the pool may change it), with its largest value and counts by weight. */
  readonly capacity: CapacityFacts;
  /** When each cell was last leased (for a pool without regions: `pick()`'s history too). */
  readonly history: PickHistory;
  /** By cell number. */
  readonly coolDowns: CoolDownBook;
  /** The accounts, redacted, for an `AccountsExhaustedError`. */
  readonly accounts: () => readonly RedactedAccount[];
  /** Runs `fn` scoped to cell n (`AccountPool.withCell` / `withAccount`). */
  readonly scope: <R>(n: number, fn: () => R) => R;
  /** The pool's one place where a throttle and the cool-down it caused are reported. */
  readonly coolDownDecided: (event: CoolDownEvent) => void;
  /** `maxWaitMs` when a call gives none. */
  readonly maxWaitMs: number;
  /** The pool's prefix, for the diagnostics messages. */
  readonly prefix: string;
}

const SUCCESS: LeaseOutcome = { kind: 'success' };
const FAILURE: LeaseOutcome = { kind: 'failure' };

/**
 * `AccountPool.run`'s loop and retry policy: rank the cells this call has
 * not tried (and that can hold its weight), lease one (waiting in FIFO order
 * while all are full, or while all are cooling down if one ends within
 * `maxWaitMs`), run `fn` in its scope, release; on a throttling error record
 * the outcome its reason calls for and go on with the next cell; when none
 * is left, an `AccountsExhaustedError`.
 */
export class RunLoop {
  constructor(private readonly parts: RunLoopParts) {}

  /**
   * `trace`, when given (someone listens on `credchain:pool.run`), is kept
   * up to date as the call goes — cell, attempt, time waited, throttles,
   * outcome — and its `bind` wraps `fn`.
   */
  async run<R>(
    fn: (account: RunContext) => R | PromiseLike<R>,
    strategy: AccountPickStrategy,
    options: RunOptions,
    trace?: PoolRunMessage,
  ): Promise<R> {
    if (trace === undefined) return this.#run(fn, strategy, options, undefined);
    try {
      const result = await this.#run(fn, strategy, options, trace);
      trace.outcome = 'ok';
      return result;
    } catch (error) {
      trace.outcome = outcomeOf(error, trace, options.signal);
      throw error;
    }
  }

  async #run<R>(
    fn: (account: RunContext) => R | PromiseLike<R>,
    strategy: AccountPickStrategy,
    options: RunOptions,
    trace: PoolRunMessage | undefined,
  ): Promise<R> {
    const { broker, clock, coolDowns, history, layout, logger } = this.parts;
    const { signal } = options;
    const weight = this.#weightOf(options.weight);
    const maxWaitMs = maxWaitOf(options.maxWaitMs ?? this.parts.maxWaitMs);
    const waitUntil = maxWaitMs > 0 ? clock.now() + maxWaitMs : undefined;
    const tried = new Set<number>();
    let lastThrottle: unknown;
    const cells = this.parts.capacity.cells;
    const isCandidate = (n: number) => !tried.has(n) && (cells[n - 1] ?? 0) >= weight;
    for (;;) {
      signal?.throwIfAborted();
      // Once every cell that can hold the weight was tried, the preference
      // is empty and the broker answers `exhausted` (every cell excluded).
      const left = tried.size < this.parts.capacity.fitting(weight);
      const preference = left
        ? rankCandidates(strategy, {
            count: layout.size,
            // Built only for a strategy that reads it (a pass over every cell).
            get candidates() {
              return layout.numbers.filter(isCandidate);
            },
            isCandidate,
            limit: PREFERENCE_LIMIT,
            lastPicked: (n) => history.lastPicked(n),
            byRecency: () => history.byRecency(layout.size),
            ...(layout.regions !== undefined && { cellOf: (n: number) => layout.cellOf(n) }),
          })
        : [];
      const asked = trace === undefined ? 0 : clock.now();
      const got = await broker.acquire(preference, signal, {
        ...(weight !== 1 && { weight }),
        ...(waitUntil !== undefined && { waitUntil }),
        ...(tried.size > 0 && { exclude: [...tried] }),
      });
      if (trace !== undefined) trace.waitedMs += clock.now() - asked;
      if ('exhausted' in got) {
        coolDowns.mirror(got.exhausted);
        throw exhaustedErrorOf(
          got.exhausted,
          this.parts.accounts(),
          tried,
          (n) => (cells[n - 1] ?? 0) >= weight,
          lastThrottle,
          clock.now(),
        );
      }
      const { lease } = got;
      const cell = layout.numberOf(lease.index, lease.region) ?? lease.index;
      if (signal?.aborted) {
        // Aborted after the grant but before fn started: fn must not run.
        await releaseQuietly(this.parts.state, lease, FAILURE, logger);
        signal.throwIfAborted();
      }
      tried.add(cell);
      history.record(cell);
      if (trace !== undefined) {
        trace.account = lease.index;
        if (lease.region !== undefined) trace.region = lease.region;
        trace.attempt = tried.size;
      }
      const leased = this.#leaseAcquired(lease, cell, weight);
      const stopRenewing = keepLeaseAlive(this.parts.state, lease, clock, logger);
      // Whatever happens below (even a throw while classifying the error),
      // the lease is released in `finally`; a failure unless shown otherwise.
      let outcome: LeaseOutcome = FAILURE;
      let reason: ThrottleReason | undefined;
      try {
        const context = contextOf(lease, tried.size, signal);
        const call = () => fn(context);
        const result = await this.parts.scope(cell, trace?.bind ? trace.bind(call) : call);
        outcome = SUCCESS;
        return result;
      } catch (error) {
        if (!isThrottlingError(error)) throw error;
        lastThrottle = error;
        const jitterFactor = 1 - this.parts.policy.backoff.jitterRatio * this.parts.random();
        ({ outcome, reason } = throttleOutcome(
          error,
          clock.now(),
          jitterFactor,
          this.parts.policy,
        ));
      } finally {
        stopRenewing();
        const released = await releaseQuietly(this.parts.state, lease, outcome, logger);
        if (leased !== undefined) publishReleased(leased);
        if (outcome.kind === 'throttled') {
          trace?.throttles.push({
            account: lease.index,
            ...(lease.region !== undefined && { region: lease.region }),
            // As the cool-down hook says: every throttle of a pool without regions is one.
            reason: reason ?? 'concurrency',
            at: clock.now(),
          });
          this.#learn(cell, lease, released, reason);
        }
      }
      logger.debug(
        `${layout.describe(cell)} throttled${reason === undefined ? '' : ` (${reason})`}: ${
          reason === 'reserved' ? 'not cooled' : 'cooling down'
        }, trying another`,
      );
    }
  }

  /**
   * A throttle ended a lease: remember the cell's cool-down, and report the
   * throttle to the pool's cool-down hook — with the cell's cool-down end
   * (0 when this throttle cools nothing, e.g. `reserved`, or the store could
   * not be told) and its reason (`concurrency` for a pool without regions,
   * where every throttle is one).
   */
  #learn(
    cell: number,
    lease: PoolLease,
    released: { throttledUntil: number } | undefined,
    reason: ThrottleReason | undefined,
  ): void {
    if (released) this.parts.coolDowns.set(cell, released.throttledUntil);
    const until = released?.throttledUntil ?? 0;
    this.parts.coolDownDecided({
      account: lease.index,
      ...(lease.region !== undefined && { region: lease.region }),
      until: until > this.parts.clock.now() ? until : 0,
      reason: reason ?? 'concurrency',
    });
  }

  /**
   * `credchain:pool.lease` `acquired`, with the cell's capacity (`null`:
   * unlimited), when someone listens. The same message is published again as
   * `released` (and only then): a subscriber that came later never sees a
   * release it did not see acquired.
   */
  #leaseAcquired(lease: PoolLease, cell: number, weight: number): PoolLeaseMessage | undefined {
    const channel = diagnosticChannels.poolLease;
    if (!channel.hasSubscribers) return undefined;
    const capacity = this.parts.capacity.cells[cell - 1] ?? UNLIMITED_CAPACITY;
    const message: PoolLeaseMessage = {
      prefix: this.parts.prefix,
      event: 'acquired',
      account: lease.index,
      ...(lease.region !== undefined && { region: lease.region }),
      capacity: capacity === UNLIMITED_CAPACITY ? null : capacity,
      weight,
    };
    channel.publish(message);
    return message;
  }

  #weightOf(weight: unknown): number {
    if (weight === undefined) return 1;
    if (!(typeof weight === 'number' && Number.isSafeInteger(weight) && weight > 0)) {
      throw new RangeError(
        `the weight option of run() must be a positive integer (got ${describeValue(weight)})`,
      );
    }
    const largest = this.parts.capacity.max;
    if (weight > largest) {
      throw new RangeError(
        `the weight option of run() is ${weight}, above every cell's capacity (the largest is ${largest}): no cell could ever run this call`,
      );
    }
    return weight;
  }
}

/** `credchain:pool.lease` `released`: the message its `acquired` was. */
function publishReleased(message: PoolLeaseMessage): void {
  message.event = 'released';
  diagnosticChannels.poolLease.publish(message);
}

/** How a traced `run()` ended, for `credchain:pool.run`. */
function outcomeOf(
  error: unknown,
  trace: PoolRunMessage,
  signal: AbortSignal | undefined,
): NonNullable<PoolRunMessage['outcome']> {
  if (signal?.aborted && error === signal.reason) return 'aborted';
  if (isAccountsExhaustedError(error))
    return trace.throttles.length > 0 ? 'throttled' : 'exhausted';
  return 'failed';
}

/** `maxWaitMs`, checked: a number ≥ 0 (Infinity allowed). */
function maxWaitOf(maxWaitMs: unknown): number {
  if (!(typeof maxWaitMs === 'number' && maxWaitMs >= 0)) {
    throw new RangeError(
      `maxWaitMs must be a number of milliseconds ≥ 0 (got ${describeValue(maxWaitMs)})`,
    );
  }
  return maxWaitMs;
}

/** What `fn` is told: the cell, the attempt, the signal (each only when it says something). */
function contextOf(lease: PoolLease, attempt: number, signal: AbortSignal | undefined): RunContext {
  return {
    index: lease.index,
    ...(lease.region !== undefined && { region: lease.region }),
    attempt,
    ...(signal !== undefined && { signal }),
  };
}

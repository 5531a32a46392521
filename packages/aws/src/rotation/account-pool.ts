import {
  diagnosticChannels,
  EnvironmentScope,
  installScopedProcessEnv,
  isTraced,
  messageOf,
  type PoolCoolDownMessage,
  type PoolRunMessage,
  redactKeyId,
  traced,
  warn,
} from '@credchain/core';
import { AwsTokens } from '../di/aws-tokens';
import { createRegionChain } from '../region/create-region-chain';
import { accountOverlay } from './account-overlay';
import type { AccountPickStrategy, AccountPoolState } from './account-pick-strategy';
import {
  type AccountPoolOptions,
  DEFAULT_CAPACITY_PATTERN,
  DEFAULT_KEY_PATTERN,
  DEFAULT_SECRET_PATTERN,
  type StrategyName,
} from './account-pool-options';
import type { AccountStats } from './account-stats';
import { CellLayout } from './cells/cell-layout';
import { CellScopes } from './cells/cell-scopes';
import { discoverCapacity } from './cells/discover-capacity';
import type {
  DiscoverCapacityOptions,
  DiscoveredCapacity,
} from './cells/discover-capacity-options';
import { parseCellCapacity } from './cells/parse-cell-capacity';
import type { PoolCell } from './cells/pool-cell';
import { resolveRegions } from './cells/resolve-regions';
import { CoolDownBook } from './cool-down-book';
import { describeValue } from './describe-value';
import { LeaseBroker } from './lease-broker';
import { type AccountKeys, parseAccounts } from './parse-accounts';
import { UNLIMITED_CAPACITY } from './parse-capacity';
import { PickHistory } from './pick-history';
import { type PoolConfig, resolvePoolConfig } from './pool-config';
import { processEnvNotice } from './process-env-notice';
import type { RedactedAccount } from './redacted-account';
import { CapacityFacts } from './run/capacity-facts';
import type { CoolDownEvent } from './run/cool-down-event';
import { RunLoop } from './run/run-loop';
import type { RunContext, RunOptions } from './run-options';
import { statsOf } from './stats-of';
import { StrategySet } from './strategy-set';

export type { RedactedAccount } from './redacted-account';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Several AWS accounts to rotate, to multiply concurrency limits — per
 * account, or per *cell* (an account in a Region, with `regions`), as
 * Lambda counts them.
 *
 * Recommended: {@link AccountPool.run}, which leases a cell (at most its
 * capacity in units at a time, waiting in FIFO order when all are full),
 * runs the call with that account (and region) scoped to its async call
 * tree, and when the call is throttled cools the cell down as the throttle's
 * reason calls for and retries on another. {@link AccountPool.withCell} and
 * {@link AccountPool.withAccount} scope a cell or account you chose
 * yourself; {@link AccountPool.applyToEnv} is Remotion's
 * set-the-variables-before-each-call pattern, kept for compatibility.
 *
 * @example
 * ```ts
 * const pool = AccountPool.fromEnv(process.env, {
 *   regions: ['us-east-1', 'eu-central-1'],
 *   capacity: 1_000,
 * });
 * const lambda = new AwsClientCache();
 * await Promise.all(jobs.map((job) =>
 *   pool.run(() => lambda.get(LambdaClient, { maxAttempts: 1 }).send(invoke(job)), { weight: 21 }),
 * ));
 * ```
 */
export class AccountPool {
  readonly #accounts: readonly AccountKeys[];
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #config: PoolConfig;
  readonly #layout: CellLayout;
  /** Units per cell, changed in place by `discoverCapacity()`. */
  readonly #capacity: number[];
  /** Moves whenever `#capacity` changed in place. */
  #capacityRevision = 0;
  readonly #scopes: CellScopes;
  /** What `pick()` and `run()` know of cool-downs without asking the state, by cell. */
  readonly #coolDowns = new CoolDownBook();
  /** `pick()`'s history, by account. */
  readonly #history = new PickHistory();
  readonly #strategies: StrategySet;
  readonly #defaultStrategy: AccountPickStrategy;
  readonly #broker: LeaseBroker;
  readonly #runLoop: RunLoop;
  /** Whether `run()` still has to check `process.env` once (see `processEnv`). */
  #noticePending: boolean;

  private constructor(
    accounts: readonly AccountKeys[],
    layout: CellLayout,
    capacity: number[],
    env: Readonly<Record<string, string | undefined>>,
    options: AccountPoolOptions,
  ) {
    this.#accounts = accounts;
    this.#layout = layout;
    this.#capacity = capacity;
    this.#env = env;
    const config = resolvePoolConfig(options, layout.regions !== undefined);
    this.#config = config;
    this.#scopes = new CellScopes(accounts, layout, config.prefix);
    if (config.processEnv === 'scoped') installScopedProcessEnv();
    this.#noticePending = config.processEnv === undefined;
    this.#strategies = new StrategySet(config.random);
    const registered = options.container?.isRegistered(AwsTokens.AccountPickStrategy, true)
      ? options.container.resolve(AwsTokens.AccountPickStrategy)
      : undefined;
    this.#defaultStrategy = this.#strategies.resolve(
      options.strategy ?? registered ?? 'random',
      'the strategy option',
    );
    const { state, clock, logger } = config;
    if (options.logger) state.useLogger?.(options.logger);
    // Moves whenever discoverCapacity() changes `capacity` in place.
    const facts = new CapacityFacts(capacity, () => this.#capacityRevision);
    this.#broker = new LeaseBroker(state, facts, clock, config.pollMs, logger, layout.regions);
    this.#runLoop = new RunLoop({
      state,
      broker: this.#broker,
      clock,
      random: config.random,
      policy: config.policy,
      logger,
      layout,
      capacity: facts,
      // Without regions a cell is an account: run() and pick() share one history.
      history: layout.regions === undefined ? this.#history : new PickHistory(),
      coolDowns: this.#coolDowns,
      accounts: () => this.accounts,
      scope: (n, fn) => this.#scopes.inCell(n, fn),
      coolDownDecided: (event) => this.#coolDownDecided(event),
      maxWaitMs: config.maxWaitMs,
      prefix: config.prefix,
    });
  }

  /**
   * Reads numbered accounts from `env` (`AWS_KEY_1` / `AWS_SECRET_1`, …) and
   * the capacities of their cells (`options.capacity`,
   * `AWS_CONCURRENCY_{n}`, with `regions` `AWS_CONCURRENCY_{n}_{REGION}`).
   * Throws an {@link AccountPoolError} naming every wrong variable (never
   * returns an empty pool), a `RangeError` / `TypeError` naming a wrong option.
   */
  static fromEnv(
    env: Readonly<Record<string, string | undefined>> = process.env,
    options: AccountPoolOptions = {},
  ): AccountPool {
    const accounts = parseAccounts(env, {
      key: options.keyPattern ?? DEFAULT_KEY_PATTERN,
      secret: options.secretPattern ?? DEFAULT_SECRET_PATTERN,
      token: options.sessionTokenPattern,
    });
    const layout = new CellLayout(accounts.length, resolveRegions(options.regions));
    const capacity = parseCellCapacity(
      env,
      layout,
      options.capacity,
      options.capacityPattern ?? DEFAULT_CAPACITY_PATTERN,
    );
    return new AccountPool(accounts, layout, capacity, env, options);
  }

  /** How many accounts the pool has (at least 1). */
  get count(): number {
    return this.#accounts.length;
  }

  /** The accounts, redacted: number and key id as `AKIA…WXYZ`. */
  get accounts(): readonly RedactedAccount[] {
    return this.#accounts.map((a, i) => ({
      index: i + 1,
      accessKeyId: redactKeyId(a.accessKeyId),
    }));
  }

  /** The pool's regions; `undefined` for a pool of accounts. */
  get regions(): readonly string[] | undefined {
    return this.#layout.regions;
  }

  /** Every cell, in cell order: account, redacted key id, region, capacity. */
  get cells(): readonly PoolCell[] {
    const keys = this.accounts;
    return this.#layout.cells.map((cell, i) => ({
      index: cell.index,
      ...(cell.region !== undefined && { region: cell.region }),
      accessKeyId: keys[cell.index - 1]?.accessKeyId ?? '?',
      capacity: shownCapacity(this.#capacity[i]),
    }));
  }

  /**
   * Each cell's capacity in units, `null` when unlimited, in cell order:
   * `[0]` is account 1 (in the first region, with regions).
   */
  get capacity(): readonly (number | null)[] {
    return this.#capacity.map(shownCapacity);
  }

  /** How many `run()` calls are waiting for a place right now (in this process). */
  get waiting(): number {
    return this.#broker.waiting;
  }

  /**
   * Runs `fn` on a leased cell, scoped to its account (and region), so every
   * chain, region chain and `AwsClientCache` in its call tree signs as that
   * account, in that region. `fn` gets `{ index, region, attempt, signal }`.
   *
   * - The pool's strategy orders the cells this call has not tried (and
   *   whose capacity can hold `options.weight`); the state takes the first
   *   that is neither cooling down nor too full. When all are full, the call
   *   waits, in FIFO order with other waiting calls (a heavy call is not
   *   overtaken by light ones behind it); `options.signal` aborts the wait.
   * - The lease is released when `fn` settles, whatever the outcome.
   * - When `fn` fails with a throttling error ({@link isThrottlingError}),
   *   `fn` runs again on another cell — each cell at most once per call.
   *   Without regions the account cools down (10 s, doubling on repeated
   *   throttling, at most 5 min, jittered; see `coolDown`). With regions,
   *   by {@link throttleReason}: `'concurrency'` cools the cell so, at least
   *   for its `Retry-After`; `'rate'` for max(`Retry-After`,
   *   `coolDown.rateMs`); `'reserved'` does not cool it. A cool-down is never
   *   shortened by a later one.
   * - When every cell this call may still use is cooling down (throttled by
   *   other calls), it waits for the earliest to end if that is within
   *   `maxWaitMs` of its start; otherwise, and when none is left, it rejects
   *   with an {@link AccountsExhaustedError} whose `retryAfterMs` says when
   *   the first cell is usable again.
   * - Any other error passes through unchanged, with no retry and no
   *   cool-down. A `weight` above every cell's capacity is a `RangeError`.
   *
   * Give SDK clients `maxAttempts: 1` (or a small number) so that a throttled
   * request comes back to the pool instead of being retried on the same
   * cell by the SDK.
   */
  async run<R>(
    fn: (account: RunContext) => R | PromiseLike<R>,
    options: RunOptions = {},
  ): Promise<R> {
    if (typeof fn !== 'function') {
      throw new TypeError(`run(fn): fn must be a function (got ${describeValue(fn)})`);
    }
    if (this.#noticePending) this.#noticeProcessEnv();
    const strategy =
      options.strategy === undefined
        ? this.#defaultStrategy
        : this.#strategies.resolve(options.strategy, 'the strategy option of run()');
    if (!isTraced(diagnosticChannels.poolRun)) return this.#runLoop.run(fn, strategy, options);
    const message: PoolRunMessage = {
      prefix: this.#config.prefix,
      attempt: 0,
      waitedMs: 0,
      throttles: [],
    };
    return traced(diagnosticChannels.poolRun, message, () =>
      this.#runLoop.run(fn, strategy, options, message),
    );
  }

  /**
   * Every cell's numbers, in cell order (by account, then region):
   * capacity, units in flight, cool-down end (epoch ms, 0 when not cooling
   * down) and its reason, leases granted, throttles recorded. Read from the
   * pool's state, so a shared store shows the whole fleet — and, for such a
   * store, each row's `state` says whether the numbers are the fleet's
   * (`'shared'`) or this process's own while the store cannot be used
   * (`'degraded'`).
   */
  async stats(): Promise<AccountStats[]> {
    const now = this.#config.clock.now();
    const { regions } = this.#layout;
    const { state } = this.#config;
    const usage =
      regions === undefined
        ? await state.usage(this.count, now)
        : await state.usage(this.count, now, regions);
    this.#coolDowns.mirror(usage);
    return statsOf(usage, this.#capacity, now, state.health?.());
  }

  /** Picks a 1-based account number with `strategy` (default: the pool's). */
  pick(strategy?: StrategyName | AccountPickStrategy): number {
    const chosen =
      strategy === undefined ? this.#defaultStrategy : this.#strategies.resolve(strategy, 'pick()');
    const now = this.#config.clock.now();
    const state: AccountPoolState = {
      count: this.count,
      // An account is out of the running when every one of its cells is.
      isCoolingDown: (n) =>
        this.#layout.numbersOfAccount(n).every((c) => this.#coolDowns.isCoolingDown(c, now)),
      lastPicked: (n) => this.#history.lastPicked(n),
    };
    const n = chosen.pick(state);
    this.#check(n);
    this.#history.record(n);
    return n;
  }

  /**
   * Cools account n down for `ms` milliseconds — in `region` only, or in
   * every region of the pool when none is given — replacing any earlier
   * cool-down: `pick()` skips it at once, `run()` once the state has it
   * (immediately for the in-memory state). Resolves when the state has it.
   * `ms` is a finite number ≥ 0 (0 ends a cool-down), else a `RangeError`.
   */
  markThrottled(n: number, ms: number, region?: string): Promise<void> {
    this.#check(n);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(
        `markThrottled(${n}, ms): ms must be a finite number of milliseconds ≥ 0, got ${describeValue(ms)}`,
      );
    }
    const cells =
      region === undefined
        ? this.#layout.numbersOfAccount(n)
        : [this.#layout.requireNumber(n, region)];
    const until = this.#config.clock.now() + ms;
    const stored = Promise.all(
      cells.map((c) => {
        this.#coolDowns.set(c, until);
        const cell = this.#layout.cellOf(c);
        // The caller chose it: reported, not logged.
        this.#coolDownDecided(
          { account: n, ...(cell.region !== undefined && { region: cell.region }), until },
          false,
        );
        return this.#config.state.coolDown(n, until, cell.region);
      }),
    ).then(() => undefined);
    // The caller may ignore the promise: never an unhandled rejection.
    stored.catch((error: unknown) =>
      this.#config.logger.debug(
        `could not store the cool-down of account ${n}: ${messageOf(error)}`,
      ),
    );
    return stored;
  }

  /**
   * Runs `fn` with account n as the prefixed key pair for its whole async
   * call tree: every chain and client cache inside reads it. Scopes nest and
   * end with their call tree; nothing global is written. (With regions, no
   * region is scoped: see {@link AccountPool.withCell}.)
   *
   * The scope is leased to account n: a chain inside that would resolve
   * another key — a link of your own placed before the prefixed links, a
   * chain or client cache built with another prefix than the pool's —
   * rejects with an `AccountScopeError` before anything is signed.
   */
  withAccount<R>(n: number, fn: () => R): R {
    this.#check(n);
    return this.#scopes.inAccount(n, fn);
  }

  /**
   * Runs `fn` in a cell's scope, as `run()` does but without taking
   * capacity: for follow-up calls on the cell a `run()` used (progress
   * polling, downloads), which its context names.
   *
   * @example
   * ```ts
   * const { renderId, cell } = await pool.run(async ({ index, region }) =>
   *   ({ renderId: await startRender(), cell: { index, region } }));
   * await pool.withCell(cell, () => pollProgress(renderId));
   * ```
   */
  withCell<R>(cell: { readonly index: number; readonly region?: string }, fn: () => R): R {
    this.#check(cell?.index);
    return this.#scopes.inCell(this.#layout.requireNumber(cell.index, cell.region), fn);
  }

  /**
   * Asks Lambda's `GetAccountSettings` in every cell (an account in a
   * region; without regions, each account in the region chain's region),
   * through a Lambda client built in the cell's scope, and sets each cell's
   * capacity to its `UnreservedConcurrentExecutions − margin`. A cell whose
   * call fails keeps its capacity; its entry says why.
   *
   * @example
   * ```ts
   * const found = await pool.discoverCapacity({ margin: 50 });
   * // [{ index: 1, region: 'us-east-1', limit: 1000, unreserved: 900, capacity: 850, … }, …]
   * ```
   */
  discoverCapacity(options: DiscoverCapacityOptions = {}): Promise<DiscoveredCapacity[]> {
    return discoverCapacity(
      {
        layout: this.#layout,
        capacity: this.#capacity,
        prefix: this.#config.prefix,
        env: this.#env,
        accounts: this.accounts,
        logger: this.#config.logger,
        scope: (n, fn) => this.#scopes.inCell(n, fn),
        defaultRegion: () =>
          createRegionChain({ prefix: this.#config.prefix, env: this.#env }).resolve(),
      },
      options,
    ).then((found) => {
      // Waiting calls see the new capacities at once: more room, or none
      // left for a weight (those are told so).
      this.#capacityRevision++;
      this.#broker.wake();
      return found;
    });
  }

  /**
   * Remotion's pattern: writes account n into
   * `${prefix}_AWS_ACCESS_KEY_ID` / `_SECRET_ACCESS_KEY` (and the session
   * token; `${prefix}_AWS_PROFILE` is removed, as it would win) and tells
   * every chain to re-read. Unsafe with concurrent work on different
   * accounts: prefer {@link AccountPool.run} or {@link AccountPool.withAccount}.
   */
  applyToEnv(
    n: number,
    env: Record<string, string | undefined> = process.env,
    prefix = this.#config.prefix,
  ): void {
    this.#check(n);
    for (const [name, value] of accountOverlay(this.#accounts[n - 1] as AccountKeys, prefix)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    EnvironmentScope.bumpGeneration();
  }

  toJSON(): { count: number; accounts: readonly RedactedAccount[] } {
    return { count: this.count, accounts: this.accounts };
  }

  [inspectSymbol](): string {
    return `AccountPool(${this.accounts.map((a) => `${a.index}: ${a.accessKeyId}`).join(', ')})`;
  }

  /**
   * The one place where a cool-down is decided: every throttle `run()` saw
   * (with the cell's cool-down end after it, 0 when it cools nothing) and
   * every `markThrottled()`. Logged (debug) for a pool with regions, unless
   * `log` is false; a pool without regions logs as it always did (the run
   * loop's "throttled" line).
   */
  #coolDownDecided(event: CoolDownEvent, log = true): void {
    const channel = diagnosticChannels.poolCoolDown;
    if (channel.hasSubscribers) {
      const message: PoolCoolDownMessage = {
        prefix: this.#config.prefix,
        ...event,
        reason: event.reason ?? 'manual',
      };
      channel.publish(message);
    }
    if (!log || this.#layout.regions === undefined || event.until === 0) return;
    const where = event.region === undefined ? '' : ` in ${event.region}`;
    const why = event.reason === undefined ? '' : ` (${event.reason})`;
    this.#config.logger.debug(
      `account ${event.account}${where} cools down until ${new Date(event.until).toISOString()}${why}`,
    );
  }

  /** Once: warns when libraries reading `process.env` would not see the leased account. */
  #noticeProcessEnv(): void {
    this.#noticePending = false;
    const notice = processEnvNotice(this.#config.prefix);
    if (notice !== undefined) warn(this.#config.givenLogger, notice, 'CREDCHAIN_PROCESS_ENV');
  }

  #check(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.count) {
      throw new RangeError(`account ${n} does not exist: the pool has accounts 1 to ${this.count}`);
    }
  }
}

function shownCapacity(capacity: number | undefined): number | null {
  return capacity === undefined || capacity === UNLIMITED_CAPACITY ? null : capacity;
}

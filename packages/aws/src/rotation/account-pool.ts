import {
  AccountLease,
  type Clock,
  EnvironmentScope,
  installScopedProcessEnv,
  type Logger,
  messageOf,
  redactKeyId,
  SilentLogger,
  SystemClock,
  warn,
} from '@credchain/core';
import { AwsTokens } from '../di/aws-tokens';
import { awsVariables, DEFAULT_PREFIX } from '../environment/aws-variables';
import { accountOverlay } from './account-overlay';
import type { AccountPickStrategy, AccountPoolState } from './account-pick-strategy';
import {
  type AccountPoolOptions,
  DEFAULT_CAPACITY_PATTERN,
  DEFAULT_KEY_PATTERN,
  DEFAULT_SECRET_PATTERN,
  DEFAULT_WAIT_POLL_MS,
  type StrategyName,
} from './account-pool-options';
import type { AccountStats } from './account-stats';
import { CoolDownBook } from './cool-down-book';
import { describeValue } from './describe-value';
import { LeaseBroker } from './lease-broker';
import { type AccountKeys, parseAccounts } from './parse-accounts';
import { parseCapacity, UNLIMITED_CAPACITY } from './parse-capacity';
import { PickHistory } from './pick-history';
import { processEnvNotice } from './process-env-notice';
import type { RedactedAccount } from './redacted-account';
import { RunLoop } from './run/run-loop';
import type { RunContext, RunOptions } from './run-options';
import { InMemoryPoolState } from './state/in-memory-pool-state';
import type { PoolState } from './state/pool-state';
import { StrategySet } from './strategy-set';
import { type CoolDownConfig, resolveCoolDownConfig } from './throttling/cool-down-options';

export type { RedactedAccount } from './redacted-account';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Several AWS accounts to rotate, to multiply concurrency limits.
 *
 * Recommended: {@link AccountPool.run}, which leases an account (at most
 * `capacity` calls at a time on each, waiting in FIFO order when all are
 * full), runs the call with that account scoped to its async call tree, and
 * when the call is throttled cools the account down and retries on another.
 * {@link AccountPool.withAccount} scopes an account you chose yourself;
 * {@link AccountPool.applyToEnv} is Remotion's
 * set-the-variables-before-each-call pattern, kept for compatibility.
 *
 * @example
 * ```ts
 * const pool = AccountPool.fromEnv(process.env, { capacity: 10 });
 * const lambda = new AwsClientCache();
 * await Promise.all(jobs.map((job) =>
 *   pool.run(() => lambda.get(LambdaClient, { region, maxAttempts: 1 }).send(invoke(job))),
 * ));
 * ```
 */
export class AccountPool {
  readonly #accounts: readonly AccountKeys[];
  readonly #prefix: string;
  readonly #clock: Clock;
  /** What `pick()` knows of cool-downs: `markThrottled` and throttles seen by `run()`. */
  readonly #coolDowns = new CoolDownBook();
  readonly #history = new PickHistory();
  readonly #strategies: StrategySet;
  readonly #defaultStrategy: AccountPickStrategy;
  readonly #capacity: readonly number[];
  readonly #coolDown: CoolDownConfig;
  readonly #state: PoolState;
  readonly #broker: LeaseBroker;
  readonly #runLoop: RunLoop;
  readonly #logger: Logger;
  /** The logger the caller gave, if any: where the process.env notice goes. */
  readonly #givenLogger: Logger | undefined;
  /** Whether `run()` still has to check `process.env` once (see `processEnv`). */
  #noticePending: boolean;
  /** Each account's lease, built once: `withAccount()` scopes it. */
  readonly #leases: readonly AccountLease[];

  private constructor(
    accounts: readonly AccountKeys[],
    capacity: readonly number[],
    options: AccountPoolOptions,
  ) {
    this.#accounts = accounts;
    this.#capacity = capacity;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    awsVariables(this.#prefix); // validates the prefix
    this.#leases = accounts.map(
      (a, i) =>
        new AccountLease({ account: i + 1, accessKeyId: a.accessKeyId, prefix: this.#prefix }),
    );
    this.#clock = options.clock ?? new SystemClock();
    const random = options.random ?? Math.random;
    this.#logger = options.logger ?? new SilentLogger();
    this.#givenLogger = options.logger;
    if (options.processEnv !== undefined && options.processEnv !== 'scoped') {
      throw new TypeError(
        `the processEnv option must be 'scoped' or absent (got ${describeValue(options.processEnv)})`,
      );
    }
    if (options.processEnv === 'scoped') installScopedProcessEnv();
    this.#noticePending = options.processEnv === undefined;
    this.#coolDown = resolveCoolDownConfig(options.coolDown);
    this.#strategies = new StrategySet(random);
    const registered = options.container?.isRegistered(AwsTokens.AccountPickStrategy, true)
      ? options.container.resolve(AwsTokens.AccountPickStrategy)
      : undefined;
    this.#defaultStrategy = this.#strategies.resolve(
      options.strategy ?? registered ?? 'random',
      'the strategy option',
    );
    const pollMs = options.waitPollMs ?? DEFAULT_WAIT_POLL_MS;
    if (!(Number.isFinite(pollMs) && pollMs > 0)) {
      throw new RangeError(`waitPollMs must be a positive number (got ${String(pollMs)})`);
    }
    const state: PoolState = options.state ?? new InMemoryPoolState();
    if (typeof state.acquire !== 'function' || typeof state.release !== 'function') {
      throw new TypeError('the state option must be a PoolState (acquire, release, …)');
    }
    this.#state = state;
    if (options.logger) state.useLogger?.(options.logger);
    this.#broker = new LeaseBroker(state, capacity, this.#clock, pollMs, this.#logger);
    this.#runLoop = new RunLoop({
      state,
      broker: this.#broker,
      clock: this.#clock,
      random,
      coolDown: this.#coolDown,
      logger: this.#logger,
      indexes: accounts.map((_, i) => i + 1),
      history: this.#history,
      coolDowns: this.#coolDowns,
      accounts: () => this.accounts,
      scope: (n, fn) => this.withAccount(n, fn),
    });
  }

  /**
   * Reads numbered accounts from `env` (`AWS_KEY_1` / `AWS_SECRET_1`, …) and
   * their capacities (`options.capacity`, `AWS_CONCURRENCY_{n}`). Throws an
   * {@link AccountPoolError} naming every wrong variable (never returns an
   * empty pool), a `RangeError` / `TypeError` naming a wrong option.
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
    const capacity = parseCapacity(
      env,
      accounts.length,
      options.capacity,
      options.capacityPattern ?? DEFAULT_CAPACITY_PATTERN,
    );
    return new AccountPool(accounts, capacity, options);
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

  /** Each account's capacity, `null` when unlimited (`[0]` is account 1). */
  get capacity(): readonly (number | null)[] {
    return this.#capacity.map((c) => (c === UNLIMITED_CAPACITY ? null : c));
  }

  /** How many `run()` calls are waiting for a place right now (in this process). */
  get waiting(): number {
    return this.#broker.waiting;
  }

  /**
   * Runs `fn` on a leased account, inside {@link AccountPool.withAccount}, so
   * every chain and `AwsClientCache` in its call tree signs as that account.
   *
   * - The pool's strategy orders the accounts this call has not tried; the
   *   state takes the first that is neither cooling down nor full
   *   (`capacity`). When all are full, the call waits, in FIFO order with
   *   other waiting calls; `options.signal` aborts the wait.
   * - The lease is released when `fn` settles, whatever the outcome.
   * - When `fn` fails with a throttling error ({@link isThrottlingError}),
   *   that account cools down (10 s, doubling on repeated throttling, at
   *   most 5 min, jittered; see `coolDown`) and `fn` runs again on another
   *   account — each account at most once per call. When none is left (each
   *   was throttled by this call or is cooling down), it rejects with an
   *   {@link AccountsExhaustedError}.
   * - Any other error passes through unchanged, with no retry and no
   *   cool-down.
   *
   * Give SDK clients `maxAttempts: 1` (or a small number) so that a throttled
   * request comes back to the pool instead of being retried on the same
   * account by the SDK.
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
    return this.#runLoop.run(fn, strategy, options);
  }

  /**
   * Every account's numbers, ordered by account: capacity, calls in flight,
   * cool-down end (epoch ms, 0 when not cooling down), leases granted,
   * throttles recorded. Read from the pool's state, so a shared store shows
   * the whole fleet.
   */
  async stats(): Promise<AccountStats[]> {
    const now = this.#clock.now();
    const usage = await this.#state.usage(this.count, now);
    this.#coolDowns.mirror(usage);
    return usage.map((u) => ({
      index: u.index,
      capacity: this.capacity[u.index - 1] ?? null,
      inFlight: u.inFlight,
      throttledUntil: u.throttledUntil > now ? u.throttledUntil : 0,
      leases: u.leases,
      throttles: u.throttles,
      streak: u.streak,
      lastLeasedAt: u.lastLeasedAt,
    }));
  }

  /** Picks a 1-based account number with `strategy` (default: the pool's). */
  pick(strategy?: StrategyName | AccountPickStrategy): number {
    const chosen =
      strategy === undefined ? this.#defaultStrategy : this.#strategies.resolve(strategy, 'pick()');
    const now = this.#clock.now();
    const state: AccountPoolState = {
      count: this.count,
      isCoolingDown: (n) => this.#coolDowns.isCoolingDown(n, now),
      lastPicked: (n) => this.#history.lastPicked(n),
    };
    const n = chosen.pick(state);
    this.#check(n);
    this.#history.record(n);
    return n;
  }

  /**
   * Cools account n down for `ms` milliseconds, replacing any earlier
   * cool-down: `pick()` skips it at once, `run()` once the state has it
   * (immediately for the in-memory state). Resolves when the state has it.
   */
  markThrottled(n: number, ms: number): Promise<void> {
    this.#check(n);
    const until = this.#clock.now() + ms;
    this.#coolDowns.set(n, until);
    const stored = this.#state.coolDown(n, until);
    // The caller may ignore the promise: never an unhandled rejection.
    stored.catch((error: unknown) =>
      this.#logger.debug(`could not store the cool-down of account ${n}: ${messageOf(error)}`),
    );
    return stored;
  }

  /**
   * Runs `fn` with account n as the prefixed key pair for its whole async
   * call tree: every chain and client cache inside reads it. Scopes nest and
   * end with their call tree; nothing global is written.
   *
   * The scope is leased to account n: a chain inside that would resolve
   * another key — a link of your own placed before the prefixed links, a
   * chain or client cache built with another prefix than the pool's —
   * rejects with an `AccountScopeError` before anything is signed.
   */
  withAccount<R>(n: number, fn: () => R): R {
    const overlay = this.#overlay(n, this.#prefix);
    return EnvironmentScope.run(overlay, fn, this.#leases[n - 1]);
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
    prefix = this.#prefix,
  ): void {
    for (const [name, value] of this.#overlay(n, prefix)) {
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

  /** Once: warns when libraries reading `process.env` would not see the leased account. */
  #noticeProcessEnv(): void {
    this.#noticePending = false;
    const notice = processEnvNotice(this.#prefix);
    if (notice !== undefined) warn(this.#givenLogger, notice, 'CREDCHAIN_PROCESS_ENV');
  }

  #overlay(n: number, prefix: string): Map<string, string | undefined> {
    this.#check(n);
    return accountOverlay(this.#accounts[n - 1] as AccountKeys, prefix);
  }

  #check(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.count) {
      throw new RangeError(`account ${n} does not exist: the pool has accounts 1 to ${this.count}`);
    }
  }
}

import { type Clock, EnvironmentScope, redactKeyId, SystemClock } from '@credchain/core';
import { AwsTokens } from '../di/aws-tokens';
import { awsVariables, DEFAULT_PREFIX } from '../environment/aws-variables';
import type { AccountPickStrategy, AccountPoolState } from './account-pick-strategy';
import {
  type AccountPoolOptions,
  DEFAULT_KEY_PATTERN,
  DEFAULT_SECRET_PATTERN,
  type StrategyName,
} from './account-pool-options';
import { LeastRecentlyUsedStrategy } from './least-recently-used-strategy';
import { type AccountKeys, parseAccounts } from './parse-accounts';
import { RandomStrategy } from './random-strategy';
import { RoundRobinStrategy } from './round-robin-strategy';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** A pool account as shown to people: its number and redacted key id. */
export interface RedactedAccount {
  readonly index: number;
  readonly accessKeyId: string;
}

/**
 * Several AWS accounts to rotate, to multiply concurrency limits.
 *
 * Recommended: {@link AccountPool.withAccount}, which scopes an account to
 * one async call tree, so concurrent work on different accounts never
 * clobbers shared variables. {@link AccountPool.applyToEnv} is the reference
 * system's set-the-variables-before-each-call pattern, kept for compatibility.
 *
 * @example
 * ```ts
 * const pool = AccountPool.fromEnv(process.env);
 * await pool.withAccount(pool.pick('round-robin'), () => renderMediaOnLambda(...));
 * ```
 */
export class AccountPool {
  readonly #accounts: readonly AccountKeys[];
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #coolingUntil = new Map<number, number>();
  readonly #lastPicked = new Map<number, number>();
  readonly #strategies: Record<StrategyName, AccountPickStrategy>;
  readonly #defaultStrategy: AccountPickStrategy;
  #sequence = 0;

  private constructor(accounts: readonly AccountKeys[], options: AccountPoolOptions) {
    this.#accounts = accounts;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    awsVariables(this.#prefix); // validates the prefix
    this.#clock = options.clock ?? new SystemClock();
    this.#strategies = {
      random: new RandomStrategy(options.random),
      'round-robin': new RoundRobinStrategy(),
      'least-recently-used': new LeastRecentlyUsedStrategy(),
    };
    const registered = options.container?.isRegistered(AwsTokens.AccountPickStrategy, true)
      ? options.container.resolve(AwsTokens.AccountPickStrategy)
      : undefined;
    this.#defaultStrategy = this.#strategyOf(options.strategy ?? registered ?? 'random');
  }

  /**
   * Reads numbered accounts from `env` (`AWS_KEY_1` / `AWS_SECRET_1`, …).
   * Throws an {@link AccountPoolError} naming every wrong variable; never
   * returns an empty pool.
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
    return new AccountPool(accounts, options);
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

  /** Picks a 1-based account number with `strategy` (default: the pool's). */
  pick(strategy?: StrategyName | AccountPickStrategy): number {
    const chosen = strategy === undefined ? this.#defaultStrategy : this.#strategyOf(strategy);
    const now = this.#clock.now();
    const state: AccountPoolState = {
      count: this.count,
      isCoolingDown: (n) => (this.#coolingUntil.get(n) ?? 0) > now,
      lastPicked: (n) => this.#lastPicked.get(n) ?? 0,
    };
    const n = chosen.pick(state);
    this.#check(n);
    this.#lastPicked.set(n, ++this.#sequence);
    return n;
  }

  /** Skips account n in `pick()` for `ms` milliseconds (it is being throttled). */
  markThrottled(n: number, ms: number): void {
    this.#check(n);
    this.#coolingUntil.set(n, this.#clock.now() + ms);
  }

  /**
   * Runs `fn` with account n as the prefixed key pair for its whole async
   * call tree: every chain and client cache inside reads it. Scopes nest and
   * end with their call tree; nothing global is written.
   */
  withAccount<R>(n: number, fn: () => R): R {
    return EnvironmentScope.run(this.#overlay(n, this.#prefix), fn);
  }

  /**
   * The reference system's pattern: writes account n into
   * `${prefix}_AWS_ACCESS_KEY_ID` / `_SECRET_ACCESS_KEY` (and the session
   * token; `${prefix}_AWS_PROFILE` is removed, as it would win) and tells
   * every chain to re-read. Unsafe with concurrent work on different
   * accounts: prefer {@link AccountPool.withAccount}.
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

  #overlay(n: number, prefix: string): Map<string, string | undefined> {
    this.#check(n);
    const account = this.#accounts[n - 1] as AccountKeys;
    const vars = awsVariables(prefix);
    return new Map([
      [vars.accessKeyId, account.accessKeyId],
      [vars.secretAccessKey, account.secretAccessKey],
      [vars.sessionToken, account.sessionToken],
      [vars.profile, undefined],
    ]);
  }

  #check(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.count) {
      throw new RangeError(`account ${n} does not exist: the pool has accounts 1 to ${this.count}`);
    }
  }

  #strategyOf(strategy: StrategyName | AccountPickStrategy): AccountPickStrategy {
    if (typeof strategy !== 'string') return strategy;
    const found = this.#strategies[strategy];
    if (!found) {
      throw new TypeError(
        `unknown strategy "${strategy}": use ${Object.keys(this.#strategies).join(', ')}`,
      );
    }
    return found;
  }
}

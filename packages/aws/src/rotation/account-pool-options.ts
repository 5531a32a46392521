import type { Clock, Logger } from '@credchain/core';
import type { DependencyContainer } from 'tsyringe';
import type { AccountPickStrategy } from './account-pick-strategy';
import type { PoolState } from './state/pool-state';
import type { CoolDownOptions } from './throttling/cool-down-options';

/** Remotion's account variables: `AWS_KEY_1`, `AWS_KEY_2`, … */
export const DEFAULT_KEY_PATTERN = 'AWS_KEY_{n}';

/** Remotion's secret variables: `AWS_SECRET_1`, … */
export const DEFAULT_SECRET_PATTERN = 'AWS_SECRET_{n}';

/** Per-account capacity variables: `AWS_CONCURRENCY_1`, … */
export const DEFAULT_CAPACITY_PATTERN = 'AWS_CONCURRENCY_{n}';

/** How often waiting `run()` calls re-try without being woken. */
export const DEFAULT_WAIT_POLL_MS = 1000;
/** How long `run()` on a pool with regions waits for a cool-down to end, at most. */
export const DEFAULT_MAX_WAIT_MS = 30_000;

/** The names of the built-in strategies. */
export type StrategyName = 'random' | 'round-robin' | 'least-recently-used';

/** Options of {@link AccountPool.fromEnv}. */
export interface AccountPoolOptions {
  /** Access key id variables; `{n}` is the 1-based account number. @default 'AWS_KEY_{n}' */
  readonly keyPattern?: string;
  /** Secret variables. @default 'AWS_SECRET_{n}' */
  readonly secretPattern?: string;
  /** Optional session token variables, e.g. 'AWS_SESSION_TOKEN_{n}'. */
  readonly sessionTokenPattern?: string;
  /** The prefix whose key pair an account is applied as. @default 'REMOTION' */
  readonly prefix?: string;
  /** The strategy `pick()` and `run()` use when given none. @default 'random' */
  readonly strategy?: StrategyName | AccountPickStrategy;
  /**
   * A container to take the default strategy from, when `strategy` is not
   * given and `AwsTokens.AccountPickStrategy` is registered there.
   */
  readonly container?: DependencyContainer;
  /** For cool-downs and lease times. @default the system clock */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for the `random` strategy and cool-down jitter. @default Math.random */
  readonly random?: () => number;
  /**
   * Lease *cells* — an account in a Region — instead of accounts: Lambda
   * counts concurrency per account per Region. Region names, e.g.
   * `['us-east-1', 'eu-central-1']`. With them, capacity, cool-downs,
   * `stats()` and the state are per cell, `run()` tells `fn` its `region`
   * and scopes it (`${prefix}_AWS_REGION`, `AWS_REGION`), throttles are told
   * apart by reason (`throttleReason`) and honour `Retry-After`, and a call
   * whose cells are all cooling down waits up to `maxWaitMs`.
   * @default none: a pool of accounts, exactly as before regions existed
   */
  readonly regions?: readonly string[];
  /**
   * Units of capacity per cell (per account without `regions`): concurrent
   * `run()` calls of weight 1. One positive integer for every cell, or one
   * per account (`capacity[0]` is account 1, in each of its regions).
   * Variables win over it: `AWS_CONCURRENCY_{n}` for every region of
   * account n, and with `regions` `AWS_CONCURRENCY_{n}_{REGION}` (the region
   * upper-cased, `-` → `_`: `AWS_CONCURRENCY_2_EU_CENTRAL_1`) for one cell,
   * which wins over both.
   * @default unlimited
   */
  readonly capacity?: number | readonly number[];
  /** Per-account capacity variables (`_{REGION}` appended per cell). @default 'AWS_CONCURRENCY_{n}' */
  readonly capacityPattern?: string;
  /**
   * The default of `run()`'s `maxWaitMs`: how long a call whose cells are
   * all cooling down waits for the earliest to end before it gives up.
   * @default 30 000 with `regions`, 0 without (give up at once, as before)
   */
  readonly maxWaitMs?: number;
  /** How long a throttled account is left alone. @default 10 s, doubling, at most 5 min, 20 % jitter */
  readonly coolDown?: CoolDownOptions;
  /**
   * Where leases, cool-downs and counters live. Share one store between
   * pools (or processes, with `@credchain/redis`) to share capacity.
   * @default a new `InMemoryPoolState`
   */
  readonly state?: PoolState;
  /** How often a waiting `run()` re-tries when not woken by a release. @default 1000 */
  readonly waitPollMs?: number;
  /**
   * Debug lines (never a secret): store errors the pool could only swallow;
   * and, through its `warn` (else `debug`), the one notice about
   * `processEnv`. Without a logger that notice goes to `process.emitWarning`.
   */
  readonly logger?: Logger;
  /**
   * `'scoped'`: installs {@link installScopedProcessEnv}, so that
   * `process.env` itself answers with the leased account inside `run()` and
   * `withAccount()` — for libraries that read `process.env` when they make a
   * call, such as Remotion's `@remotion/lambda-client`. It stays installed
   * for the process (reads outside a scope cost about a native read).
   * Without it, a pool whose `process.env` holds keys under its prefix or
   * the plain AWS names warns once, on its first `run()`, naming this option.
   * @default left alone
   */
  readonly processEnv?: 'scoped';
}

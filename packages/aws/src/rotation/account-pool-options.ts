import type { Clock } from '@credchain/core';
import type { DependencyContainer } from 'tsyringe';
import type { AccountPickStrategy } from './account-pick-strategy';

/** The reference system's account variables: `AWS_KEY_1`, `AWS_KEY_2`, … */
export const DEFAULT_KEY_PATTERN = 'AWS_KEY_{n}';
/** The reference system's secret variables: `AWS_SECRET_1`, … */
export const DEFAULT_SECRET_PATTERN = 'AWS_SECRET_{n}';

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
  /** The strategy `pick()` uses when given none. @default 'random' */
  readonly strategy?: StrategyName | AccountPickStrategy;
  /**
   * A container to take the default strategy from, when `strategy` is not
   * given and `AwsTokens.AccountPickStrategy` is registered there.
   */
  readonly container?: DependencyContainer;
  /** For cool-downs. @default the system clock */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for the `random` strategy. @default Math.random */
  readonly random?: () => number;
}

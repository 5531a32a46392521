import { type Clock, type Logger, SilentLogger, SystemClock } from '@credchain/core';
import { awsVariables, DEFAULT_PREFIX } from '../environment/aws-variables';
import {
  type AccountPoolOptions,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_WAIT_POLL_MS,
} from './account-pool-options';
import { describeValue } from './describe-value';
import type { CoolDownPolicy } from './run/cool-down-policy';
import { InMemoryPoolState } from './state/in-memory-pool-state';
import type { PoolState } from './state/pool-state';
import { resolveCoolDownConfig, resolveRateCoolDownMs } from './throttling/cool-down-options';

/** {@link AccountPoolOptions} checked, with every default applied (strategies apart). */
export interface PoolConfig {
  readonly prefix: string;
  readonly clock: Clock;
  readonly random: () => number;
  /** The caller's logger, or a silent one. */
  readonly logger: Logger;
  /** The logger the caller gave, if any: where the process.env notice goes. */
  readonly givenLogger: Logger | undefined;
  readonly processEnv: 'scoped' | undefined;
  readonly policy: CoolDownPolicy;
  readonly pollMs: number;
  readonly maxWaitMs: number;
  readonly state: PoolState;
}

/**
 * Checks a pool's options, naming the one at fault (`TypeError` /
 * `RangeError`), and applies the defaults: `maxWaitMs` is 30 s for a pool
 * with regions, 0 (give up at once, as before regions existed) without.
 */
export function resolvePoolConfig(options: AccountPoolOptions, withRegions: boolean): PoolConfig {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  awsVariables(prefix); // validates the prefix
  if (options.processEnv !== undefined && options.processEnv !== 'scoped') {
    throw new TypeError(
      `the processEnv option must be 'scoped' or absent (got ${describeValue(options.processEnv)})`,
    );
  }
  const backoff = resolveCoolDownConfig(options.coolDown);
  const rateMs = resolveRateCoolDownMs(options.coolDown);
  const pollMs = options.waitPollMs ?? DEFAULT_WAIT_POLL_MS;
  if (!(Number.isFinite(pollMs) && pollMs > 0)) {
    throw new RangeError(`waitPollMs must be a positive number (got ${String(pollMs)})`);
  }
  const maxWaitMs = options.maxWaitMs ?? (withRegions ? DEFAULT_MAX_WAIT_MS : 0);
  if (!(typeof maxWaitMs === 'number' && maxWaitMs >= 0)) {
    throw new RangeError(`maxWaitMs must be a number of milliseconds ≥ 0 (got ${maxWaitMs})`);
  }
  const state: PoolState = options.state ?? new InMemoryPoolState();
  if (typeof state.acquire !== 'function' || typeof state.release !== 'function') {
    throw new TypeError('the state option must be a PoolState (acquire, release, …)');
  }
  return {
    prefix,
    clock: options.clock ?? new SystemClock(),
    random: options.random ?? Math.random,
    logger: options.logger ?? new SilentLogger(),
    givenLogger: options.logger,
    processEnv: options.processEnv,
    policy: { backoff, rateMs, byReason: withRegions },
    pollMs,
    maxWaitMs,
    state,
  };
}

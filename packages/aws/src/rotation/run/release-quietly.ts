import { type Logger, messageOf } from '@credchain/core';
import type { LeaseOutcome, PoolLease, PoolState, ReleaseResult } from '../state/pool-state';

/**
 * Releases `lease` with `outcome`, never throwing: a store failure must not
 * hide the outcome of the call that held it. A failure is logged (debug)
 * and answered with `undefined`.
 */
export async function releaseQuietly(
  state: PoolState,
  lease: PoolLease,
  outcome: LeaseOutcome,
  logger: Logger,
): Promise<ReleaseResult | undefined> {
  try {
    return await state.release(lease, outcome);
  } catch (error) {
    logger.debug(`could not release the lease on account ${lease.index}: ${messageOf(error)}`);
    return undefined;
  }
}

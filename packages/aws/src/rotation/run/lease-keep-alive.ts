import { type Clock, type Logger, messageOf } from '@credchain/core';
import type { PoolLease, PoolState } from '../state/pool-state';

/**
 * Renews `lease` while its call runs, when the store asks for it
 * (`state.renewIntervalMs`); returns the function that stops renewing.
 *
 * A tick is skipped while the previous renewal is pending (a slow store
 * gets no pile-up); a renewal answering false (the lease expired) is
 * reported once and ends the renewals, as renewing cannot revive it. A
 * renewal that fails is reported and renewing goes on. The timer never
 * keeps the process alive by itself.
 */
export function keepLeaseAlive(
  state: PoolState,
  lease: PoolLease,
  clock: Clock,
  logger: Logger,
): () => void {
  const every = state.renewIntervalMs ?? 0;
  if (!(every > 0)) return () => {};
  let pending = false;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  const renew = async () => {
    try {
      const alive = await state.renew(lease, clock.now());
      if (!alive && !stopped) {
        stop();
        logger.debug(
          `the lease on account ${lease.index} expired while its call ran: it no longer counts towards capacity`,
        );
      }
    } catch (error) {
      logger.debug(`could not renew the lease on account ${lease.index}: ${messageOf(error)}`);
    } finally {
      pending = false;
    }
  };
  // After stop() the interval is cleared: no further tick comes.
  const timer = setInterval(() => {
    if (pending) return;
    pending = true;
    void renew();
  }, every);
  timer.unref?.();
  return stop;
}

import {
  cellKey,
  type LeaseOutcome,
  type PoolLease,
  type ReleaseResult,
  type ThrottleReason,
} from '@credchain/aws';
import type { FleetLine } from './fleet-line';
import type { LocalLeaseBook } from './local-lease-book';
import type { PoolScripts } from './pool-scripts';
import type { RedisLink } from './redis-link';
import { RedisNotSentError } from './redis-not-sent-error';
import type { ReleaseWakeUps } from './release-wake-ups';

/** What {@link LeaseRelease} needs from its state. */
export interface LeaseReleaseParts {
  readonly scripts: PoolScripts;
  readonly book: LocalLeaseBook;
  readonly link: RedisLink;
  readonly line: FleetLine;
  readonly wakeUps: ReleaseWakeUps;
}

/**
 * How a `RedisPoolState` lets a lease go: `release.lua` frees its place and
 * applies the call's outcome to its cell (streak, cool-down), the next
 * waiter in the fleet's line being handed the place. While Redis cannot be
 * told, the place stays counted there for this process (which may reuse
 * it) and is removed at check-in; the outcome is applied in memory.
 */
export class LeaseRelease {
  constructor(private readonly parts: LeaseReleaseParts) {}

  async release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult> {
    const { scripts, book, link } = this.parts;
    const cell = cellKey(lease.index, lease.region);
    const weight = lease.weight ?? 1;
    const held = book.unhold(lease.id, cell);
    let result: ReleaseResult | undefined;
    if (!link.degraded) {
      try {
        const reply = await scripts.release(cell, lease, outcome, Date.now());
        const [released, streak, throttledUntil, episodeStart] = reply.slice(0, 4).map(Number) as [
          number,
          number,
          number,
          number,
        ];
        const reason = (reply[4] || undefined) as ThrottleReason | undefined;
        book.numbers.rememberRelease(cell, outcome, {
          streak,
          throttledUntil,
          episodeStart,
          reason,
        });
        // Redis had let the lease expire: it was not released here, unless
        // Redis never had it (granted from memory, not yet written back).
        result = { released: released === 1 || held?.inRedis === false, streak, throttledUntil };
      } catch (error) {
        book.addRemoval(lease.id, weight, [cell]);
        // Never sent: Redis still counts the place for this process. Sent,
        // its effect is unknown: the place is not reused.
        if (error instanceof RedisNotSentError && held !== undefined) book.keepPlace(held);
        // After close() the caller may have closed its client: not an outage.
        link.failedUnlessClosed('release', error);
      }
    } else if (held !== undefined) {
      // Redis cannot be told: it still counts the place for this process,
      // which may start another call there meanwhile; removed at check-in.
      book.addRemoval(lease.id, weight, [cell]);
      book.keepPlace(held);
    }
    result ??= {
      released: held !== undefined,
      ...book.numbers.applyOutcome(lease, outcome),
    };
    this.parts.line.forget(lease.id);
    if (result.released) this.parts.wakeUps.notify();
    return result;
  }
}

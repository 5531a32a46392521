import type { ThrottleReason } from '../throttling/throttle-reason';
import { coolDownEnd } from './cool-down-end';
import type { LeaseOutcome } from './lease-outcome';

/** A cell's throttling numbers, as a store written in JavaScript keeps them. */
export interface ThrottleRecord {
  throttledUntil: number;
  throttles: number;
  streak: number;
  /** `now` of the throttle that started the latest episode (see `PoolState.release`). */
  episodeStart: number;
  reason?: ThrottleReason | undefined;
}

/** What {@link applyThrottle} changed. */
export interface ThrottleEffect {
  /** A new throttling episode began (streak and episode start moved). */
  readonly newEpisode: boolean;
  /** `throttledUntil` grew. */
  readonly extended: boolean;
}

/**
 * Applies a throttled outcome to `record` by the `PoolState.release` rules:
 * one formula for every store that computes it in JavaScript (the Redis
 * store's `release.lua` is its twin, checked by the shared contract suite).
 * `throttledUntil` only ever grows here: a later, shorter cool-down never
 * replaces an earlier, longer one.
 */
export function applyThrottle(
  record: ThrottleRecord,
  outcome: Extract<LeaseOutcome, { kind: 'throttled' }>,
): ThrottleEffect {
  record.throttles++;
  if (outcome.reason === 'reserved') return { newEpisode: false, extended: false };
  const before = record.throttledUntil;
  let until = before;
  let newEpisode = false;
  // Calls in flight when an episode began report it too: only the first
  // report of an episode escalates the back-off. A rate limit never does,
  // and a brief rate-limit cool-down does not hide a full cell.
  if (outcome.reason !== 'rate' && (before <= outcome.now || record.reason === 'rate')) {
    newEpisode = true;
    record.streak++;
    record.episodeStart = outcome.now;
    until = coolDownEnd(outcome, record.streak);
  }
  const floor = outcome.now + Math.max(0, outcome.minDelayMs ?? 0);
  until = Math.max(until, floor, before);
  const extended = until > before;
  if (extended) record.throttledUntil = until;
  // A new concurrency episode is the cell's reason now, even inside a longer
  // rate-limit cool-down that it does not extend: otherwise every report of
  // the same episode would start one more (and escalate the back-off).
  if (extended || newEpisode) record.reason = outcome.reason;
  return { newEpisode, extended };
}

/**
 * The numbers one process keeps per cell beside Redis, and what it owes
 * Redis after falling back: a throttle cools the cell and starts an episode
 * (remembered for Redis), a success resets the streak only for a call
 * leased since the episode began, a cool-down set by hand is shared or not,
 * and a later change is never dropped when an earlier one is written back.
 */
import type { LeaseOutcome, PoolLease } from '@credchain/aws';
import { CellNumbers } from './cell-numbers';

const NOW = 1_700_000_000_000;
const backoff = { initialMs: 10_000, multiplier: 2, maxMs: 300_000 };
const throttled = (now: number, reason?: 'rate' | 'reserved'): LeaseOutcome => ({
  kind: 'throttled',
  now,
  backoff,
  jitterFactor: 1,
  ...(reason !== undefined && { reason }),
});
const lease = (grantedAt: number, region?: string): PoolLease => ({
  index: 1,
  ...(region !== undefined && { region }),
  id: `lease-${grantedAt}`,
  grantedAt,
});

describe(CellNumbers.name, () => {
  it('a cell never seen has zero numbers; a lease counts and dates it', () => {
    const numbers = new CellNumbers();
    expect(numbers.of('1')).toEqual({
      throttledUntil: 0,
      leases: 0,
      throttles: 0,
      streak: 0,
      lastLeasedAt: 0,
      episodeStart: 0,
    });
    numbers.leased('1', NOW);
    numbers.leased('1', NOW + 5);
    expect(numbers.of('1')).toMatchObject({ leases: 2, lastLeasedAt: NOW + 5 });
    expect(numbers.of('2').leases).toBe(0);
  });

  it('a throttle cools the cell and starts an episode, both remembered for Redis', () => {
    const numbers = new CellNumbers();
    const effect = numbers.applyOutcome(lease(NOW - 10), throttled(NOW));
    expect(effect).toEqual({ streak: 1, throttledUntil: NOW + 10_000 });
    expect(numbers.unsharedCoolDowns()).toEqual([
      ['1', { until: NOW + 10_000, reason: undefined }],
    ]);
    expect(numbers.unsharedEpisodes()).toEqual([
      ['1', { episodeStart: NOW, streak: 1, resetAt: -1 }],
    ]);
    // A second report of the same episode: no new episode, no longer cool-down.
    expect(numbers.applyOutcome(lease(NOW - 5), throttled(NOW + 1))).toEqual({
      streak: 1,
      throttledUntil: NOW + 10_000,
    });
    expect(numbers.of('1').throttles).toBe(2);
    expect(numbers.unsharedEpisodes()).toEqual([
      ['1', { episodeStart: NOW, streak: 1, resetAt: -1 }],
    ]);
  });

  it('a reserved-concurrency throttle counts, cools nothing and owes Redis nothing', () => {
    const numbers = new CellNumbers();
    expect(numbers.applyOutcome(lease(NOW), throttled(NOW, 'reserved'))).toEqual({
      streak: 0,
      throttledUntil: 0,
    });
    expect(numbers.unsharedCoolDowns()).toEqual([]);
    expect(numbers.unsharedEpisodes()).toEqual([]);
  });

  it('a success resets the streak only for a call leased since the episode began', () => {
    const numbers = new CellNumbers();
    numbers.applyOutcome(lease(NOW - 10, 'eu-west-1'), throttled(NOW));
    // Leased before the episode: says nothing about the cell since.
    expect(numbers.applyOutcome(lease(NOW - 1, 'eu-west-1'), { kind: 'success' })).toMatchObject({
      streak: 1,
    });
    // Leased exactly when it began: counts.
    expect(numbers.applyOutcome(lease(NOW, 'eu-west-1'), { kind: 'success' })).toMatchObject({
      streak: 0,
    });
    expect(numbers.unsharedEpisodes()).toEqual([
      ['1:eu-west-1', { episodeStart: NOW, streak: 0, resetAt: NOW }],
    ]);
    // A later success moves the reset, an earlier one does not move it back.
    numbers.applyOutcome(lease(NOW + 50, 'eu-west-1'), { kind: 'success' });
    numbers.applyOutcome(lease(NOW + 20, 'eu-west-1'), { kind: 'success' });
    expect(numbers.unsharedEpisodes()[0]?.[1].resetAt).toBe(NOW + 50);
  });

  it('a success on a cell that never throttled owes Redis a reset from that lease on', () => {
    const numbers = new CellNumbers();
    numbers.applyOutcome(lease(NOW), { kind: 'success' });
    expect(numbers.unsharedEpisodes()).toEqual([
      ['1', { episodeStart: 0, streak: 0, resetAt: NOW }],
    ]);
  });

  it('a failure changes nothing', () => {
    const numbers = new CellNumbers();
    expect(numbers.applyOutcome(lease(NOW), { kind: 'failure' })).toEqual({
      streak: 0,
      throttledUntil: 0,
    });
    expect(numbers.unsharedEpisodes()).toEqual([]);
    expect(numbers.unsharedCoolDowns()).toEqual([]);
  });

  /** The one entry of a list of what is owed (the spec fails without it). */
  function only<T>(entries: Array<[string, T]>): [string, T] {
    expect(entries).toHaveLength(1);
    return entries[0] as [string, T];
  }

  it('written back: forgotten only when Redis got the very change that is still owed', () => {
    const numbers = new CellNumbers();
    numbers.applyOutcome(lease(NOW - 10), throttled(NOW));
    const [cell, coolDown] = only(numbers.unsharedCoolDowns());
    const [, episode] = only(numbers.unsharedEpisodes());
    // A newer cool-down set meanwhile: the older one written does not clear it.
    numbers.coolDown(cell, NOW + 99_000, true);
    numbers.coolDownShared(cell, coolDown);
    const [, newer] = only(numbers.unsharedCoolDowns());
    expect(newer).toEqual({ until: NOW + 99_000, reason: undefined });
    numbers.coolDownShared(cell, newer);
    expect(numbers.unsharedCoolDowns()).toEqual([]);
    numbers.episodeShared(cell, episode);
    expect(numbers.unsharedEpisodes()).toEqual([]);
  });

  it('an episode changed while its write-back ran stays owed', () => {
    const numbers = new CellNumbers();
    numbers.applyOutcome(lease(NOW - 10), throttled(NOW));
    const [cell, written] = only(numbers.unsharedEpisodes());
    // The cool-down ended; a new episode begins before Redis confirms the first.
    numbers.applyOutcome(lease(NOW + 20_000), throttled(NOW + 20_000));
    numbers.episodeShared(cell, written);
    expect(numbers.unsharedEpisodes()).toEqual([
      ['1', { episodeStart: NOW + 20_000, streak: 2, resetAt: -1 }],
    ]);
  });

  it('a cool-down set by hand forgets the reason; shared, it owes nothing (and clears what was owed)', () => {
    const numbers = new CellNumbers();
    numbers.applyOutcome(lease(NOW - 10), throttled(NOW, 'rate'));
    expect(numbers.of('1').reason).toBe('rate');
    numbers.coolDown('1', NOW + 5_000, false);
    expect(numbers.of('1')).toMatchObject({ throttledUntil: NOW + 5_000, reason: undefined });
    expect(numbers.unsharedCoolDowns()).toEqual([]);
    numbers.coolDown('1', NOW + 7_000, true);
    expect(numbers.unsharedCoolDowns()).toEqual([['1', { until: NOW + 7_000, reason: undefined }]]);
  });

  it('what Redis answered to a release replaces the numbers; a throttle is counted', () => {
    const numbers = new CellNumbers();
    numbers.rememberRelease('1', throttled(NOW), {
      streak: 3,
      throttledUntil: NOW + 40_000,
      episodeStart: NOW - 100,
      reason: 'rate',
    });
    numbers.rememberRelease(
      '1',
      { kind: 'success' },
      {
        streak: 3,
        throttledUntil: NOW + 40_000,
        episodeStart: NOW - 100,
        reason: 'rate',
      },
    );
    expect(numbers.of('1')).toMatchObject({
      streak: 3,
      throttledUntil: NOW + 40_000,
      episodeStart: NOW - 100,
      reason: 'rate',
      throttles: 1,
    });
  });

  it('Redis’s usage remembered with each cell’s episode start, read back per cell with units in flight', () => {
    const numbers = new CellNumbers();
    const cells = [{ index: 1, region: 'us-east-1' }, { index: 2 }];
    numbers.rememberUsage(
      [
        {
          index: 1,
          region: 'us-east-1',
          inFlight: 4,
          throttledUntil: NOW + 1,
          leases: 10,
          throttles: 2,
          streak: 1,
          lastLeasedAt: NOW - 3,
          reason: 'rate',
        },
        {
          index: 2,
          inFlight: 0,
          throttledUntil: 0,
          leases: 1,
          throttles: 0,
          streak: 0,
          lastLeasedAt: NOW - 9,
        },
      ],
      [NOW - 50],
    );
    expect(numbers.of('1:us-east-1').episodeStart).toBe(NOW - 50);
    expect(numbers.of('2').episodeStart).toBe(0);
    const usage = numbers.usage(cells, (name) => (name === '2' ? 3 : 1));
    expect(usage).toStrictEqual([
      {
        index: 1,
        region: 'us-east-1',
        inFlight: 1,
        throttledUntil: NOW + 1,
        leases: 10,
        throttles: 2,
        streak: 1,
        lastLeasedAt: NOW - 3,
        reason: 'rate',
      },
      {
        index: 2,
        inFlight: 3,
        throttledUntil: 0,
        leases: 1,
        throttles: 0,
        streak: 0,
        lastLeasedAt: NOW - 9,
      },
    ]);
  });
});

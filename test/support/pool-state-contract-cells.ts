/**
 * The cells, weights and throttle reasons part of the {@link PoolState}
 * contract (`describePoolStateContract` runs it for every store).
 */
import type {
  AccountUsage,
  BackoffPolicy,
  PoolLease,
  PoolState,
  ThrottleReason,
} from '@credchain/aws';

const T0 = Date.UTC(2030, 0, 1);
const BACKOFF: BackoffPolicy = { initialMs: 10_000, multiplier: 2, maxMs: 300_000 };
/** A throttle with a reason (a pool with regions), and a floor such as Retry-After. */
const because = (reason: ThrottleReason, now: number, minDelayMs?: number) =>
  ({
    kind: 'throttled',
    now,
    backoff: BACKOFF,
    jitterFactor: 1,
    reason,
    ...(minDelayMs !== undefined && { minDelayMs }),
  }) as const;
/** Two accounts × two regions: cells 1 = 1:us-east-1, 2 = 1:eu-central-1, 3 = 2:us-east-1, 4 = 2:eu-central-1. */
const REGIONS = ['us-east-1', 'eu-central-1'] as const;

/** Registers the tests; `current()` is the store under test (set by the caller's `beforeEach`). */
export function describeCellsAndWeights(current: () => PoolState): void {
  const lease = async (preference: number[], capacity: number[], now = T0) => {
    const result = await current().acquire({ preference, capacity, now });
    if (!result.acquired) throw new Error(`expected a lease on one of ${preference}`);
    return result.lease;
  };
  const usageOf = async (index: number, count = 3, now = T0) =>
    (await current().usage(count, now))[index - 1] as AccountUsage;

  describe('cells (regions)', () => {
    const cell = async (preference: number[], capacity: number[], now = T0, weight?: number) => {
      const result = await current().acquire({
        preference,
        capacity,
        now,
        regions: REGIONS,
        ...(weight !== undefined && { weight }),
      });
      if (!result.acquired) throw new Error(`expected a lease on one of cells ${preference}`);
      return result.lease;
    };

    it('leases a cell named by account and region, and reports every cell in order', async () => {
      const held = await cell([4, 1], [1, 1, 1, 1], T0 + 3);
      expect(held).toMatchObject({ index: 2, region: 'eu-central-1', grantedAt: T0 + 3 });
      expect(held.weight ?? 1).toBe(1);
      const usage = await current().usage(2, T0, REGIONS);
      expect(usage.map((u) => [u.index, u.region, u.inFlight, u.leases])).toEqual([
        [1, 'us-east-1', 0, 0],
        [1, 'eu-central-1', 0, 0],
        [2, 'us-east-1', 0, 0],
        [2, 'eu-central-1', 1, 1],
      ]);
      // Without regions, account 2 is another cell altogether.
      expect(await usageOf(2, 2)).toMatchObject({ inFlight: 0, leases: 0 });
      expect((await usageOf(2, 2)).region).toBeUndefined();
    });

    it('keeps the regions of one account apart: capacity and cool-downs', async () => {
      await cell([1], [1, 1, 1, 1]);
      // Cell 1 is full; the same account in the other region is not.
      expect(await cell([1, 2], [1, 1, 1, 1])).toMatchObject({
        index: 1,
        region: 'eu-central-1',
      });
      await current().coolDown(2, T0 + 5_000, 'us-east-1');
      expect(await cell([3, 4], [1, 1, 1, 1])).toMatchObject({
        index: 2,
        region: 'eu-central-1',
      });
      const usage = await current().usage(2, T0, REGIONS);
      expect(usage.map((u) => u.throttledUntil)).toEqual([0, 0, T0 + 5_000, 0]);
    });

    it('knows a cell by its name: a pool listing the regions in another order shares it', async () => {
      await cell([2], [1, 1, 1, 1]); // account 1 in eu-central-1
      const other = await current().acquire({
        preference: [1],
        exclude: [2, 3, 4],
        capacity: [1, 1, 1, 1],
        now: T0,
        regions: ['eu-central-1', 'us-east-1'],
      });
      expect(other).toEqual({ acquired: false, refusal: 'full', retryAt: 0 });
      const usage = await current().usage(2, T0, ['eu-central-1', 'us-east-1']);
      expect(usage[0]).toMatchObject({ index: 1, region: 'eu-central-1', inFlight: 1 });
    });

    it('releases, renews and throttles the leased cell only', async () => {
      const held = await cell([3], [2, 2, 2, 2]);
      expect(await current().renew(held, T0 + 1)).toBe(true);
      const result = await current().release(held, because('concurrency', T0 + 10));
      expect(result).toEqual({ released: true, streak: 1, throttledUntil: T0 + 10_010 });
      const usage = await current().usage(2, T0 + 10, REGIONS);
      expect(usage.map((u) => [u.inFlight, u.throttledUntil, u.reason])).toEqual([
        [0, 0, undefined],
        [0, 0, undefined],
        [0, T0 + 10_010, 'concurrency'],
        [0, 0, undefined],
      ]);
      expect(await current().renew(held, T0 + 2)).toBe(false);
    });
  });

  describe('weights', () => {
    it('a lease takes its weight in units; inFlight counts units', async () => {
      const heavy = await current().acquire({ preference: [1], capacity: [4], now: T0, weight: 3 });
      expect(heavy).toMatchObject({ acquired: true, lease: { index: 1, weight: 3 } });
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 3, leases: 1 });
      // 3 + 2 > 4: refused; 3 + 1 fits.
      const refused = await current().acquire({
        preference: [1],
        capacity: [4],
        now: T0,
        weight: 2,
      });
      expect(refused.acquired).toBe(false);
      expect((await lease([1], [4])).index).toBe(1);
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 4, leases: 2 });
      if (!heavy.acquired) throw new Error('unreachable');
      expect((await current().release(heavy.lease, { kind: 'success' })).released).toBe(true);
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 1 });
      // Released once: a second release frees nothing more.
      expect((await current().release(heavy.lease, { kind: 'success' })).released).toBe(false);
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 1 });
    });

    it('skips a cell without room for the weight, for the next one that has it', async () => {
      await current().acquire({ preference: [1], capacity: [4, 4], now: T0, weight: 2 });
      const next = await current().acquire({
        preference: [1, 2],
        capacity: [4, 4],
        now: T0,
        weight: 3,
      });
      expect(next).toMatchObject({ acquired: true, lease: { index: 2, weight: 3 } });
    });

    it('grants at most the capacity in units to concurrent weighted acquisitions', async () => {
      const weights = Array.from({ length: 30 }, (_, i) => 1 + (i % 3));
      const results = await Promise.all(
        weights.map((weight) =>
          current().acquire({
            preference: [1, 2],
            capacity: [7, 5],
            now: T0,
            weight,
            regions: ['x-1'],
          }),
        ),
      );
      const units = [1, 2].map((index) =>
        results.reduce(
          (sum, r, i) =>
            r.acquired && r.lease.index === index ? sum + (weights[i] as number) : sum,
          0,
        ),
      );
      const usage = await current().usage(2, T0, ['x-1']);
      expect(usage.map((u) => u.inFlight)).toEqual(units);
      expect(units[0]).toBeLessThanOrEqual(7);
      expect(units[1]).toBeLessThanOrEqual(5);
      // Every lighter request that could still fit was granted: at most 1 unit is left idle.
      expect(units[0] as number).toBeGreaterThanOrEqual(6);
      expect(units[1] as number).toBeGreaterThanOrEqual(4);
    });

    it('renews a weighted lease whole', async () => {
      const held = await current().acquire({ preference: [1], capacity: [5], now: T0, weight: 4 });
      if (!held.acquired) throw new Error('expected a lease');
      expect(await current().renew(held.lease, T0 + 1)).toBe(true);
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 4 });
    });
  });

  describe('throttles by reason', () => {
    it('rate: cools for minDelayMs, streak untouched; reserved: counted only', async () => {
      const rate = await current().release(await lease([1], [2]), because('rate', T0, 2_000));
      expect(rate).toEqual({ released: true, streak: 0, throttledUntil: T0 + 2_000 });
      expect(await usageOf(1, 1)).toMatchObject({ throttles: 1, streak: 0, reason: 'rate' });
      const reserved = await current().release(await lease([2], [2, 2]), because('reserved', T0));
      expect(reserved).toEqual({ released: true, streak: 0, throttledUntil: 0 });
      expect(await usageOf(2, 2)).toMatchObject({ throttles: 1, streak: 0, throttledUntil: 0 });
      expect((await usageOf(2, 2)).reason).toBeUndefined();
    });

    it('a newer, shorter cool-down never shortens a running one (LiteLLM’s bug)', async () => {
      const [a, b, c] = await Promise.all([lease([1], [3]), lease([1], [3]), lease([1], [3])]);
      // A 10 s concurrency episode…
      await current().release(a as PoolLease, because('concurrency', T0));
      // …then a rate limit asking for 1 s, and one asking for nothing at all.
      const rate = await current().release(b as PoolLease, because('rate', T0 + 100, 1_000));
      expect(rate.throttledUntil).toBe(T0 + 10_000);
      const bare = await current().release(c as PoolLease, because('rate', T0 + 200));
      expect(bare.throttledUntil).toBe(T0 + 10_000);
      expect(await usageOf(1, 1)).toMatchObject({ reason: 'concurrency', throttles: 3 });
      // Two rate limits: 5 s, then 1 s — the 5 s stands.
      const [d, e] = await Promise.all([lease([2], [1, 2]), lease([2], [1, 2])]);
      await current().release(d as PoolLease, because('rate', T0, 5_000));
      const shorter = await current().release(e as PoolLease, because('rate', T0 + 10, 1_000));
      expect(shorter.throttledUntil).toBe(T0 + 5_000);
    });

    it('Retry-After extends a concurrency cool-down, in a new episode and a running one', async () => {
      const [a, b] = await Promise.all([lease([1], [2]), lease([1], [2])]);
      const first = await current().release(a as PoolLease, because('concurrency', T0, 25_000));
      expect(first).toMatchObject({ streak: 1, throttledUntil: T0 + 25_000 });
      const second = await current().release(
        b as PoolLease,
        because('concurrency', T0 + 10, 40_000),
      );
      expect(second).toMatchObject({ streak: 1, throttledUntil: T0 + 40_010 });
    });

    it('a concurrency throttle during a rate cool-down starts its episode, longer', async () => {
      const [a, b] = await Promise.all([lease([1], [2]), lease([1], [2])]);
      await current().release(a as PoolLease, because('rate', T0, 1_000));
      const full = await current().release(b as PoolLease, because('concurrency', T0 + 100));
      expect(full).toEqual({ released: true, streak: 1, throttledUntil: T0 + 10_100 });
      expect(await usageOf(1, 1)).toMatchObject({ reason: 'concurrency' });
    });

    it('…but never shorter than the rate limit’s own, longer Retry-After', async () => {
      const [a, b] = await Promise.all([lease([1], [2]), lease([1], [2])]);
      await current().release(a as PoolLease, because('rate', T0, 30_000));
      const full = await current().release(b as PoolLease, because('concurrency', T0 + 100));
      expect(full).toEqual({ released: true, streak: 1, throttledUntil: T0 + 30_000 });
    });

    it('…and the full cell inside it is one episode: more reports of it raise nothing, and the reason says so', async () => {
      const leases = await Promise.all([1, 2, 3, 4].map(() => lease([1], [4])));
      await current().release(leases[0] as PoolLease, because('rate', T0, 60_000));
      const reports = [];
      for (const [i, l] of leases.slice(1).entries()) {
        reports.push(await current().release(l as PoolLease, because('concurrency', T0 + 100 + i)));
      }
      expect(reports.map((r) => r.streak)).toEqual([1, 1, 1]);
      expect(reports.map((r) => r.throttledUntil)).toEqual(Array(3).fill(T0 + 60_000));
      expect((await usageOf(1, 1)).reason).toBe('concurrency');
    });

    it('coolDown() forgets the reason', async () => {
      await current().release(await lease([1], [1]), because('rate', T0, 3_000));
      await current().coolDown(1, T0 + 1_000);
      const usage = await usageOf(1, 1);
      expect(usage.throttledUntil).toBe(T0 + 1_000);
      expect(usage.reason).toBeUndefined();
    });
  });
}

/**
 * The behaviour every {@link PoolState} store must have, as a jest suite any
 * store can run: `describePoolStateContract('InMemoryPoolState', async () =>
 * ({ state: new InMemoryPoolState() }))`. A shared store (Redis) runs the
 * same suite against a real server; `cleanup` runs after each test.
 */
import type { AccountUsage, BackoffPolicy, PoolLease, PoolState } from '@credchain/aws';
import { describeCellsAndWeights } from './pool-state-contract-cells';

export interface ContractSubject {
  readonly state: PoolState;
  readonly cleanup?: () => Promise<void>;
}

const T0 = Date.UTC(2030, 0, 1);
const BACKOFF: BackoffPolicy = { initialMs: 10_000, multiplier: 2, maxMs: 300_000 };
const throttled = (now: number, jitterFactor = 1) =>
  ({ kind: 'throttled', now, backoff: BACKOFF, jitterFactor }) as const;

/** Waits until `check()` is true (listeners of a remote store fire later), at most `ms`. */
async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

export function describePoolStateContract(
  label: string,
  subject: () => Promise<ContractSubject> | ContractSubject,
): void {
  describe(`${label} (PoolState contract)`, () => {
    let state: PoolState;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ state, cleanup } = await subject());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const lease = async (preference: number[], capacity: number[], now = T0) => {
      const result = await state.acquire({ preference, capacity, now });
      if (!result.acquired) throw new Error(`expected a lease on one of ${preference}`);
      return result.lease;
    };
    const usageOf = async (index: number, count = 3, now = T0) =>
      (await state.usage(count, now))[index - 1] as AccountUsage;

    it('knows nothing at first: zero records, ordered by index', async () => {
      const usage = await state.usage(3, T0);
      expect(usage).toEqual(
        [1, 2, 3].map((index) => ({
          index,
          inFlight: 0,
          throttledUntil: 0,
          leases: 0,
          throttles: 0,
          streak: 0,
          lastLeasedAt: 0,
        })),
      );
    });

    it('leases the first preferred account and counts it', async () => {
      const first = await lease([2, 1, 3], [5, 5, 5], T0 + 7);
      expect(first.index).toBe(2);
      expect(typeof first.id).toBe('string');
      expect(first.grantedAt).toBe(T0 + 7);
      expect(await usageOf(2)).toMatchObject({ inFlight: 1, leases: 1, lastLeasedAt: T0 + 7 });
      expect(await usageOf(1)).toMatchObject({ inFlight: 0, leases: 0 });
    });

    it('skips a full account, never leases an excluded one, and takes another when the preferred are full', async () => {
      expect((await lease([1, 2], [1, 1, 1])).index).toBe(1);
      expect((await lease([1, 2], [1, 1, 1])).index).toBe(2);
      const refused = await state.acquire({
        preference: [1, 2],
        exclude: [3],
        capacity: [1, 1, 1],
        now: T0,
      });
      expect(refused).toEqual({ acquired: false, refusal: 'full', retryAt: 0 });
      expect(await usageOf(3)).toMatchObject({ inFlight: 0, leases: 0 });
      expect((await lease([1, 2], [1, 1, 1])).index).toBe(3);
    });

    it('gives unique lease ids', async () => {
      const leases = await Promise.all(Array.from({ length: 20 }, () => lease([1], [100])));
      expect(new Set(leases.map((l) => l.id)).size).toBe(20);
    });

    it('refuses saying why — full, all cooling (with the first end), none usable — and changes nothing', async () => {
      await lease([1], [1, 2]);
      await state.release(await lease([2], [1, 2]), throttled(T0));
      const before = await state.usage(2, T0 + 1);
      const ask = (exclude: number[], weight = 1) =>
        state.acquire({ preference: [1, 2], exclude, capacity: [1, 2], now: T0 + 1, weight });
      // Account 1 is only full; account 2 cools until T0 + 10 s.
      expect(await ask([])).toEqual({ acquired: false, refusal: 'full', retryAt: T0 + 10_000 });
      expect(await ask([1])).toEqual({ acquired: false, refusal: 'cooling', retryAt: T0 + 10_000 });
      expect(await ask([1, 2])).toEqual({ acquired: false, refusal: 'none', retryAt: 0 });
      // Too heavy for account 1, whose capacity is 1: only account 2 counts.
      expect(await ask([], 2)).toEqual({
        acquired: false,
        refusal: 'cooling',
        retryAt: T0 + 10_000,
      });
      expect(await ask([], 3)).toEqual({ acquired: false, refusal: 'none', retryAt: 0 });
      expect(await state.usage(2, T0 + 1)).toEqual(before);
      expect(before).toEqual([
        expect.objectContaining({ index: 1, inFlight: 1, leases: 1, throttledUntil: 0 }),
        expect.objectContaining({
          index: 2,
          inFlight: 0,
          leases: 1,
          throttles: 1,
          streak: 1,
          throttledUntil: T0 + 10_000,
        }),
      ]);
    });

    it('grants exactly the capacity to concurrent acquisitions', async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          state.acquire({ preference: [1, 2], capacity: [3, 2], now: T0 }),
        ),
      );
      const granted = results.filter((r) => r.acquired);
      expect(granted).toHaveLength(5);
      expect((await state.usage(2, T0)).map((u) => u.inFlight)).toEqual([3, 2]);
    });

    it('frees a lease once; a second release changes no count', async () => {
      const held = await lease([1], [1]);
      expect(await state.release(held, { kind: 'failure' })).toEqual({
        released: true,
        streak: 0,
        throttledUntil: 0,
      });
      expect((await state.release(held, { kind: 'failure' })).released).toBe(false);
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 0, leases: 1 });
      expect((await lease([1], [1])).index).toBe(1);
    });

    it('records the outcome of an unknown lease without touching inFlight', async () => {
      await lease([1], [2]);
      const ghost: PoolLease = { index: 1, id: 'never-granted', grantedAt: T0 };
      const result = await state.release(ghost, throttled(T0));
      expect(result).toEqual({ released: false, streak: 1, throttledUntil: T0 + 10_000 });
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 1, throttles: 1 });
    });

    it('cools a throttled account down and skips it until then', async () => {
      const result = await state.release(await lease([1], [5, 5]), throttled(T0 + 100, 0.5));
      expect(result).toEqual({ released: true, streak: 1, throttledUntil: T0 + 100 + 5_000 });
      expect((await lease([1, 2], [5, 5], T0 + 5_099)).index).toBe(2);
      expect((await lease([1, 2], [5, 5], T0 + 5_100)).index).toBe(1);
    });

    it('grows the back-off per episode, up to maxMs, and a success resets it', async () => {
      let now = T0;
      const untils: number[] = [];
      for (let i = 0; i < 7; i++) {
        const result = await state.release(await lease([1], [1], now), throttled(now));
        untils.push(result.throttledUntil - now);
        now = result.throttledUntil;
      }
      expect(untils).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
      expect(await usageOf(1, 1, now)).toMatchObject({ streak: 7, throttles: 7 });
      const ok = await state.release(await lease([1], [1], now), { kind: 'success' });
      expect(ok).toEqual({ released: true, streak: 0, throttledUntil: now });
      const again = await state.release(await lease([1], [1], now), throttled(now));
      expect(again.throttledUntil - now).toBe(10_000);
    });

    it('counts throttles reported during a running cool-down without escalating', async () => {
      const held = await Promise.all([lease([1], [4]), lease([1], [4]), lease([1], [4])]);
      const first = await state.release(held[0] as PoolLease, throttled(T0));
      const second = await state.release(held[1] as PoolLease, throttled(T0 + 50));
      const third = await state.release(held[2] as PoolLease, throttled(T0 + 60));
      expect(first).toEqual({ released: true, streak: 1, throttledUntil: T0 + 10_000 });
      expect(second).toEqual({ released: true, streak: 1, throttledUntil: T0 + 10_000 });
      expect(third).toEqual({ released: true, streak: 1, throttledUntil: T0 + 10_000 });
      expect(await usageOf(1, 1)).toMatchObject({ throttles: 3, streak: 1, inFlight: 0 });
    });

    it('a success does not shorten a running cool-down', async () => {
      const [a, b] = await Promise.all([lease([1], [2]), lease([1], [2])]);
      await state.release(a as PoolLease, throttled(T0));
      const ok = await state.release(b as PoolLease, { kind: 'success' });
      expect(ok).toEqual({ released: true, streak: 0, throttledUntil: T0 + 10_000 });
    });

    it('a success resets the streak only for a lease granted at or after the episode start', async () => {
      // Two calls leased before the throttle, as at a concurrency limit.
      const [early, alsoEarly] = await Promise.all([lease([1], [3], T0), lease([1], [3], T0)]);
      const first = await state.release(early as PoolLease, throttled(T0 + 100));
      expect(first).toMatchObject({ streak: 1, throttledUntil: T0 + 10_100 });
      // Leased before the episode began: its success does not end the streak.
      expect(await state.release(alsoEarly as PoolLease, { kind: 'success' })).toEqual({
        released: true,
        streak: 1,
        throttledUntil: T0 + 10_100,
      });
      // So the next episode escalates.
      const second = await state.release(
        await lease([1], [3], T0 + 10_100),
        throttled(T0 + 10_200),
      );
      expect(second).toMatchObject({ streak: 2, throttledUntil: T0 + 10_200 + 20_000 });
      // A lease granted exactly at the episode start counts as after it.
      const atStart = await lease([1], [3], T0 + 30_200);
      const third = await state.release(await lease([1], [3], T0 + 30_200), throttled(T0 + 30_200));
      expect(third).toMatchObject({ streak: 3, throttledUntil: T0 + 30_200 + 40_000 });
      expect(await state.release(atStart, { kind: 'success' })).toMatchObject({ streak: 0 });
    });

    it('coolDown() sets the end exactly, longer or shorter, and 0 ends it', async () => {
      await state.coolDown(2, T0 + 50_000);
      expect(await usageOf(2)).toMatchObject({ throttledUntil: T0 + 50_000, throttles: 0 });
      await state.coolDown(2, T0 + 10);
      expect(await usageOf(2)).toMatchObject({ throttledUntil: T0 + 10, streak: 0 });
      expect((await lease([2, 1], [1, 1, 1], T0 + 9)).index).toBe(1);
      await state.coolDown(2, 0);
      expect((await lease([2], [1, 1, 1], T0 + 9)).index).toBe(2);
    });

    it('renews a live lease only', async () => {
      const held = await lease([1], [1]);
      expect(await state.renew(held, T0 + 1)).toBe(true);
      await state.release(held, { kind: 'success' });
      expect(await state.renew(held, T0 + 2)).toBe(false);
      expect(await usageOf(1, 1)).toMatchObject({ inFlight: 0 });
    });

    it('tells listeners when a release frees a place, until they unsubscribe', async () => {
      let calls = 0;
      const unsubscribe = state.onRelease(() => {
        calls++;
      });
      await state.release(await lease([1], [1]), { kind: 'success' });
      expect(await eventually(() => calls >= 1)).toBe(true);
      unsubscribe();
      unsubscribe();
      const before = calls;
      await state.release(await lease([1], [1]), { kind: 'success' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(calls).toBe(before);
    });

    describeCellsAndWeights(() => state);

    it('survives a listener that throws', async () => {
      let called = false;
      const offBad = state.onRelease(() => {
        throw new Error('listener bug');
      });
      const offGood = state.onRelease(() => {
        called = true;
      });
      await expect(state.release(await lease([1], [1]), { kind: 'success' })).resolves.toEqual(
        expect.objectContaining({ released: true }),
      );
      expect(await eventually(() => called)).toBe(true);
      offBad();
      offGood();
    });
  });
}

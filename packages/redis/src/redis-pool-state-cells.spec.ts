import type { AcquireRequest, LeaseOutcome } from '@credchain/aws';
import { sleep, until, useRedisStateHarness } from '../../../test/support/redis-state-harness';
import { RedisPoolState } from './redis-pool-state';

const REGIONS = ['us-east-1', 'eu-central-1'];
const BACKOFF = { initialMs: 10_000, multiplier: 2, maxMs: 300_000 };
const rate = (now: number, minDelayMs: number): LeaseOutcome => ({
  kind: 'throttled',
  now,
  backoff: BACKOFF,
  jitterFactor: 1,
  reason: 'rate',
  minDelayMs,
});
/** Two accounts × two regions: 4 cells of `capacity` units. */
const request = (preference: number[], weight = 1, capacity = 4): AcquireRequest => ({
  preference,
  capacity: [capacity, capacity, capacity, capacity],
  now: Date.now(),
  weight,
  regions: REGIONS,
});
/** The same, on cell `n` only (every other cell excluded). */
const only = (n: number, weight = 1, capacity = 4): AcquireRequest => ({
  ...request([n], weight, capacity),
  exclude: [1, 2, 3, 4].filter((c) => c !== n),
});

describe(`${RedisPoolState.name}: cells and weights in Redis`, () => {
  const { server, namespace, client, state } = useRedisStateHarness('cells', {
    logger: { debug: () => undefined, warn: () => undefined },
  });

  it('keys and fields name the cell (account and region); a weight-3 lease is 3 members; nothing secret', async () => {
    const a = state();
    const held = await a.acquire(request([2], 3));
    if (!held.acquired) throw new Error('not acquired');
    expect(held.lease).toMatchObject({ index: 1, region: 'eu-central-1', weight: 3 });
    await a.release(held.lease, rate(Date.now(), 2_000));
    await a.acquire(request([4], 2));
    const admin = client();
    const keys = (await admin.keys(`{credchain:${namespace()}}:*`)).sort();
    expect(keys).toEqual([
      `{credchain:${namespace()}}:accounts`,
      `{credchain:${namespace()}}:big`,
      `{credchain:${namespace()}}:capacity`,
      `{credchain:${namespace()}}:cooling`,
      `{credchain:${namespace()}}:expiries`,
      `{credchain:${namespace()}}:fleet`,
      expect.stringMatching(new RegExp(`^\\{credchain:${namespace()}\\}:layout:[0-9a-f]{16}$`)),
      `{credchain:${namespace()}}:leases:2:eu-central-1`,
      `{credchain:${namespace()}}:processes`,
      `{credchain:${namespace()}}:room`,
    ]);
    // The cell structures hold cell names and numbers only.
    for (const key of ['room', 'big', 'cooling', 'expiries']) {
      const entries = await admin.zrange(`{credchain:${namespace()}}:${key}`, 0, -1, 'WITHSCORES');
      for (const [i, value] of entries.entries()) {
        expect(value).toMatch(i % 2 ? /^\d+$/ : /^\d:[a-z]{2}(-[a-z]+)+-\d$/);
      }
    }
    const members = await admin.zrange(`{credchain:${namespace()}}:leases:2:eu-central-1`, 0, -1);
    expect(members.sort()).toEqual([
      expect.stringMatching(/^[0-9a-f]{12}\.\d+$/),
      expect.stringMatching(/^[0-9a-f]{12}\.\d+#2$/),
    ]);
    const hash = await admin.hgetall(`{credchain:${namespace()}}:accounts`);
    for (const [field, value] of Object.entries(hash)) {
      expect(field).toMatch(
        /^\d+:[a-z]{2}(-[a-z]+)+-\d+:(until|leases|throttles|streak|last|episode|reason)$/,
      );
      expect(value).toMatch(/^(\d+|rate|concurrency)$/);
    }
    expect(hash['1:eu-central-1:reason']).toBe('rate');
  });

  it('a weighted lease of a process that stops renewing expires whole', async () => {
    const redis = client();
    const crashed = state({ leaseTtlMs: 400, commandTimeoutMs: 100 }, redis);
    const other = state();
    expect((await crashed.acquire(request([1], 4))).acquired).toBe(true);
    expect((await other.acquire(only(1))).acquired).toBe(false);
    redis.disconnect(); // it stops renewing
    await sleep(600);
    const after = await other.acquire(request([1], 4));
    expect(after).toMatchObject({
      acquired: true,
      lease: { index: 1, region: 'us-east-1', weight: 4 },
    });
  });

  it('two states listing the regions in another order share each cell', async () => {
    const a = state();
    const b = state();
    expect((await a.acquire(request([2], 4))).acquired).toBe(true); // 1:eu-central-1
    const reversed = await b.acquire({ ...only(1), regions: [...REGIONS].reverse() });
    expect(reversed.acquired).toBe(false);
    const usage = await b.usage(2, Date.now(), [...REGIONS].reverse());
    expect(usage[0]).toMatchObject({ index: 1, region: 'eu-central-1', inFlight: 4 });
  });

  it('a fall-back and back: a weighted place of its own is reused whole and written back whole, a rate cool-down with its reason', async () => {
    const a = state({ commandTimeoutMs: 300 });
    const before = await a.acquire(request([3], 3));
    const other = await a.acquire(request([4], 1));
    if (!before.acquired || !other.acquired) throw new Error('not acquired');
    server().pause();
    await a.acquire(request([1], 1)); // times out: falls back
    expect(a.mode).toBe('fallback');
    await a.release(before.lease, { kind: 'success' });
    // Three units of its own on cell 3: a weight-2 call fits, a weight-4 one never.
    await expect(a.acquire(request([3], 4))).resolves.toMatchObject({ acquired: false });
    const during = await a.acquire(request([3], 2));
    if (!during.acquired) throw new Error('not acquired');
    const coolUntil = Date.now() + 60_000;
    await a.release(other.lease, rate(Date.now(), 60_000));
    server().resume();
    await until(() => a.mode === 'redis');
    const seen = await state().usage(2, Date.now(), REGIONS);
    expect(seen[2]).toMatchObject({ index: 2, region: 'us-east-1', inFlight: 2 });
    expect(seen[3]).toMatchObject({
      index: 2,
      region: 'eu-central-1',
      inFlight: 0,
      reason: 'rate',
    });
    expect(seen[3]?.throttledUntil).toBeGreaterThanOrEqual(coolUntil - 1_000);
    await a.release(during.lease, { kind: 'success' });
    expect((await state().usage(2, Date.now(), REGIONS))[2]?.inFlight).toBe(0);
  });
});

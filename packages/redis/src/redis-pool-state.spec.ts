import { InMemoryPoolState, type PoolLease, type PoolState } from '@credchain/aws';
import type Redis from 'ioredis';
import {
  CollectingLogger,
  request,
  sleep,
  throttled,
  until,
  useRedisStateHarness,
} from '../../../test/support/redis-state-harness';
import { RedisPoolState } from './redis-pool-state';

describe(RedisPoolState.name, () => {
  const { server, namespace, clients, client, state, fleetInFlight } = useRedisStateHarness('test');

  describe('capacity, fleet-wide', () => {
    it('never grants more than capacity across processes, however many ask at once', async () => {
      const a = state();
      const b = state();
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).acquire(request([1, 2, 3], [2, 3, 1])),
        ),
      );
      const granted = results.filter((r) => r.acquired);
      expect(granted).toHaveLength(6);
      const perAccount = [1, 2, 3].map(
        (n) => granted.filter((r) => r.acquired && r.lease.index === n).length,
      );
      expect(perAccount).toEqual([2, 3, 1]);
      expect(new Set(granted.map((r) => r.acquired && r.lease.id)).size).toBe(6);
      await expect(fleetInFlight(3)).resolves.toEqual([2, 3, 1]);
    });

    it('takes the first account of the preference that is neither cooling down nor full', async () => {
      const a = state();
      const b = state();
      const now = Date.now();
      await a.coolDown(2, now + 60_000);
      const first = await b.acquire(request([2, 3, 1], [1, 1, 1], now));
      expect(first).toMatchObject({ acquired: true, lease: { index: 3 } });
      const second = await b.acquire(request([2, 3, 1], [1, 1, 1], now));
      expect(second).toMatchObject({ acquired: true, lease: { index: 1 } });
      const refused = await a.acquire(request([2, 3], [1, 1, 1], now));
      // Accounts 1 and 3 only full; account 2 cools down until now + 60 s.
      expect(refused).toEqual({ acquired: false, refusal: 'full', retryAt: now + 60_000 });
    });

    it('an excluded account is never leased; a preference that does not fit, another account', async () => {
      const a = state();
      const excluded = await a.acquire({ ...request([2], [5, 5]), exclude: [1, 2] });
      expect(excluded).toEqual({ acquired: false, refusal: 'none', retryAt: 0 });
      await expect(fleetInFlight(2)).resolves.toEqual([0, 0]);
      await expect(a.acquire(request([2], [5, 0]))).resolves.toMatchObject({
        acquired: true,
        lease: { index: 1 },
      });
    });
  });

  describe('namespaces and connections', () => {
    it('two namespaces on one Redis share nothing', async () => {
      const a = state();
      const other = state({ namespace: `${namespace()}-other` });
      await expect(a.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: true });
      await expect(other.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: true });
      await a.coolDown(2, Date.now() + 60_000);
      await expect(other.acquire(request([2], [1, 1]))).resolves.toMatchObject({ acquired: true });
    });

    it('close() ends the pub/sub connection it opened and leaves the caller’s client open', async () => {
      const admin = client();
      const connections = async () =>
        String(await admin.call('CLIENT', 'LIST'))
          .trim()
          .split('\n').length;
      const redis = client();
      await redis.ping();
      const before = await connections();
      const s = state({ wakeUp: 'pubsub' }, redis);
      const held = await s.acquire(request([1], [1]));
      expect(held.acquired).toBe(true);
      // A waiter subscribes this process's channel, on a connection of its own.
      const aborting = new AbortController();
      const waiting = s.wait(request([1], [1]), { pollMs: 60_000, signal: aborting.signal });
      await until(async () => (await connections()) === before + 1);
      aborting.abort(new Error('enough'));
      await expect(waiting).rejects.toThrow('enough');
      await s.close();
      await until(async () => (await connections()) === before);
      await expect(redis.ping()).resolves.toBe('PONG');
      await expect(s.acquire(request([1], [1]))).rejects.toThrow(
        'RedisPoolState: acquire failed: this RedisPoolState was closed (close())',
      );
    });
  });

  describe('the same numbers as InMemoryPoolState', () => {
    it('for one sequence of acquisitions, releases, throttles and cool-downs', async () => {
      const stores: PoolState[] = [new InMemoryPoolState(), state()];
      const t0 = 1_800_000_000_000;
      const transcripts = await Promise.all(
        stores.map(async (store) => {
          const log: unknown[] = [];
          const leases: PoolLease[] = [];
          for (let i = 0; i < 3; i++) {
            const r = await store.acquire(request([1, 2], [2, 1], t0));
            log.push(r.acquired ? r.lease.index : r.refusal);
            if (r.acquired) leases.push(r.lease);
          }
          log.push(await store.acquire(request([1, 2], [2, 1], t0)));
          const [l1, l2, l3] = leases as [PoolLease, PoolLease, PoolLease];
          log.push(await store.release(l1, throttled(t0 + 1)));
          log.push(await store.release(l2, throttled(t0 + 2))); // same episode: no escalation
          log.push(await store.release(l2, { kind: 'success' })); // twice: not released again
          log.push(await store.release(l3, { kind: 'failure' }));
          const again = await store.acquire(request([1, 2], [2, 1], t0 + 10_001));
          log.push(again.acquired && again.lease.index);
          if (again.acquired) log.push(await store.release(again.lease, throttled(t0 + 10_002)));
          log.push(await store.usage(2, t0 + 10_003));
          // A call leased after the episode began succeeds: the streak is reset.
          const late = await store.acquire(request([1], [2, 1], t0 + 40_000));
          if (late.acquired) log.push(await store.release(late.lease, { kind: 'success' }));
          await store.coolDown(2, t0 + 5);
          log.push(await store.usage(2, t0 + 10_003));
          return log;
        }),
      );
      expect(transcripts[1]).toEqual(transcripts[0]);
      // The episode's second report did not escalate, and the success of a call
      // leased before the episode began did not reset it: the next episode doubles.
      expect(JSON.stringify(transcripts[0])).toContain(`"throttledUntil":${t0 + 10_002 + 20_000}`);
      expect(transcripts[0]?.at(-2)).toEqual({
        released: true,
        streak: 0,
        throttledUntil: t0 + 10_002 + 20_000,
      });
    });
  });

  /** Cuts `redis` off: its state can no longer reach Redis, as a crashed or stalled process. */
  const cutOff = (redis: Redis) => redis.disconnect();

  describe('crash-safe leases', () => {
    it('a process that stops renewing loses its leases after leaseTtlMs, and others get the place', async () => {
      const timing = { leaseTtlMs: 600, renewIntervalMs: 200, commandTimeoutMs: 300 };
      const redis = client();
      const crashed = state(timing, redis);
      const other = state(timing);
      // Bounds measured around the grant, not after a later call: a loaded
      // machine may take long between two calls, never less than the TTL.
      const askedAt = Date.now();
      const lost = await crashed.acquire(request([1], [1]));
      if (!lost.acquired) throw new Error('not acquired');
      const grantedAt = Date.now();
      cutOff(redis);
      await expect(other.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: false });
      await until(async () => (await other.acquire(request([1], [1]))).acquired);
      const freedAt = Date.now();
      // Redis's clock and Date.now() are this machine's; 1 ms of rounding.
      expect(freedAt - askedAt).toBeGreaterThanOrEqual(600 - 1);
      expect(freedAt - grantedAt).toBeLessThan(600 + 1_000);
      await expect(fleetInFlight(1)).resolves.toEqual([1]);
    });

    it('a lease Redis dropped while its process was cut off is not revived: the place stays the other process’s, the loss is said at warn', async () => {
      const timing = { leaseTtlMs: 600, renewIntervalMs: 200, commandTimeoutMs: 300 };
      const logger = new CollectingLogger();
      const redis = client();
      const a = state({ ...timing, logger }, redis);
      const b = state(timing);
      const r = await a.acquire(request([1], [1]));
      if (!r.acquired) throw new Error('not acquired');
      cutOff(redis);
      await until(async () => (await b.acquire(request([1], [1]))).acquired);
      await redis.connect();
      await until(() => a.mode === 'redis');
      await expect(a.renew(r.lease, Date.now())).resolves.toBe(false);
      await sleep(3 * 200); // three more heartbeats: the loss is told once
      expect(logger.warnings.filter((w) => /1 running call lost its lease/.test(w))).toHaveLength(
        1,
      );
      await expect(fleetInFlight(1)).resolves.toEqual([1]);
      // Not released by A either: Redis had already ended it.
      await expect(a.release(r.lease, { kind: 'success' })).resolves.toMatchObject({
        released: false,
      });
      await expect(fleetInFlight(1)).resolves.toEqual([1]);
    });

    it('the heartbeat keeps every running lease alive well past its TTL, one command per period', async () => {
      const timing = { leaseTtlMs: 1_200, renewIntervalMs: 200, commandTimeoutMs: 900 };
      const holder = state(timing);
      const other = state(timing);
      const admin = client();
      const leases: PoolLease[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await holder.acquire(request([1], [3]));
        if (!r.acquired) throw new Error('not acquired');
        leases.push(r.lease);
      }
      const scripts = async () => {
        const info = await admin.info('commandstats');
        return Number(/cmdstat_evalsha:calls=(\d+)/.exec(info)?.[1] ?? 0);
      };
      const before = await scripts();
      await sleep(2_000);
      // About ten periods, each one heartbeat for the three leases.
      expect((await scripts()) - before).toBeLessThanOrEqual(12);
      await expect(other.acquire(request([1], [3]))).resolves.toMatchObject({ acquired: false });
      for (const lease of leases) {
        const expiry = Number(await admin.zscore(`{credchain:${namespace()}}:leases:1`, lease.id));
        expect(expiry).toBeGreaterThan(Date.now() + 1_200 - 400);
        await expect(holder.renew(lease, Date.now())).resolves.toBe(true);
        await holder.release(lease, { kind: 'success' });
        await expect(holder.renew(lease, Date.now())).resolves.toBe(false);
      }
      await expect(fleetInFlight(1)).resolves.toEqual([0]);
    });
  });

  describe('cool-downs, fleet-wide', () => {
    it("one process's throttle keeps every process off the account", async () => {
      const a = state();
      const b = state();
      const now = Date.now();
      const r = await a.acquire(request([1, 2], [4, 4], now));
      if (!r.acquired) throw new Error('not acquired');
      const result = await a.release(r.lease, throttled(now));
      expect(result).toEqual({ released: true, streak: 1, throttledUntil: now + 10_000 });
      for (let i = 0; i < 4; i++) {
        await expect(b.acquire(request([1, 2], [4, 4], now + 1))).resolves.toMatchObject({
          acquired: true,
          lease: { index: 2 },
        });
      }
    });
  });

  describe('waking waiting runs', () => {
    it('pub/sub: a release in one process hands its place to the waiter of another, at once', async () => {
      const a = state();
      const b = state({ wakeUp: 'pubsub' });
      const r = await a.acquire(request([1], [1]));
      if (!r.acquired) throw new Error('not acquired');
      // A poll far away: only the hand-off's message can serve it in time.
      const waiting = b.wait(request([1], [1]), { pollMs: 60_000 });
      await sleep(100);
      const releasedAt = Date.now();
      await a.release(r.lease, { kind: 'success' });
      const served = await waiting;
      expect(Date.now() - releasedAt).toBeLessThan(500);
      expect(served).toMatchObject({ acquired: true, lease: { index: 1 } });
      await expect(fleetInFlight(1)).resolves.toEqual([1]);
      if (served.acquired) await b.release(served.lease, { kind: 'success' });
      await expect(fleetInFlight(1)).resolves.toEqual([0]);
    });

    it('polling: no second connection, listeners hear only this process', async () => {
      const redis = client();
      const a = state();
      const b = state({ wakeUp: 'polling' }, redis);
      let woken = 0;
      b.onRelease(() => woken++);
      const r = await a.acquire(request([1], [1]));
      if (!r.acquired) throw new Error('not acquired');
      await a.release(r.lease, { kind: 'success' });
      await sleep(150);
      expect(woken).toBe(0);
      const own = await b.acquire(request([1], [1]));
      if (!own.acquired) throw new Error('not acquired');
      await b.release(own.lease, { kind: 'success' });
      expect(woken).toBe(1);
    });
  });

  describe('NOSCRIPT', () => {
    it('after SCRIPT FLUSH and after a restart, the scripts are sent again', async () => {
      const a = state();
      const admin = client();
      await expect(a.acquire(request([1], [3]))).resolves.toMatchObject({ acquired: true });
      await admin.script('FLUSH');
      await expect(a.acquire(request([1], [3]))).resolves.toMatchObject({ acquired: true });
      await expect(fleetInFlight(1)).resolves.toEqual([2]);
    });

    it('a restart without persistence, unnoticed: the next heartbeat writes the running leases anew', async () => {
      const a = state({ commandTimeoutMs: 1000, leaseTtlMs: 1_500, renewIntervalMs: 100 });
      for (let i = 0; i < 2; i++) await a.acquire(request([1], [3]));
      await server().restart();
      await until(() => clients.every((c) => c.status === 'ready'));
      await until(async () => (await fleetInFlight(1))[0] === 2);
      await expect(a.acquire(request([1], [3]))).resolves.toMatchObject({ acquired: true });
      await expect(a.acquire(request([1], [3]))).resolves.toMatchObject({ acquired: false });
    });
  });

  describe('bad input', () => {
    it.each([
      ['', /namespace is required/],
      ['has space', /" " is not allowed/],
      ['brace{tag}', /"\{" is not allowed.*hash tag/],
      ['new\nline', /"\\n" is not allowed/],
      ['x'.repeat(65), /1 to 64/],
    ])('namespace %j is refused', (bad, message) => {
      expect(() => new RedisPoolState(client(), { namespace: bad })).toThrow(message);
    });

    it.each([
      ['nothing', undefined, 'undefined'],
      ['a URL', 'redis://127.0.0.1:6379', 'string'],
      ['a plain object', { get: () => undefined }, 'a plain object'],
      ['a Map', new Map(), 'an instance of Map'],
    ])(
      'a client that is neither ioredis nor node-redis (%s) is a TypeError naming the supported ones',
      (_, bad, shown) => {
        expect(() => new RedisPoolState(bad as never, { namespace: 'n' })).toThrow(
          new TypeError(
            `RedisPoolState: expected a client of ioredis (new Redis(…), new Redis({ sentinels, name }), new Cluster(…)) or node-redis v4/v5 (createClient(), createCluster(), createSentinel()); got ${shown}`,
          ),
        );
      },
    );

    it('a leaseTtlMs no longer than the renewal period (plus one command timeout) is refused', () => {
      expect(
        () =>
          new RedisPoolState(client(), { namespace: 'n', leaseTtlMs: 1000, renewIntervalMs: 1000 }),
      ).toThrow(
        /leaseTtlMs \(1000\) must be longer than renewIntervalMs \(1000\) \+ commandTimeoutMs/,
      );
      expect(
        () =>
          new RedisPoolState(client(), {
            namespace: 'n',
            leaseTtlMs: 600,
            renewIntervalMs: 200,
            commandTimeoutMs: 400,
          }),
      ).toThrow(RangeError);
      expect(() => new RedisPoolState(client(), { namespace: 'n', leaseTtlMs: 0 })).toThrow(
        /positive integer/,
      );
      expect(
        new RedisPoolState(client(), { namespace: 'n', leaseTtlMs: 3000 }).renewIntervalMs,
      ).toBe(1000);
    });
  });

  it('holds no secret: only account numbers, counters, times and lease ids', async () => {
    const a = state();
    const r = await a.acquire(request([1, 2], [1, 1]));
    if (!r.acquired) throw new Error('not acquired');
    await a.release(r.lease, throttled(Date.now()));
    await a.acquire(request([1, 2], [1, 1]));
    const admin = client();
    const keys = (await admin.keys('*')).filter((k) => k.includes(`{credchain:${namespace()}}`));
    const layout = expect.stringMatching(
      new RegExp(`^\\{credchain:${namespace()}\\}:layout:[0-9a-f]{16}$`),
    );
    expect(keys.sort()).toEqual([
      `{credchain:${namespace()}}:accounts`,
      `{credchain:${namespace()}}:big`,
      `{credchain:${namespace()}}:capacity`,
      `{credchain:${namespace()}}:cooling`,
      `{credchain:${namespace()}}:expiries`,
      `{credchain:${namespace()}}:fleet`,
      layout,
      `{credchain:${namespace()}}:leases:2`,
      `{credchain:${namespace()}}:processes`,
      `{credchain:${namespace()}}:room`,
    ]);
    const fleet = await admin.hgetall(`{credchain:${namespace()}}:fleet`);
    expect(Object.keys(fleet).sort()).toEqual(['seen', expect.stringMatching(/^v:\{credchain:/)]);
    for (const value of Object.values(fleet)) expect(value).toMatch(/^[0-9a-f]+$/);
    expect(await admin.hgetall(`{credchain:${namespace()}}:capacity`)).toEqual({ 1: '1', 2: '1' });
    expect(await admin.zrange(`{credchain:${namespace()}}:processes`, 0, -1)).toEqual([
      expect.stringMatching(/^[0-9a-f]{12}$/),
    ]);
    const hash = await admin.hgetall(`{credchain:${namespace()}}:accounts`);
    for (const [field, value] of Object.entries(hash)) {
      expect(field).toMatch(/^\d+:(until|leases|throttles|streak|last|episode)$/);
      expect(value).toMatch(/^\d+$/);
    }
    const members = await admin.zrange(`{credchain:${namespace()}}:leases:2`, 0, -1);
    expect(members).toEqual([expect.stringMatching(/^[0-9a-f]{12}\.\d+$/)]);
  });
});

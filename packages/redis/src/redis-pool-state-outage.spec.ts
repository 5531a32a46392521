import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type Redis from 'ioredis';
import { RedisServer } from '../../../test/support/redis-server';
import {
  CollectingLogger,
  request,
  sleep,
  throttled,
  until,
  useRedisStateHarness,
} from '../../../test/support/redis-state-harness';
import { RedisPoolState } from './redis-pool-state';
import { RedisPoolStateError } from './redis-pool-state-error';

describe(`${RedisPoolState.name}: Redis unusable`, () => {
  const { server, namespace, clients, client, state, fleetInFlight } = useRedisStateHarness('test');

  /** Cuts `redis` off: its state can no longer reach Redis, as a crashed or stalled process. */
  const cutOff = (redis: Redis) => redis.disconnect();

  it('READONLY (a replica): falls back with one warning naming the error, grants nothing it does not hold; or fails when told to', async () => {
    const replica = await RedisServer.start({
      args: ['--replicaof', '127.0.0.1', String(server().port)],
    });
    try {
      const logger = new CollectingLogger();
      const onReplica = state({ logger }, client(replica.port));
      // It held nothing: no place of its own to reuse, so nothing is granted.
      await expect(onReplica.acquire(request([1], [1]))).resolves.toMatchObject({
        acquired: false,
      });
      expect(onReplica.mode).toBe('fallback');
      expect(onReplica.health()).toMatchObject({
        state: 'degraded',
        reason: expect.stringMatching(/^(acquire|heartbeat): Redis answered "READONLY/),
      });
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(/READONLY/);
      expect(logger.warnings[0]).toMatch(/the fleet stays within each account's capacity/);
      await expect(onReplica.acquire(request([1], [1]))).resolves.toMatchObject({
        acquired: false,
      });
      expect(logger.warnings).toHaveLength(1);

      const strict = state({ onRedisError: 'fail' }, client(replica.port));
      const failure = strict.acquire(request([1], [1]));
      await expect(failure).rejects.toBeInstanceOf(RedisPoolStateError);
      await expect(failure).rejects.toThrow(/acquire failed: Redis answered "READONLY/);
      await expect(strict.acquire(request([1], [1]))).rejects.toThrow(/READONLY/);
      expect(strict.heldLeases().size).toBe(0);
      // Nothing was written anywhere: the primary counts no lease.
      await expect(fleetInFlight(1)).resolves.toEqual([0]);
    } finally {
      await replica.stop();
    }
  });

  it('a hanging Redis: acquire answers within the command timeout; running leases keep counting and their places are reused, never more; nothing is lost or counted twice when it answers again', async () => {
    const logger = new CollectingLogger();
    const a = state({ logger, commandTimeoutMs: 150 });
    const first = await a.acquire(request([1, 2], [2, 2]));
    const second = await a.acquire(request([1, 2], [2, 2]));
    if (!first.acquired || !second.acquired) throw new Error('not acquired');
    server().pause();

    const start = Date.now();
    const during = await a.acquire(request([1, 2], [2, 2]));
    expect(Date.now() - start).toBeLessThan(1_000);
    // Account 2 is free in Redis, but this process cannot know it is still:
    // it only reuses places of its own.
    expect(during).toMatchObject({ acquired: false });
    expect(a.mode).toBe('fallback');
    await a.release(first.lease, { kind: 'success' });
    const reused = await a.acquire(request([2, 1], [2, 2]));
    expect(reused).toMatchObject({ acquired: true, lease: { index: 1 } });
    await expect(a.acquire(request([1, 2], [2, 2]))).resolves.toMatchObject({
      acquired: false,
    });
    // No call waits for Redis meanwhile.
    const quick = Date.now();
    await a.acquire(request([1, 2], [2, 2]));
    expect(Date.now() - quick).toBeLessThan(150);

    server().resume();
    await until(() => a.mode === 'redis');
    // The timed-out acquire ran late in Redis and was taken back; the first
    // lease is gone, the reused place counts under its new lease.
    await expect(fleetInFlight(2)).resolves.toEqual([2, 0]);
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[1]).toMatch(
      /Redis answers again after \d+\.\d s; 2 running leases re-adopted/,
    );
    expect(a.health()).toEqual({ state: 'shared', processes: 1 });
  });

  it("onRedisError 'fail' and a hanging Redis: acquire rejects within the command timeout; the late acquisition is taken back", async () => {
    const strict = state({ onRedisError: 'fail', commandTimeoutMs: 150 });
    server().pause();
    const start = Date.now();
    await expect(strict.acquire(request([1], [1]))).rejects.toThrow(
      /RedisPoolState: acquire failed: acquire: no answer from Redis within 150 ms/,
    );
    expect(Date.now() - start).toBeLessThan(1_000);
    expect(strict.heldLeases().size).toBe(0);
    server().resume();
    // The queued script runs now and takes the place; the check-in removes it.
    await until(async () => {
      const r = await strict.acquire(request([1], [1])).catch(() => ({ acquired: false }));
      if ('lease' in r) await strict.release(r.lease, { kind: 'success' });
      return r.acquired;
    });
    await expect(fleetInFlight(1)).resolves.toEqual([0]);
  });

  it('a Redis that is down: falls back at once, and checks in when it comes back (running leases written anew, cool-downs merged)', async () => {
    const logger = new CollectingLogger();
    const a = state({ logger });
    const first = await a.acquire(request([1], [5]));
    const second = await a.acquire(request([1], [5]));
    if (!first.acquired || !second.acquired) throw new Error('not acquired');
    await server().crash();
    await until(() => clients.every((c) => c.status !== 'ready'));
    const start = Date.now();
    await a.acquire(request([1], [5]));
    expect(Date.now() - start).toBeLessThan(150);
    expect(a.mode).toBe('fallback');
    // Released while down: Redis is told when it returns (here it lost everything anyway).
    await expect(a.release(first.lease, { kind: 'success' })).resolves.toMatchObject({
      released: true,
    });
    await a.coolDown(1, Date.now() + 60_000);
    await server().restart();
    await until(() => a.mode === 'redis');
    const observed = await state().usage(1, Date.now());
    expect(observed[0]?.inFlight).toBe(1); // the call still running
    expect(observed[0]?.throttledUntil).toBeGreaterThan(Date.now()); // the cool-down written back
    await a.release(second.lease, { kind: 'success' });
    await expect(fleetInFlight(1)).resolves.toEqual([0]);
    expect(logger.warnings).toHaveLength(2);
  });

  it('after a gap longer than the TTL, a lease whose process has not checked in yet stays counted: another process gets nothing until it has, then it renews', async () => {
    const timing = { leaseTtlMs: 600, renewIntervalMs: 200, commandTimeoutMs: 300 };
    // A checks in slowly after the outage; B asks as soon as Redis answers.
    const a = state({ ...timing, probeIntervalMs: 1_500 });
    const b = state(timing);
    const held = await a.acquire(request([1], [1]));
    if (!held.acquired) throw new Error('not acquired');
    await b.usage(1, Date.now()); // B is alive too: its heartbeat runs
    server().pause();
    await sleep(1_000); // A's lease expires in Redis meanwhile
    server().resume();
    await until(() => b.mode === 'redis');
    expect(a.mode).toBe('fallback');
    await expect(b.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: false });
    await until(() => a.mode === 'redis');
    await expect(b.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: false });
    await expect(a.renew(held.lease, Date.now())).resolves.toBe(true);
    await a.release(held.lease, { kind: 'success' });
    await expect(b.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: true });
  });

  it('after a gap, the leases of a process that never checks in are dropped one TTL later', async () => {
    const timing = { leaseTtlMs: 600, renewIntervalMs: 200, commandTimeoutMs: 300 };
    const redis = client();
    const gone = state(timing, redis);
    const b = state(timing);
    const held = await gone.acquire(request([1], [1]));
    if (!held.acquired) throw new Error('not acquired');
    await b.usage(1, Date.now());
    server().pause();
    await sleep(1_000);
    cutOff(redis); // it dies during the outage
    server().resume();
    const back = Date.now();
    await until(async () => (await b.acquire(request([1], [1]))).acquired, 5_000);
    const waited = Date.now() - back;
    expect(waited).toBeGreaterThanOrEqual(600 - 50);
    expect(waited).toBeLessThan(600 + 1_000);
  });

  it('the throttle episode survives a fall-back: an older call’s success keeps the streak; streak changes are written back', async () => {
    const a = state({ commandTimeoutMs: 500 });
    const b = state();
    const admin = client();
    const t0 = Date.now();
    const old = await a.acquire(request([1], [5], t0));
    if (!old.acquired) throw new Error('not acquired');
    // B's throttle starts an episode after A's call was leased.
    const other = await b.acquire(request([1], [5], t0 + 1));
    if (!other.acquired) throw new Error('not acquired');
    await b.release(other.lease, throttled(t0 + 10));
    await a.usage(1, t0 + 20); // A learns the account's numbers, episode start included
    server().pause();
    // An acquire finds Redis hanging (the releases below are then decided
    // from memory alone).
    await a.acquire(request([1], [5], t0 + 20_000));
    expect(a.mode).toBe('fallback');
    // From memory: the old call's success says nothing about the account since.
    await expect(a.release(old.lease, { kind: 'success' })).resolves.toMatchObject({
      streak: 1,
      throttledUntil: t0 + 10 + 10_000,
    });
    // Its place is reused; a new episode while falling back escalates from Redis's streak.
    const late = await a.acquire(request([1], [5], t0 + 20_000));
    if (!late.acquired) throw new Error('not acquired');
    await expect(a.release(late.lease, throttled(t0 + 20_001))).resolves.toEqual({
      released: true,
      streak: 2,
      throttledUntil: t0 + 20_001 + 20_000,
    });
    server().resume();
    await until(() => a.mode === 'redis');
    const hash = await admin.hgetall(`{credchain:${namespace()}}:accounts`);
    expect([hash['1:streak'], hash['1:episode'], hash['1:until']]).toEqual([
      '2',
      String(t0 + 20_001),
      String(t0 + 20_001 + 20_000),
    ]);
  });

  it('a success while falling back resets the streak in Redis too, when its call was leased after the episode began', async () => {
    const a = state({ commandTimeoutMs: 500 });
    const admin = client();
    const t0 = Date.now();
    const first = await a.acquire(request([1], [5], t0));
    if (!first.acquired) throw new Error('not acquired');
    await a.release(first.lease, throttled(t0 + 1));
    const next = await a.acquire(request([1], [5], t0 + 10_001));
    if (!next.acquired) throw new Error('not acquired');
    server().pause();
    await a.acquire(request([1], [5], t0 + 10_002)); // times out: falls back
    expect(a.mode).toBe('fallback');
    await expect(a.release(next.lease, { kind: 'success' })).resolves.toMatchObject({
      streak: 0,
    });
    server().resume();
    await until(() => a.mode === 'redis');
    await expect(admin.hget(`{credchain:${namespace()}}:accounts`, '1:streak')).resolves.toBe('0');
  });

  it('release and renew after close(): they reach Redis, and never fall back or warn', async () => {
    const logger = new CollectingLogger();
    const redis = client();
    const a = state({ logger }, redis);
    const r1 = await a.acquire(request([1], [5]));
    const r2 = await a.acquire(request([1], [5]));
    if (!r1.acquired || !r2.acquired) throw new Error('not acquired');
    await a.close();
    await expect(a.renew(r1.lease, Date.now())).resolves.toBe(true);
    await expect(a.release(r1.lease, { kind: 'success' })).resolves.toMatchObject({
      released: true,
    });
    await expect(fleetInFlight(1)).resolves.toEqual([1]);
    // The caller closed its client too: the lease held here still ends.
    redis.disconnect();
    await expect(a.renew(r2.lease, Date.now())).resolves.toBe(true);
    await expect(a.release(r2.lease, { kind: 'success' })).resolves.toMatchObject({
      released: true,
    });
    expect(a.mode).toBe('redis');
    expect(logger.warnings).toEqual([]);
  });

  it('with a logger, the first outage is warned about when it begins and ends; later ones go to debug', async () => {
    const logger = new CollectingLogger();
    const a = state({ logger, commandTimeoutMs: 100 });
    for (let outage = 0; outage < 2; outage++) {
      server().pause();
      await a.acquire(request([1], [1]));
      expect(a.mode).toBe('fallback');
      server().resume();
      await until(() => a.mode === 'redis');
    }
    expect(logger.warnings).toEqual([
      expect.stringMatching(/Redis cannot be used \((acquire|heartbeat): \w+: no answer/),
      expect.stringMatching(/Redis answers again after \d+\.\d s; 0 running leases re-adopted/),
    ]);
    expect(logger.debugs.filter((m) => /Redis cannot be used/.test(m))).toHaveLength(1);
    expect(logger.debugs.filter((m) => /Redis answers again/.test(m))).toHaveLength(1);
  });

  it('without a logger, through process.emitWarning: the first outage of each instance', async () => {
    // jest gives each test file its own `process` facade: watch the call itself.
    const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const first = state({ logger: undefined, commandTimeoutMs: 100 });
      server().pause();
      await first.acquire(request([1], [1]));
      server().resume();
      await until(() => first.mode === 'redis');
      server().pause();
      await first.acquire(request([1], [1])); // a second outage: not warned
      server().resume();
      await until(() => first.mode === 'redis');
      const another = state({ logger: undefined, commandTimeoutMs: 100 });
      server().pause();
      await another.acquire(request([1], [1]));
      server().resume();
      await until(() => another.mode === 'redis');
      const ours = emitted.mock.calls.filter(([m]) => /RedisPoolState/.test(String(m)));
      expect(
        ours.map(([m]) =>
          String(m)
            .replace(/.*: Redis /, 'Redis ')
            .slice(0, 22),
        ),
      ).toEqual([
        'Redis cannot be used (',
        'Redis answers again af',
        'Redis cannot be used (',
        'Redis answers again af',
      ]);
      expect(ours[0]?.[1]).toEqual({ code: 'CREDCHAIN_REDIS_FALLBACK' });
    } finally {
      emitted.mockRestore();
    }
  });

  it('credchain:redis.fallback: entered with the reason, left with the duration and the leases re-adopted', async () => {
    const messages: unknown[] = [];
    const listener = (message: unknown) => messages.push(message);
    subscribe('credchain:redis.fallback', listener);
    try {
      const a = state({ commandTimeoutMs: 150 });
      await a.acquire(request([1], [3]));
      await a.acquire(request([1], [3]));
      server().pause();
      await a.acquire(request([1], [3]));
      server().resume();
      await until(() => a.mode === 'redis');
      expect(messages).toEqual([
        {
          namespace: namespace(),
          state: 'entered',
          reason: 'acquire: acquire: no answer from Redis within 150 ms',
        },
        { namespace: namespace(), state: 'left', durationMs: expect.any(Number), readopted: 2 },
      ]);
    } finally {
      unsubscribe('credchain:redis.fallback', listener);
    }
  });
});

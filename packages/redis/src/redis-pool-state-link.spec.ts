/**
 * A `RedisPoolState`'s hold on Redis as a process sees it: whose logger is
 * told, the heartbeat's count of live processes (a closed state leaves it),
 * leases lost to another process said in full (one, several, without a
 * logger), and `onRedisError: 'fail'` recovering on the next call. A real
 * redis-server.
 */
import {
  CollectingLogger,
  request,
  sleep,
  until,
  useRedisStateHarness,
} from '../../../test/support/redis-state-harness';

describe('RedisPoolState and its link to Redis', () => {
  const { server, namespace, client, state, fleetInFlight } = useRedisStateHarness('link');

  it('an outage is told to the state’s own logger, else to the logger the pool gives it', async () => {
    const own = new CollectingLogger();
    const pools = new CollectingLogger();
    const withOwn = state({ logger: own, commandTimeoutMs: 100 });
    const withoutOwn = state({ logger: undefined, commandTimeoutMs: 100 });
    withOwn.useLogger(pools);
    withoutOwn.useLogger(pools);
    server().pause();
    await withOwn.acquire(request([1], [1]));
    await withoutOwn.acquire(request([1], [1]));
    server().resume();
    await until(() => withOwn.mode === 'redis' && withoutOwn.mode === 'redis');
    const began = (logger: CollectingLogger) =>
      logger.warnings.filter((w) => w.includes('Redis cannot be used'));
    expect(began(own)).toHaveLength(1);
    expect(began(pools)).toHaveLength(1);
    expect(began(pools)[0]).toContain(`RedisPoolState "${namespace()}"`);
  });

  it('health() counts the live processes; a closed state leaves at once, not one TTL later', async () => {
    const timing = { leaseTtlMs: 60_000, renewIntervalMs: 100 };
    const a = state(timing);
    const b = state(timing);
    await a.acquire(request([1], [5]));
    await b.acquire(request([1], [5]));
    await until(() => a.health().processes === 2 && b.health().processes === 2);
    expect(a.health()).toEqual({ state: 'shared', processes: 2 });
    await b.close();
    await until(() => a.health().processes === 1, 2_000);
    // And stays gone: a closed state's heartbeat does not beat again.
    await sleep(4 * 100);
    expect(a.health().processes).toBe(1);
  });

  it('a lease renewed past its TTL still leaves its place for reuse when it ends during an outage', async () => {
    const timing = { leaseTtlMs: 1_500, renewIntervalMs: 150, commandTimeoutMs: 100 };
    const a = state(timing);
    const first = await a.acquire(request([1], [1]));
    if (!first.acquired) throw new Error('not acquired');
    // Held for longer than its TTL: only the heartbeats keep its place counted.
    await sleep(2_000);
    server().pause();
    await expect(a.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: false });
    expect(a.mode).toBe('fallback');
    await a.release(first.lease, { kind: 'success' });
    await expect(a.acquire(request([1], [1]))).resolves.toMatchObject({ acquired: true });
  });

  it.each([
    [
      1,
      '1 running call lost its lease (Redis no longer had it and the place was taken): it runs uncounted until it ends.',
    ],
    [
      2,
      '2 running calls lost their leases (Redis no longer had them and the place was taken): they run uncounted until they end.',
    ],
  ])('%i lease(s) lost to another process: said in full, once', async (count, said) => {
    const timing = { leaseTtlMs: 600, renewIntervalMs: 200, commandTimeoutMs: 300 };
    const logger = new CollectingLogger();
    const redis = client();
    const a = state({ ...timing, logger }, redis);
    const b = state(timing);
    for (let i = 0; i < count; i++) {
      expect((await a.acquire(request([1], [count]))).acquired).toBe(true);
    }
    redis.disconnect();
    for (let i = 0; i < count; i++) {
      await until(async () => (await b.acquire(request([1], [count]))).acquired);
    }
    await redis.connect();
    await until(() => a.mode === 'redis');
    await sleep(3 * 200);
    expect(logger.warnings.filter((w) => w.includes('running call'))).toEqual([
      `RedisPoolState "${namespace()}": ${said}`,
    ]);
    await expect(fleetInFlight(1)).resolves.toEqual([count]);
  });

  it('a lost lease with a logger that has no warn: said at debug', async () => {
    const timing = { leaseTtlMs: 600, renewIntervalMs: 200, commandTimeoutMs: 300 };
    const debugs: string[] = [];
    const redis = client();
    const a = state({ ...timing, logger: { debug: (line) => debugs.push(line) } }, redis);
    const b = state(timing);
    expect((await a.acquire(request([1], [1]))).acquired).toBe(true);
    redis.disconnect();
    await until(async () => (await b.acquire(request([1], [1]))).acquired);
    await redis.connect();
    await until(() => debugs.some((line) => line.includes('1 running call lost its lease')));
  });

  it('a waiter sent home by an outage leaves the fleet’s line once Redis is back: it holds no place there', async () => {
    const timing = {
      leaseTtlMs: 5_000,
      renewIntervalMs: 200,
      commandTimeoutMs: 150,
      probeIntervalMs: 50,
    };
    const a = state(timing);
    const b = state(timing);
    const held = await a.acquire(request([1], [1]));
    if (!held.acquired) throw new Error('not acquired');
    // B joins the fleet's line; the outage sends it home (its wait answers "full").
    const waiting = b.wait(request([1], [1]), { pollMs: 60_000 });
    const admin = client();
    await until(async () => (await admin.exists(`{credchain:${namespace()}}:queue`)) === 1);
    server().pause();
    await expect(waiting).resolves.toMatchObject({ acquired: false, refusal: 'full' });
    server().resume();
    await until(() => a.mode === 'redis' && b.mode === 'redis');
    await a.release(held.lease, { kind: 'success' });
    // The place is free for whoever asks next, not handed to B's old place in the line.
    await expect(state(timing).acquire(request([1], [1]))).resolves.toMatchObject({
      acquired: true,
    });
  });

  it('a lost lease without any logger: a process warning of its own code', async () => {
    const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const timing = { leaseTtlMs: 600, renewIntervalMs: 200, commandTimeoutMs: 300 };
      const redis = client();
      const a = state({ ...timing, logger: undefined }, redis);
      const b = state(timing);
      expect((await a.acquire(request([1], [1]))).acquired).toBe(true);
      redis.disconnect();
      await until(async () => (await b.acquire(request([1], [1]))).acquired);
      await redis.connect();
      await until(() =>
        emitted.mock.calls.some(([m]) => String(m).includes('1 running call lost its lease')),
      );
      const lost = emitted.mock.calls.find(([m]) => String(m).includes('lost its lease'));
      expect(lost?.[1]).toEqual({ code: 'CREDCHAIN_REDIS_LEASE_LOST' });
    } finally {
      emitted.mockRestore();
    }
  });

  it("onRedisError 'fail': once Redis answers again, the next call succeeds without waiting for a probe", async () => {
    const a = state({ onRedisError: 'fail', commandTimeoutMs: 150, probeIntervalMs: 60_000 });
    server().pause();
    await expect(a.acquire(request([1], [1]))).rejects.toThrow(/no answer from Redis/);
    expect(a.mode).toBe('fallback');
    server().resume();
    const again = await a.acquire(request([1], [1]));
    expect(again.acquired).toBe(true);
    expect(a.mode).toBe('redis');
  });

  it("onRedisError 'fail': the rejection keeps Redis's own error as its cause", async () => {
    const a = state({ onRedisError: 'fail', commandTimeoutMs: 150 });
    server().pause();
    const error = await a.acquire(request([1], [1])).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).cause).toMatchObject({ name: 'RedisTimeoutError' });
  });
});

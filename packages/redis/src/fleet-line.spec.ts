/**
 * The fleet's line (`lua/include/queue.lua`, `FleetLine`) on a real
 * redis-server: several `RedisPoolState`s stand in for the processes of a
 * fleet, each with its own connection.
 */
import type { AcquireRequest, AcquireResult, PoolLease } from '@credchain/aws';
import Redis from 'ioredis';
import { RedisServer } from '../../../test/support/redis-server';
import { RedisPoolState } from './redis-pool-state';
import type { RedisPoolStateOptions } from './redis-pool-state-options';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const request = (capacity: number[]): AcquireRequest => ({
  preference: [1],
  capacity,
  now: Date.now(),
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function leaseOf(result: AcquireResult): PoolLease {
  if (!result.acquired) throw new Error(`not acquired: ${result.refusal}`);
  return result.lease;
}

describe('the fleet line (RedisPoolState.wait)', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const states: RedisPoolState[] = [];
  let counter = 0;
  let namespace: string;

  function client(): Redis {
    const redis = new Redis(server.port, '127.0.0.1', { retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  }

  function state(options: Partial<RedisPoolStateOptions> = {}, redis = client()) {
    const s = new RedisPoolState(redis, {
      namespace,
      leaseTtlMs: 10_000,
      commandTimeoutMs: 2_000,
      logger: { debug: () => undefined },
      ...options,
    });
    states.push(s);
    return s;
  }

  /** Counts the hand-off messages of the namespace (every process's channel). */
  async function wakeUps(): Promise<{ count: () => number }> {
    const spy = client();
    let count = 0;
    spy.on('pmessage', () => count++);
    await spy.psubscribe(`{credchain:${namespace}}:wake:*`);
    return { count: () => count };
  }

  beforeAll(async () => {
    server = await RedisServer.start();
  });

  beforeEach(() => {
    namespace = `line-${++counter}`;
  });

  afterEach(async () => {
    for (const s of states.splice(0)) await s.close();
    for (const c of clients.splice(0)) c.disconnect();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('serves waiters in arrival order across processes, one message per hand-off', async () => {
    const holder = state();
    const [a, b] = [state(), state()];
    const spy = await wakeUps();
    const held = leaseOf(await holder.acquire(request([1])));
    const served: string[] = [];
    const queue = `{credchain:${namespace}}:queue`;
    const waits: { name: string; s: RedisPoolState; waiting: Promise<AcquireResult> }[] = [];
    // Each joins before the next asks: the arrival order is known.
    for (const [name, s] of [
      ['a1', a],
      ['b1', b],
      ['a2', a],
      ['b2', b],
    ] as const) {
      waits.push({ name, s, waiting: s.wait(request([1]), { pollMs: 60_000 }) });
      await until(async () => (await clients[0]?.zcard(queue)) === waits.length);
    }
    let lease = held;
    let from = holder;
    for (const { name, s, waiting } of waits) {
      await from.release(lease, { kind: 'success' });
      lease = leaseOf(await waiting);
      served.push(name);
      from = s;
    }
    await from.release(lease, { kind: 'success' });
    expect(served).toEqual(['a1', 'b1', 'a2', 'b2']);
    await until(() => spy.count() === 4);
    await sleep(50);
    expect(spy.count()).toBe(4);
  });

  it("a hand-off that comes before the acquire's own answer is kept for its waiter", async () => {
    const admin = client();
    const holder = state();
    const waiterRedis = client();
    const waiter = state({}, waiterRedis);
    const held = leaseOf(await holder.acquire(request([1])));
    // The layout registered and the heartbeat started: the next script is the join.
    expect(await waiter.acquire(request([1]))).toMatchObject({ acquired: false });
    await sleep(50);
    const stream = (waiterRedis as unknown as { stream: NodeJS.ReadableStream }).stream;
    stream.pause(); // Redis's answers to the waiter's connection wait unread
    const waiting = waiter.wait(request([1]), { pollMs: 60_000 });
    const queue = `{credchain:${namespace}}:queue`;
    await until(async () => (await admin.zcard(queue)) === 1);
    // Handed over while the join's answer is still unread; the message comes
    // on the subscriber's own connection, first.
    await holder.release(held, { kind: 'success' });
    await until(async () => (await admin.hlen(`{credchain:${namespace}}:granted`)) === 1);
    await sleep(50);
    stream.resume();
    const lease = leaseOf(await waiting);
    expect(lease.index).toBe(1);
    // Held, not given back: the place is still this waiter's.
    const lived = await admin.zrange(`{credchain:${namespace}}:leases:1`, 0, -1);
    expect(lived).toEqual([lease.id]);
    await waiter.release(lease, { kind: 'success' });
  });

  it('an aborted waiter leaves the line at once: the next one gets the place', async () => {
    const holder = state();
    const [a, b] = [state(), state()];
    const held = leaseOf(await holder.acquire(request([1])));
    const aborting = new AbortController();
    const first = a.wait(request([1]), { pollMs: 60_000, signal: aborting.signal });
    const queue = `{credchain:${namespace}}:queue`;
    await until(async () => (await clients[0]?.zcard(queue)) === 1);
    const second = b.wait(request([1]), { pollMs: 60_000 });
    await until(async () => (await clients[0]?.zcard(queue)) === 2);
    aborting.abort(new Error('no longer needed'));
    await expect(first).rejects.toThrow('no longer needed');
    await until(async () => (await clients[0]?.zcard(queue)) === 1);
    const releasedAt = Date.now();
    await holder.release(held, { kind: 'success' });
    const lease = leaseOf(await second);
    expect(Date.now() - releasedAt).toBeLessThan(500);
    await b.release(lease, { kind: 'success' });
  });

  it('a waiter whose process stopped beating is dropped: it cannot hold the line', async () => {
    // One configuration for all: heartbeats every 200 ms, liveness 500 ms.
    const short = { leaseTtlMs: 600, commandTimeoutMs: 100 };
    const admin = client();
    const holder = state(short);
    const deadRedis = client();
    const dead = state(short, deadRedis);
    const live = state(short);
    const held = leaseOf(await holder.acquire(request([1])));
    const queue = `{credchain:${namespace}}:queue`;
    void dead.wait(request([1]), { pollMs: 60_000 }).catch(() => undefined);
    await until(async () => (await admin.zcard(queue)) === 1);
    deadRedis.disconnect(); // its heartbeat stops
    await sleep(800);
    const waiting = live.wait(request([1]), { pollMs: 60_000 });
    await until(async () => (await admin.zcard(queue)) === 2);
    const releasedAt = Date.now();
    await holder.release(held, { kind: 'success' });
    const lease = leaseOf(await waiting);
    expect(Date.now() - releasedAt).toBeLessThan(300);
    expect(await admin.zcard(queue)).toBe(0);
    // Handed to the live waiter only.
    expect(await admin.hkeys(`{credchain:${namespace}}:granted`)).toEqual([lease.id]);
    await live.release(lease, { kind: 'success' });
  });

  it("a place handed to a waiter lasts the waiter's own leaseTtlMs, not the releaser's", async () => {
    // The releaser's leases last 600 ms; the waiter's 10 s (renewed every 3.3 s).
    const releaser = state({ leaseTtlMs: 600, commandTimeoutMs: 100 });
    const waiter = state();
    const held = leaseOf(await releaser.acquire(request([1])));
    const waiting = waiter.wait(request([1]), { pollMs: 60_000 });
    const queue = `{credchain:${namespace}}:queue`;
    await until(async () => (await clients[0]?.zcard(queue)) === 1);
    await releaser.release(held, { kind: 'success' });
    const lease = leaseOf(await waiting);
    // Past the releaser's TTL, before the waiter's first renewal: still held.
    await sleep(1_000);
    expect(await releaser.acquire(request([1]))).toMatchObject({ acquired: false });
    await waiter.release(lease, { kind: 'success' });
  });

  it('a hand-off found by the poll (no message) is renewed then: its lease runs a full TTL from there', async () => {
    const admin = client();
    const holder = state();
    // No channel: the hand-off is found by the poll, 1 s after it was made
    // (its lease lasts 1.5 s; the next renewal may come 500 ms after that).
    const waiter = state({ wakeUp: 'polling', leaseTtlMs: 1_500, commandTimeoutMs: 200 });
    const held = leaseOf(await holder.acquire(request([1])));
    const waiting = waiter.wait(request([1]), { pollMs: 1_000 });
    const queue = `{credchain:${namespace}}:queue`;
    await until(async () => (await admin.zcard(queue)) === 1);
    await holder.release(held, { kind: 'success' });
    const lease = leaseOf(await waiting);
    const [seconds, micros] = (await admin.time()) as [number, number];
    const serverNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const expiry = Number(await admin.zscore(`{credchain:${namespace}}:leases:1`, lease.id));
    expect(expiry - serverNow).toBeGreaterThan(1_200);
    await waiter.release(lease, { kind: 'success' });
  });

  it('a subscription that failed is tried again by the next waiter, not kept as failed', async () => {
    const holder = state();
    // Without an offline queue, the first SUBSCRIBE fails: its connection is not up yet.
    const redis = new Redis(server.port, '127.0.0.1', { enableOfflineQueue: false });
    redis.on('error', () => undefined);
    clients.push(redis);
    await until(() => redis.status === 'ready');
    const waiter = state({}, redis);
    const held = leaseOf(await holder.acquire(request([1])));
    const aborting = new AbortController();
    const first = waiter.wait(request([1]), { pollMs: 60_000, signal: aborting.signal });
    const queue = `{credchain:${namespace}}:queue`;
    await until(async () => (await clients[0]?.zcard(queue)) === 1);
    await sleep(100);
    // Another waiter of the same process, while the first still waits.
    const second = waiter.wait(request([1]), { pollMs: 60_000 });
    await until(async () => (await clients[0]?.zcard(queue)) === 2);
    aborting.abort(new Error('gone'));
    await expect(first).rejects.toThrow('gone');
    await until(async () => (await clients[0]?.zcard(queue)) === 1);
    const releasedAt = Date.now();
    await holder.release(held, { kind: 'success' });
    const lease = leaseOf(await second);
    expect(Date.now() - releasedAt).toBeLessThan(500);
    await waiter.release(lease, { kind: 'success' });
  }, 10_000);

  it('a waiter is handed a place only within its own capacity, whatever another pool registered since', async () => {
    const a = state();
    const b = state();
    const held = leaseOf(await a.acquire(request([2])));
    // B's cell holds 1: it waits (its capacity is registered now).
    let served = false;
    const waiting = b.wait(request([1]), { pollMs: 200 }).then((result) => {
      served = true;
      return result;
    });
    const queue = `{credchain:${namespace}}:queue`;
    await until(async () => (await clients[0]?.zcard(queue)) === 1);
    // A registers its own capacity (2) again (and may take its second place).
    const second = await a.acquire(request([2]));
    await sleep(300);
    // A runs on the cell: B (capacity 1) must not be handed a place beside it.
    expect(served).toBe(false);
    if (second.acquired) await a.release(second.lease, { kind: 'success' });
    await sleep(100);
    expect(served).toBe(false);
    await a.release(held, { kind: 'success' });
    const lease = leaseOf(await waiting);
    await b.release(lease, { kind: 'success' });
  });

  it('a process subscribes while something waits, and lets its channel go afterwards', async () => {
    const holder = state();
    const waiter = state();
    const admin = client();
    const channels = async () =>
      ((await admin.call('PUBSUB', 'CHANNELS', `{credchain:${namespace}}:wake:*`)) as string[])
        .length;
    const held = leaseOf(await holder.acquire(request([1])));
    const waiting = waiter.wait(request([1]), { pollMs: 60_000 });
    await until(async () => (await channels()) === 1);
    await holder.release(held, { kind: 'success' });
    await waiter.release(leaseOf(await waiting), { kind: 'success' });
    // Let go LINGER_MS (1 s) after the last waiter was served.
    await until(async () => (await channels()) === 0, 3_000);
  });
});

/**
 * `AccountPool.run` over a `RedisPoolState` on a real redis-server: several
 * pools in one jest process, each with its own client and state, stand in
 * for the processes of a fleet (the multi-process test spawns real ones).
 */
import { AccountPool, type AccountsExhaustedError, isAccountsExhaustedError } from '@credchain/aws';
import { RedisPoolState, type RedisPoolStateOptions } from '@credchain/redis';
import Redis from 'ioredis';
import { RedisServer } from '../support/redis-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = {
  AWS_KEY_1: 'AKIAEXAMPLEFLEET0001',
  AWS_SECRET_1: 'secret-fleet-1-not-real-0000000000000000',
  AWS_KEY_2: 'AKIAEXAMPLEFLEET0002',
  AWS_SECRET_2: 'secret-fleet-2-not-real-0000000000000000',
};

class Throttled extends Error {
  override readonly name = 'TooManyRequestsException';
}

/** Counts calls in flight per account, and the most seen at once. */
class ConcurrencyMeter {
  readonly now = new Map<number, number>();
  readonly max = new Map<number, number>();
  async during<R>(index: number, work: () => Promise<R>): Promise<R> {
    const current = (this.now.get(index) ?? 0) + 1;
    this.now.set(index, current);
    this.max.set(index, Math.max(this.max.get(index) ?? 0, current));
    try {
      return await work();
    } finally {
      this.now.set(index, (this.now.get(index) ?? 1) - 1);
    }
  }
}

describe('AccountPool on RedisPoolState', () => {
  let server: RedisServer;
  let namespace: string;
  let counter = 0;
  const clients: Redis[] = [];
  const states: RedisPoolState[] = [];

  function member(options: Partial<RedisPoolStateOptions> = {}, waitPollMs = 5_000) {
    const redis = new Redis(server.port, '127.0.0.1', { retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    clients.push(redis);
    const debugs: string[] = [];
    const state = new RedisPoolState(redis, {
      namespace,
      // Generous by default (a loaded machine is not a hanging Redis); the
      // hanging-Redis test sets a short bound itself.
      leaseTtlMs: 10_000,
      commandTimeoutMs: 2_000,
      probeIntervalMs: 50,
      logger: { debug: (m) => debugs.push(m) },
      ...options,
    });
    states.push(state);
    const pool = AccountPool.fromEnv(env, {
      capacity: 2,
      state,
      waitPollMs,
      strategy: 'round-robin',
    });
    return { pool, state, debugs };
  }

  beforeAll(async () => {
    server = await RedisServer.start();
  });

  beforeEach(() => {
    namespace = `pool-${++counter}`;
  });

  afterEach(async () => {
    server.resume();
    for (const s of states.splice(0)) await s.close();
    for (const c of clients.splice(0)) c.disconnect();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('three pools, 36 concurrent runs: never more than capacity per account across them', async () => {
    const members = [member(), member(), member()];
    const meter = new ConcurrencyMeter();
    const results = await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        (members[i % 3] as ReturnType<typeof member>).pool.run(({ index }) =>
          meter.during(index, async () => {
            await sleep(15);
            return index;
          }),
        ),
      ),
    );
    expect(results).toHaveLength(36);
    expect(meter.max.get(1)).toBe(2);
    expect(meter.max.get(2)).toBe(2);
    const stats = await members[0]?.pool.stats();
    expect(stats?.map((s) => s.inFlight)).toEqual([0, 0]);
    expect(stats?.reduce((sum, s) => sum + s.leases, 0)).toBe(36);
  });

  it("a throttle in one pool keeps another pool's runs off that account", async () => {
    const a = member();
    const b = member();
    const tried: number[] = [];
    await a.pool.run(({ index }) => {
      tried.push(index);
      if (index === 1) throw new Throttled('Rate exceeded');
      return 'ok';
    });
    expect(tried).toEqual([1, 2]);
    const onB = await Promise.all([1, 2, 3].map(() => b.pool.run(({ index }) => index)));
    expect(onB).toEqual([2, 2, 2]);
    const [one] = await b.pool.stats();
    expect(one?.throttles).toBe(1);
    expect(one?.throttledUntil).toBeGreaterThan(Date.now());
  });

  it('every account throttled: AccountsExhaustedError from the store, seen by another pool too', async () => {
    const a = member();
    const b = member();
    let calls = 0;
    const error = await a.pool
      .run(() => {
        calls++;
        throw new Throttled('Rate exceeded');
      })
      .catch((e: unknown) => e);
    expect(calls).toBe(2);
    expect(isAccountsExhaustedError(error)).toBe(true);
    const exhausted = error as AccountsExhaustedError;
    expect(exhausted.accounts.map((x) => [x.index, x.accessKeyId, x.throttledByThisCall])).toEqual([
      [1, 'AKIA…0001', true],
      [2, 'AKIA…0002', true],
    ]);
    // Another pool on the same store finds both cooling down, without trying either.
    let triedOnB = 0;
    const other = await b.pool.run(() => triedOnB++).catch((e: unknown) => e);
    expect(isAccountsExhaustedError(other)).toBe(true);
    expect(triedOnB).toBe(0);
  });

  it('pub/sub wakes a run waiting in another pool as soon as a place frees, long before its poll', async () => {
    const a = member({}, 5_000);
    const b = member({ wakeUp: 'pubsub' }, 5_000);
    let releaseA: () => void = () => undefined;
    const holding = Array.from({ length: 4 }, () =>
      a.pool.run(
        () =>
          new Promise<void>((resolve) => {
            const previous = releaseA;
            releaseA = () => {
              previous();
              resolve();
            };
          }),
      ),
    );
    await sleep(100);
    let startedAt = 0;
    const waiting = b.pool.run(() => {
      startedAt = Date.now();
    });
    await sleep(200);
    expect(startedAt).toBe(0);
    expect(b.pool.waiting).toBe(1);
    const freedAt = Date.now();
    releaseA();
    await Promise.all([...holding, waiting]);
    expect(startedAt - freedAt).toBeLessThan(1_000);
  });

  it('a hanging Redis: runs that hold places go on in them, a pool that holds none waits for Redis; nothing lost or counted twice', async () => {
    const short = { leaseTtlMs: 3_000, commandTimeoutMs: 150 };
    const a = member(short, 100);
    const b = member(short, 100);
    const meter = new ConcurrencyMeter();
    // A keeps its 4 places busy with short calls, one after the other.
    let stop = false;
    const lanes = Array.from({ length: 4 }, async () => {
      let runs = 0;
      while (!stop) {
        await a.pool.run(({ index }) => meter.during(index, () => sleep(20)));
        runs++;
      }
      return runs;
    });
    await sleep(100);
    server.pause();
    const pausedAt = Date.now();
    let bStartedAt = 0;
    const waiting = b.pool.run(() => {
      bStartedAt = Date.now();
    });
    await sleep(800);
    expect(a.state.mode).toBe('fallback');
    // A's calls went on in its own places meanwhile; B got none of them.
    expect(bStartedAt).toBe(0);
    const resumedAt = Date.now();
    server.resume();
    stop = true;
    const runs = await Promise.all(lanes);
    await waiting;
    expect(bStartedAt).toBeGreaterThanOrEqual(resumedAt);
    expect(bStartedAt - resumedAt).toBeLessThan(1_500);
    expect(Math.max(...meter.max.values())).toBeLessThanOrEqual(2);
    expect(runs.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(resumedAt - pausedAt).toBeGreaterThanOrEqual(800);
    for (
      let waited = 0;
      [a, b].some((m) => m.state.mode !== 'redis') && waited < 5_000;
      waited += 20
    ) {
      await sleep(20);
    }
    const stats = await member().pool.stats();
    expect(stats.map((s) => [s.inFlight, s.state])).toEqual([
      [0, 'shared'],
      [0, 'shared'],
    ]);
  });

  it("warns through the pool's logger when the state has none of its own, when the outage begins and when it ends", async () => {
    const redis = new Redis(server.port, '127.0.0.1', { retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    clients.push(redis);
    const state = new RedisPoolState(redis, {
      namespace,
      leaseTtlMs: 2_000,
      commandTimeoutMs: 150,
    });
    states.push(state);
    const lines: string[] = [];
    const pool = AccountPool.fromEnv(env, {
      capacity: 2,
      state,
      logger: { debug: (m) => lines.push(m) },
    });
    await pool.stats();
    server.pause();
    const rendered = pool.run(() => 'rendered');
    await sleep(300);
    expect((await pool.stats()).map((s) => s.state)).toEqual(['degraded', 'degraded']);
    server.resume();
    await expect(rendered).resolves.toBe('rendered');
    expect(lines.filter((l) => /cannot be used/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/the fleet stays within each account's capacity/);
    expect(lines.filter((l) => /Redis answers again after/.test(l))).toHaveLength(1);
  });

  it('pools falling back stay within capacity together: a pool runs only in the places it held, one that held none waits; both share again once Redis is back', async () => {
    const short = { leaseTtlMs: 3_000, commandTimeoutMs: 150 };
    const [holder, other] = [member(short, 50), member(short, 50)];
    const meter = new ConcurrencyMeter();
    const runs = (pool: AccountPool, n: number, ms: number) =>
      Array.from({ length: n }, () =>
        pool.run(({ index }) => meter.during(index, () => sleep(ms))),
      );
    // The holder takes every place; Redis goes away while its calls run.
    const first = runs((holder as ReturnType<typeof member>).pool, 8, 200);
    await sleep(50);
    const waiting = runs((other as ReturnType<typeof member>).pool, 4, 30);
    await sleep(50);
    await server.crash();
    // The holder's next four calls run in its own places; the other pool gets none.
    await Promise.all(first);
    expect([holder?.state.mode, other?.state.mode]).toEqual(['fallback', 'fallback']);
    expect(other?.pool.waiting).toBe(4);
    expect(Math.max(...meter.max.values())).toBe(2);
    await server.restart();
    await Promise.all(waiting);
    for (
      let waited = 0;
      [holder, other].some((m) => m?.state.mode !== 'redis') && waited < 5_000;
      waited += 20
    ) {
      await sleep(20);
    }
    expect([holder?.state.mode, other?.state.mode]).toEqual(['redis', 'redis']);
    meter.max.clear();
    await Promise.all([
      ...runs((holder as ReturnType<typeof member>).pool, 4, 30),
      ...runs((other as ReturnType<typeof member>).pool, 4, 30),
    ]);
    expect(Math.max(...meter.max.values())).toBe(2);
  });
});

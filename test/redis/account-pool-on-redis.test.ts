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

  it('a hanging Redis delays one run by one command timeout at most, and no lease is lost or counted twice', async () => {
    const short = { leaseTtlMs: 2_000, commandTimeoutMs: 150 };
    const a = member(short);
    const b = member(short);
    const started = Date.now();
    let release: () => void = () => undefined;
    const running = a.pool.run(
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    await sleep(50);
    server.pause();
    const t = Date.now();
    await b.pool.run(() => 'rendered');
    expect(Date.now() - t).toBeLessThan(1_500);
    expect(b.state.mode).toBe('fallback');
    server.resume();
    release();
    await running;
    for (
      let waited = 0;
      [a, b].some((m) => m.state.mode !== 'redis') && waited < 5_000;
      waited += 20
    ) {
      await sleep(20);
    }
    expect(a.state.mode).toBe('redis');
    expect(b.state.mode).toBe('redis');
    const stats = await member().pool.stats();
    expect(stats.map((s) => s.inFlight)).toEqual([0, 0]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("warns through the pool's logger when the state has none of its own", async () => {
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
    server.pause();
    await expect(pool.run(() => 'rendered')).resolves.toBe('rendered');
    expect(lines.filter((l) => /falling back|cannot be used/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).toMatch(
      /N processes falling back may use up to N × an account's limit/,
    );
  });

  it('the documented caveat: N pools falling back to memory allow N × the limit, and share again once Redis is back', async () => {
    const short = { leaseTtlMs: 2_000, commandTimeoutMs: 150 };
    const members = [member(short), member(short)];
    await server.crash();
    const meter = new ConcurrencyMeter();
    const burst = () =>
      Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (members[i % 2] as ReturnType<typeof member>).pool.run(({ index }) =>
            meter.during(index, () => sleep(50)),
          ),
        ),
      );
    await burst();
    expect(members.map((m) => m.state.mode)).toEqual(['fallback', 'fallback']);
    expect(meter.max.get(1)).toBe(4); // 2 pools × capacity 2
    await server.restart();
    for (
      let waited = 0;
      members.some((m) => m.state.mode !== 'redis') && waited < 5_000;
      waited += 20
    ) {
      await sleep(20);
    }
    expect(members.map((m) => m.state.mode)).toEqual(['redis', 'redis']);
    meter.max.clear();
    await burst();
    expect(Math.max(...meter.max.values())).toBe(2);
  });
});

/**
 * The set-up the `RedisPoolState` specs share: one real Redis per describe
 * block (`RedisServer`, started before all its tests and stopped after them),
 * a fresh namespace per test, and every state and client a test made closed
 * after it (the server resumed first, should a test have left it paused).
 *
 * `useRedisStateHarness(prefix)`, called inside a `describe`, registers those
 * hooks and returns the factories the tests use; the small helpers below
 * (`sleep`, `until`, `throttled`, `request`, `CollectingLogger`) are what the
 * specs build their requests and outcomes with.
 */
import type { AcquireRequest, LeaseOutcome } from '@credchain/aws';
import Redis from 'ioredis';
import { RedisPoolState } from '../../packages/redis/src/redis-pool-state';
import type { RedisPoolStateOptions } from '../../packages/redis/src/redis-pool-state-options';
import { RedisServer } from './redis-server';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const backoff = { initialMs: 10_000, multiplier: 2, maxMs: 300_000 };

/** A throttled outcome at `now` (back-off from 10 s, doubling up to 300 s; full jitter). */
export const throttled = (now: number): LeaseOutcome => ({
  kind: 'throttled',
  now,
  backoff,
  jitterFactor: 1,
});

/** An acquire request: accounts in `preference` order, `capacity` per account. */
export const request = (
  preference: number[],
  capacity: number[],
  now = Date.now(),
): AcquireRequest => ({
  preference,
  capacity,
  now,
});

/** Collects what a state reports; `warn` present, as the pool's logger may have. */
export class CollectingLogger {
  readonly warnings: string[] = [];
  readonly debugs: string[] = [];
  warn(m: string) {
    this.warnings.push(m);
  }
  debug(m: string) {
    this.debugs.push(m);
  }
}

/** Polls `condition` every 20 ms; rejects once `timeoutMs` has passed without it holding. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** What `useRedisStateHarness` returns: the describe block's server, namespace and factories. */
export interface RedisStateHarness {
  /** The describe block's Redis (started in `beforeAll`). */
  server(): RedisServer;
  /** The current test's namespace: `<prefix>-<n>`, new for every test. */
  namespace(): string;
  /** Every client made in the current test (disconnected after it). */
  readonly clients: readonly Redis[];
  /** A client with ioredis's defaults (offline queue on), reconnecting quickly. */
  client(port?: number): Redis;
  /**
   * A state in the current namespace, closed after the test. Generous bounds
   * by default (a loaded CI machine must not look like a hanging Redis): the
   * fault tests set short ones themselves.
   */
  state(options?: Partial<RedisPoolStateOptions>, redis?: Redis): RedisPoolState;
  /** What Redis itself counts, through a fresh state (fleet-wide in-flight per account). */
  fleetInFlight(count: number): Promise<number[]>;
}

/**
 * Registers, in the enclosing `describe`, the hooks that start and stop a
 * Redis, give each test a namespace `<prefix>-<n>` and close what it made;
 * returns the accessors and factories. `defaults` override the harness's own
 * state options (each state otherwise gets a fresh `CollectingLogger`) and
 * are overridden in turn by what a test passes to `state()`.
 */
export function useRedisStateHarness(
  prefix: string,
  defaults: Partial<RedisPoolStateOptions> = {},
): RedisStateHarness {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  const states: RedisPoolState[] = [];
  let namespaceCounter = 0;
  let namespace = '';

  const running = (): RedisServer => {
    if (!server) throw new Error('the Redis server is started in beforeAll');
    return server;
  };

  function client(port = running().port): Redis {
    const redis = new Redis(port, '127.0.0.1', { retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  }

  function state(
    options: Partial<RedisPoolStateOptions> = {},
    redis: Redis = client(),
  ): RedisPoolState {
    const s = new RedisPoolState(redis, {
      namespace,
      leaseTtlMs: 10_000,
      commandTimeoutMs: 2_000,
      probeIntervalMs: 50,
      logger: new CollectingLogger(),
      ...defaults,
      ...options,
    });
    states.push(s);
    return s;
  }

  async function fleetInFlight(count: number): Promise<number[]> {
    const observer = state();
    return (await observer.usage(count, Date.now())).map((u) => u.inFlight);
  }

  beforeAll(async () => {
    server = await RedisServer.start();
  });

  beforeEach(() => {
    namespace = `${prefix}-${++namespaceCounter}`;
  });

  afterEach(async () => {
    server?.resume();
    // Every state closed and every client let go, even when one close fails.
    const closing = await Promise.allSettled(states.splice(0).map((s) => s.close()));
    for (const c of clients.splice(0)) c.disconnect();
    const failed = closing.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await server?.stop();
  });

  return { server: running, namespace: () => namespace, clients, client, state, fleetInFlight };
}

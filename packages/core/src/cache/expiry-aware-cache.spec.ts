import type { Clock } from '../clock/clock';
import type { Logger } from '../logger/logger';
import { ExpiryAwareCache } from './expiry-aware-cache';
import {
  DEFAULT_ADVISORY_REFRESH_MS,
  DEFAULT_JITTER_RATIO,
  DEFAULT_MANDATORY_REFRESH_MS,
  DEFAULT_RETRY_AFTER_FAILURE_MS,
  type ExpiryAwareCacheOptions,
} from './expiry-aware-cache-options';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const T0 = Date.UTC(2030, 0, 1);

interface TestCreds {
  readonly id: string;
  readonly expiration?: Date;
}

class FakeClock implements Clock {
  constructor(private time = T0) {}
  now(): number {
    return this.time;
  }
  set(time: number): void {
    this.time = time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (one macrotask turn). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const PENDING = Symbol('pending');
/** The promise's value if it settles within one macrotask turn, else PENDING. */
async function settledNow<T>(promise: Promise<T>): Promise<T | typeof PENDING> {
  return Promise.race<T | typeof PENDING>([promise, flush().then(() => PENDING)]);
}

/**
 * A loader whose answers are queued by the test: each call takes the next
 * answer (a value, an error, or a deferred the test settles later).
 */
class ScriptedLoad {
  calls = 0;
  private readonly answers: Array<() => Promise<TestCreds>> = [];
  readonly load = (): Promise<TestCreds> => {
    this.calls++;
    const next = this.answers.shift();
    if (next === undefined) throw new Error(`unexpected load #${this.calls}`);
    return next();
  };
  value(id: string, expiresAt?: number): TestCreds {
    const creds = expiresAt === undefined ? { id } : { id, expiration: new Date(expiresAt) };
    this.answers.push(async () => creds);
    return creds;
  }
  error(message: string): Error {
    const error = new Error(message);
    this.answers.push(async () => {
      throw error;
    });
    return error;
  }
  later(): Deferred<TestCreds> {
    const d = deferred<TestCreds>();
    this.answers.push(() => d.promise);
    return d;
  }
}

function setup(options: ExpiryAwareCacheOptions = {}) {
  const clock = new FakeClock();
  const script = new ScriptedLoad();
  const cache = new ExpiryAwareCache<TestCreds>({ clock, random: () => 0, ...options });
  const entry = cache.entry('config', script.load);
  return { clock, script, cache, entry };
}

describe(ExpiryAwareCache.name, () => {
  it('uses the documented defaults', () => {
    expect({
      advisory: DEFAULT_ADVISORY_REFRESH_MS,
      mandatory: DEFAULT_MANDATORY_REFRESH_MS,
      jitter: DEFAULT_JITTER_RATIO,
      retry: DEFAULT_RETRY_AFTER_FAILURE_MS,
    }).toEqual({ advisory: 15 * MINUTE, mandatory: 10 * MINUTE, jitter: 0.1, retry: SECOND });
  });

  it('keeps credentials without expiration: one load over many calls and clock jumps', async () => {
    const { clock, script, entry } = setup();
    const creds = script.value('static');
    for (const jump of [0, SECOND, MINUTE, 60 * MINUTE, 365 * 24 * 60 * MINUTE]) {
      clock.advance(jump);
      for (let i = 0; i < 10; i++) await expect(entry.get()).resolves.toBe(creds);
    }
    expect(script.calls).toBe(1);
  });

  it('serves credentials without expiration without reading the clock or the jitter source', async () => {
    // The warm path of a chain on static keys is a map lookup: no Date.now(),
    // no Math.random() per call.
    let clockReads = 0;
    let draws = 0;
    const clock = new FakeClock();
    const script = new ScriptedLoad();
    const cache = new ExpiryAwareCache<TestCreds>({
      clock: {
        now: () => {
          clockReads++;
          return clock.now();
        },
      },
      random: () => {
        draws++;
        return 0.5;
      },
    });
    const entry = cache.entry('config', script.load);
    script.value('static');
    await expect(entry.get()).resolves.toEqual({ id: 'static' });
    const [readsAfterLoad, drawsAfterLoad] = [clockReads, draws];
    for (let i = 0; i < 5; i++) await expect(entry.get()).resolves.toEqual({ id: 'static' });
    expect([clockReads, draws]).toEqual([readsAfterLoad, 0]);
    expect(drawsAfterLoad).toBe(0);
    expect(script.calls).toBe(1);
  });

  it('keeps credentials that expire later, before the advisory window', async () => {
    const { clock, script, entry } = setup();
    const creds = script.value('hour', T0 + 60 * MINUTE);
    await entry.get();
    for (const at of [1, 10, 30, 44.9]) {
      clock.set(T0 + at * MINUTE);
      await expect(entry.get()).resolves.toBe(creds);
    }
    expect(script.calls).toBe(1);
  });

  it('coalesces concurrent cold calls into one load', async () => {
    const { script, entry } = setup();
    const later = script.later();
    const all = Promise.all(Array.from({ length: 1_000 }, () => entry.get()));
    await flush();
    expect(script.calls).toBe(1);
    later.resolve({ id: 'cold' });
    const results = await all;
    expect(new Set(results)).toEqual(new Set([{ id: 'cold' }]));
    expect(script.calls).toBe(1);
  });

  it('never keeps a rejected load', async () => {
    const { script, entry } = setup();
    const error = script.error('throttled');
    const creds = script.value('second');
    await expect(entry.get()).rejects.toBe(error);
    await expect(entry.get()).resolves.toBe(creds);
    expect(script.calls).toBe(2);
  });

  describe('advisory window', () => {
    it('serves the current credentials at once while exactly one background refresh runs', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      const refresh = script.later();

      clock.set(T0 + 46 * MINUTE); // 14 minutes left: inside the 15-minute advisory window
      const callers = Array.from({ length: 500 }, () => settledNow(entry.get()));
      expect(await Promise.all(callers)).toEqual(Array(500).fill(first));
      expect(script.calls).toBe(2);

      clock.advance(2 * MINUTE); // still advisory, refresh still pending
      await expect(settledNow(entry.get())).resolves.toBe(first);
      expect(script.calls).toBe(2);

      const second = { id: 'second', expiration: new Date(T0 + 120 * MINUTE) };
      refresh.resolve(second);
      await flush();
      await expect(entry.get()).resolves.toBe(second);
      expect(script.calls).toBe(2);
    });

    it('keeps serving the current credentials after a failed refresh, until the mandatory window', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      const refresh = script.later();
      clock.set(T0 + 46 * MINUTE);
      await expect(entry.get()).resolves.toBe(first);
      refresh.reject(new Error('refresh failed'));
      await flush();

      await expect(settledNow(entry.get())).resolves.toBe(first);
      expect(script.calls).toBe(2);
    });

    it.each([
      { retryAfterFailureMs: undefined, wait: DEFAULT_RETRY_AFTER_FAILURE_MS },
      { retryAfterFailureMs: 30 * SECOND, wait: 30 * SECOND },
    ])(
      'does not retry a failed refresh before retryAfterFailureMs ($wait ms)',
      async ({ retryAfterFailureMs, wait }) => {
        const { clock, script, entry } = setup({ retryAfterFailureMs });
        const first = script.value('first', T0 + 60 * MINUTE);
        await entry.get();
        script.error('refresh failed');
        clock.set(T0 + 46 * MINUTE);
        await expect(entry.get()).resolves.toBe(first);
        await flush();
        expect(script.calls).toBe(2);

        for (let i = 0; i < 20; i++) await expect(entry.get()).resolves.toBe(first);
        clock.advance(wait - 1);
        await expect(entry.get()).resolves.toBe(first);
        expect(script.calls).toBe(2);

        const second = script.value('second', T0 + 120 * MINUTE);
        clock.advance(1);
        await expect(entry.get()).resolves.toBe(first);
        await flush();
        expect(script.calls).toBe(3);
        await expect(entry.get()).resolves.toBe(second);
      },
    );

    it('logs a failed background refresh without its credentials', async () => {
      const lines: string[] = [];
      const logger: Logger = { debug: (line) => lines.push(line) };
      const { clock, script, entry } = setup({ logger });
      script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      script.error('endpoint said 500');
      clock.set(T0 + 46 * MINUTE);
      await entry.get();
      await flush();
      expect(lines).toEqual([expect.stringContaining('endpoint said 500')]);
    });
  });

  describe('mandatory window', () => {
    it('makes callers wait for one refresh and gives them its result', async () => {
      const { clock, script, entry } = setup();
      script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      const refresh = script.later();
      clock.set(T0 + 55 * MINUTE); // 5 minutes left: inside the 10-minute mandatory window
      const waiting = Array.from({ length: 100 }, () => entry.get());
      await expect(settledNow(waiting[0] as Promise<TestCreds>)).resolves.toBe(PENDING);
      expect(script.calls).toBe(2);
      const second = { id: 'second', expiration: new Date(T0 + 120 * MINUTE) };
      refresh.resolve(second);
      expect(await Promise.all(waiting)).toEqual(Array(100).fill(second));
      expect(script.calls).toBe(2);
    });

    it("gives waiting callers the refresh's error when it fails", async () => {
      const { clock, script, entry } = setup();
      script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      const refresh = script.later();
      clock.set(T0 + 55 * MINUTE);
      const waiting = [entry.get(), entry.get(), entry.get()];
      const error = new Error('STS is down');
      refresh.reject(error);
      for (const caller of waiting) await expect(caller).rejects.toBe(error);
      expect(script.calls).toBe(2);
    });

    it('joins a background refresh that started in the advisory window', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      const refresh = script.later();
      clock.set(T0 + 46 * MINUTE);
      await expect(entry.get()).resolves.toBe(first);
      clock.set(T0 + 51 * MINUTE);
      const waiting = entry.get();
      await expect(settledNow(waiting)).resolves.toBe(PENDING);
      const second = { id: 'second', expiration: new Date(T0 + 120 * MINUTE) };
      refresh.resolve(second);
      await expect(waiting).resolves.toBe(second);
      expect(script.calls).toBe(2);
    });

    it('does not wait for retryAfterFailureMs: every call in the window tries again', async () => {
      const { clock, script, entry } = setup({ retryAfterFailureMs: 60 * MINUTE });
      script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      clock.set(T0 + 55 * MINUTE);
      script.error('first try');
      await expect(entry.get()).rejects.toThrow('first try');
      const second = script.value('second', T0 + 120 * MINUTE);
      await expect(entry.get()).resolves.toBe(second);
      expect(script.calls).toBe(3);
    });
  });

  describe('expired credentials', () => {
    it('are never returned: after expiry a failed refresh rejects', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      clock.set(T0 + 60 * MINUTE);
      const error = script.error('still down');
      await expect(entry.get()).rejects.toBe(error);
      clock.set(T0 + 90 * MINUTE);
      script.error('still down');
      const result = await entry.get().catch((e: unknown) => e);
      expect(result).not.toBe(first);
      expect(result).toBeInstanceOf(Error);
    });

    it('are never returned even if the clock then steps back (NTP)', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      clock.set(T0 + 60 * MINUTE); // the very millisecond they expire
      script.error('down');
      await expect(entry.get()).rejects.toThrow('down');
      clock.set(T0);
      const fresh = script.value('fresh', T0 + 120 * MINUTE);
      const result = await entry.get();
      expect(result).not.toBe(first);
      expect(result).toBe(fresh);
    });

    it('are still served after a failed refresh in the mandatory window if the clock steps back', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      clock.set(T0 + 55 * MINUTE); // mandatory window, still valid
      script.error('down');
      await expect(entry.get()).rejects.toThrow('down');
      clock.set(T0);
      await expect(entry.get()).resolves.toBe(first);
      expect(script.calls).toBe(2);
    });

    it.each([
      ['already expired', T0 - SECOND],
      ['expiring right now', T0],
    ])('a provider returning %s credentials is a rejection', async (_, expiresAt) => {
      const { script, entry } = setup();
      script.value('stale', expiresAt);
      await expect(entry.get()).rejects.toThrow(/expired at/);
      const fresh = script.value('fresh', T0 + 60 * MINUTE);
      await expect(entry.get()).resolves.toBe(fresh);
    });

    it('a refresh returning expired credentials is a failure, not a value', async () => {
      const { clock, script, entry } = setup();
      script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      clock.set(T0 + 55 * MINUTE);
      script.value('stale', T0 + 50 * MINUTE);
      await expect(entry.get()).rejects.toThrow(/expired at/);
    });
  });

  describe('jitter', () => {
    /** The first whole second (after T0 + 40 min) at which a refresh starts. */
    async function refreshStart(random: number, jitterRatio?: number): Promise<number> {
      const { clock, script, entry } = setup({ random: () => random, jitterRatio });
      script.value('first', T0 + 60 * MINUTE);
      await entry.get();
      script.value('second', T0 + 120 * MINUTE);
      for (let at = T0 + 40 * MINUTE; at < T0 + 60 * MINUTE; at += SECOND) {
        clock.set(at);
        await entry.get();
        if (script.calls === 2) return at - T0;
      }
      throw new Error('no refresh before expiry');
    }

    it.each([
      // advisory 15 min; jitter = 15 min * 0.1 * random, earlier
      { random: 0, jitterRatio: undefined, start: 45 * MINUTE },
      { random: 0.5, jitterRatio: undefined, start: 44 * MINUTE + 15 * SECOND },
      { random: 0.99, jitterRatio: undefined, start: 43 * MINUTE + 31 * SECOND },
      { random: 0.5, jitterRatio: 0.2, start: 43 * MINUTE + 30 * SECOND },
      { random: 0.99, jitterRatio: 0, start: 45 * MINUTE },
    ])(
      'random() = $random, jitterRatio = $jitterRatio: refresh starts at T0 + $start ms',
      async ({ random, jitterRatio, start }) => {
        await expect(refreshStart(random, jitterRatio)).resolves.toBe(start);
      },
    );

    it('different random values give different refresh start times', async () => {
      const starts = await Promise.all([0, 0.25, 0.5, 0.75].map((r) => refreshStart(r)));
      expect(new Set(starts).size).toBe(4);
    });
  });

  describe('window defaults for short-lived credentials', () => {
    it('does not refresh a 15-minute credential on every call right after fetching it', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 15 * MINUTE);
      await entry.get();
      for (const at of [0, 1, 1, 2, 3, 5]) {
        clock.set(T0 + at * MINUTE);
        await expect(entry.get()).resolves.toBe(first);
      }
      await flush();
      expect(script.calls).toBe(1);
    });

    it('still refreshes a 15-minute credential in the background before it expires', async () => {
      const { clock, script, entry } = setup();
      const first = script.value('first', T0 + 15 * MINUTE);
      await entry.get();
      // Scaled windows: 7.5 minutes advisory, 5 minutes mandatory.
      clock.set(T0 + 7 * MINUTE);
      await entry.get();
      expect(script.calls).toBe(1);
      const second = script.value('second', T0 + 30 * MINUTE);
      clock.set(T0 + 8 * MINUTE);
      await expect(entry.get()).resolves.toBe(first);
      await flush();
      expect(script.calls).toBe(2);
      await expect(entry.get()).resolves.toBe(second);
    });

    it('makes callers wait in the scaled mandatory window of a 15-minute credential', async () => {
      const { clock, script, entry } = setup({ retryAfterFailureMs: 60 * MINUTE });
      script.value('first', T0 + 15 * MINUTE);
      await entry.get();
      script.error('background failed');
      clock.set(T0 + 9 * MINUTE);
      await entry.get();
      await flush();
      const error = script.error('mandatory failed');
      clock.set(T0 + 10 * MINUTE + SECOND);
      await expect(entry.get()).rejects.toBe(error);
    });

    it('uses explicit windows as given, without scaling', async () => {
      const { clock, script, entry } = setup({
        advisoryRefreshMs: 2 * MINUTE,
        mandatoryRefreshMs: MINUTE,
        jitterRatio: 0,
      });
      const first = script.value('first', T0 + 15 * MINUTE);
      await entry.get();
      for (const at of [8, 12, 12.99]) {
        clock.set(T0 + at * MINUTE);
        await expect(entry.get()).resolves.toBe(first);
      }
      expect(script.calls).toBe(1);

      const refresh = script.later();
      clock.set(T0 + 13 * MINUTE);
      await expect(settledNow(entry.get())).resolves.toBe(first);
      expect(script.calls).toBe(2);
      refresh.reject(new Error('nope'));
      await flush();

      const second = script.later();
      clock.set(T0 + 14 * MINUTE);
      const waiting = entry.get();
      await expect(settledNow(waiting)).resolves.toBe(PENDING);
      const fresh = { id: 'fresh', expiration: new Date(T0 + 60 * MINUTE) };
      second.resolve(fresh);
      await expect(waiting).resolves.toBe(fresh);
    });
  });

  describe('invalidate', () => {
    it('empties the cache: every entry loads again', async () => {
      const { script, cache, entry } = setup();
      script.value('first');
      await entry.get();
      expect(cache.size).toBe(1);
      cache.invalidate();
      expect(cache.size).toBe(0);
      const second = script.value('second');
      await expect(cache.entry('config', script.load).get()).resolves.toBe(second);
      const third = script.value('third');
      await expect(entry.get()).resolves.toBe(third);
      expect(script.calls).toBe(3);
    });

    it('does not keep a load that was in flight when it was invalidated', async () => {
      const { script, cache, entry } = setup();
      const stale = script.later();
      const pending = entry.get();
      await flush();
      cache.invalidate();
      stale.resolve({ id: 'stale' });
      await expect(pending).resolves.toEqual({ id: 'stale' });
      const fresh = script.value('fresh');
      await expect(entry.get()).resolves.toBe(fresh);
    });
  });

  describe('maxEntries', () => {
    it('evicts the oldest configuration beyond the bound', async () => {
      const cache = new ExpiryAwareCache<TestCreds>({ clock: new FakeClock(), maxEntries: 2 });
      const loads: string[] = [];
      const loader = (key: string) => async () => {
        loads.push(key);
        return { id: key };
      };
      for (const key of ['a', 'b', 'c']) await cache.entry(key, loader(key)).get();
      expect(cache.size).toBe(2);
      await cache.entry('c', loader('c')).get();
      await cache.entry('b', loader('b')).get();
      expect(loads).toEqual(['a', 'b', 'c']);
      await cache.entry('a', loader('a')).get();
      expect(loads).toEqual(['a', 'b', 'c', 'a']);
      expect(cache.size).toBe(2);
    });
  });
});

describe(`${ExpiryAwareCache.name} with a provider that answers expired credentials`, () => {
  it('backs off like any failed background refresh', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const cache = new ExpiryAwareCache<TestCreds>({
      clock,
      advisoryRefreshMs: 10 * MINUTE,
      mandatoryRefreshMs: 1 * MINUTE,
      jitterRatio: 0,
      retryAfterFailureMs: 30 * SECOND,
    });
    const entry = cache.entry('k', async () => {
      calls++;
      // The first answer is valid for an hour; every later one is already expired.
      const expiresAt = calls === 1 ? clock.now() + 60 * MINUTE : clock.now() - SECOND;
      return { id: `creds-${calls}`, expiration: new Date(expiresAt) };
    });
    await expect(entry.get()).resolves.toMatchObject({ id: 'creds-1' });
    clock.advance(55 * MINUTE); // inside the advisory window
    for (let i = 0; i < 5; i++) {
      await expect(entry.get()).resolves.toMatchObject({ id: 'creds-1' });
      await flush();
    }
    expect(calls).toBe(2);
    clock.advance(30 * SECOND);
    await entry.get();
    await flush();
    expect(calls).toBe(3);
  });
});

import { inspect } from 'node:util';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import type { Clock } from '@credchain/core';
import { createCredentialChain } from '../chain/create-credential-chain';
import type { AccountPickStrategy } from './account-pick-strategy';
import { AccountPool } from './account-pool';
import { AccountPoolError } from './account-pool-error';
import { AccountsExhaustedError } from './accounts-exhausted-error';
import { InMemoryPoolState } from './state/in-memory-pool-state';
import type { AccountUsage, LeaseOutcome, PoolLease, PoolState } from './state/pool-state';

type Env = Record<string, string | undefined>;

class FakeClock implements Clock {
  constructor(public time = Date.UTC(2030, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

const keyOf = (n: number) => `AKIAFAKERUNACCOUNT0${n}`;
const secretOf = (n: number) => `SENTINEL/run+secret-${n}-0123456789abcdefgh`;

function accountsEnv(count: number): Env {
  const env: Env = {};
  for (let n = 1; n <= count; n++) {
    env[`AWS_KEY_${n}`] = keyOf(n);
    env[`AWS_SECRET_${n}`] = secretOf(n);
  }
  return env;
}

const NO_FILES: Env = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-run-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-run-spec/config',
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `done` every 5 ms, at most 400 times (≥ 2 s, dozens of times what
 * the few 5–10 ms renewal intervals awaited need, even on a loaded machine):
 * a test whose condition never comes fails on its next assertion, quickly,
 * instead of waiting for the test timeout.
 */
async function eventually(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await sleep(5);
}

const picks = (pool: AccountPool, times: number) =>
  Array.from({ length: times }, () => pool.pick('least-recently-used'));

/** Lambda's own 429, as the SDK builds it. */
const rateExceeded = () =>
  new TooManyRequestsException({
    message: 'Rate Exceeded.',
    $metadata: { httpStatusCode: 429 },
    Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
  });

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}
function deferred(): Deferred {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets queued promise callbacks (and a release's wake-up) run. */
const settle = () => sleep(5);

const NO_JITTER = { jitterRatio: 0 };

describe('AccountPool.run()', () => {
  describe('leasing', () => {
    it('runs fn inside withAccount: a chain in fn resolves the leased account', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(3), { strategy: 'round-robin' });
      const chain = createCredentialChain({ env: { ...NO_FILES } });
      const seen = await Promise.all(
        Array.from({ length: 6 }, () =>
          pool.run(async ({ index }) => ({ index, key: (await chain.resolve()).accessKeyId })),
        ),
      );
      expect(seen.map((s) => s.index)).toEqual([1, 2, 3, 1, 2, 3]);
      for (const { index, key } of seen) expect(key).toBe(keyOf(index));
    });

    it('never runs more than capacity calls on an account: 60 concurrent calls, 3 × 4', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(3), { capacity: 4 });
      const running = new Map<number, number>();
      const most = new Map<number, number>();
      let total = 0;
      let mostTotal = 0;
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          pool.run(async ({ index }) => {
            running.set(index, (running.get(index) ?? 0) + 1);
            total++;
            most.set(index, Math.max(most.get(index) ?? 0, running.get(index) as number));
            mostTotal = Math.max(mostTotal, total);
            await sleep(1 + (i % 4));
            running.set(index, (running.get(index) as number) - 1);
            total--;
            return i;
          }),
        ),
      );
      expect(results).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect([...most.values()].every((m) => m <= 4)).toBe(true);
      expect(mostTotal).toBe(12);
      const stats = await pool.stats();
      expect(stats.map((s) => s.inFlight)).toEqual([0, 0, 0]);
      expect(stats.reduce((sum, s) => sum + s.leases, 0)).toBe(60);
      expect(pool.waiting).toBe(0);
    });

    it('makes calls wait in FIFO order while every account is full', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(2), { capacity: 1 });
      const holders = [deferred(), deferred()];
      const held = holders.map((h) => pool.run(() => h.promise));
      const order: number[] = [];
      const gates = Array.from({ length: 5 }, () => deferred());
      const waiting = gates.map((gate, i) =>
        pool.run(async () => {
          order.push(i);
          await gate.promise;
        }),
      );
      await settle();
      expect(order).toEqual([]);
      expect(pool.waiting).toBe(5);
      holders[0]?.resolve();
      await settle();
      expect(order).toEqual([0]);
      holders[1]?.resolve();
      await settle();
      expect(order).toEqual([0, 1]);
      for (const gate of gates) {
        gate.resolve();
        await settle();
      }
      await Promise.all([...held, ...waiting]);
      expect(order).toEqual([0, 1, 2, 3, 4]);
    });

    it('an aborted signal rejects a waiting call at once and frees its place', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(1), { capacity: 1 });
      const holder = deferred();
      const held = pool.run(() => holder.promise);
      const controller = new AbortController();
      let abortedRan = false;
      const aborted = pool.run(
        () => {
          abortedRan = true;
        },
        { signal: controller.signal },
      );
      const next = pool.run(({ index }) => index);
      await settle();
      expect(pool.waiting).toBe(2);
      const start = Date.now();
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - start).toBeLessThan(250);
      expect(pool.waiting).toBe(1);
      holder.resolve();
      await expect(next).resolves.toBe(1);
      await held;
      expect(abortedRan).toBe(false);
      expect((await pool.stats())[0]).toMatchObject({ inFlight: 0, leases: 2 });
    });

    it('an abort while the first try is in progress rejects at once and never runs fn', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(1), { capacity: 1 });
      const holder = deferred();
      const held = pool.run(() => holder.promise);
      await settle();
      const controller = new AbortController();
      const reason = new Error('cancelled while the state answered');
      let ran = false;
      const aborted = pool.run(
        () => {
          ran = true;
        },
        { signal: controller.signal },
      );
      aborted.catch(() => {});
      // Fires while the pool awaits the state's refusal (account held).
      queueMicrotask(() => controller.abort(reason));
      await settle();
      expect(pool.waiting).toBe(0);
      await expect(aborted).rejects.toBe(reason);
      holder.resolve();
      await held;
      await settle();
      expect(ran).toBe(false);
      expect((await pool.stats())[0]).toMatchObject({ inFlight: 0, leases: 1 });
    });

    it('an abort between the grant and fn releases the place and never runs fn', async () => {
      const inner = new InMemoryPoolState();
      const controller = new AbortController();
      let acquisitions = 0;
      let abortOnAcquisition = Number.POSITIVE_INFINITY;
      // The state the pool asks next, for the second waiter, right after it
      // granted the first one: the abort lands before the first one's fn.
      const state: PoolState = {
        acquire: (request) => {
          if (++acquisitions === abortOnAcquisition) controller.abort();
          return inner.acquire(request);
        },
        release: (lease, outcome) => inner.release(lease, outcome),
        coolDown: (index, until) => inner.coolDown(index, until),
        renew: (lease, now) => inner.renew(lease, now),
        usage: (count, now) => inner.usage(count, now),
        onRelease: (listener) => inner.onRelease(listener),
      };
      const pool = AccountPool.fromEnv(accountsEnv(1), { capacity: 1, state });
      const holder = deferred();
      const held = pool.run(() => holder.promise);
      let ran = false;
      const aborted = pool.run(
        () => {
          ran = true;
        },
        { signal: controller.signal },
      );
      aborted.catch(() => {});
      const next = pool.run(({ index }) => index);
      await settle();
      expect(pool.waiting).toBe(2);
      abortOnAcquisition = acquisitions + 2;
      holder.resolve();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      await expect(next).resolves.toBe(1);
      await held;
      expect(ran).toBe(false);
      expect((await pool.stats())[0]).toMatchObject({ inFlight: 0, leases: 3 });
    });

    it('rejects with the signal’s own reason, before leasing when already aborted', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(1));
      const reason = new Error('user cancelled');
      await expect(pool.run(() => 1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect((await pool.stats())[0]?.leases).toBe(0);
    });

    it('hands fn its account, attempt and signal', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(2), { strategy: 'round-robin' });
      const signal = new AbortController().signal;
      await expect(pool.run((context) => context, { signal })).resolves.toEqual({
        index: 1,
        attempt: 1,
        signal,
      });
      // No `signal` key at all without one: `{ signal: mine, ...context }` keeps mine.
      await expect(pool.run((context) => context)).resolves.toStrictEqual({ index: 2, attempt: 1 });
    });
  });

  describe('throttling', () => {
    it('cools the account down and retries on another, each account once', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(3), {
        strategy: 'round-robin',
        clock,
        coolDown: NO_JITTER,
      });
      const tried: number[] = [];
      const result = await pool.run(({ index, attempt }) => {
        tried.push(index);
        if (index !== 3) throw rateExceeded();
        return `ok on ${index} at attempt ${attempt}`;
      });
      expect(result).toBe('ok on 3 at attempt 3');
      expect(tried).toEqual([1, 2, 3]);
      const stats = await pool.stats();
      expect(
        stats.map((s) => [s.throttles, s.throttledUntil - (s.throttledUntil && clock.time)]),
      ).toEqual([
        [1, 10_000],
        [1, 10_000],
        [0, 0],
      ]);
      // pick() sees the cool-downs too.
      expect([pool.pick('round-robin'), pool.pick('round-robin')]).toEqual([3, 3]);
      // And the next run goes straight to the account that is not cooling down.
      await expect(pool.run(({ index }) => index)).resolves.toBe(3);
    });

    it('pick() skips an account run() saw throttled until its cool-down ends; a success marks nothing', async () => {
      const clock = new FakeClock();
      const debug: string[] = [];
      const pool = AccountPool.fromEnv(accountsEnv(3), {
        strategy: 'round-robin',
        clock,
        coolDown: NO_JITTER,
        logger: { debug: (line) => debug.push(line) },
      });
      await expect(pool.run(({ index }) => index)).resolves.toBe(1);
      await expect(
        pool.run(({ index }) => {
          if (index === 2) throw rateExceeded();
          return index;
        }),
      ).resolves.toBe(3);
      expect(debug).toEqual(['account 2 throttled: cooling down, trying another']);
      expect(picks(pool, 4)).toEqual([1, 3, 1, 3]);
      clock.advance(9_999);
      expect(picks(pool, 2)).toEqual([1, 3]);
      clock.advance(1);
      expect(picks(pool, 3)).toEqual([2, 1, 3]);
    });

    it('tries each account at most once per call, even with no cool-down at all', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(2), { coolDown: { initialMs: 0 } });
      const tried: number[] = [];
      const error = await pool
        .run(({ index }) => {
          tried.push(index);
          // Bounded, so that a pool trying an account again fails the test, not hangs it.
          if (tried.length > 4) return 'tried an account twice';
          throw rateExceeded();
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccountsExhaustedError);
      expect([...tried].sort()).toEqual([1, 2]);
      expect((error as AccountsExhaustedError).accounts.map((a) => a.coolDownLeftMs)).toEqual([
        0, 0,
      ]);
    });

    it('a pick-only strategy that throws when nothing is left: run() still ends with AccountsExhaustedError', async () => {
      let asked = 0;
      const strict: AccountPickStrategy = {
        name: 'strict',
        pick: (state) => {
          asked++;
          for (let n = 1; n <= state.count; n++) if (!state.isCoolingDown(n)) return n;
          throw new Error('strict: no account available');
        },
      };
      const pool = AccountPool.fromEnv(accountsEnv(2), { strategy: strict, coolDown: NO_JITTER });
      const error = await pool
        .run(() => {
          throw rateExceeded();
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccountsExhaustedError);
      expect(asked).toBe(2);
    });

    it('gives up with AccountsExhaustedError when every account throttles', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(3), { clock, coolDown: NO_JITTER });
      let calls = 0;
      const last = rateExceeded();
      const error = await pool
        .run(() => {
          calls++;
          throw calls === 3 ? last : rateExceeded();
        })
        .catch((e: unknown) => e);
      expect(calls).toBe(3);
      expect(error).toBeInstanceOf(AccountsExhaustedError);
      const exhausted = error as AccountsExhaustedError;
      expect(exhausted.cause).toBe(last);
      expect(exhausted.accounts).toEqual(
        [1, 2, 3].map((index) => ({
          index,
          accessKeyId: `AKIA…000${index}`.replace('000', 'NT0'),
          coolDownLeftMs: 10_000,
          throttledByThisCall: true,
        })),
      );
      expect(exhausted.message).toContain(
        'account 2 (AKIA…NT02): throttled by this call, cooling down for 10.0 s more',
      );
      for (const text of [exhausted.message, inspect(exhausted), JSON.stringify(exhausted)]) {
        for (let n = 1; n <= 3; n++) {
          expect(text).not.toContain(keyOf(n));
          expect(text).not.toContain(secretOf(n));
        }
      }
    });

    it('uses the accounts not cooling down, and gives up at once when all are', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(2), {
        strategy: 'round-robin',
        clock,
        coolDown: NO_JITTER,
      });
      await expect(
        pool.run(({ index }) => {
          if (index === 1) throw rateExceeded();
          return index;
        }),
      ).resolves.toBe(2);
      clock.advance(4_000);
      expect(await Promise.all([1, 2, 3].map(() => pool.run(({ index }) => index)))).toEqual([
        2, 2, 2,
      ]);
      await pool.markThrottled(2, 3_000);
      let ran = false;
      const error = await pool
        .run(() => {
          ran = true;
        })
        .catch((e: unknown) => e);
      expect(ran).toBe(false);
      expect(error).toBeInstanceOf(AccountsExhaustedError);
      expect((error as AccountsExhaustedError).accounts).toEqual([
        expect.objectContaining({ index: 1, coolDownLeftMs: 6_000, throttledByThisCall: false }),
        expect.objectContaining({ index: 2, coolDownLeftMs: 3_000, throttledByThisCall: false }),
      ]);
      expect((error as Error).message).toContain('account 1 (AKIA…NT01): cooling down for 6.0 s');
      // Nothing throttled this call: no cause, not even an undefined one.
      expect('cause' in (error as Error)).toBe(false);
      clock.advance(6_000);
      await expect(pool.run(({ index }) => index)).resolves.toBe(1);
    });

    it('grows the cool-down on repeated throttling (10 s, 20 s, 40 s …, at most 5 min)', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(1), { clock, coolDown: NO_JITTER });
      const lengths: number[] = [];
      for (let i = 0; i < 7; i++) {
        await expect(
          pool.run(() => {
            throw rateExceeded();
          }),
        ).rejects.toBeInstanceOf(AccountsExhaustedError);
        const [stats] = await pool.stats();
        lengths.push((stats?.throttledUntil ?? 0) - clock.time);
        clock.time = stats?.throttledUntil ?? clock.time;
      }
      expect(lengths).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
      await expect(pool.run(() => 'ok')).resolves.toBe('ok');
      await expect(
        pool.run(() => {
          throw rateExceeded();
        }),
      ).rejects.toBeInstanceOf(AccountsExhaustedError);
      expect(((await pool.stats())[0]?.throttledUntil ?? 0) - clock.time).toBe(10_000);
    });

    it('jitters the cool-down within the ratio, and takes its own settings', async () => {
      const clock = new FakeClock();
      const lengths = new Set<number>();
      let draw = 0;
      const draws = [0, 0.5, 0.999];
      for (const _ of draws) {
        const pool = AccountPool.fromEnv(accountsEnv(1), {
          clock,
          random: () => draws[draw++ % draws.length] as number,
          coolDown: { initialMs: 1_000, jitterRatio: 0.5 },
        });
        await pool
          .run(() => {
            throw rateExceeded();
          })
          .catch(() => {});
        lengths.add(((await pool.stats())[0]?.throttledUntil ?? 0) - clock.time);
      }
      expect([...lengths].sort((a, b) => a - b)).toEqual([500, 750, 1_000]);
    });

    it('passes any other error through unchanged: no retry, no cool-down, lease released', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(3), { capacity: 1 });
      const boom = new Error('render failed: bad composition');
      let calls = 0;
      await expect(
        pool.run(() => {
          calls++;
          throw boom;
        }),
      ).rejects.toBe(boom);
      const forbidden = Object.assign(new Error('The security token is invalid'), {
        name: 'UnrecognizedClientException',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        pool.run(async () => {
          calls++;
          throw forbidden;
        }),
      ).rejects.toBe(forbidden);
      expect(calls).toBe(2);
      const stats = await pool.stats();
      expect(stats.map((s) => [s.inFlight, s.throttles, s.throttledUntil])).toEqual([
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ]);
    });

    it('an error whose fields throw when read is passed through, its lease released', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(1), { capacity: 1 });
      const weird = new Error('weird');
      Object.defineProperty(weird, 'code', {
        get() {
          throw new Error('getter bug');
        },
      });
      await expect(
        pool.run(() => {
          throw weird;
        }),
      ).rejects.toBe(weird);
      expect((await pool.stats())[0]).toMatchObject({ inFlight: 0, throttles: 0 });
    });

    it('a clock that throws while a throttle is recorded still releases the lease', async () => {
      const clock = new FakeClock();
      let broken = false;
      const brokenClock: Clock = {
        now: () => {
          if (broken) throw new Error('clock broke');
          return clock.now();
        },
      };
      const pool = AccountPool.fromEnv(accountsEnv(1), { capacity: 1, clock: brokenClock });
      await expect(
        pool.run(() => {
          broken = true;
          throw rateExceeded();
        }),
      ).rejects.toThrow('clock broke');
      broken = false;
      expect((await pool.stats())[0]).toMatchObject({ inFlight: 0 });
      await expect(pool.run(() => 'free again')).resolves.toBe('free again');
    });

    it('grows the cool-down at a concurrency limit, where calls leased earlier still succeed', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(1), {
        capacity: 3,
        clock,
        coolDown: NO_JITTER,
      });
      const lengths: number[] = [];
      for (let episode = 0; episode < 3; episode++) {
        const throttle = deferred();
        const finish = deferred();
        // Three calls at once; one is throttled while the other two still
        // run, and those then succeed (leased before the episode began).
        const throttled = pool.run(async () => {
          await throttle.promise;
          throw rateExceeded();
        });
        const others = [0, 1].map(() =>
          pool.run(async () => {
            await finish.promise;
            return 'ok';
          }),
        );
        await settle();
        clock.advance(100);
        throttle.resolve();
        await expect(throttled).rejects.toBeInstanceOf(AccountsExhaustedError);
        finish.resolve();
        await expect(Promise.all(others)).resolves.toEqual(['ok', 'ok']);
        const [stats] = await pool.stats();
        lengths.push((stats?.throttledUntil ?? 0) - clock.time);
        clock.time = stats?.throttledUntil ?? clock.time;
      }
      expect(lengths).toEqual([10_000, 20_000, 40_000]);
      // A call leased after the episode succeeding does reset it.
      await expect(pool.run(() => 'ok')).resolves.toBe('ok');
      await pool
        .run(() => {
          throw rateExceeded();
        })
        .catch(() => {});
      expect(((await pool.stats())[0]?.throttledUntil ?? 0) - clock.time).toBe(10_000);
    });

    it('never leaks a lease, whatever fn throws, 300 times in a row', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(2), { capacity: 1 });
      const throwers: (() => unknown)[] = [
        () => {
          throw new Error('sync');
        },
        async () => {
          throw new Error('async');
        },
        () => Promise.reject('a string'),
        () => {
          throw undefined;
        },
        () => {
          throw rateExceeded();
        },
      ];
      for (let i = 0; i < 300; i++) {
        await pool.run(throwers[i % throwers.length] as () => unknown).catch(() => {});
        if (i % 5 === 4) for (let n = 1; n <= 2; n++) await pool.markThrottled(n, 0);
      }
      expect((await pool.stats()).map((s) => s.inFlight)).toEqual([0, 0]);
      // Concurrently too.
      await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => pool.run(throwers[i % 4] as () => unknown)),
      );
      expect((await pool.stats()).map((s) => s.inFlight)).toEqual([0, 0]);
      await expect(Promise.all([pool.run(() => 1), pool.run(() => 2)])).resolves.toEqual([1, 2]);
    });
  });

  describe('bad input', () => {
    it.each([
      [undefined, 'undefined'],
      [null, 'null'],
      [42, 'number 42'],
      [true, 'boolean true'],
      ['fn', '"fn"'],
      [{ secretAccessKey: secretOf(1) }, 'an object'],
    ])('rejects fn = %p with a TypeError naming fn and describing it', async (fn, shown) => {
      const pool = AccountPool.fromEnv(accountsEnv(1));
      await expect(pool.run(fn as never)).rejects.toThrow(TypeError);
      await expect(pool.run(fn as never)).rejects.toThrow(
        new Error(`run(fn): fn must be a function (got ${shown})`),
      );
    });

    it('rejects an unknown strategy, naming the option', async () => {
      expect(() => AccountPool.fromEnv(accountsEnv(1), { strategy: 'fastest' as never })).toThrow(
        /^unknown strategy "fastest" \(the strategy option\): use random, round-robin, least-recently-used/,
      );
      const pool = AccountPool.fromEnv(accountsEnv(1));
      await expect(pool.run(() => 1, { strategy: 'nope' as never })).rejects.toThrow(
        /unknown strategy "nope" \(the strategy option of run\(\)\)/,
      );
      for (const [strategy, shown] of [
        [null, 'null'],
        ['toString', '"toString"'],
        [{ pick: true }, 'an object'],
      ] as const) {
        await expect(pool.run(() => 1, { strategy: strategy as never })).rejects.toThrow(
          new TypeError(
            `unknown strategy ${shown} (the strategy option of run()): use random, round-robin, least-recently-used, or an object with pick()`,
          ),
        );
      }
    });

    it.each([
      ['a number', 42],
      ['a string', 'redis'],
      ['a store without release()', { acquire: () => Promise.resolve() }],
      ['a store without acquire()', { release: () => Promise.resolve() }],
      ['a store whose acquire is not a function', { acquire: 1, release: () => {} }],
    ])('rejects %s as the state option, naming it', (_, state) => {
      expect(() => AccountPool.fromEnv(accountsEnv(1), { state: state as never })).toThrow(
        new TypeError('the state option must be a PoolState (acquire, release, …)'),
      );
    });

    it.each([0, -1, 2.5, Number.NaN, [2]])('rejects capacity %p, naming it', (capacity) => {
      expect(() => AccountPool.fromEnv(accountsEnv(2), { capacity: capacity as never })).toThrow(
        /^capacity/,
      );
    });

    it('refuses a pool of zero accounts, naming the variables', () => {
      expect(() => AccountPool.fromEnv({}, { capacity: 2 })).toThrow(AccountPoolError);
      expect(() => AccountPool.fromEnv({}, { capacity: 2 })).toThrow(
        /set AWS_KEY_1 and AWS_SECRET_1/,
      );
    });

    it('rejects a wrong AWS_CONCURRENCY_{n}, naming it', () => {
      expect(() => AccountPool.fromEnv({ ...accountsEnv(2), AWS_CONCURRENCY_2: 'lots' })).toThrow(
        /AWS_CONCURRENCY_2 must be a positive integer/,
      );
    });

    it('rejects a wrong cool-down, waitPollMs or state, naming it', () => {
      expect(() => AccountPool.fromEnv(accountsEnv(1), { coolDown: { multiplier: 0 } })).toThrow(
        /^coolDown\.multiplier/,
      );
      expect(() => AccountPool.fromEnv(accountsEnv(1), { waitPollMs: 0 })).toThrow(/^waitPollMs/);
      expect(() => AccountPool.fromEnv(accountsEnv(1), { state: {} as never })).toThrow(
        /the state option/,
      );
    });
  });

  describe('strategies', () => {
    it('least-recently-used spreads calls over the accounts', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(3), { strategy: 'least-recently-used' });
      const order: number[] = [];
      for (let i = 0; i < 6; i++) order.push(await pool.run(({ index }) => index));
      expect(order).toEqual([1, 2, 3, 1, 2, 3]);
    });

    it('random is seeded and stays within the accounts', async () => {
      let seed = 1;
      const random = () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      };
      const pool = AccountPool.fromEnv(accountsEnv(3), { random });
      const seen = new Set<number>();
      for (let i = 0; i < 60; i++) seen.add(await pool.run(({ index }) => index));
      expect([...seen].sort()).toEqual([1, 2, 3]);
    });

    it('a pick()-only strategy chooses first; a full account falls to the next in turn', async () => {
      const second: AccountPickStrategy = { name: 'second', pick: () => 2 };
      const pool = AccountPool.fromEnv(accountsEnv(3), { strategy: second, capacity: 1 });
      const gate = deferred();
      const indexes = await Promise.all(
        [0, 1, 2]
          .map(() =>
            pool.run(async ({ index }) => {
              await gate.promise;
              return index;
            }),
          )
          .map(async (p, i) => {
            if (i === 2) gate.resolve();
            return p;
          }),
      );
      expect(indexes).toEqual([2, 3, 1]);
    });

    it('a strategy only orders: a cooling account it prefers is skipped by the state', async () => {
      const clock = new FakeClock();
      const first: AccountPickStrategy = {
        name: 'first',
        pick: () => 1,
        rank: ({ candidates }) => [...candidates],
      };
      const pool = AccountPool.fromEnv(accountsEnv(2), { strategy: first, clock });
      await pool.markThrottled(1, 1_000);
      await expect(pool.run(({ index }) => index)).resolves.toBe(2);
    });
  });

  describe('stats()', () => {
    it('shows every account in order: capacity, inFlight, throttledUntil, leases, throttles', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(
        { ...accountsEnv(3), AWS_CONCURRENCY_3: '9' },
        { capacity: 2, strategy: 'round-robin', clock, coolDown: NO_JITTER },
      );
      const gate = deferred();
      const pending = pool.run(({ index }) => {
        if (index === 1) throw rateExceeded();
        return gate.promise;
      });
      // The call above went 1 (throttled) → 2, which is still held.
      await settle();
      expect(await pool.stats()).toEqual([
        {
          index: 1,
          capacity: 2,
          inFlight: 0,
          throttledUntil: clock.time + 10_000,
          leases: 1,
          throttles: 1,
          streak: 1,
          lastLeasedAt: clock.time,
        },
        {
          index: 2,
          capacity: 2,
          inFlight: 1,
          throttledUntil: 0,
          leases: 1,
          throttles: 0,
          streak: 0,
          lastLeasedAt: clock.time,
        },
        {
          index: 3,
          capacity: 9,
          inFlight: 0,
          throttledUntil: 0,
          leases: 0,
          throttles: 0,
          streak: 0,
          lastLeasedAt: 0,
        },
      ]);
      gate.resolve();
      await pending;
      clock.advance(10_000);
      expect((await pool.stats())[0]?.throttledUntil).toBe(0);
      expect(pool.capacity).toEqual([2, 2, 9]);
      expect(AccountPool.fromEnv(accountsEnv(1)).capacity).toEqual([null]);
    });

    it('pools sharing one state share capacity', async () => {
      const state = new InMemoryPoolState();
      const a = AccountPool.fromEnv(accountsEnv(1), { capacity: 1, state });
      const b = AccountPool.fromEnv(accountsEnv(1), { capacity: 1, state, waitPollMs: 5 });
      const gate = deferred();
      const held = a.run(() => gate.promise);
      let bRan = false;
      const waiting = b.run(() => {
        bRan = true;
      });
      await settle();
      expect(bRan).toBe(false);
      gate.resolve();
      await Promise.all([held, waiting]);
      expect(bRan).toBe(true);
      expect((await b.stats())[0]?.leases).toBe(2);
    });

    it('pick() learns the cool-downs another pool stored in a shared state, through stats()', async () => {
      const clock = new FakeClock();
      const state = new InMemoryPoolState();
      const a = AccountPool.fromEnv(accountsEnv(3), { state, clock });
      const b = AccountPool.fromEnv(accountsEnv(3), { state, clock });
      await a.markThrottled(2, 5_000);
      expect((await b.stats()).map((s) => s.throttledUntil)).toEqual([0, clock.time + 5_000, 0]);
      expect(picks(b, 3)).toEqual([1, 3, 1]);
      clock.advance(5_000);
      expect(picks(b, 3)).toEqual([2, 3, 1]);
    });

    it('pick() learns them from a run() that found every account cooling down', async () => {
      const clock = new FakeClock();
      const state = new InMemoryPoolState();
      const a = AccountPool.fromEnv(accountsEnv(3), { state, clock });
      const b = AccountPool.fromEnv(accountsEnv(3), { state, clock });
      await a.markThrottled(1, 1_000);
      await a.markThrottled(2, 2_000);
      await a.markThrottled(3, 3_000);
      await expect(b.run(() => 'ran')).rejects.toBeInstanceOf(AccountsExhaustedError);
      clock.advance(2_000);
      expect(picks(b, 3)).toEqual([1, 2, 1]);
    });
  });

  describe('the state behind it', () => {
    /** An InMemoryPoolState with a few faults and counters. */
    class FaultyState implements PoolState {
      readonly inner = new InMemoryPoolState();
      renewIntervalMs: number | undefined;
      renewals = 0;
      failRelease = false;
      failAcquire = false;
      failSubscribe = false;
      failUnsubscribe = false;
      /** What renew() answers; `undefined`: the inner state's answer. */
      renewAnswer: boolean | undefined;
      /** While set, renew() does not answer until it resolves. */
      renewGate: Deferred | undefined;
      /** How many of the next renewals fail. */
      renewFailures = 0;
      /** While set, coolDown() stores nothing until it resolves. */
      coolDownGate: Deferred | undefined;
      /** Every outcome the pool released a lease with. */
      readonly outcomes: LeaseOutcome[] = [];
      async acquire(request: Parameters<PoolState['acquire']>[0]) {
        if (this.failAcquire) throw new Error('store down');
        return this.inner.acquire(request);
      }
      release(lease: PoolLease, outcome: LeaseOutcome) {
        this.outcomes.push(outcome);
        if (this.failRelease) return Promise.reject(new Error('store down'));
        return this.inner.release(lease, outcome);
      }
      async coolDown(index: number, until: number) {
        await this.coolDownGate?.promise;
        return this.inner.coolDown(index, until);
      }
      async renew(lease: PoolLease, now: number) {
        this.renewals++;
        await this.renewGate?.promise;
        if (this.renewFailures > 0) {
          this.renewFailures--;
          throw new Error('store down');
        }
        return this.renewAnswer ?? this.inner.renew(lease, now);
      }
      /** An account the store reports although the pool does not have it (a foreign store's bug). */
      foreign: AccountUsage | undefined;
      async usage(count: number, now: number) {
        const usage = await this.inner.usage(count, now);
        return this.foreign ? [...usage, this.foreign] : usage;
      }
      onRelease(listener: () => void) {
        if (this.failSubscribe) throw new Error('cannot subscribe');
        const off = this.inner.onRelease(listener);
        return () => {
          off();
          if (this.failUnsubscribe) throw new Error('unsubscribe failed');
        };
      }
    }

    /** A pool of one account on `state`, and the debug lines it logs. */
    function loggedPool(state: PoolState) {
      const debug: string[] = [];
      const pool = AccountPool.fromEnv(accountsEnv(1), {
        state,
        logger: { debug: (line) => debug.push(line) },
      });
      return { pool, debug };
    }

    it('a store that reports an account the pool lacks: still AccountsExhaustedError, that key id "?"', async () => {
      const state = new FaultyState();
      const pool = AccountPool.fromEnv(accountsEnv(1), { state, capacity: 1 });
      const usage = await state.usage(1, Date.now());
      state.foreign = { ...(usage[0] as AccountUsage), index: 2 };
      const error = await pool
        .run(() => {
          throw rateExceeded();
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccountsExhaustedError);
      expect((error as AccountsExhaustedError).accounts.map((a) => a.accessKeyId)).toEqual([
        'AKIA…NT01',
        '?',
      ]);
    });

    it('renews a lease while fn runs when the store asks, and stops after', async () => {
      const state = new FaultyState();
      state.renewIntervalMs = 10;
      const pool = AccountPool.fromEnv(accountsEnv(1), { state });
      // fn runs until the pool has renewed its lease three times (or gives up).
      await pool.run(async () => {
        await eventually(() => state.renewals >= 3);
      });
      const during = state.renewals;
      expect(during).toBeGreaterThanOrEqual(3);
      await sleep(40);
      expect(state.renewals).toBe(during);
    });

    it.each([undefined, 0, -5, Number.NaN])(
      'never renews when renewIntervalMs is %p',
      async (every) => {
        const state = new FaultyState();
        state.renewIntervalMs = every;
        const pool = AccountPool.fromEnv(accountsEnv(1), { state });
        // A pool renewing anyway would do so every millisecond or so.
        await pool.run(() => sleep(30));
        expect(state.renewals).toBe(0);
      },
    );

    it('a renewal that fails is reported and renewing goes on', async () => {
      const state = new FaultyState();
      state.renewIntervalMs = 5;
      state.renewFailures = 2;
      const { pool, debug } = loggedPool(state);
      await pool.run(async () => {
        await eventually(() => state.renewals >= 4);
      });
      expect(state.renewals).toBeGreaterThanOrEqual(4);
      expect(debug).toEqual([
        'could not renew the lease on account 1: store down',
        'could not renew the lease on account 1: store down',
      ]);
    });

    it('a renewal still pending when fn settles is not reported as an expired lease', async () => {
      const state = new FaultyState();
      state.renewIntervalMs = 5;
      const gate = deferred();
      state.renewGate = gate;
      const { pool, debug } = loggedPool(state);
      await pool.run(async () => {
        await eventually(() => state.renewals >= 1);
      });
      // The lease is released: the pending renewal now answers false.
      state.renewGate = undefined;
      gate.resolve();
      await settle();
      await expect(state.inner.renew({ index: 1, id: '1', grantedAt: 0 }, 0)).resolves.toBe(false);
      expect(state.renewals).toBe(1);
      expect(debug).toEqual([]);
    });

    it('tells the store how each call went: success, failure, or throttled with the back-off', async () => {
      const state = new FaultyState();
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(2), {
        state,
        clock,
        strategy: 'round-robin',
        random: () => 0.5,
        coolDown: { initialMs: 1_000, jitterRatio: 0.2 },
      });
      await pool.run(() => 'ok');
      await expect(
        pool.run(() => {
          throw new Error('render failed');
        }),
      ).rejects.toThrow('render failed');
      await pool.run(({ index }) => {
        if (index === 1) throw rateExceeded();
        return index;
      });
      expect(state.outcomes).toEqual([
        { kind: 'success' },
        { kind: 'failure' },
        {
          kind: 'throttled',
          now: clock.time,
          backoff: { initialMs: 1_000, multiplier: 2, maxMs: 300_000, jitterRatio: 0.2 },
          jitterFactor: 0.9,
        },
        { kind: 'success' },
      ]);
    });

    it('a store that cannot release a throttled lease: the call still moves on to another account', async () => {
      const state = new FaultyState();
      state.failRelease = true;
      const pool = AccountPool.fromEnv(accountsEnv(2), { state, strategy: 'round-robin' });
      await expect(
        pool.run(({ index }) => {
          if (index === 1) throw rateExceeded();
          return index;
        }),
      ).resolves.toBe(2);
    });

    it('markThrottled() is seen by pick() at once, even when a call on that account ends before a slow store has it', async () => {
      const state = new FaultyState();
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(2), { state, clock, strategy: 'round-robin' });
      const finish = deferred();
      const running = pool.run(async ({ index }) => {
        await finish.promise;
        return index;
      });
      await settle();
      const stored = deferred();
      state.coolDownGate = stored;
      const marked = pool.markThrottled(1, 10_000);
      finish.resolve();
      await expect(running).resolves.toBe(1);
      expect(picks(pool, 2)).toEqual([2, 2]);
      stored.resolve();
      await marked;
      expect(picks(pool, 2)).toEqual([2, 2]);
    });

    it('a store that cannot release does not hide fn’s result or error', async () => {
      const state = new FaultyState();
      const { pool, debug } = loggedPool(state);
      state.failRelease = true;
      await expect(pool.run(() => 'done')).resolves.toBe('done');
      const boom = new Error('boom');
      await expect(
        pool.run(() => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(debug).toEqual([
        'could not release the lease on account 1: store down',
        'could not release the lease on account 1: store down',
      ]);
    });

    it('hands its logger to a store that wants one, once', () => {
      const given: unknown[] = [];
      const state = Object.assign(new InMemoryPoolState(), {
        useLogger: (logger: unknown) => given.push(logger),
      });
      const logger = { debug: () => {} };
      AccountPool.fromEnv(accountsEnv(1), { state, logger });
      AccountPool.fromEnv(accountsEnv(1), { state: new InMemoryPoolState(), logger });
      expect(given).toEqual([logger]);
      AccountPool.fromEnv(accountsEnv(1), { state });
      expect(given).toHaveLength(1);
    });

    it('asks the store once per wake-up, not once per waiting call', async () => {
      const state = new FaultyState();
      let acquisitions = 0;
      const acquire = state.acquire.bind(state);
      state.acquire = (request) => {
        acquisitions++;
        return acquire(request);
      };
      const pool = AccountPool.fromEnv(accountsEnv(2), { state, capacity: 1 });
      const gates = [deferred(), deferred()];
      const held = gates.map((g) => pool.run(() => g.promise));
      const hold = deferred();
      const waiting = Array.from({ length: 50 }, (_, i) =>
        pool.run(async () => {
          await hold.promise;
          return i;
        }),
      );
      await settle();
      expect(pool.waiting).toBe(50);
      const before = acquisitions;
      gates[0]?.resolve();
      await settle();
      // One grant for the first waiter, one refusal for the second, the rest not asked.
      expect(acquisitions - before).toBeLessThanOrEqual(3);
      expect(pool.waiting).toBe(49);
      gates[1]?.resolve();
      hold.resolve();
      await expect(Promise.all(waiting)).resolves.toHaveLength(50);
      await Promise.all(held);
    });

    it('a renewal answering false (lease expired) is reported once and renewing stops', async () => {
      const state = new FaultyState();
      state.renewIntervalMs = 5;
      state.renewAnswer = false;
      const { pool, debug } = loggedPool(state);
      await pool.run(async () => {
        await eventually(() => debug.length > 0 || state.renewals >= 5);
        const renewals = state.renewals;
        // Twenty intervals: a pool still renewing would have asked again.
        await sleep(100);
        expect(state.renewals).toBe(renewals);
      });
      expect(debug).toEqual([
        'the lease on account 1 expired while its call ran: it no longer counts towards capacity',
      ]);
    });

    it('skips renewals while one is still pending on a slow store', async () => {
      const state = new FaultyState();
      state.renewIntervalMs = 5;
      const gate = deferred();
      state.renewGate = gate;
      const pool = AccountPool.fromEnv(accountsEnv(1), { state });
      await pool.run(async () => {
        await eventually(() => state.renewals >= 1);
        // Twenty intervals with the first renewal unanswered: no pile-up.
        await sleep(100);
        expect(state.renewals).toBe(1);
        state.renewGate = undefined;
        gate.resolve();
        await eventually(() => state.renewals >= 3);
      });
      expect(state.renewals).toBeGreaterThanOrEqual(3);
    });

    it('a store whose onRelease throws fails the waiting call with its error, leaving no waiter', async () => {
      const state = new FaultyState();
      const pool = AccountPool.fromEnv(accountsEnv(1), { state, capacity: 1 });
      const gate = deferred();
      const held = pool.run(() => gate.promise);
      await settle();
      state.failSubscribe = true;
      await expect(pool.run(() => 'never')).rejects.toThrow('cannot subscribe');
      expect(pool.waiting).toBe(0);
      state.failSubscribe = false;
      const next = pool.run(() => 'next');
      gate.resolve();
      await held;
      await expect(next).resolves.toBe('next');
      expect((await pool.stats())[0]).toMatchObject({ inFlight: 0, leases: 2 });
    });

    it('a store whose unsubscribe throws: reported through the logger, never unhandled', async () => {
      // An unhandled rejection would fail this test: jest reports it itself
      // (a process 'unhandledRejection' listener never fires under jest).
      const state = new FaultyState();
      state.failUnsubscribe = true;
      const debug: string[] = [];
      const pool = AccountPool.fromEnv(accountsEnv(1), {
        state,
        capacity: 1,
        logger: { debug: (line) => debug.push(line) },
      });
      for (let round = 0; round < 2; round++) {
        const gate = deferred();
        const held = pool.run(() => gate.promise);
        const waiting = pool.run(() => round);
        await settle();
        expect(pool.waiting).toBe(1);
        gate.resolve();
        await expect(waiting).resolves.toBe(round);
        await held;
      }
      await settle();
      expect(debug).toEqual([
        'account pool: could not unsubscribe from the state: unsubscribe failed',
        'account pool: could not unsubscribe from the state: unsubscribe failed',
      ]);
    });

    it('wakes a waiter when a cool-down ends, without waiting for the poll', async () => {
      // The system clock: the wake-up is a real timer set from the cool-down's end.
      const pool = AccountPool.fromEnv(accountsEnv(2), {
        capacity: 1,
        strategy: 'round-robin',
        waitPollMs: 600_000,
      });
      const gate = deferred();
      const held = pool.run(() => gate.promise);
      await pool.markThrottled(2, 50);
      const waited = pool.run(({ index }) => index);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tooLong = new Promise((resolve) => {
        timer = setTimeout(() => resolve('still waiting after 5 s'), 5_000);
      });
      try {
        await expect(Promise.race([waited, tooLong])).resolves.toBe(2);
      } finally {
        clearTimeout(timer);
        gate.resolve();
        await held;
      }
    });

    it('a store that cannot acquire rejects the call with its error', async () => {
      const state = new FaultyState();
      state.failAcquire = true;
      const pool = AccountPool.fromEnv(accountsEnv(1), { state });
      await expect(pool.run(() => 1)).rejects.toThrow('store down');
    });
  });
});

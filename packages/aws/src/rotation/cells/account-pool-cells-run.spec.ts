import {
  cellsEnv,
  deferred,
  FakeClock,
  REGIONS,
  sleep,
  throttle,
} from '../../../../../test/support/cells-spec-support';
import { AccountPool } from '../account-pool';
import { AccountsExhaustedError } from '../accounts-exhausted-error';
import { InMemoryPoolState } from '../state/in-memory-pool-state';

const NO_JITTER = { jitterRatio: 0 };

describe('AccountPool.run() with regions', () => {
  describe('weights', () => {
    it('never holds more than a cell’s capacity in units: 60 concurrent calls of weights 1–3 on 2 × 2 cells of 4', async () => {
      const pool = AccountPool.fromEnv(cellsEnv(2), { regions: REGIONS, capacity: 4 });
      const units = new Map<string, number>();
      let highest = 0;
      const calls = Array.from({ length: 60 }, (_, i) => {
        const weight = 1 + (i % 3);
        return pool.run(
          async ({ index, region }) => {
            const cell = `${index}:${region}`;
            units.set(cell, (units.get(cell) ?? 0) + weight);
            highest = Math.max(highest, units.get(cell) ?? 0);
            await sleep(2);
            units.set(cell, (units.get(cell) ?? 0) - weight);
            return cell;
          },
          { weight },
        );
      });
      const cells = await Promise.all(calls);
      expect(highest).toBeLessThanOrEqual(4);
      expect(highest).toBeGreaterThanOrEqual(3);
      expect(new Set(cells).size).toBe(4);
      expect((await pool.stats()).map((s) => s.inFlight)).toEqual([0, 0, 0, 0]);
    });

    it('a weight above every cell’s capacity is a RangeError at once; smaller cells are skipped', async () => {
      const pool = AccountPool.fromEnv(cellsEnv(2, { AWS_CONCURRENCY_2: '8' }), {
        regions: REGIONS,
        capacity: 4,
      });
      let ran = false;
      await expect(
        pool.run(
          () => {
            ran = true;
          },
          { weight: 9 },
        ),
      ).rejects.toThrow(
        /^the weight option of run\(\) is 9, above every cell's capacity \(the largest is 8\): no cell could ever run this call$/,
      );
      expect(ran).toBe(false);
      const cells = await Promise.all(
        [1, 2, 3].map(() => pool.run(({ index }) => index, { weight: 6 })),
      );
      expect(cells).toEqual([2, 2, 2]);
      for (const weight of [0, 1.5, -1, Number.NaN]) {
        await expect(pool.run(() => 0, { weight })).rejects.toThrow(
          /^the weight option of run\(\) must be a positive integer/,
        );
      }
    });

    it('FIFO: a heavy call waiting is not overtaken by light ones queued behind it', async () => {
      const pool = AccountPool.fromEnv(cellsEnv(1), { regions: ['us-east-1'], capacity: 4 });
      const order: string[] = [];
      const first = deferred();
      // 3 of 4 units taken: the heavy call (3) must wait for them.
      const holding = pool.run(() => first.promise, { weight: 3 });
      await sleep(2);
      const heavy = pool.run(() => order.push('heavy'), { weight: 3 });
      await sleep(2);
      const light = [1, 2, 3].map((n) => pool.run(() => order.push(`light ${n}`)));
      await sleep(10);
      // One unit is free, but the light calls queued behind the heavy one wait.
      expect(order).toEqual([]);
      expect(pool.waiting).toBe(4);
      first.resolve();
      await Promise.all([holding, heavy, ...light]);
      expect(order[0]).toBe('heavy');
      expect(order).toHaveLength(4);
    });
  });

  describe('throttles by reason', () => {
    const setUp = () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(cellsEnv(1), {
        regions: REGIONS,
        clock,
        strategy: 'round-robin',
        coolDown: NO_JITTER,
      });
      const firstCellThrows = (error: unknown) =>
        pool.run(({ region, attempt }) => {
          if (region === 'us-east-1') throw error;
          return attempt;
        });
      return { clock, pool, firstCellThrows };
    };

    it('concurrency: the cell cools down (10 s, at least its Retry-After), the call moves on', async () => {
      const { clock, pool, firstCellThrows } = setUp();
      await expect(firstCellThrows(throttle('ConcurrentInvocationLimitExceeded'))).resolves.toBe(2);
      let [cell] = await pool.stats();
      expect(cell).toMatchObject({
        throttledUntil: clock.time + 10_000,
        reason: 'concurrency',
        streak: 1,
      });
      clock.advance(10_000);
      await expect(
        firstCellThrows(throttle('ConcurrentInvocationLimitExceeded', '45')),
      ).resolves.toBe(2);
      [cell] = await pool.stats();
      // The second episode's 20 s back-off, stretched to the 45 s asked.
      expect(cell).toMatchObject({ throttledUntil: clock.time + 45_000, streak: 2 });
    });

    it('reserved: the call moves on, the cell is not cooled', async () => {
      const { pool, firstCellThrows } = setUp();
      await expect(
        firstCellThrows(throttle('ReservedFunctionConcurrentInvocationLimitExceeded')),
      ).resolves.toBe(2);
      const [cell] = await pool.stats();
      expect(cell).toMatchObject({ throttledUntil: 0, throttles: 1, streak: 0 });
      expect(cell).not.toHaveProperty('reason');
    });

    it('rate: max(Retry-After, coolDown.rateMs), the streak untouched', async () => {
      const { clock, pool, firstCellThrows } = setUp();
      await firstCellThrows(throttle('CallerRateLimitExceeded'));
      expect((await pool.stats())[0]).toMatchObject({
        throttledUntil: clock.time + 1_000,
        reason: 'rate',
        streak: 0,
      });
      clock.advance(1_000);
      await firstCellThrows(throttle('CallerRateLimitExceeded', '2'));
      expect((await pool.stats())[0]).toMatchObject({ throttledUntil: clock.time + 2_000 });
    });

    it('the reason is in the log: the throttle and the cool-down it caused', async () => {
      const clock = new FakeClock();
      const debug: string[] = [];
      const pool = AccountPool.fromEnv(cellsEnv(1), {
        regions: REGIONS,
        clock,
        strategy: 'round-robin',
        coolDown: NO_JITTER,
        // The clock stands still: no waiting for a cool-down to end.
        maxWaitMs: 0,
        logger: { debug: (line) => debug.push(line) },
      });
      const until = new Date(clock.time + 3_000).toISOString();
      await pool.run(({ region }) => {
        if (region === 'us-east-1') throw throttle('CallerRateLimitExceeded', '3');
        return region;
      });
      // us-east-1 is cooling down: this call has eu-central-1 only.
      await expect(
        pool.run(() => {
          throw throttle('ReservedFunctionConcurrentInvocationLimitExceeded');
        }),
      ).rejects.toBeInstanceOf(AccountsExhaustedError);
      expect(debug).toEqual([
        `account 1 in us-east-1 cools down until ${until} (rate)`,
        'account 1 in us-east-1 throttled (rate): cooling down, trying another',
        'account 1 in eu-central-1 throttled (reserved): not cooled, trying another',
      ]);
    });

    it('a later, shorter cool-down never shortens a running one', async () => {
      const clock = new FakeClock();
      const state = new InMemoryPoolState();
      const a = AccountPool.fromEnv(cellsEnv(1), {
        regions: ['us-east-1'],
        clock,
        state,
        coolDown: NO_JITTER,
      });
      const b = AccountPool.fromEnv(cellsEnv(1), {
        regions: ['us-east-1'],
        clock,
        state,
        coolDown: NO_JITTER,
      });
      const gate = deferred();
      // Two calls on the one cell; the first reports a 10 s concurrency
      // throttle, the second a rate limit asking for 1 s.
      const first = a.run(async () => {
        await gate.promise;
        throw throttle('ConcurrentInvocationLimitExceeded');
      });
      const second = b.run(async () => {
        await gate.promise;
        await sleep(5);
        throw throttle('CallerRateLimitExceeded', '1');
      });
      gate.resolve();
      await expect(first).rejects.toBeInstanceOf(AccountsExhaustedError);
      await expect(second).rejects.toBeInstanceOf(AccountsExhaustedError);
      expect((await a.stats())[0]).toMatchObject({
        throttledUntil: clock.time + 10_000,
        reason: 'concurrency',
        throttles: 2,
      });
    });
  });

  describe('waiting for a cool-down', () => {
    it('every cell cooling down (other calls): waits for the earliest to end, then runs', async () => {
      const pool = AccountPool.fromEnv(cellsEnv(1), { regions: REGIONS, waitPollMs: 10_000 });
      await pool.markThrottled(1, 150, 'us-east-1');
      await pool.markThrottled(1, 3_000, 'eu-central-1');
      const start = Date.now();
      const region = await pool.run(({ region }) => region);
      // The earliest cool-down's cell, as soon as it ends (the poll is 10 s).
      expect(region).toBe('us-east-1');
      expect(Date.now() - start).toBeGreaterThanOrEqual(140);
      expect(Date.now() - start).toBeLessThan(2_900);
    });

    it('the earliest ending after maxWaitMs: AccountsExhaustedError at once, with retryAfterMs', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(cellsEnv(1), { regions: REGIONS, clock });
      await pool.markThrottled(1, 31_000);
      const error = await pool.run(() => 'never').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccountsExhaustedError);
      expect((error as AccountsExhaustedError).retryAfterMs).toBe(31_000);
      const short = await pool.run(() => 'never', { maxWaitMs: 100 }).catch((e: unknown) => e);
      expect((short as AccountsExhaustedError).retryAfterMs).toBe(31_000);
      await expect(pool.run(() => 'never', { maxWaitMs: -5 })).rejects.toThrow(RangeError);
    });

    it('a call throttled on every cell rejects at once: it never tries a cell twice, nor waits', async () => {
      const pool = AccountPool.fromEnv(cellsEnv(2), { regions: REGIONS, coolDown: NO_JITTER });
      const tried: string[] = [];
      const start = Date.now();
      const error = await pool
        .run(({ index, region }) => {
          tried.push(`${index}:${region}`);
          throw throttle('CallerRateLimitExceeded');
        })
        .catch((e: unknown) => e);
      expect(Date.now() - start).toBeLessThan(500);
      expect(new Set(tried).size).toBe(4);
      expect(tried).toHaveLength(4);
      const exhausted = error as AccountsExhaustedError;
      expect(exhausted.accounts.every((a) => a.throttledByThisCall && a.reason === 'rate')).toBe(
        true,
      );
      expect(exhausted.retryAfterMs).toBeGreaterThan(0);
      expect(exhausted.retryAfterMs).toBeLessThanOrEqual(1_000);
    });

    it('retryAfterMs counts only the cells that can hold the call: a free cell too small is no answer', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(cellsEnv(2, { AWS_CONCURRENCY_2: '1' }), {
        regions: REGIONS,
        capacity: 4,
        clock,
        coolDown: NO_JITTER,
      });
      const tried: string[] = [];
      const error = await pool
        .run(
          ({ index, region }) => {
            tried.push(`${index}:${region}`);
            throw throttle('ConcurrentInvocationLimitExceeded');
          },
          { weight: 2 },
        )
        .catch((e: unknown) => e);
      expect(tried).toEqual(expect.arrayContaining(['1:us-east-1', '1:eu-central-1']));
      expect(tried).toHaveLength(2);
      const exhausted = error as AccountsExhaustedError;
      expect(exhausted).toBeInstanceOf(AccountsExhaustedError);
      // Account 2's cells are free but hold 1 unit: the call could never run there.
      expect(exhausted.accounts.map((a) => [a.index, a.tooSmallForThisCall ?? false])).toEqual([
        [1, false],
        [1, false],
        [2, true],
        [2, true],
      ]);
      expect(exhausted.retryAfterMs).toBe(10_000);
      expect(exhausted.message).toContain(
        "account 2 (AKIA…UNT2) in us-east-1: too small for this call's weight, not cooling down",
      );
      expect(exhausted.message).toContain('the first is usable again in 10.0 s');
    });

    it('a signal aborts a call waiting for a cool-down, with its reason', async () => {
      const pool = AccountPool.fromEnv(cellsEnv(1), { regions: ['us-east-1'] });
      await pool.markThrottled(1, 5_000);
      const controller = new AbortController();
      const waiting = pool.run(() => 'never', { signal: controller.signal });
      await sleep(10);
      expect(pool.waiting).toBe(1);
      controller.abort(new Error('render cancelled'));
      await expect(waiting).rejects.toThrow('render cancelled');
      expect(pool.waiting).toBe(0);
    });

    it('waiters for one cool-down start in arrival order', async () => {
      // The clock stands still until all three wait: on a busy machine a
      // real 60 ms cool-down could end between the first call's refusal and
      // the second's try, which would then rightly get the cell at once.
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(cellsEnv(1), {
        regions: ['us-east-1'],
        capacity: 1,
        clock,
      });
      await pool.markThrottled(1, 60);
      const order: number[] = [];
      const runs = Promise.all([1, 2, 3].map((n) => pool.run(() => order.push(n))));
      while (pool.waiting < 3) await sleep(5);
      clock.advance(60);
      await runs;
      expect(order).toEqual([1, 2, 3]);
    });
  });
});

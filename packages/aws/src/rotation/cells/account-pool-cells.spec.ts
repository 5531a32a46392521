import { inspect } from 'node:util';
import {
  cellsEnv,
  deferred,
  FakeClock,
  keyOf,
  REGIONS,
  secretOf,
  sleep,
  throttle,
} from '../../../../../test/support/cells-spec-support';
import { createCredentialChain } from '../../chain/create-credential-chain';
import { createRegionChain } from '../../region/create-region-chain';
import { AccountPool } from '../account-pool';
import { AccountPoolError } from '../account-pool-error';
import { AccountsExhaustedError } from '../accounts-exhausted-error';

describe('AccountPool with regions (cells)', () => {
  describe('cells', () => {
    it('are account × region, account-major, each with its capacity', () => {
      const pool = AccountPool.fromEnv(cellsEnv(2), { regions: REGIONS, capacity: 4 });
      expect(pool.regions).toEqual(REGIONS);
      expect(pool.cells).toEqual([
        { index: 1, region: 'us-east-1', accessKeyId: 'AKIA…UNT1', capacity: 4 },
        { index: 1, region: 'eu-central-1', accessKeyId: 'AKIA…UNT1', capacity: 4 },
        { index: 2, region: 'us-east-1', accessKeyId: 'AKIA…UNT2', capacity: 4 },
        { index: 2, region: 'eu-central-1', accessKeyId: 'AKIA…UNT2', capacity: 4 },
      ]);
      expect(pool.count).toBe(2);
    });

    it.each([
      ['a number for every cell', { capacity: 7 }, {}, [7, 7, 7, 7]],
      ['one per account, for each of its regions', { capacity: [3, 9] }, {}, [3, 3, 9, 9]],
      [
        'AWS_CONCURRENCY_{n}: every region of account n',
        {},
        { AWS_CONCURRENCY_2: '5' },
        [null, null, 5, 5],
      ],
      [
        'AWS_CONCURRENCY_{n}_{REGION} wins for its cell',
        { capacity: 2 },
        { AWS_CONCURRENCY_1: '6', AWS_CONCURRENCY_1_EU_CENTRAL_1: '11' },
        [6, 11, 2, 2],
      ],
    ])('capacity: %s', (_label, options, extra, expected) => {
      const pool = AccountPool.fromEnv(cellsEnv(2, extra), { regions: REGIONS, ...options });
      expect(pool.capacity).toEqual(expected);
    });

    it('names every wrong capacity variable at once', () => {
      const env = cellsEnv(2, {
        AWS_CONCURRENCY_1_US_WEST_2: '4',
        AWS_CONCURRENCY_3_US_EAST_1: '4',
        AWS_CONCURRENCY_2_EU_CENTRAL_1: 'four',
      });
      const attempt = () => AccountPool.fromEnv(env, { regions: REGIONS });
      expect(attempt).toThrow(AccountPoolError);
      expect(attempt).toThrow(
        /AWS_CONCURRENCY_1_US_WEST_2 names region us-west-2, which the pool does not use \(regions: us-east-1, eu-central-1\)/,
      );
      expect(attempt).toThrow(
        /AWS_CONCURRENCY_2_EU_CENTRAL_1 must be a positive integer \(got "four"\)/,
      );
      expect(attempt).toThrow(/AWS_CONCURRENCY_3_US_EAST_1 is set but there is no account 3/);
    });

    it('a pool without regions ignores regional variables, as before', () => {
      const pool = AccountPool.fromEnv(cellsEnv(1, { AWS_CONCURRENCY_1_US_EAST_1: '2' }));
      expect(pool.capacity).toEqual([null]);
      expect(pool.regions).toBeUndefined();
    });

    it.each([
      [[], /the regions option is empty/],
      [
        ['us-east-1', 'US-WEST-2'],
        /^regions\[1\] \("US-WEST-2"\) is not a Region name such as "eu-central-1"$/,
      ],
      [['eu-central-1', 'eu-central-1'], /^regions\[1\] \("eu-central-1"\) is listed twice$/],
      [['us-east'], /regions\[0\]/],
    ])('rejects regions %p, naming the entry', (regions, message) => {
      expect(() => AccountPool.fromEnv(cellsEnv(1), { regions })).toThrow(message);
    });

    it('rejects a regions option that is not a list, and a wrong maxWaitMs', () => {
      expect(() =>
        AccountPool.fromEnv(cellsEnv(1), { regions: 'us-east-1' as unknown as string[] }),
      ).toThrow(TypeError);
      expect(() => AccountPool.fromEnv(cellsEnv(1), { maxWaitMs: -1 })).toThrow(
        /^maxWaitMs must be a number of milliseconds ≥ 0 \(got -1\)$/,
      );
    });
  });

  describe('scopes', () => {
    it('run() gives fn its cell and scopes the account and the region', async () => {
      const env = cellsEnv(2);
      const pool = AccountPool.fromEnv(env, { regions: REGIONS, strategy: 'round-robin' });
      const chain = createCredentialChain({ env });
      const regions = createRegionChain({ env });
      const seen = await Promise.all(
        [1, 2, 3, 4].map(() =>
          pool.run(async (context) => ({
            context,
            key: (await chain.resolve()).accessKeyId,
            region: await regions.resolve(),
            plain: await createRegionChain({ env, prefix: 'OTHER' }).resolve(),
          })),
        ),
      );
      expect(seen.map((s) => [s.context, s.key, s.region, s.plain])).toEqual([
        [{ index: 1, region: 'us-east-1', attempt: 1 }, keyOf(1), 'us-east-1', 'us-east-1'],
        [
          { index: 1, region: 'eu-central-1', attempt: 1 },
          keyOf(1),
          'eu-central-1',
          'eu-central-1',
        ],
        [{ index: 2, region: 'us-east-1', attempt: 1 }, keyOf(2), 'us-east-1', 'us-east-1'],
        [
          { index: 2, region: 'eu-central-1', attempt: 1 },
          keyOf(2),
          'eu-central-1',
          'eu-central-1',
        ],
      ]);
      // Outside the scope: the default region again.
      await expect(regions.resolve()).resolves.toBe('us-east-1');
    });

    it('withCell() scopes a cell without taking capacity; an unknown region is refused', async () => {
      const env = cellsEnv(2);
      const pool = AccountPool.fromEnv(env, { regions: REGIONS, capacity: 1 });
      const gate = deferred();
      const running = pool.run(
        async ({ index, region }) => {
          await gate.promise;
          return { index, region };
        },
        { strategy: 'round-robin' },
      );
      await sleep(5);
      const cell = { index: 1, region: 'us-east-1' };
      const inside = await pool.withCell(cell, async () => ({
        key: (await createCredentialChain({ env }).resolve()).accessKeyId,
        region: await createRegionChain({ env }).resolve(),
      }));
      expect(inside).toEqual({ key: keyOf(1), region: 'us-east-1' });
      expect((await pool.stats()).map((s) => s.inFlight)).toEqual([1, 0, 0, 0]);
      gate.resolve();
      await expect(running).resolves.toEqual(cell);
      expect(() => pool.withCell({ index: 1, region: 'us-west-2' }, () => 0)).toThrow(
        /^region "us-west-2" is not one of the pool's regions \(us-east-1, eu-central-1\)$/,
      );
      expect(() => pool.withCell({ index: 3, region: 'us-east-1' }, () => 0)).toThrow(RangeError);
      const accounts = AccountPool.fromEnv(env);
      expect(accounts.withCell({ index: 2 }, () => 'ok')).toBe('ok');
      expect(() => accounts.withCell({ index: 1, region: 'us-east-1' }, () => 0)).toThrow(
        /the pool has no regions/,
      );
    });
  });

  describe('stats(), markThrottled() and pick()', () => {
    it('stats() shows every cell, with the reason of a running cool-down', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(cellsEnv(1), {
        regions: REGIONS,
        capacity: 3,
        clock,
        strategy: 'round-robin',
        coolDown: { jitterRatio: 0 },
      });
      await pool.run(({ region }) => {
        if (region === 'us-east-1') throw throttle('CallerRateLimitExceeded', '4');
        return region;
      });
      expect(await pool.stats()).toEqual([
        {
          index: 1,
          region: 'us-east-1',
          capacity: 3,
          inFlight: 0,
          throttledUntil: clock.time + 4_000,
          reason: 'rate',
          leases: 1,
          throttles: 1,
          streak: 0,
          lastLeasedAt: clock.time,
        },
        {
          index: 1,
          region: 'eu-central-1',
          capacity: 3,
          inFlight: 0,
          throttledUntil: 0,
          leases: 1,
          throttles: 0,
          streak: 0,
          lastLeasedAt: clock.time,
        },
      ]);
      clock.advance(4_000);
      expect((await pool.stats())[0]).not.toHaveProperty('reason');
    });

    it('markThrottled(n, ms) cools every region of n, (n, ms, region) one; pick() skips n only when all its cells are', async () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(cellsEnv(2), { regions: REGIONS, clock });
      await pool.markThrottled(1, 5_000, 'eu-central-1');
      expect((await pool.stats()).map((s) => s.throttledUntil > 0)).toEqual([
        false,
        true,
        false,
        false,
      ]);
      expect(new Set(Array.from({ length: 6 }, () => pool.pick('round-robin')))).toEqual(
        new Set([1, 2]),
      );
      await pool.markThrottled(1, 5_000);
      expect(Array.from({ length: 3 }, () => pool.pick('round-robin'))).toEqual([2, 2, 2]);
      expect(() => pool.markThrottled(1, 5, 'ap-south-1')).toThrow(/not one of the pool's regions/);
    });
  });

  it('an AccountsExhaustedError names each cell, redacted, with retryAfterMs', async () => {
    const clock = new FakeClock();
    const pool = AccountPool.fromEnv(cellsEnv(1), { regions: REGIONS, clock, maxWaitMs: 0 });
    await pool.markThrottled(1, 3_000, 'us-east-1');
    await pool.markThrottled(1, 8_000, 'eu-central-1');
    const error = await pool.run(() => 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountsExhaustedError);
    const exhausted = error as AccountsExhaustedError;
    expect(exhausted.retryAfterMs).toBe(3_000);
    expect(exhausted.accounts).toEqual([
      {
        index: 1,
        region: 'us-east-1',
        accessKeyId: 'AKIA…UNT1',
        coolDownLeftMs: 3_000,
        throttledByThisCall: false,
      },
      {
        index: 1,
        region: 'eu-central-1',
        accessKeyId: 'AKIA…UNT1',
        coolDownLeftMs: 8_000,
        throttledByThisCall: false,
      },
    ]);
    expect(exhausted.message).toMatch(
      /^every cell \(account × region\) of the pool is throttled or cooling down \(the first is usable again in 3\.0 s\):\n {2}- account 1 \(AKIA…UNT1\) in us-east-1: cooling down for 3\.0 s more\n/,
    );
    for (const text of [exhausted.message, inspect(exhausted), JSON.stringify(exhausted)]) {
      expect(text).not.toContain(keyOf(1));
      expect(text).not.toContain(secretOf(1));
    }
  });
});

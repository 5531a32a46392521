import { inspect } from 'node:util';
import {
  ChainExhaustedError,
  type Clock,
  type Credentials,
  EnvironmentScope,
} from '@credchain/core';
import { injectable, container as rootContainer } from 'tsyringe';
import { createCredentialChain } from '../chain/create-credential-chain';
import { AwsTokens } from '../di/aws-tokens';
import type { AccountPickStrategy, AccountPoolState } from './account-pick-strategy';
import { AccountPool } from './account-pool';
import { InMemoryPoolState } from './state/in-memory-pool-state';
import type { PoolState } from './state/pool-state';

type Env = Record<string, string | undefined>;

/** A tiny seeded PRNG (mulberry32): numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class FakeClock implements Clock {
  constructor(private time = Date.UTC(2030, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

const keyOf = (n: number) => `AKIAFAKEPOOLACCT000${n}`;
const secretOf = (n: number) => `SENTINEL/pool+secret-${n}-0123456789abcdefgh`;
const tokenOf = (n: number) => `SENTINEL-pool-session-token-${n}`;

function accountsEnv(count: number, withTokens: readonly number[] = []): Env {
  const env: Env = {};
  for (let n = 1; n <= count; n++) {
    env[`AWS_KEY_${n}`] = keyOf(n);
    env[`AWS_SECRET_${n}`] = secretOf(n);
    if (withTokens.includes(n)) env[`AWS_SESSION_TOKEN_${n}`] = tokenOf(n);
  }
  return env;
}

/** Files that do not exist, so no developer profile can leak into a chain. */
const NO_FILES: Env = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-pool-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-pool-spec/config',
};

const picks = (pool: AccountPool, strategy: Parameters<AccountPool['pick']>[0], times: number) =>
  Array.from({ length: times }, () => pool.pick(strategy));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe(AccountPool.name, () => {
  describe('accounts', () => {
    it('counts the accounts', () => {
      expect(AccountPool.fromEnv(accountsEnv(1)).count).toBe(1);
      expect(AccountPool.fromEnv(accountsEnv(4)).count).toBe(4);
    });

    it('shows them redacted', () => {
      expect(AccountPool.fromEnv(accountsEnv(3)).accounts).toEqual([
        { index: 1, accessKeyId: 'AKIA…0001' },
        { index: 2, accessKeyId: 'AKIA…0002' },
        { index: 3, accessKeyId: 'AKIA…0003' },
      ]);
    });

    it('inspect lists every account, number and redacted key id', () => {
      expect(inspect(AccountPool.fromEnv(accountsEnv(2)))).toBe(
        'AccountPool(1: AKIA…0001, 2: AKIA…0002)',
      );
    });

    it('never shows a secret, a token or a full key id through inspect, JSON or String', () => {
      const pool = AccountPool.fromEnv(accountsEnv(3, [1, 2, 3]), {
        sessionTokenPattern: 'AWS_SESSION_TOKEN_{n}',
      });
      const texts = [
        inspect(pool),
        inspect(pool, { showHidden: true, depth: 10 }),
        inspect({ nested: { pool } }, { depth: 10 }),
        JSON.stringify(pool),
        JSON.stringify({ pool }),
        String(pool),
        `${Object.keys(pool)}`,
      ];
      for (const text of texts) {
        for (let n = 1; n <= 3; n++) {
          expect(text).not.toContain(secretOf(n));
          expect(text).not.toContain(tokenOf(n));
          expect(text).not.toContain(keyOf(n));
        }
      }
      expect(JSON.parse(JSON.stringify(pool))).toEqual({
        count: 3,
        accounts: [
          { index: 1, accessKeyId: 'AKIA…0001' },
          { index: 2, accessKeyId: 'AKIA…0002' },
          { index: 3, accessKeyId: 'AKIA…0003' },
        ],
      });
      expect(inspect(pool)).toContain('AKIA…0002');
    });
  });

  describe('pick()', () => {
    it('round-robin: 1, 2, …, count, 1, … exactly', () => {
      const pool = AccountPool.fromEnv(accountsEnv(4));
      expect(picks(pool, 'round-robin', 10)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2]);
    });

    it('round-robin with one account always gives 1', () => {
      expect(picks(AccountPool.fromEnv(accountsEnv(1)), 'round-robin', 3)).toEqual([1, 1, 1]);
    });

    it('round-robin keeps its own cursor per pool', () => {
      const a = AccountPool.fromEnv(accountsEnv(3));
      const b = AccountPool.fromEnv(accountsEnv(3));
      expect([a.pick('round-robin'), a.pick('round-robin'), b.pick('round-robin')]).toEqual([
        1, 2, 1,
      ]);
    });

    it('random: always within 1..count and roughly uniform (seeded)', () => {
      const pool = AccountPool.fromEnv(accountsEnv(4), { random: mulberry32(20240611) });
      const counts = new Map<number, number>();
      const total = 8000;
      for (const n of picks(pool, 'random', total)) {
        expect(Number.isInteger(n) && n >= 1 && n <= 4).toBe(true);
        counts.set(n, (counts.get(n) ?? 0) + 1);
      }
      expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4]);
      for (const count of counts.values()) {
        expect(Math.abs(count - total / 4)).toBeLessThan((total / 4) * 0.1);
      }
    });

    it('random: the same seed gives the same sequence', () => {
      const a = AccountPool.fromEnv(accountsEnv(5), { random: mulberry32(7) });
      const b = AccountPool.fromEnv(accountsEnv(5), { random: mulberry32(7) });
      expect(picks(a, 'random', 50)).toEqual(picks(b, 'random', 50));
    });

    it('random: copes with a random source that returns its upper edge', () => {
      const pool = AccountPool.fromEnv(accountsEnv(3), { random: () => 0.9999999999999999 });
      expect(pool.pick('random')).toBe(3);
      const low = AccountPool.fromEnv(accountsEnv(3), { random: () => 0 });
      expect(low.pick('random')).toBe(1);
    });

    it('least-recently-used: never-picked first (lowest number), then the oldest pick', () => {
      const pool = AccountPool.fromEnv(accountsEnv(4));
      expect(picks(pool, 'least-recently-used', 8)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    });

    it('least-recently-used: sees picks made by other strategies', () => {
      const pool = AccountPool.fromEnv(accountsEnv(4), { random: () => 0.6 });
      expect(pool.pick('round-robin')).toBe(1);
      expect(pool.pick('round-robin')).toBe(2);
      expect(pool.pick('random')).toBe(3);
      expect(pool.pick('least-recently-used')).toBe(4);
      expect(pool.pick('least-recently-used')).toBe(1);
      expect(pool.pick('round-robin')).toBe(3);
      expect(pool.pick('least-recently-used')).toBe(2);
      expect(pool.pick('least-recently-used')).toBe(4);
    });

    it('uses the pool’s default strategy when given none (random unless configured)', () => {
      const rr = AccountPool.fromEnv(accountsEnv(3), { strategy: 'round-robin' });
      expect([rr.pick(), rr.pick(), rr.pick(), rr.pick()]).toEqual([1, 2, 3, 1]);
      const rnd = AccountPool.fromEnv(accountsEnv(3), { random: () => 0.5 });
      expect(rnd.pick()).toBe(2);
    });

    it('rejects an unknown strategy name', () => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      expect(() => pool.pick('fastest' as never)).toThrow(TypeError);
      expect(() => pool.pick('fastest' as never)).toThrow(
        'unknown strategy "fastest" (pick()): use random, round-robin, least-recently-used, or an object with pick()',
      );
    });

    it.each([
      ['null', null, 'null'],
      ['a number', 42, 'number 42'],
      ['an object without pick()', { name: 'lazy' }, 'an object'],
      ['an object whose pick is not a function', { name: 'odd', pick: 2 }, 'an object'],
      ['an object holding a secret', { pick: secretOf(1) }, 'an object'],
      ['a name every object inherits', 'toString', '"toString"'],
      ['constructor', 'constructor', '"constructor"'],
      ['__proto__', '__proto__', '"__proto__"'],
    ])(
      'rejects %s as a strategy with a TypeError that describes it, never printing its fields',
      (_, strategy, shown) => {
        const pool = AccountPool.fromEnv(accountsEnv(2));
        const message = `unknown strategy ${shown} (pick()): use random, round-robin, least-recently-used, or an object with pick()`;
        expect(() => pool.pick(strategy as never)).toThrow(TypeError);
        expect(() => pool.pick(strategy as never)).toThrow(new Error(message));
      },
    );

    it('names the strategy option of fromEnv() when it is wrong', () => {
      expect(() => AccountPool.fromEnv(accountsEnv(2), { strategy: 42 as never })).toThrow(
        new TypeError(
          'unknown strategy number 42 (the strategy option): use random, round-robin, least-recently-used, or an object with pick()',
        ),
      );
      expect(() =>
        AccountPool.fromEnv(accountsEnv(2), { strategy: { pick: 'round-robin' } as never }),
      ).toThrow(/^unknown strategy an object \(the strategy option\)/);
    });
  });

  describe('custom strategies', () => {
    class HighestNumber implements AccountPickStrategy {
      readonly name = 'highest';
      seen: AccountPoolState[] = [];
      pick(state: AccountPoolState): number {
        this.seen.push(state);
        for (let n = state.count; n >= 1; n--) if (!state.isCoolingDown(n)) return n;
        return state.count;
      }
    }

    it('plug in as an object, per pick or as the default', () => {
      const strategy = new HighestNumber();
      const pool = AccountPool.fromEnv(accountsEnv(3));
      expect(pool.pick(strategy)).toBe(3);
      pool.markThrottled(3, 1000);
      expect(pool.pick(strategy)).toBe(2);
      expect(strategy.seen[0]?.count).toBe(3);
      const byDefault = AccountPool.fromEnv(accountsEnv(3), { strategy: new HighestNumber() });
      expect(byDefault.pick()).toBe(3);
    });

    it('see when each account was last picked', () => {
      let seen: number[] = [];
      const recorder: AccountPickStrategy = {
        name: 'recorder',
        pick: (state) => {
          seen = [1, 2, 3].map((n) => state.lastPicked(n));
          return 3;
        },
      };
      const pool = AccountPool.fromEnv(accountsEnv(3));
      pool.pick('round-robin');
      pool.pick('round-robin');
      pool.pick(recorder);
      expect(seen[0]).toBeGreaterThan(0);
      expect(seen[0]).toBeLessThan(seen[1] as number);
      expect(seen[2]).toBe(0);
      pool.pick(recorder);
      expect(seen[2]).toBeGreaterThan(seen[1] as number);
    });

    it('plug in through DI', () => {
      @injectable()
      class Second implements AccountPickStrategy {
        readonly name = 'second';
        pick(): number {
          return 2;
        }
      }
      const scope = rootContainer.createChildContainer();
      scope.register(AwsTokens.AccountPickStrategy, { useClass: Second });
      const pool = AccountPool.fromEnv(accountsEnv(3));
      expect(pool.pick(scope.resolve(AwsTokens.AccountPickStrategy))).toBe(2);
      expect(rootContainer.isRegistered(AwsTokens.AccountPickStrategy, true)).toBe(false);
      // Registered in the pool's container, it becomes the default strategy.
      const fromContainer = AccountPool.fromEnv(accountsEnv(3), { container: scope });
      expect([fromContainer.pick(), fromContainer.pick()]).toEqual([2, 2]);
    });

    it('plug in through a parent of the pool’s container', () => {
      // The application registers its strategy once; each pool gets a child.
      const app = rootContainer.createChildContainer();
      app.register(AwsTokens.AccountPickStrategy, {
        useValue: { name: 'third', pick: () => 3 } satisfies AccountPickStrategy,
      });
      const pool = AccountPool.fromEnv(accountsEnv(3), { container: app.createChildContainer() });
      expect([pool.pick(), pool.pick(), pool.pick()]).toEqual([3, 3, 3]);
    });

    it.each([0, 4, -1, 1.5, Number.NaN])('returning %p is a RangeError', (n) => {
      const pool = AccountPool.fromEnv(accountsEnv(3));
      expect(() => pool.pick({ name: 'broken', pick: () => n })).toThrow(RangeError);
    });
  });

  describe('markThrottled()', () => {
    it('round-robin skips an account while it cools down', () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(4), { clock });
      pool.markThrottled(2, 1000);
      expect(picks(pool, 'round-robin', 6)).toEqual([1, 3, 4, 1, 3, 4]);
      clock.advance(999);
      expect(pool.pick('round-robin')).toBe(1);
      clock.advance(1);
      expect(picks(pool, 'round-robin', 4)).toEqual([2, 3, 4, 1]);
    });

    it('least-recently-used skips an account while it cools down', () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(3), { clock });
      expect(picks(pool, 'least-recently-used', 3)).toEqual([1, 2, 3]);
      pool.markThrottled(1, 500);
      expect(picks(pool, 'least-recently-used', 4)).toEqual([2, 3, 2, 3]);
      clock.advance(500);
      expect(pool.pick('least-recently-used')).toBe(1);
    });

    it('random never picks an account that cools down', () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(4), { clock, random: mulberry32(99) });
      pool.markThrottled(1, 1000);
      pool.markThrottled(3, 1000);
      const seen = new Set(picks(pool, 'random', 400));
      expect([...seen].sort()).toEqual([2, 4]);
      clock.advance(1000);
      expect(new Set(picks(pool, 'random', 400)).size).toBe(4);
    });

    it.each(['round-robin', 'least-recently-used', 'random'] as const)(
      '%s still returns a valid account when every one cools down',
      (strategy) => {
        const clock = new FakeClock();
        const pool = AccountPool.fromEnv(accountsEnv(3), { clock, random: mulberry32(1) });
        for (let n = 1; n <= 3; n++) pool.markThrottled(n, 10_000);
        const chosen = picks(pool, strategy, 9);
        for (const n of chosen) expect([1, 2, 3]).toContain(n);
        if (strategy !== 'random') expect(new Set(chosen).size).toBe(3);
      },
    );

    it('a later, shorter cool-down replaces the earlier one', () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(2), { clock });
      pool.markThrottled(1, 10_000);
      pool.markThrottled(1, 10);
      clock.advance(10);
      expect(pool.pick('least-recently-used')).toBe(1);
    });

    it.each([0, 3, 1.5, -2])('rejects account %p with a RangeError', (n) => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      expect(() => pool.markThrottled(n, 100)).toThrow(RangeError);
      expect(() => pool.markThrottled(n, 100)).toThrow(/the pool has accounts 1 to 2/);
    });

    it.each([
      [Number.NaN, 'number NaN'],
      [-1, 'number -1'],
      [Number.POSITIVE_INFINITY, 'number Infinity'],
      ['100', '"100"'],
      [undefined, 'undefined'],
    ])('rejects ms %p with a RangeError naming it, and cools nothing', (ms, shown) => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      expect(() => pool.markThrottled(1, ms as number)).toThrow(
        `markThrottled(1, ms): ms must be a finite number of milliseconds ≥ 0, got ${shown}`,
      );
      expect(() => pool.markThrottled(1, ms as number)).toThrow(RangeError);
      expect(pool.pick('least-recently-used')).toBe(1);
    });

    it('ms 0 ends a cool-down', () => {
      const clock = new FakeClock();
      const pool = AccountPool.fromEnv(accountsEnv(2), { clock });
      pool.markThrottled(1, 10_000);
      expect(pool.pick('least-recently-used')).toBe(2);
      pool.markThrottled(1, 0);
      expect(pool.pick('least-recently-used')).toBe(1);
    });

    it('a store that cannot keep it: the promise rejects, an ignored one is never unhandled, the logger names the account', async () => {
      const down = new Error('store down');
      const inner = new InMemoryPoolState();
      const state: PoolState = {
        acquire: (request) => inner.acquire(request),
        release: (lease, outcome) => inner.release(lease, outcome),
        coolDown: () => Promise.reject(down),
        renew: (lease, now) => inner.renew(lease, now),
        usage: (count, now) => inner.usage(count, now),
        onRelease: (listener) => inner.onRelease(listener),
      };
      const debug: string[] = [];
      const pool = AccountPool.fromEnv(accountsEnv(3), {
        state,
        strategy: 'round-robin',
        logger: { debug: (line) => debug.push(line) },
      });
      pool.markThrottled(3, 1000); // ignored, as a caller may
      await expect(pool.markThrottled(2, 1000)).rejects.toBe(down);
      // Time for an unhandled rejection to surface: jest fails the test on one.
      await sleep(5);
      expect(debug).toEqual([
        'could not store the cool-down of account 3: store down',
        'could not store the cool-down of account 2: store down',
      ]);
      // This pool's pick() knows all the same.
      expect(picks(pool, 'round-robin', 3)).toEqual([1, 1, 1]);
    });
  });

  describe('applyToEnv()', () => {
    it('writes the prefixed key pair into the given object only', () => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      const target: Env = { OTHER: 'kept' };
      const before = { ...process.env };
      pool.applyToEnv(2, target);
      expect(target).toEqual({
        OTHER: 'kept',
        REMOTION_AWS_ACCESS_KEY_ID: keyOf(2),
        REMOTION_AWS_SECRET_ACCESS_KEY: secretOf(2),
      });
      expect(process.env).toEqual(before);
    });

    it('removes the prefixed profile and a stale session token', () => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      const target: Env = {
        REMOTION_AWS_PROFILE: 'would-win',
        REMOTION_AWS_SESSION_TOKEN: 'stale-token',
        AWS_PROFILE: 'plain-is-left-alone',
      };
      pool.applyToEnv(1, target);
      expect(target).toEqual({
        AWS_PROFILE: 'plain-is-left-alone',
        REMOTION_AWS_ACCESS_KEY_ID: keyOf(1),
        REMOTION_AWS_SECRET_ACCESS_KEY: secretOf(1),
      });
      expect('REMOTION_AWS_PROFILE' in target).toBe(false);
      expect('REMOTION_AWS_SESSION_TOKEN' in target).toBe(false);
    });

    it('writes the account’s session token when it has one', () => {
      const pool = AccountPool.fromEnv(accountsEnv(2, [2]), {
        sessionTokenPattern: 'AWS_SESSION_TOKEN_{n}',
      });
      const target: Env = {};
      pool.applyToEnv(2, target);
      expect(target.REMOTION_AWS_SESSION_TOKEN).toBe(tokenOf(2));
      pool.applyToEnv(1, target);
      expect('REMOTION_AWS_SESSION_TOKEN' in target).toBe(false);
    });

    it('uses the pool’s prefix, or the one given', () => {
      const pool = AccountPool.fromEnv(accountsEnv(1), { prefix: 'ACME' });
      const target: Env = {};
      pool.applyToEnv(1, target);
      expect(Object.keys(target).sort()).toEqual([
        'ACME_AWS_ACCESS_KEY_ID',
        'ACME_AWS_SECRET_ACCESS_KEY',
      ]);
      const other: Env = {};
      pool.applyToEnv(1, other, 'OTHER');
      expect(Object.keys(other).sort()).toEqual([
        'OTHER_AWS_ACCESS_KEY_ID',
        'OTHER_AWS_SECRET_ACCESS_KEY',
      ]);
    });

    it('makes a warm chain on that object re-read it', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(3));
      const target: Env = { ...NO_FILES };
      pool.applyToEnv(1, target);
      const chain = createCredentialChain({ env: target });
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: keyOf(1) });
      for (const n of [2, 3, 1, 3]) {
        pool.applyToEnv(n, target);
        await expect(chain.resolve()).resolves.toMatchObject({
          accessKeyId: keyOf(n),
          secretAccessKey: secretOf(n),
        });
      }
    });

    it.each([0, 4, 2.5])('rejects account %p with a RangeError and writes nothing', (n) => {
      const pool = AccountPool.fromEnv(accountsEnv(3));
      const target: Env = {};
      expect(() => pool.applyToEnv(n, target)).toThrow(RangeError);
      expect(target).toEqual({});
    });
  });

  describe('withAccount()', () => {
    it('gives each of 4 × 25 interleaved calls its own account through one chain', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(4));
      const shared: Env = { ...NO_FILES };
      const chain = createCredentialChain({ env: shared });
      const random = mulberry32(4242);
      const delay = () => sleep(Math.floor(random() * 4));
      const calls: Promise<{ n: number; seen: string[] }>[] = [];
      for (let i = 0; i < 25; i++) {
        for (let n = 1; n <= 4; n++) {
          calls.push(
            pool.withAccount(n, async () => {
              const seen: string[] = [];
              await delay();
              seen.push((await chain.resolve()).accessKeyId);
              await delay();
              const again: Credentials = await chain.resolve();
              seen.push(again.accessKeyId);
              expect(again.secretAccessKey).toBe(secretOf(n));
              return { n, seen };
            }),
          );
        }
      }
      const results = await Promise.all(calls);
      expect(results).toHaveLength(100);
      for (const { n, seen } of results) expect(seen).toEqual([keyOf(n), keyOf(n)]);
      // Nothing was written to the shared object.
      expect(shared).toEqual(NO_FILES);
    });

    it('nests: the inner account wins inside, the outer one again after', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(3));
      const chain = createCredentialChain({ env: { ...NO_FILES } });
      const seen = await pool.withAccount(1, async () => {
        const outer = (await chain.resolve()).accessKeyId;
        const inner = await pool.withAccount(2, async () => {
          await sleep(1);
          const deeper = await pool.withAccount(3, () => chain.resolve());
          return [(await chain.resolve()).accessKeyId, deeper.accessKeyId];
        });
        await sleep(1);
        return [outer, ...inner, (await chain.resolve()).accessKeyId];
      });
      expect(seen).toEqual([keyOf(1), keyOf(2), keyOf(3), keyOf(1)]);
    });

    it('ends with its call tree', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      const chain = createCredentialChain({ env: { ...NO_FILES } });
      await expect(pool.withAccount(2, () => chain.resolve())).resolves.toMatchObject({
        accessKeyId: keyOf(2),
      });
      await expect(chain.resolve()).rejects.toBeInstanceOf(ChainExhaustedError);
      expect(EnvironmentScope.current()).toBeUndefined();
    });

    it('hides a profile and a session token of the surrounding environment', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(1));
      const chain = createCredentialChain({
        env: {
          ...NO_FILES,
          REMOTION_AWS_PROFILE: 'would-win-and-fail',
          REMOTION_AWS_SESSION_TOKEN: 'stale-token',
        },
      });
      const inside = await pool.withAccount(1, () => chain.resolve());
      expect(inside.accessKeyId).toBe(keyOf(1));
      expect(inside.sessionToken).toBeUndefined();
    });

    it('returns what fn returns, synchronously for a synchronous fn', () => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      expect(
        pool.withAccount(2, () => EnvironmentScope.current()?.get('REMOTION_AWS_ACCESS_KEY_ID')),
      ).toBe(keyOf(2));
    });

    it('applies the pool’s prefix', async () => {
      const pool = AccountPool.fromEnv(accountsEnv(2), { prefix: 'ACME' });
      const chain = createCredentialChain({ prefix: 'ACME', env: { ...NO_FILES } });
      await expect(pool.withAccount(2, () => chain.resolve())).resolves.toMatchObject({
        accessKeyId: keyOf(2),
      });
    });

    it.each([0, 3, 1.5])('rejects account %p with a RangeError before running fn', (n) => {
      const pool = AccountPool.fromEnv(accountsEnv(2));
      const fn = jest.fn();
      expect(() => pool.withAccount(n, fn)).toThrow(RangeError);
      expect(fn).not.toHaveBeenCalled();
    });
  });
});

/**
 * The built-in strategies' orders on a pool far larger than what a call
 * reads (`limit`, as `AccountPool.run` sends it for thousands of cells):
 * each gives at most `limit` candidates, only candidates, in its own order,
 * reading about `limit` cells rather than the whole pool. And the recency
 * order `least-recently-used` reads it from.
 */

import { seeded } from '../../../../test/support/seeded-random';
import type { AccountCandidates } from './account-pick-strategy';
import { LeastRecentlyUsedStrategy } from './least-recently-used-strategy';
import { PickHistory } from './pick-history';
import { RandomStrategy } from './random-strategy';
import { RoundRobinStrategy } from './round-robin-strategy';

const COUNT = 1_000;

/** A pool of COUNT cells where `excluded` may not be used; counts the isCandidate calls. */
function bigPool(excluded: ReadonlySet<number>, history = new PickHistory()) {
  const asked = { count: 0 };
  const accounts: AccountCandidates = {
    count: COUNT,
    get candidates(): number[] {
      throw new Error('the whole candidate list was built');
    },
    isCandidate: (n) => {
      asked.count++;
      return n >= 1 && n <= COUNT && !excluded.has(n);
    },
    limit: 3,
    lastPicked: (n) => history.lastPicked(n),
    byRecency: () => history.byRecency(COUNT),
  };
  return { accounts, asked };
}

describe('round-robin on a big pool', () => {
  it('the next `limit` candidates after the cursor, skipping the others; the next call starts one further', () => {
    const strategy = new RoundRobinStrategy();
    const { accounts } = bigPool(new Set([2]));
    expect(strategy.rank(accounts)).toEqual([1, 3, 4]);
    expect(strategy.rank(accounts)).toEqual([3, 4, 5]);
    expect(strategy.rank(accounts)).toEqual([4, 5, 6]);
  });

  it('wraps around after the last cell', () => {
    const strategy = new RoundRobinStrategy();
    const { accounts } = bigPool(new Set());
    for (let i = 0; i < COUNT - 2; i++) strategy.rank(accounts);
    expect(strategy.rank(accounts)).toEqual([COUNT - 1, COUNT, 1]);
    expect(strategy.rank(accounts)).toEqual([COUNT, 1, 2]);
  });

  it('no candidate: nothing, and the cursor stays', () => {
    const strategy = new RoundRobinStrategy();
    const all = new Set(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(strategy.rank(bigPool(all).accounts)).toEqual([]);
    expect(strategy.rank(bigPool(new Set()).accounts)).toEqual([1, 2, 3]);
  });
});

describe('least-recently-used on a big pool', () => {
  it('never-used cells first, lowest first, then the oldest; reads about `limit` cells', () => {
    const history = new PickHistory();
    for (const n of [1, 2, 3, 5]) history.record(n);
    const { accounts, asked } = bigPool(new Set([4]), history);
    expect(new LeastRecentlyUsedStrategy().rank(accounts)).toEqual([6, 7, 8]);
    expect(asked.count).toBeLessThanOrEqual(4);
  });

  it('once every cell was used, the least recently used ones, in that order', () => {
    const history = new PickHistory();
    for (let n = 1; n <= COUNT; n++) history.record(n);
    for (const n of [1, 2, 3]) history.record(n);
    const { accounts } = bigPool(new Set([5]), history);
    expect(new LeastRecentlyUsedStrategy().rank(accounts)).toEqual([4, 6, 7]);
  });

  it('without a recency order: every candidate sorted by last use, then by number', () => {
    const history = new PickHistory();
    history.record(3);
    history.record(1);
    const ranked = new LeastRecentlyUsedStrategy().rank({
      count: 4,
      candidates: [1, 2, 3, 4],
      lastPicked: (n) => history.lastPicked(n),
    });
    expect(ranked).toEqual([2, 4, 3, 1]);
  });
});

describe(PickHistory.name, () => {
  it('byRecency: never-picked ascending (also below a picked one), then picked oldest first, within count', () => {
    const history = new PickHistory();
    for (const n of [2, 7, 1]) history.record(n);
    history.record(2);
    expect([...history.byRecency(5)]).toEqual([3, 4, 5, 1, 2]);
    expect(history.lastPicked(2)).toBe(4);
    expect(history.lastPicked(3)).toBe(0);
  });

  it('byRecency when every cell was picked: oldest first only', () => {
    const history = new PickHistory();
    for (const n of [3, 1, 2]) history.record(n);
    expect([...history.byRecency(3)]).toEqual([3, 1, 2]);
  });
});

describe('random on a big pool', () => {
  it('`limit` distinct candidates, drawn without building the list, different draws for other seeds', () => {
    const excluded = new Set(Array.from({ length: 500 }, (_, i) => 2 * i + 2)); // the even cells
    const orders = [1, 2, 3].map((seed) => {
      const { accounts, asked } = bigPool(excluded);
      const ranked = new RandomStrategy(seeded(seed)).rank(accounts);
      expect(ranked).toHaveLength(3);
      expect(new Set(ranked).size).toBe(3);
      for (const n of ranked) expect(n % 2).toBe(1);
      expect(asked.count).toBeLessThanOrEqual(12);
      return ranked.join(',');
    });
    expect(new Set(orders).size).toBeGreaterThan(1);
  });

  it('few candidates among many cells: those its 12 draws found, the state chooses the rest', () => {
    const only = new Set(Array.from({ length: 40 }, (_, i) => 25 * (i + 1)));
    const excluded = new Set(
      Array.from({ length: COUNT }, (_, i) => i + 1).filter((n) => !only.has(n)),
    );
    const { accounts, asked } = bigPool(excluded);
    const ranked = new RandomStrategy(seeded(7)).rank(accounts);
    // 40 candidates in 1000 cells: two found in 12 draws (this seed), fewer than the limit.
    expect(ranked).toEqual([300, 75]);
    expect(asked.count).toBe(12);
  });

  it('a small pool: every candidate, shuffled', () => {
    const ranked = new RandomStrategy(seeded(3)).rank({
      count: 6,
      candidates: [1, 2, 4, 5, 6],
      lastPicked: () => 0,
    });
    expect([...ranked].sort()).toEqual([1, 2, 4, 5, 6]);
    expect(ranked).toEqual([5, 2, 6, 1, 4]);
  });
});

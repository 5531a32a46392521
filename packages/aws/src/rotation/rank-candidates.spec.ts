import type { AccountPickStrategy } from './account-pick-strategy';
import { rankCandidates } from './rank-candidates';

const view = (candidates: number[], count = 4) => ({
  count,
  candidates,
  lastPicked: () => 0,
});

describe(rankCandidates.name, () => {
  it('keeps a strategy’s permutation as it is', () => {
    const s: AccountPickStrategy = { name: 's', pick: () => 1, rank: () => [3, 1, 2] };
    expect(rankCandidates(s, view([1, 2, 3]))).toEqual([3, 1, 2]);
  });

  it('drops foreign and repeated accounts from rank() and appends the forgotten ones', () => {
    const s: AccountPickStrategy = { name: 's', pick: () => 1, rank: () => [4, 2, 2, 9] };
    expect(rankCandidates(s, view([1, 2, 4]))).toEqual([4, 2, 1]);
    expect(rankCandidates({ ...s, rank: () => [] }, view([1, 3]))).toEqual([1, 3]);
  });

  it('no candidates: none, and neither pick() nor rank() is asked', () => {
    const asked: string[] = [];
    const s: AccountPickStrategy = {
      name: 's',
      pick: () => {
        asked.push('pick');
        throw new Error('nothing available');
      },
    };
    expect(rankCandidates(s, view([]))).toEqual([]);
    const ranked: AccountPickStrategy = {
      ...s,
      rank: () => {
        asked.push('rank');
        return [1];
      },
    };
    expect(rankCandidates(ranked, view([]))).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('asks rank() once (a stateful strategy moves once)', () => {
    let calls = 0;
    const s: AccountPickStrategy = {
      name: 's',
      pick: () => 1,
      rank: () => {
        calls++;
        return [7];
      },
    };
    rankCandidates(s, view([1, 2]));
    expect(calls).toBe(1);
  });

  it('without rank(): pick() first, then the others in cyclic order, non-candidates hidden', () => {
    let sawCooling: boolean[] = [];
    const s: AccountPickStrategy = {
      name: 's',
      pick: (pool) => {
        sawCooling = [1, 2, 3, 4].map((n) => pool.isCoolingDown(n));
        return 3;
      },
    };
    expect(rankCandidates(s, view([1, 3, 4]))).toEqual([3, 4, 1]);
    expect(sawCooling).toEqual([false, true, false, false]);
  });

  it('with a limit: the first `limit` of the order, nothing appended (the state chooses the rest)', () => {
    const s: AccountPickStrategy = { name: 's', pick: () => 1, rank: () => [4, 2, 2, 9, 1, 3] };
    const limited = { ...view([1, 2, 3, 4]), isCandidate: (n: number) => n <= 4, limit: 2 };
    expect(rankCandidates(s, limited)).toEqual([4, 2]);
    expect(rankCandidates({ ...s, rank: () => [] }, limited)).toEqual([]);
    const picking: AccountPickStrategy = { name: 'p', pick: () => 3 };
    expect(rankCandidates(picking, { ...limited, limit: 3 })).toEqual([3, 4, 1]);
  });

  it('with isCandidate: the candidates list is never built by the built-in path', () => {
    const s: AccountPickStrategy = { name: 'p', pick: () => 2 };
    const accounts = {
      count: 1000,
      get candidates(): number[] {
        throw new Error('built');
      },
      isCandidate: (n: number) => n % 2 === 0,
      limit: 3,
      lastPicked: () => 0,
    };
    expect(rankCandidates(s, accounts)).toEqual([2, 4, 6]);
  });

  it('without rank(): a pick() outside the candidates is ignored', () => {
    const s: AccountPickStrategy = { name: 's', pick: () => 2 };
    expect(rankCandidates(s, view([1, 3]))).toEqual([1, 3]);
  });
});

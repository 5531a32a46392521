import { EnvironmentScope, toEnvironmentSource } from '@credchain/core';
import { ConfigurationMemo } from './configuration-memo';

type Env = Record<string, string | undefined>;

/**
 * A memo over a computation that reads A, and B only when A is set — the
 * shape of a gated link — counting how often it runs.
 */
function setup(record: Env) {
  const env = toEnvironmentSource(record);
  let computed = 0;
  const memo = new ConfigurationMemo(env, () => {
    computed++;
    return JSON.stringify([env.get('A') ?? null, env.get('A') ? (env.get('B') ?? null) : null]);
  });
  return { memo, computed: () => computed };
}

describe(ConfigurationMemo.name, () => {
  it('computes once while the variables it read keep their values', () => {
    const { memo, computed } = setup({ A: '1', B: 'x' });
    expect(memo.current()).toBe('["1","x"]');
    expect(memo.current()).toBe('["1","x"]');
    expect(memo.current()).toBe('["1","x"]');
    expect(computed()).toBe(1);
  });

  it.each<[string, Env, (env: Env) => void, string]>([
    ['a value changes', { A: '1', B: 'x' }, (e) => (e.B = 'y'), '["1","y"]'],
    ['a variable is removed', { A: '1', B: 'x' }, (e) => delete e.B, '["1",null]'],
    ['an unset variable is set', { A: '1' }, (e) => (e.B = 'x'), '["1","x"]'],
    ['a set variable becomes empty', { A: '1', B: 'x' }, (e) => (e.B = ''), '["1",""]'],
    ['the gate opens', { B: 'x' }, (e) => (e.A = '1'), '["1","x"]'],
  ])('recomputes on the next call when %s', (_, start, change, expected) => {
    const record = { ...start };
    const { memo, computed } = setup(record);
    memo.current();
    change(record);
    expect(memo.current()).toBe(expected);
    expect(computed()).toBe(2);
  });

  it('ignores a variable the computation did not read (B behind a closed gate)', () => {
    const record: Env = {};
    const { memo, computed } = setup(record);
    expect(memo.current()).toBe('[null,null]');
    record.B = 'x';
    record.UNRELATED = 'y';
    expect(memo.current()).toBe('[null,null]');
    expect(computed()).toBe(1);
  });

  it('sees process.env writes on the very next call', () => {
    const name = 'CREDCHAIN_MEMO_SPEC_A';
    const env = toEnvironmentSource(process.env);
    let computed = 0;
    const memo = new ConfigurationMemo(env, () => {
      computed++;
      return env.get(name) ?? 'unset';
    });
    try {
      expect(memo.current()).toBe('unset');
      process.env[name] = 'one';
      expect(memo.current()).toBe('one');
      expect(memo.current()).toBe('one');
      process.env[name] = 'two';
      expect(memo.current()).toBe('two');
      expect(computed).toBe(3);
    } finally {
      delete process.env[name];
    }
  });

  it('follows a scoped overlay, and the shared value again outside it', () => {
    const { memo } = setup({ A: '1', B: 'shared' });
    expect(memo.current()).toBe('["1","shared"]');
    const inside = EnvironmentScope.run(new Map([['B', 'scoped']]), () => memo.current());
    expect(inside).toBe('["1","scoped"]');
    expect(memo.current()).toBe('["1","shared"]');
  });
});

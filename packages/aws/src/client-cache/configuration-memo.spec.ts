import { EnvironmentScope, toEnvironmentSource } from '@credchain/core';
import { ConfigurationMemo, type ConfigurationSnapshot } from './configuration-memo';

type Env = Record<string, string | undefined>;

/**
 * A memo over a configuration that reads A, and B only when A is set — the
 * shape of a gated link — counting how often it is computed.
 */
function setup(record: Env) {
  const env = toEnvironmentSource(record);
  let computed = 0;
  const compute = (): ConfigurationSnapshot => {
    computed++;
    const { result, snapshot } = EnvironmentScope.capture(() =>
      JSON.stringify([env.get('A') ?? null, env.get('A') ? (env.get('B') ?? null) : null]),
    );
    return { fingerprint: result, environment: snapshot };
  };
  return { memo: new ConfigurationMemo(env, compute), computed: () => computed };
}

describe(ConfigurationMemo.name, () => {
  it('computes once while the variables it read keep their values', () => {
    const { memo, computed } = setup({ A: '1', B: 'x' });
    const first = memo.current();
    expect(memo.current()).toBe(first);
    expect(memo.current()).toBe(first);
    expect(computed()).toBe(1);
    expect(first.fingerprint).toBe('["1","x"]');
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
    expect(memo.current().fingerprint).toBe(expected);
    expect(computed()).toBe(2);
  });

  it('ignores a variable the configuration did not read (B behind a closed gate)', () => {
    const record: Env = {};
    const { memo, computed } = setup(record);
    const first = memo.current();
    record.B = 'x';
    record.UNRELATED = 'y';
    expect(memo.current()).toBe(first);
    expect(computed()).toBe(1);
  });

  it('sees process.env writes on the very next call', () => {
    const name = 'CREDCHAIN_MEMO_SPEC_A';
    const env = toEnvironmentSource(process.env);
    let computed = 0;
    const memo = new ConfigurationMemo(env, () => {
      computed++;
      const { result, snapshot } = EnvironmentScope.capture(() => env.get(name) ?? 'unset');
      return { fingerprint: result, environment: snapshot };
    });
    try {
      expect(memo.current().fingerprint).toBe('unset');
      process.env[name] = 'one';
      expect(memo.current().fingerprint).toBe('one');
      expect(memo.current().fingerprint).toBe('one');
      process.env[name] = 'two';
      expect(memo.current().fingerprint).toBe('two');
      expect(computed).toBe(3);
    } finally {
      delete process.env[name];
    }
  });

  it('follows a scoped overlay, and the shared value again outside it', () => {
    const { memo } = setup({ A: '1', B: 'shared' });
    expect(memo.current().fingerprint).toBe('["1","shared"]');
    const inside = EnvironmentScope.run(new Map([['B', 'scoped']]), () => memo.current());
    expect(inside.fingerprint).toBe('["1","scoped"]');
    expect(memo.current().fingerprint).toBe('["1","shared"]');
  });
});

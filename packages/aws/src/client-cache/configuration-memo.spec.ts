import { randomFillSync } from 'node:crypto';
import { getHeapSnapshot } from 'node:v8';
import {
  EnvironmentScope,
  type EnvironmentSource,
  fingerprint,
  ScopedEnvironment,
  toEnvironmentSource,
} from '@credchain/core';
import { ConfigurationMemo } from './configuration-memo';

type Env = Record<string, string | undefined>;

/**
 * A random hex string built as bytes, so that holding it puts no JS string
 * with its text on the heap (only the strings the code under test makes do).
 */
function hexSentinel(): Buffer {
  const digits = Buffer.from('0123456789abcdef', 'latin1');
  const bytes = randomFillSync(Buffer.alloc(24));
  const text = Buffer.alloc(bytes.length * 2);
  bytes.forEach((b, i) => {
    text[2 * i] = digits[b >> 4] as number;
    text[2 * i + 1] = digits[b & 15] as number;
  });
  return text;
}

/** Which of `needles` occur in a heap snapshot (taken after a full GC) of this process. */
async function onHeap(...needles: Buffer[]): Promise<boolean[]> {
  const found = needles.map(() => false);
  const overlap = Math.max(...needles.map((n) => n.length));
  let tail = Buffer.alloc(0);
  for await (const chunk of getHeapSnapshot()) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    needles.forEach((needle, i) => {
      if (!found[i] && window.includes(needle)) found[i] = true;
    });
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return found;
}

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

  describe('with the variables a result holds (heldBy)', () => {
    /** A result holding the overlay of what it read, as the client cache's source snapshot does. */
    function holding(record: Env) {
      const env = toEnvironmentSource(record);
      let computed = 0;
      const memo = new ConfigurationMemo(
        env,
        () => {
          computed++;
          const { result, snapshot } = EnvironmentScope.capture(() =>
            [env.get('A'), env.get('B')].join(','),
          );
          return { text: `${result}|${env.get('FLAG') ?? ''}`, environment: snapshot };
        },
        (r) => r.environment,
      );
      return { memo, computed: () => computed };
    }

    it.each<[string, (env: Env) => void, string]>([
      ['a held value changes', (e) => (e.B = 'y'), 'a,y|'],
      ['a held value is removed', (e) => delete e.A, ',x|'],
      ['an unset variable outside the held ones is set', (e) => (e.FLAG = '1'), 'a,x|1'],
    ])('recomputes when %s, and not before', (_, change, expected) => {
      const record: Env = { A: 'a', B: 'x' };
      const { memo, computed } = holding(record);
      expect(memo.current().text).toBe('a,x|');
      expect(memo.current().text).toBe('a,x|');
      expect(computed()).toBe(1);
      change(record);
      expect(memo.current().text).toBe(expected);
      expect(computed()).toBe(2);
    });

    it('re-validates a set variable the result does not hold', () => {
      const record: Env = { A: 'a', FLAG: '1' };
      const { memo, computed } = holding(record);
      expect(memo.current().text).toBe('a,|1');
      expect(memo.current().text).toBe('a,|1');
      record.FLAG = '2';
      expect(memo.current().text).toBe('a,|2');
      expect(computed()).toBe(2);
    });
  });

  it('does not remember a computation whose source reported no read', () => {
    // A source of the caller's own making never tells EnvironmentScope what
    // it read: a remembered result could never be found stale.
    const record: Env = { A: '1' };
    const env: EnvironmentSource = { get: (name) => record[name], revision: () => 0 };
    let computed = 0;
    const memo = new ConfigurationMemo(env, () => {
      computed++;
      return env.get('A') ?? 'unset';
    });
    expect(memo.current()).toBe('1');
    record.A = '2';
    expect(memo.current()).toBe('2');
    expect(computed).toBe(2);
  });

  it('keeps no value it read on the heap, only a digest (secrets included)', async () => {
    // The secret lives in a Buffer (bytes, not a JS string) and each read
    // decodes a new string, so a copy found on the heap is one someone kept.
    // (Not process.env: under jest it is a plain object on the heap.)
    // Strings are made in synchronous helpers: an async function may keep
    // its temporaries in its suspended frame, which the scan would see.
    const secret = hexSentinel();
    const control = hexSentinel();
    const { memo, computed } = memoOverSecret(secret);
    const first = memo.current();
    expect(computed()).toBe(1);
    // The scan does see a string that is held: the control, kept in `held`.
    const held = hold(control);
    const [secretFound, controlFound] = await onHeap(secret, control);
    expect(controlFound).toBe(true);
    expect(secretFound).toBe(false);
    // Both alive until after the scan, the memo still remembering.
    expect(held).toHaveLength(1);
    expect(memo.current()).toBe(first);
    expect(computed()).toBe(1);
  }, 60_000);
});

/** A memo over the digest of SECRET (decoded from `secret` on every read), run twice. */
function memoOverSecret(secret: Buffer) {
  const name = 'SECRET';
  const env = new ScopedEnvironment((n) => (n === name ? secret.toString('latin1') : undefined));
  let computed = 0;
  const memo = new ConfigurationMemo(env, () => {
    computed++;
    return fingerprint(env.get(name));
  });
  memo.current();
  memo.current();
  return { memo, computed: () => computed };
}

/** An array holding the text of `bytes`. */
function hold(bytes: Buffer): string[] {
  return [bytes.toString('latin1')];
}

import { EnvironmentScope } from './environment-scope';

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A deterministic pseudo-random sequence in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('EnvironmentScope', () => {
  it('has no overlay outside any scope', () => {
    expect(EnvironmentScope.current()).toBeUndefined();
  });

  it('exposes the overlay inside run() and returns what fn returns', () => {
    const result = EnvironmentScope.run(new Map([['A', '1']]), () => {
      const overlay = EnvironmentScope.current();
      return overlay === undefined ? undefined : [...overlay];
    });
    expect(result).toEqual([['A', '1']]);
    expect(EnvironmentScope.current()).toBeUndefined();
  });

  it('keeps the overlay across awaits in the same call tree', async () => {
    const seen = await EnvironmentScope.run(new Map([['A', '1']]), async () => {
      await tick(1);
      await Promise.resolve();
      return EnvironmentScope.current()?.get('A');
    });
    expect(seen).toBe('1');
  });

  it('copies the overlay: later changes to the caller map are not seen', () => {
    const overlay = new Map<string, string | undefined>([['A', '1']]);
    EnvironmentScope.run(overlay, () => {
      overlay.set('A', 'changed');
      expect(EnvironmentScope.current()?.get('A')).toBe('1');
    });
  });

  it('merges nested scopes, the inner value winning, and keeps undefined entries', () => {
    const seen = EnvironmentScope.run(
      new Map([
        ['A', 'outer'],
        ['B', 'outer'],
      ]),
      () =>
        EnvironmentScope.run(
          new Map<string, string | undefined>([
            ['B', 'inner'],
            ['C', undefined],
          ]),
          () => {
            const overlay = EnvironmentScope.current();
            return overlay === undefined ? undefined : Object.fromEntries(overlay);
          },
        ),
    );
    expect(seen).toEqual({ A: 'outer', B: 'inner', C: undefined });
  });

  it('restores the outer overlay after a nested scope', () => {
    EnvironmentScope.run(new Map([['A', 'outer']]), () => {
      EnvironmentScope.run(new Map([['A', 'inner']]), () => undefined);
      expect(EnvironmentScope.current()?.get('A')).toBe('outer');
    });
  });

  it('gives every run() a distinct overlay object (the revision token)', () => {
    const overlay = new Map([['A', '1']]);
    const first = EnvironmentScope.run(overlay, () => EnvironmentScope.current());
    const second = EnvironmentScope.run(overlay, () => EnvironmentScope.current());
    expect(first).not.toBe(second);
  });

  it('4 concurrent scopes x 25 interleaved reads each see their own values', async () => {
    const random = seeded(7);
    const scopes = ['A', 'B', 'C', 'D'];
    const seen = await Promise.all(
      scopes.map((scope) =>
        EnvironmentScope.run(new Map([['ACCOUNT', scope]]), async () => {
          const values: Array<string | undefined> = [];
          for (let i = 0; i < 25; i++) {
            await tick(Math.floor(random() * 3));
            values.push(EnvironmentScope.current()?.get('ACCOUNT'));
          }
          return values;
        }),
      ),
    );
    expect(seen).toEqual(scopes.map((scope) => Array(25).fill(scope)));
  });

  it('bumpGeneration() moves the generation counter by one', () => {
    const before = EnvironmentScope.generation();
    EnvironmentScope.bumpGeneration();
    expect(EnvironmentScope.generation()).toBe(before + 1);
    expect(EnvironmentScope.generation()).toBe(before + 1);
  });
});

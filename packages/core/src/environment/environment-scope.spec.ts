import { inspect } from 'node:util';
import { seeded } from '../../../../test/support/seeded-random';
import { type EnvironmentOverlay, EnvironmentScope } from './environment-scope';
import { toEnvironmentSource } from './to-environment-source';

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

  describe('capture()', () => {
    it('returns what fn returns and every variable fn read, unset ones as undefined', () => {
      const env = toEnvironmentSource({ A: '1', B: '2' });
      const { result, snapshot } = EnvironmentScope.capture(
        () => `${env.get('A')}+${env.get('Z')}`,
      );
      expect(result).toBe('1+undefined');
      expect([...snapshot]).toEqual([
        ['A', '1'],
        ['Z', undefined],
      ]);
    });

    it('keeps the value fn saw first when a variable changes between two reads', () => {
      const record: Record<string, string> = { A: 'first' };
      const env = toEnvironmentSource(record);
      const { snapshot } = EnvironmentScope.capture(() => {
        env.get('A');
        record.A = 'second';
        return env.get('A');
      });
      expect(snapshot.get('A')).toBe('first');
    });

    it('stops recording when it returns: later reads do not leak into its snapshot', () => {
      const env = toEnvironmentSource({ A: '1', LATER: 'x' });
      const { snapshot } = EnvironmentScope.capture(() => env.get('A'));
      env.get('LATER');
      expect([...snapshot.keys()]).toEqual(['A']);
    });

    it('stops recording when fn throws, and rethrows', () => {
      const env = toEnvironmentSource({ A: '1', LATER: 'x' });
      let seen: EnvironmentOverlay | undefined;
      expect(() =>
        EnvironmentScope.capture(() => {
          env.get('A');
          seen = EnvironmentScope.capture(() => env.get('A')).snapshot;
          throw new Error('boom');
        }),
      ).toThrow('boom');
      env.get('LATER');
      expect([...(seen?.keys() ?? [])]).toEqual(['A']);
      // A new capture starts empty: the failed one left no recorder behind.
      const next = EnvironmentScope.capture(() => 0).snapshot;
      expect(next.size).toBe(0);
    });

    it('records the reads of a nested capture in the outer snapshot too', () => {
      const env = toEnvironmentSource({ OUTER: 'o', INNER: 'i' });
      let inner: EnvironmentOverlay | undefined;
      const { snapshot: outer } = EnvironmentScope.capture(() => {
        env.get('OUTER');
        inner = EnvironmentScope.capture(() => env.get('INNER')).snapshot;
        env.get('AFTER');
      });
      expect(Object.fromEntries(outer)).toEqual({ OUTER: 'o', INNER: 'i', AFTER: undefined });
      expect(Object.fromEntries(inner ?? [])).toEqual({ INNER: 'i' });
    });

    it("keeps the outer capture's first value when a nested capture reads a changed variable", () => {
      const record: Record<string, string> = { A: 'before' };
      const env = toEnvironmentSource(record);
      let inner: EnvironmentOverlay | undefined;
      const { snapshot: outer } = EnvironmentScope.capture(() => {
        env.get('A');
        record.A = 'after';
        inner = EnvironmentScope.capture(() => env.get('A')).snapshot;
      });
      expect(outer.get('A')).toBe('before');
      expect(inner?.get('A')).toBe('after');
    });

    it('records what noteRead() reports, and noteRead() outside a capture records nothing', () => {
      EnvironmentScope.noteRead('OUTSIDE', 'x');
      const { snapshot } = EnvironmentScope.capture(() => {
        EnvironmentScope.noteRead('NOTED', 'v');
        EnvironmentScope.noteRead('NOTED', 'ignored');
      });
      expect([...snapshot]).toEqual([['NOTED', 'v']]);
    });
  });

  describe('printing an overlay', () => {
    const secret = 'secret-environment-scope-value';

    it.each([
      [
        'a capture snapshot',
        () =>
          EnvironmentScope.capture(() =>
            toEnvironmentSource({ AWS_SECRET_ACCESS_KEY: secret }).get('AWS_SECRET_ACCESS_KEY'),
          ).snapshot,
      ],
      [
        'a run() overlay',
        () =>
          EnvironmentScope.run(new Map([['AWS_SECRET_ACCESS_KEY', secret]]), () =>
            EnvironmentScope.current(),
          ),
      ],
    ])('shows the names of %s, never the values', (_label, make) => {
      const overlay = make();
      expect(overlay?.get('AWS_SECRET_ACCESS_KEY')).toBe(secret);
      expect(JSON.stringify(overlay)).toBe('["AWS_SECRET_ACCESS_KEY"]');
      expect(inspect(overlay)).toBe('EnvironmentOverlay(AWS_SECRET_ACCESS_KEY)');
      expect(`${inspect({ nested: overlay }, { depth: 5 })}`).not.toContain(secret);
    });

    it('lists every name of a larger overlay, comma-separated', () => {
      const overlay = EnvironmentScope.run(
        new Map([
          ['AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE'],
          ['AWS_SECRET_ACCESS_KEY', secret],
        ]),
        () => EnvironmentScope.current(),
      );
      expect(inspect(overlay)).toBe('EnvironmentOverlay(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
      expect(JSON.stringify(overlay)).toBe('["AWS_ACCESS_KEY_ID","AWS_SECRET_ACCESS_KEY"]');
    });
  });
});

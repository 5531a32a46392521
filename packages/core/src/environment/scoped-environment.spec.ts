import { EnvironmentScope } from './environment-scope';
import { ScopedEnvironment } from './scoped-environment';

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe(ScopedEnvironment.name, () => {
  const base: Record<string, string | undefined> = { KEY: 'base', OTHER: 'other' };
  const env = new ScopedEnvironment((name) => base[name]);

  it('reads the lookup at call time outside any scope', () => {
    const vars: Record<string, string | undefined> = { KEY: 'one' };
    const live = new ScopedEnvironment((name) => vars[name]);
    expect(live.get('KEY')).toBe('one');
    vars.KEY = 'two';
    expect(live.get('KEY')).toBe('two');
    expect(live.get('MISSING')).toBeUndefined();
  });

  it.each<[string, Array<[string, string | undefined]>, string, string | undefined]>([
    ['an overlaid variable', [['KEY', 'scoped']], 'KEY', 'scoped'],
    ['a variable the overlay does not mention', [['KEY', 'scoped']], 'OTHER', 'other'],
    ['a variable hidden by an undefined entry', [['KEY', undefined]], 'KEY', undefined],
    ['a variable only the overlay sets', [['NEW', 'added']], 'NEW', 'added'],
  ])('inside a scope reads %s', (_, overlay, name, expected) => {
    expect(EnvironmentScope.run(new Map(overlay), () => env.get(name))).toBe(expected);
  });

  it('merges nested scopes', () => {
    const seen = EnvironmentScope.run(new Map([['KEY', 'outer']]), () =>
      EnvironmentScope.run(new Map([['OTHER', undefined]]), () => [
        env.get('KEY'),
        env.get('OTHER'),
      ]),
    );
    expect(seen).toEqual(['outer', undefined]);
  });

  it('revision() is the generation outside a scope, and moves when it is bumped', () => {
    const before = env.revision();
    expect(env.revision()).toBe(before);
    EnvironmentScope.bumpGeneration();
    expect(env.revision()).not.toBe(before);
  });

  it('revision() is stable inside one scope and differs between scopes', () => {
    const outside = env.revision();
    const [a1, a2] = EnvironmentScope.run(new Map([['KEY', 'a']]), () => [
      env.revision(),
      env.revision(),
    ]);
    const b = EnvironmentScope.run(new Map([['KEY', 'a']]), () => env.revision());
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
    expect(a1).not.toBe(outside);
  });

  it('4 concurrent scopes x 25 interleaved reads each see their own value', async () => {
    let seed = 3;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const scopes = ['A', 'B', 'C', 'D'];
    const seen = await Promise.all(
      scopes.map((scope) =>
        EnvironmentScope.run(new Map([['KEY', `key-${scope}`]]), async () => {
          const values: Array<string | undefined> = [];
          for (let i = 0; i < 25; i++) {
            await tick(Math.floor(random() * 3));
            values.push(env.get('KEY'));
          }
          return values;
        }),
      ),
    );
    expect(seen).toEqual(scopes.map((scope) => Array(25).fill(`key-${scope}`)));
    expect(env.get('KEY')).toBe('base');
  });
});

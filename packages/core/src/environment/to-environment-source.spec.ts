import { EnvironmentScope } from './environment-scope';
import type { EnvironmentSource } from './environment-source';
import { ProcessEnvironment } from './process-environment';
import { toEnvironmentSource } from './to-environment-source';

describe(toEnvironmentSource.name, () => {
  it.each([
    ['nothing', undefined],
    ['process.env itself', process.env],
  ])('turns %s into a ProcessEnvironment', (_, input) => {
    expect(toEnvironmentSource(input)).toBeInstanceOf(ProcessEnvironment);
  });

  it('uses an EnvironmentSource as it is', () => {
    const source: EnvironmentSource = { get: () => 'x', revision: () => 1 };
    expect(toEnvironmentSource(source)).toBe(source);
  });

  it('reads a plain object at call time', () => {
    const vars: Record<string, string | undefined> = { A: '1' };
    const env = toEnvironmentSource(vars);
    expect(env.get('A')).toBe('1');
    vars.A = '2';
    vars.B = 'new';
    expect([env.get('A'), env.get('B')]).toEqual(['2', 'new']);
    delete vars.A;
    expect(env.get('A')).toBeUndefined();
  });

  it('does not read inherited properties of a plain object', () => {
    const env = toEnvironmentSource(Object.create({ INHERITED: 'from-prototype' }));
    expect(env.get('INHERITED')).toBeUndefined();
    expect(toEnvironmentSource({}).get('toString')).toBeUndefined();
    expect(toEnvironmentSource({}).get('constructor')).toBeUndefined();
  });

  it('treats variables named get and revision as variables', () => {
    const env = toEnvironmentSource({ get: 'g', revision: 'r' });
    expect([env.get('get'), env.get('revision')]).toEqual(['g', 'r']);
  });

  it.each([
    ['get() without revision()', { get: () => 'from-get' }],
    ['revision() without get()', { revision: () => 1 }],
  ])('takes an object with %s for a plain object, not for an EnvironmentSource', (_, half) => {
    const env = toEnvironmentSource(half as unknown as EnvironmentSource);
    expect(env).not.toBe(half);
    expect(env.get('A')).toBeUndefined();
  });

  it('reads a plain object through the current scope', () => {
    const env = toEnvironmentSource({ A: 'base' });
    expect(EnvironmentScope.run(new Map([['A', 'scoped']]), () => env.get('A'))).toBe('scoped');
  });
});

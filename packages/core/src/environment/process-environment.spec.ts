import { EnvironmentScope } from './environment-scope';
import { ProcessEnvironment } from './process-environment';

// A name no other test or tool uses; removed after each test.
const NAME = 'CREDCHAIN_CORE_PROCESS_ENVIRONMENT_SPEC';

describe(ProcessEnvironment.name, () => {
  afterEach(() => {
    delete process.env[NAME];
  });

  it('reads process.env at call time', () => {
    const env = new ProcessEnvironment();
    expect(env.get(NAME)).toBeUndefined();
    process.env[NAME] = 'one';
    expect(env.get(NAME)).toBe('one');
    process.env[NAME] = 'two';
    expect(env.get(NAME)).toBe('two');
  });

  it('reads through the current scope, which can hide a variable', () => {
    process.env[NAME] = 'process';
    const env = new ProcessEnvironment();
    expect(EnvironmentScope.run(new Map([[NAME, 'scoped']]), () => env.get(NAME))).toBe('scoped');
    expect(EnvironmentScope.run(new Map([[NAME, undefined]]), () => env.get(NAME))).toBeUndefined();
    expect(env.get(NAME)).toBe('process');
  });
});

import { AccountLease } from './account-lease';
import { EnvironmentScope } from './environment-scope';
import { installScopedProcessEnv, isScopedProcessEnvInstalled } from './scoped-process-env';

const scope = <R>(fn: () => R) =>
  EnvironmentScope.run(
    new Map<string, string | undefined>([
      ['CREDCHAIN_SPEC_SCOPED', 'scoped'],
      ['CREDCHAIN_SPEC_REMOVED', undefined],
    ]),
    fn,
  );

describe(installScopedProcessEnv.name, () => {
  let uninstall: (() => void) | undefined;
  const real = process.env;
  beforeEach(() => {
    process.env.CREDCHAIN_SPEC_REAL = 'real';
    process.env.CREDCHAIN_SPEC_REMOVED = 'present outside';
    process.env.CREDCHAIN_SPEC_SCOPED = 'outside';
    uninstall = installScopedProcessEnv();
  });
  afterEach(() => {
    uninstall?.();
    for (const name of ['REAL', 'REMOVED', 'SCOPED', 'WRITTEN'])
      delete real[`CREDCHAIN_SPEC_${name}`];
  });

  it('answers reads inside a scope from the scope, and outside from the real environment', () => {
    expect(process.env).not.toBe(real);
    expect(isScopedProcessEnvInstalled()).toBe(true);
    scope(() => {
      expect(process.env.CREDCHAIN_SPEC_SCOPED).toBe('scoped');
      expect(process.env.CREDCHAIN_SPEC_REAL).toBe('real');
      expect(process.env.CREDCHAIN_SPEC_REMOVED).toBeUndefined();
      expect('CREDCHAIN_SPEC_SCOPED' in process.env).toBe(true);
      expect('CREDCHAIN_SPEC_REMOVED' in process.env).toBe(false);
      expect(Object.hasOwn(process.env, 'CREDCHAIN_SPEC_REMOVED')).toBe(false);
      expect(Object.keys(process.env)).toEqual(
        expect.arrayContaining(['CREDCHAIN_SPEC_SCOPED', 'CREDCHAIN_SPEC_REAL']),
      );
      expect(Object.keys(process.env)).not.toContain('CREDCHAIN_SPEC_REMOVED');
      expect(Object.keys(process.env).filter((k) => k === 'CREDCHAIN_SPEC_SCOPED')).toHaveLength(1);
      expect({ ...process.env }).toMatchObject({
        CREDCHAIN_SPEC_SCOPED: 'scoped',
        CREDCHAIN_SPEC_REAL: 'real',
      });
      expect(JSON.parse(JSON.stringify(process.env)).CREDCHAIN_SPEC_SCOPED).toBe('scoped');
      expect(Object.entries(process.env)).toContainEqual(['CREDCHAIN_SPEC_SCOPED', 'scoped']);
    });
    expect(process.env.CREDCHAIN_SPEC_SCOPED).toBe('outside');
    expect(process.env.CREDCHAIN_SPEC_REMOVED).toBe('present outside');
    expect({ ...process.env }.CREDCHAIN_SPEC_SCOPED).toBe('outside');
  });

  it('a variable first read outside, then set or removed by a scope for the first time, reads the scope’s answer there', () => {
    // Names no scope ever held are read straight through: the first scope
    // holding one must be seen at once, by every way of reading.
    const fresh = `CREDCHAIN_SPEC_FRESH_${process.hrtime.bigint()}`;
    const gone = `CREDCHAIN_SPEC_GONE_${process.hrtime.bigint()}`;
    real[fresh] = 'outside';
    real[gone] = 'outside';
    try {
      expect(process.env[fresh]).toBe('outside');
      expect(gone in process.env).toBe(true);
      EnvironmentScope.run(
        new Map([
          [fresh, 'first scope'],
          [gone, undefined],
        ]),
        () => {
          expect(process.env[fresh]).toBe('first scope');
          expect(Object.getOwnPropertyDescriptor(process.env, fresh)?.value).toBe('first scope');
          expect(process.env[gone]).toBeUndefined();
          expect(gone in process.env).toBe(false);
          expect(Object.getOwnPropertyDescriptor(process.env, gone)).toBeUndefined();
        },
      );
      expect(process.env[fresh]).toBe('outside');
      expect(gone in process.env).toBe(true);
    } finally {
      delete real[fresh];
      delete real[gone];
    }
  });

  it('shows under util.inspect what it answers, inside and outside a scope', () => {
    const { inspect } = require('node:util') as typeof import('node:util');
    expect(inspect(process.env)).toContain("CREDCHAIN_SPEC_SCOPED: 'outside'");
    scope(() => {
      const shown = inspect(process.env);
      expect(shown).toContain("CREDCHAIN_SPEC_SCOPED: 'scoped'");
      expect(shown).not.toContain('CREDCHAIN_SPEC_REMOVED');
    });
  });

  it('keeps each concurrent scope apart across awaits', async () => {
    const read = (value: string) =>
      EnvironmentScope.run(new Map([['CREDCHAIN_SPEC_SCOPED', value]]), async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        return process.env.CREDCHAIN_SPEC_SCOPED;
      });
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    await expect(Promise.all(values.map(read))).resolves.toEqual(values);
  });

  it('sends writes to the real environment; a scoped variable keeps its scoped value inside', () => {
    scope(() => {
      process.env.CREDCHAIN_SPEC_WRITTEN = 'w';
      process.env.CREDCHAIN_SPEC_SCOPED = 'written inside';
      expect(process.env.CREDCHAIN_SPEC_WRITTEN).toBe('w');
      expect(process.env.CREDCHAIN_SPEC_SCOPED).toBe('scoped');
      delete process.env.CREDCHAIN_SPEC_REAL;
    });
    expect(real.CREDCHAIN_SPEC_WRITTEN).toBe('w');
    expect(real.CREDCHAIN_SPEC_SCOPED).toBe('written inside');
    expect(real.CREDCHAIN_SPEC_REAL).toBeUndefined();
    (process.env as Record<string, unknown>).CREDCHAIN_SPEC_WRITTEN = 42;
    expect(real.CREDCHAIN_SPEC_WRITTEN).toBe('42');
  });

  it('is harmless twice: one proxy, and the last uninstall restores the very object that was there', () => {
    const proxy = process.env;
    const second = installScopedProcessEnv();
    expect(process.env).toBe(proxy);
    second();
    second(); // idempotent: does not take the first install's hold
    expect(process.env).toBe(proxy);
    uninstall?.();
    uninstall = undefined;
    expect(process.env).toBe(real);
    expect(isScopedProcessEnvInstalled()).toBe(false);
  });

  it('refuses to uninstall over a process.env replaced after it, saying so; once restored, the same uninstall works', () => {
    const proxy = process.env;
    process.env = { ...real };
    try {
      expect(() => uninstall?.()).toThrow(
        'cannot uninstall the scoped process.env: process.env was replaced again after it was installed; restore that first',
      );
    } finally {
      process.env = proxy;
    }
    uninstall?.();
    uninstall = undefined;
    expect(process.env).toBe(real);
  });

  it('reaches a pooled scope’s variables, lease and all', () => {
    const lease = new AccountLease({
      account: 1,
      accessKeyId: 'AKIAFAKEPROCESSENV01',
      prefix: 'REMOTION',
    });
    EnvironmentScope.run(
      new Map([['REMOTION_AWS_ACCESS_KEY_ID', 'AKIAFAKEPROCESSENV01']]),
      () => expect(process.env.REMOTION_AWS_ACCESS_KEY_ID).toBe('AKIAFAKEPROCESSENV01'),
      lease,
    );
  });
});

describe('without installScopedProcessEnv', () => {
  it('process.env stays the real object, blind to scopes', () => {
    expect(isScopedProcessEnvInstalled()).toBe(false);
    scope(() => expect(process.env.CREDCHAIN_SPEC_SCOPED).toBeUndefined());
  });
});

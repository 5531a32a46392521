import 'reflect-metadata';
import { container } from 'tsyringe';
import { NoCache } from '../cache/no-cache';
import type { Clock } from '../clock/clock';
import { EnvironmentScope } from '../environment/environment-scope';
import type { EnvironmentSource } from '../environment/environment-source';
import { ProcessEnvironment } from '../environment/process-environment';
import { ChainExhaustedError } from '../errors/chain-exhausted-error';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import type { CredentialProvider } from '../provider/credential-provider';
import { resolveChain } from './resolve-chain';
import { Tokens } from './tokens';

interface TestCreds {
  readonly id: string;
}

const provider = (
  name: string,
  result?: string,
): CredentialProvider<TestCreds> & { calls: number } => {
  const p = {
    name,
    calls: 0,
    async provide(): Promise<TestCreds> {
      p.calls++;
      if (result === undefined) throw new CredentialsUnavailableError(`${name} not configured`);
      return { id: result };
    },
  };
  return p;
};

describe(resolveChain.name, () => {
  it('builds a chain from the registered providers, in registration order', async () => {
    const c = container.createChildContainer();
    for (const p of [provider('x'), provider('y', 'from-y'), provider('z', 'from-z')]) {
      c.register(Tokens.CredentialProvider, { useValue: p });
    }
    const chain = resolveChain<TestCreds>(c);
    expect(chain.providers.map((p) => p.name)).toEqual(['x', 'y', 'z']);
    await expect(chain.resolve()).resolves.toEqual({ id: 'from-y' });
    expect(container.isRegistered(Tokens.CredentialProvider)).toBe(false);
  });

  it('fails clearly when no provider is registered', () => {
    expect(() => resolveChain(container.createChildContainer())).toThrow();
  });

  it('uses the registered cache, environment and clock', async () => {
    const c = container.createChildContainer();
    const p = provider('only', 'creds');
    let now = 0;
    const clock: Clock = { now: () => now++ };
    const env: EnvironmentSource = { get: () => undefined, revision: () => 'fixed' };
    c.register(Tokens.CredentialProvider, { useValue: p });
    c.register(Tokens.CredentialCache, { useValue: new NoCache() });
    c.register(Tokens.EnvironmentSource, { useValue: env });
    c.register(Tokens.Clock, { useValue: clock });
    const chain = resolveChain<TestCreds>(c);
    await chain.resolve();
    await chain.resolve();
    expect(p.calls).toBe(2); // NoCache: every resolve runs the chain
    await expect(chain.explain()).resolves.toMatchObject({ attempts: [{ durationMs: 1 }] });
  });

  it('uses the cache, environment, clock and logger registered in a parent container', async () => {
    // The usual set-up: shared services in an application container, each
    // chain's links in a child of it.
    const parent = container.createChildContainer();
    const p = provider('only', 'creds');
    let now = 0;
    let revisions = 0;
    const lines: string[] = [];
    parent.register(Tokens.CredentialCache, { useValue: new NoCache() });
    parent.register(Tokens.EnvironmentSource, {
      useValue: { get: () => undefined, revision: () => ++revisions } satisfies EnvironmentSource,
    });
    parent.register(Tokens.Clock, { useValue: { now: () => (now += 5) } satisfies Clock });
    parent.register(Tokens.Logger, { useValue: { debug: (line: string) => lines.push(line) } });
    const child = parent.createChildContainer();
    child.register(Tokens.CredentialProvider, { useValue: p });
    const chain = resolveChain<TestCreds>(child);
    await chain.resolve();
    await chain.resolve();
    expect(p.calls).toBe(2);
    expect(revisions).toBe(2);
    expect(lines.length).toBeGreaterThan(0);
    await expect(chain.explain()).resolves.toMatchObject({ attempts: [{ durationMs: 5 }] });
  });

  it('passes exhaustedHint on to the chain', async () => {
    const c = container.createChildContainer();
    c.register(Tokens.CredentialProvider, { useValue: provider('x') });
    const chain = resolveChain<TestCreds>(c, { exhaustedHint: 'try setting X' });
    const error = await chain.resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainExhaustedError);
    expect((error as Error).message.split('\n').at(-1)).toBe('try setting X');
  });

  it('defaults to process.env, whose revision follows the scope, when no environment is registered', async () => {
    const c = container.createChildContainer();
    const env = new ProcessEnvironment();
    const reader = {
      name: 'scope-reader',
      calls: 0,
      provide: async (): Promise<TestCreds> => {
        reader.calls++;
        return { id: `${env.get('CREDCHAIN_RESOLVE_CHAIN_SPEC')}` };
      },
      configuration: () => `${env.get('CREDCHAIN_RESOLVE_CHAIN_SPEC')}`,
    };
    c.register(Tokens.CredentialProvider, { useValue: reader });
    const chain = resolveChain<TestCreds>(c);
    const inScope = (value: string) =>
      EnvironmentScope.run(new Map([['CREDCHAIN_RESOLVE_CHAIN_SPEC', value]]), () =>
        chain.resolve(),
      );
    await expect(inScope('one')).resolves.toEqual({ id: 'one' });
    await expect(inScope('two')).resolves.toEqual({ id: 'two' });
    await expect(inScope('one')).resolves.toEqual({ id: 'one' });
    expect(reader.calls).toBe(2);
  });
});

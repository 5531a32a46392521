import 'reflect-metadata';
import { container, inject, injectable } from 'tsyringe';
import { ProcessLifetimeCache } from '../cache/process-lifetime-cache';
import type { Clock } from '../clock/clock';
import { SystemClock } from '../clock/system-clock';
import type { EnvironmentSource } from '../environment/environment-source';
import { ProcessEnvironment } from '../environment/process-environment';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import type { Logger } from '../logger/logger';
import { SilentLogger } from '../logger/silent-logger';
import type { CredentialProvider } from '../provider/credential-provider';
import { Credentials } from '../redaction/credentials';
import { createChainContainer } from './create-chain-container';
import { resolveChain } from './resolve-chain';
import { Tokens } from './tokens';

const SECRET = 'FAKE/SENTINEL+SECRET0000000000000000000';
const TOKEN = 'FAKE-SENTINEL-SESSION-TOKEN/0000+0000000000';

class FakeClock implements Clock {
  private time = Date.UTC(2030, 0, 1);
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Reads its key id from the injected environment; unavailable without it. */
abstract class EnvKeyProvider implements CredentialProvider<Credentials> {
  abstract readonly name: string;
  protected abstract readonly variable: string;
  constructor(readonly env: EnvironmentSource) {}
  async provide(): Promise<Credentials> {
    const accessKeyId = this.env.get(this.variable);
    if (accessKeyId === undefined)
      throw new CredentialsUnavailableError(`${this.variable} is not set`);
    return new Credentials({ accessKeyId, secretAccessKey: SECRET, sessionToken: TOKEN });
  }
  configuration(): string {
    return `${this.env.get(this.variable)}`;
  }
}

@injectable()
class ProviderA extends EnvKeyProvider {
  readonly name = 'a';
  protected readonly variable = 'A_KEY_ID';
  constructor(@inject(Tokens.EnvironmentSource) env: EnvironmentSource) {
    super(env);
  }
}

@injectable()
class ProviderC extends EnvKeyProvider {
  readonly name = 'c';
  protected readonly variable = 'C_KEY_ID';
  constructor(@inject(Tokens.EnvironmentSource) env: EnvironmentSource) {
    super(env);
  }
}

/** A ready instance, registered as a value. */
const instanceB = (): CredentialProvider<Credentials> & { calls: number } => {
  const provider = {
    name: 'b',
    calls: 0,
    async provide(): Promise<Credentials> {
      provider.calls++;
      throw new CredentialsUnavailableError('B is never configured');
    },
  };
  return provider;
};

const TOKENS: ReadonlyArray<[string, symbol]> = Object.entries(Tokens) as Array<[string, symbol]>;

describe(createChainContainer.name, () => {
  afterEach(() => {
    // Nothing may ever land in tsyringe's global container.
    for (const [name, token] of TOKENS) {
      expect([name, container.isRegistered(token, true)]).toEqual([name, false]);
    }
  });

  it('registers the providers in order: classes and instances mixed', () => {
    const b = instanceB();
    const c = createChainContainer<Credentials>({ providers: [ProviderA, b, ProviderC], env: {} });
    const chain = resolveChain<Credentials>(c);
    expect(chain.providers.map((p) => p.name)).toEqual(['a', 'b', 'c']);
    expect(chain.providers[1]).toBe(b);
    expect(chain.providers[0]).toBeInstanceOf(ProviderA);
    expect(chain.providers[2]).toBeInstanceOf(ProviderC);
  });

  it.each([
    { order: [ProviderC, ProviderA], names: ['c', 'a'] },
    { order: [ProviderA, ProviderC], names: ['a', 'c'] },
  ])('keeps registration order $names', ({ order, names }) => {
    const chain = resolveChain<Credentials>(
      createChainContainer<Credentials>({ providers: order, env: {} }),
    );
    expect(chain.providers.map((p) => p.name)).toEqual(names);
  });

  it('injects the environment source into injectable classes', async () => {
    const c = createChainContainer<Credentials>({
      providers: [ProviderA, instanceB(), ProviderC],
      env: { C_KEY_ID: 'AKIACCCCCCCCCCCC0003' },
    });
    const env = c.resolve(Tokens.EnvironmentSource);
    const chain = resolveChain<Credentials>(c);
    const [a, , cProvider] = chain.providers as [ProviderA, unknown, ProviderC];
    expect(a.env).toBe(env);
    expect(cProvider.env).toBe(env);
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIACCCCCCCCCCCC0003' });
    await expect(chain.explain()).resolves.toMatchObject({ resolvedBy: 'c' });
  });

  it('registers process.env when no env is given', () => {
    const c = createChainContainer<Credentials>({ providers: [ProviderA] });
    expect(c.resolve(Tokens.EnvironmentSource)).toBeInstanceOf(ProcessEnvironment);
  });

  it('registers the cache, clock and logger, which the chain then uses', async () => {
    const cache = new ProcessLifetimeCache<Credentials>();
    const clock = new FakeClock();
    const lines: string[] = [];
    const logger: Logger = { debug: (line) => lines.push(line) };
    const c = createChainContainer<Credentials>({
      providers: [ProviderA],
      env: { A_KEY_ID: 'AKIAAAAAAAAAAAAA0001' },
      cache,
      clock,
      logger,
    });
    expect(c.resolve(Tokens.CredentialCache)).toBe(cache);
    expect(c.resolve(Tokens.Clock)).toBe(clock);
    expect(c.resolve(Tokens.Logger)).toBe(logger);

    const chain = resolveChain<Credentials>(c);
    await chain.resolve();
    expect(cache.size).toBe(1);
    expect(lines).toEqual(['credchain: resolved by a']);
  });

  it('registers no link when given no providers', () => {
    const c = createChainContainer<Credentials>({ env: {} });
    expect(c.isRegistered(Tokens.CredentialProvider, true)).toBe(false);
    expect(() => resolveChain(c)).toThrow();
  });

  it('registers a system clock and a silent logger by default, but no cache', () => {
    const c = createChainContainer<Credentials>({ providers: [ProviderA], env: {} });
    expect(c.resolve(Tokens.Clock)).toBeInstanceOf(SystemClock);
    expect(c.resolve(Tokens.Logger)).toBeInstanceOf(SilentLogger);
    expect(c.isRegistered(Tokens.CredentialCache, true)).toBe(false);
  });

  it("keeps the parent's clock, logger and environment when none is given", () => {
    const parent = container.createChildContainer();
    const clock = new FakeClock();
    const logger: Logger = { debug: () => undefined };
    const env: EnvironmentSource = { get: () => undefined, revision: () => 0 };
    parent.register(Tokens.Clock, { useValue: clock });
    parent.register(Tokens.Logger, { useValue: logger });
    parent.register(Tokens.EnvironmentSource, { useValue: env });
    const c = createChainContainer<Credentials>({ parent, providers: [ProviderA] });
    expect(c.resolve(Tokens.Clock)).toBe(clock);
    expect(c.resolve(Tokens.Logger)).toBe(logger);
    const [a] = resolveChain<Credentials>(c).providers as [ProviderA];
    expect(a.env).toBe(env);
  });

  it('lets given parts win over the parent ones, without touching the parent', () => {
    const parent = container.createChildContainer();
    const parentClock = new FakeClock();
    parent.register(Tokens.Clock, { useValue: parentClock });
    const clock = new FakeClock();
    const c = createChainContainer<Credentials>({ parent, providers: [ProviderA], clock, env: {} });
    expect(c.resolve(Tokens.Clock)).toBe(clock);
    expect(parent.resolve(Tokens.Clock)).toBe(parentClock);
    expect(parent.isRegistered(Tokens.CredentialProvider, true)).toBe(false);
  });

  it('gives two containers their own providers and instances', () => {
    const first = createChainContainer<Credentials>({ providers: [ProviderA], env: {} });
    const second = createChainContainer<Credentials>({
      providers: [ProviderC, ProviderA],
      env: {},
    });
    const one = resolveChain<Credentials>(first);
    const two = resolveChain<Credentials>(second);
    expect(one.providers.map((p) => p.name)).toEqual(['a']);
    expect(two.providers.map((p) => p.name)).toEqual(['c', 'a']);
    expect(two.providers[1]).not.toBe(one.providers[0]);
  });

  it('builds in a child of the given parent, registering nothing in the parent', () => {
    const parent = container.createChildContainer();
    const env = { A_KEY_ID: 'AKIAAAAAAAAAAAAA0001' };
    const c = createChainContainer<Credentials>({ parent, providers: [ProviderA], env });
    expect(c).not.toBe(parent);
    for (const [, token] of TOKENS) expect(parent.isRegistered(token, true)).toBe(false);
    expect(resolveChain<Credentials>(c).providers.map((p) => p.name)).toEqual(['a']);
  });

  it('logs debug lines naming the providers, never a secret', async () => {
    const lines: string[] = [];
    const c = createChainContainer<Credentials>({
      providers: [ProviderA, instanceB(), ProviderC],
      env: { C_KEY_ID: 'AKIACCCCCCCCCCCC0003' },
      logger: { debug: (line) => lines.push(line) },
    });
    const chain = resolveChain<Credentials>(c);
    const creds = await chain.resolve();
    expect(creds.secretAccessKey).toBe(SECRET);
    await chain.explain();
    expect(lines).toEqual(
      expect.arrayContaining([
        'credchain: a unavailable: A_KEY_ID is not set',
        'credchain: b unavailable: B is never configured',
        'credchain: resolved by c',
      ]),
    );
    const all = lines.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('AKIACCCCCCCCCCCC0003');
  });
});

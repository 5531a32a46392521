import type { CredentialCache } from '../cache/credential-cache';
import { ExpiryAwareCache } from '../cache/expiry-aware-cache';
import { NoCache } from '../cache/no-cache';
import { ProcessLifetimeCache } from '../cache/process-lifetime-cache';
import type { Clock } from '../clock/clock';
import { EnvironmentScope } from '../environment/environment-scope';
import type { EnvironmentSource } from '../environment/environment-source';
import { toEnvironmentSource } from '../environment/to-environment-source';
import { ChainExhaustedError } from '../errors/chain-exhausted-error';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import { ProviderFailedError } from '../errors/provider-failed-error';
import type { CredentialProvider } from '../provider/credential-provider';
import type { Attempt } from './chain-report';
import { ProviderChain } from './provider-chain';

interface TestCreds {
  readonly id: string;
  readonly expiration?: Date;
}

class FakeClock implements Clock {
  constructor(private time = Date.UTC(2030, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** A provider whose behaviour is a function; it counts its calls. */
class StubProvider implements CredentialProvider<TestCreds> {
  calls = 0;
  constructor(
    readonly name: string,
    private readonly behaviour: (call: number) => Promise<TestCreds>,
  ) {}
  provide(): Promise<TestCreds> {
    this.calls++;
    return this.behaviour(this.calls);
  }
}

const resolving = (name: string, advance?: () => void) =>
  new StubProvider(name, async () => {
    advance?.();
    return { id: `${name}-creds` };
  });
const unavailable = (name: string, advance?: () => void) =>
  new StubProvider(name, async () => {
    advance?.();
    throw new CredentialsUnavailableError(`${name.toUpperCase()}_KEY is not set`);
  });
const failing = (name: string, error: unknown, advance?: () => void) =>
  new StubProvider(name, async () => {
    advance?.();
    throw error;
  });

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Link = 'R' | 'U' | 'F';
const build = (links: readonly Link[]) =>
  links.map((link, i) => {
    const name = `p${i}`;
    if (link === 'R') return resolving(name);
    if (link === 'U') return unavailable(name);
    return failing(name, new Error(`${name} exploded`));
  });

const strategies: ReadonlyArray<[string, () => CredentialCache<TestCreds>]> = [
  [NoCache.name, () => new NoCache<TestCreds>()],
  [ProcessLifetimeCache.name, () => new ProcessLifetimeCache<TestCreds>()],
  [ExpiryAwareCache.name, () => new ExpiryAwareCache<TestCreds>({ clock: new FakeClock() })],
];

describe(ProviderChain.name, () => {
  describe('constructor', () => {
    it('rejects an empty provider list', () => {
      expect(() => new ProviderChain<TestCreds>([])).toThrow(TypeError);
      expect(() => new ProviderChain<TestCreds>([])).toThrow(/at least one provider/);
    });

    it('keeps its own copy of the provider list', () => {
      const providers = [resolving('a')];
      const chain = new ProviderChain(providers, { env: {} });
      providers.push(resolving('b'));
      expect(chain.providers.map((p) => p.name)).toEqual(['a']);
    });
  });

  describe('resolve', () => {
    it.each<{ links: Link[]; resolvedBy: number; calls: number[] }>([
      { links: ['R', 'R'], resolvedBy: 0, calls: [1, 0] },
      { links: ['U', 'R', 'R'], resolvedBy: 1, calls: [1, 1, 0] },
      { links: ['U', 'U', 'R'], resolvedBy: 2, calls: [1, 1, 1] },
      { links: ['U', 'R', 'F'], resolvedBy: 1, calls: [1, 1, 0] },
    ])(
      '$links: unavailable links are skipped, p$resolvedBy resolves',
      async ({ links, resolvedBy, calls }) => {
        const providers = build(links);
        const chain = new ProviderChain(providers, { env: {}, cache: new NoCache() });
        await expect(chain.resolve()).resolves.toEqual({ id: `p${resolvedBy}-creds` });
        expect(providers.map((p) => p.calls)).toEqual(calls);
      },
    );

    it.each<{ links: Link[]; failed: number; calls: number[] }>([
      { links: ['F', 'R'], failed: 0, calls: [1, 0] },
      { links: ['U', 'F', 'R'], failed: 1, calls: [1, 1, 0] },
      { links: ['U', 'U', 'F', 'U', 'R'], failed: 2, calls: [1, 1, 1, 0, 0] },
    ])(
      '$links: a failing link stops the chain (p$failed), later links are never called',
      async ({ links, failed, calls }) => {
        const providers = build(links);
        const chain = new ProviderChain(providers, { env: {}, cache: new NoCache() });
        const error = await chain.resolve().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ProviderFailedError);
        expect(error).toMatchObject({ provider: `p${failed}` });
        expect((error as Error).message).toContain(`"p${failed}"`);
        expect((error as Error).message).toContain(`p${failed} exploded`);
        expect(providers.map((p) => p.calls)).toEqual(calls);
      },
    );

    it('tells the logger which link was unavailable, which failed, and why', async () => {
      const lines: string[] = [];
      const chain = new ProviderChain(build(['U', 'F', 'R']), {
        env: {},
        cache: new NoCache(),
        logger: { debug: (line) => lines.push(line) },
      });
      await expect(chain.resolve()).rejects.toBeInstanceOf(ProviderFailedError);
      expect(lines).toEqual([
        'credchain: p0 unavailable: P0_KEY is not set',
        'credchain: p1 failed: p1 exploded',
      ]);
    });

    const smithyLike = Object.assign(new Error('smithy says try next'), {
      name: 'ProviderError',
      tryNextLink: true,
    });
    // A plain Error is what a hand-written link throws by default: the
    // message says which error would have let the chain go on.
    const hint =
      ' (if "broken" only means that its source is not configured, throw CredentialsUnavailableError instead: the chain then goes on to the next link)';
    it.each<[string, unknown, string]>([
      ['an Error', new Error('boom'), `boom${hint}`],
      ['a TypeError', new TypeError('not a function'), 'not a function'],
      ['a thrown string', 'plain string', 'plain string'],
      ['a thrown object', { code: 42 }, '[object Object]'],
      [
        'an error that only looks like a "try next link" error',
        smithyLike,
        `smithy says try next${hint}`,
      ],
    ])(
      '%s stops the chain as ProviderFailedError with the original as cause',
      async (_, thrown, text) => {
        const next = resolving('next');
        const chain = new ProviderChain([failing('broken', thrown), next], {
          env: {},
          cache: new NoCache(),
        });
        await expect(chain.resolve()).rejects.toBeInstanceOf(ProviderFailedError);
        await expect(chain.resolve()).rejects.toMatchObject({
          name: 'ProviderFailedError',
          provider: 'broken',
          cause: thrown,
          message: `credential provider "broken" failed: ${text}`,
        });
        expect(next.calls).toBe(0);
      },
    );

    it('treats an unavailable error from another copy of the package (same name) as "go on"', async () => {
      class ForeignUnavailable extends Error {
        override readonly name = 'CredentialsUnavailableError';
      }
      const chain = new ProviderChain(
        [failing('foreign', new ForeignUnavailable('not configured')), resolving('next')],
        { env: {}, cache: new NoCache() },
      );
      await expect(chain.resolve()).resolves.toEqual({ id: 'next-creds' });
    });

    it('throws ChainExhaustedError listing every link with its reason, one per line', async () => {
      const last = new CredentialsUnavailableError('C_KEY is not set');
      const chain = new ProviderChain([unavailable('a'), unavailable('b'), failing('c', last)], {
        env: {},
        cache: new NoCache(),
        clock: new FakeClock(),
      });
      const error = (await chain.resolve().catch((e: unknown) => e)) as ChainExhaustedError;
      expect(error).toBeInstanceOf(ChainExhaustedError);
      expect(error.name).toBe('ChainExhaustedError');
      expect(error.message.split('\n')).toEqual([
        'No credentials: every link of the chain was tried.',
        '  - a: unavailable (A_KEY is not set)',
        '  - b: unavailable (B_KEY is not set)',
        '  - c: unavailable (C_KEY is not set)',
      ]);
      expect(error.attempts).toEqual<Attempt[]>([
        { provider: 'a', outcome: 'unavailable', reason: 'A_KEY is not set', durationMs: 0 },
        { provider: 'b', outcome: 'unavailable', reason: 'B_KEY is not set', durationMs: 0 },
        { provider: 'c', outcome: 'unavailable', reason: 'C_KEY is not set', durationMs: 0 },
      ]);
      expect(error.cause).toBe(last);
    });

    it.each<[string, string | ((attempts: readonly Attempt[]) => string), string]>([
      ['a string', 'Set A_KEY or B_KEY.', 'Set A_KEY or B_KEY.'],
      [
        'a function of the attempts',
        (attempts) => `checked: ${attempts.map((a) => a.provider).join(', ')}`,
        'checked: a, b',
      ],
    ])('appends exhaustedHint given as %s after the links', async (_, exhaustedHint, expected) => {
      const chain = new ProviderChain([unavailable('a'), unavailable('b')], {
        env: {},
        cache: new NoCache(),
        exhaustedHint,
      });
      const error = (await chain.resolve().catch((e: unknown) => e)) as Error;
      const lines = error.message.split('\n');
      expect(lines.at(-1)).toBe(expected);
      expect(lines.slice(1, 3)).toEqual([
        '  - a: unavailable (A_KEY is not set)',
        '  - b: unavailable (B_KEY is not set)',
      ]);
    });

    it('measures durationMs with the injected clock', async () => {
      const clock = new FakeClock();
      const chain = new ProviderChain(
        [unavailable('a', () => clock.advance(7)), unavailable('b', () => clock.advance(30))],
        { env: {}, cache: new NoCache(), clock },
      );
      await expect(chain.resolve()).rejects.toMatchObject({
        attempts: [
          expect.objectContaining({ provider: 'a', durationMs: 7 }),
          expect.objectContaining({ provider: 'b', durationMs: 30 }),
        ],
      });
    });
  });

  describe('explain', () => {
    it('never throws for an unconfigured chain and reports every link as unavailable', async () => {
      const chain = new ProviderChain([unavailable('a'), unavailable('b')], {
        env: {},
        clock: new FakeClock(),
      });
      await expect(chain.explain()).resolves.toEqual({
        resolvedBy: null,
        attempts: [
          { provider: 'a', outcome: 'unavailable', reason: 'A_KEY is not set', durationMs: 0 },
          { provider: 'b', outcome: 'unavailable', reason: 'B_KEY is not set', durationMs: 0 },
        ],
        warnings: [],
        error: expect.any(ChainExhaustedError),
      });
    });

    it('reports the warnings of its options for the run it made', async () => {
      const seen: Array<string | null> = [];
      const chain = new ProviderChain([unavailable('a'), resolving('b')], {
        env: {},
        clock: new FakeClock(),
        warnings: (report) => {
          seen.push(report.resolvedBy);
          return [`${report.resolvedBy} won after ${report.attempts.length} links`];
        },
      });
      const report = await chain.explain();
      expect(report.warnings).toEqual(['b won after 2 links']);
      expect(seen).toEqual(['b']);
    });

    it.each<{
      title: string;
      links: Array<[Link, number]>;
      resolvedBy: string | null;
      attempts: Attempt[];
    }>([
      {
        title: 'unavailable, resolved, not-reached',
        links: [
          ['U', 5],
          ['R', 12],
          ['U', 99],
        ],
        resolvedBy: 'p1',
        attempts: [
          { provider: 'p0', outcome: 'unavailable', reason: 'P0_KEY is not set', durationMs: 5 },
          { provider: 'p1', outcome: 'resolved', durationMs: 12 },
          { provider: 'p2', outcome: 'not-reached', durationMs: 0 },
        ],
      },
      {
        title: 'unavailable, failed, not-reached, not-reached',
        links: [
          ['U', 3],
          ['F', 250],
          ['R', 1],
          ['U', 1],
        ],
        resolvedBy: null,
        attempts: [
          { provider: 'p0', outcome: 'unavailable', reason: 'P0_KEY is not set', durationMs: 3 },
          { provider: 'p1', outcome: 'failed', reason: 'p1 exploded', durationMs: 250 },
          { provider: 'p2', outcome: 'not-reached', durationMs: 0 },
          { provider: 'p3', outcome: 'not-reached', durationMs: 0 },
        ],
      },
      {
        title: 'resolved at once',
        links: [
          ['R', 40],
          ['R', 1],
        ],
        resolvedBy: 'p0',
        attempts: [
          { provider: 'p0', outcome: 'resolved', durationMs: 40 },
          { provider: 'p1', outcome: 'not-reached', durationMs: 0 },
        ],
      },
    ])('reports $title with durations from the clock', async ({ links, resolvedBy, attempts }) => {
      const clock = new FakeClock();
      const providers = links.map(([link, ms], i) => {
        const advance = () => clock.advance(ms);
        if (link === 'R') return resolving(`p${i}`, advance);
        if (link === 'U') return unavailable(`p${i}`, advance);
        return failing(`p${i}`, new Error(`p${i} exploded`), advance);
      });
      const chain = new ProviderChain(providers, { env: {}, clock });
      const report = await chain.explain();
      expect(report.resolvedBy).toBe(resolvedBy);
      expect(report.attempts).toEqual(attempts);
      if (resolvedBy === null) expect(report).not.toHaveProperty('credentials');
      else expect(report.credentials).toEqual({ id: `${resolvedBy}-creds` });
    });

    it('does not use the cache: the provider is called on every explain, and resolve stays cold', async () => {
      const provider = resolving('a');
      const cache = new ProcessLifetimeCache<TestCreds>();
      const chain = new ProviderChain([provider], { env: {}, cache });
      await chain.explain();
      await chain.explain();
      await chain.explain();
      expect(provider.calls).toBe(3);
      expect(cache.size).toBe(0);

      await chain.resolve();
      await chain.resolve();
      expect(provider.calls).toBe(4);
      await chain.explain();
      expect(provider.calls).toBe(5);
    });
  });

  describe('asProvider', () => {
    it.each(strategies)(
      'returns a detached function resolving the same credentials (%s)',
      async (_, make) => {
        const chain = new ProviderChain([unavailable('a'), resolving('b')], {
          env: {},
          cache: make(),
        });
        const { asProvider } = chain;
        const credentials = asProvider.call(chain);
        expect(typeof credentials).toBe('function');
        const viaFunction = await credentials();
        expect(viaFunction).toEqual({ id: 'b-creds' });
        expect(viaFunction).toEqual(await chain.resolve());
      },
    );

    it('shares the cached object with resolve()', async () => {
      const chain = new ProviderChain([resolving('a')], {
        env: {},
        cache: new ProcessLifetimeCache(),
      });
      expect(await chain.asProvider()()).toBe(await chain.resolve());
    });
  });

  describe('concurrency', () => {
    const COLD_CALLS = 10_000;

    it.each(strategies)(
      `${COLD_CALLS} concurrent cold resolve() calls make one provider call (%s)`,
      async (name, make) => {
        const provider = new StubProvider('slow', async (call) => {
          await tick(2);
          return { id: `call-${call}` };
        });
        const chain = new ProviderChain([provider], { env: {}, cache: make() });
        const results = await Promise.all(
          Array.from({ length: COLD_CALLS }, () => chain.resolve()),
        );
        expect(`${name}: ${provider.calls} provider call(s) for ${results.length} resolves`).toBe(
          `${name}: 1 provider call(s) for ${COLD_CALLS} resolves`,
        );
        expect(new Set(results).size).toBe(1);
        expect(results[0]).toEqual({ id: 'call-1' });
      },
    );

    it.each(strategies)(
      'concurrent cold calls share one rejection, which is not cached (%s)',
      async (_, make) => {
        const provider = new StubProvider('flaky', async (call) => {
          await tick(1);
          if (call === 1) throw new Error('throttled');
          return { id: `call-${call}` };
        });
        const chain = new ProviderChain([provider], { env: {}, cache: make() });
        const settled = await Promise.allSettled(
          Array.from({ length: 1_000 }, () => chain.resolve()),
        );
        expect(settled.every((s) => s.status === 'rejected')).toBe(true);
        expect(provider.calls).toBe(1);

        await expect(chain.resolve()).resolves.toEqual({ id: 'call-2' });
        expect(provider.calls).toBe(2);
      },
    );

    it.each(strategies)('an exhausted chain is not cached either (%s)', async (_, make) => {
      const provider = new StubProvider('late', async (call) => {
        if (call === 1) throw new CredentialsUnavailableError('LATE_KEY is not set');
        return { id: `call-${call}` };
      });
      const chain = new ProviderChain([provider], { env: {}, cache: make() });
      await expect(chain.resolve()).rejects.toBeInstanceOf(ChainExhaustedError);
      await expect(chain.resolve()).resolves.toEqual({ id: 'call-2' });
      expect(provider.calls).toBe(2);
    });

    it('NoCache keeps nothing once the shared call settles', async () => {
      const provider = new StubProvider('p', async (call) => ({ id: `call-${call}` }));
      const chain = new ProviderChain([provider], { env: {}, cache: new NoCache() });
      await expect(chain.resolve()).resolves.toEqual({ id: 'call-1' });
      await expect(chain.resolve()).resolves.toEqual({ id: 'call-2' });
    });
  });

  describe('recovery', () => {
    it('looks at the variables again after a failed resolve(), with no bump and no invalidate()', async () => {
      const record: Record<string, string | undefined> = {};
      const link: CredentialProvider<string> = {
        name: 'a',
        provide: async () => {
          const value = env.get('A_KEY');
          if (value === undefined) throw new CredentialsUnavailableError('A_KEY is not set');
          return value;
        },
        configuration: () => env.get('A_KEY') ?? '',
      };
      const env = toEnvironmentSource(record);
      const chain = new ProviderChain([link], { env });
      await expect(chain.resolve()).rejects.toBeInstanceOf(ChainExhaustedError);
      record.A_KEY = 'now-set';
      await expect(chain.resolve()).resolves.toBe('now-set');
    });

    it('rejects (never throws) when a configuration() throws', async () => {
      const link: CredentialProvider<string> = {
        name: 'a',
        provide: async () => 'x',
        configuration: () => {
          throw new Error('bad configuration');
        },
      };
      const chain = new ProviderChain([link], { env: {} });
      let result: Promise<string> | undefined;
      expect(() => {
        result = chain.resolve();
      }).not.toThrow();
      await expect(result).rejects.toThrow('bad configuration');
    });

    it('sees a generation bump inside an environment scope', async () => {
      const record: Record<string, string | undefined> = { A_KEY: 'first' };
      const env = toEnvironmentSource(record);
      const link: CredentialProvider<string> = {
        name: 'a',
        provide: async () => env.get('A_KEY') ?? 'unset',
        configuration: () => env.get('A_KEY') ?? '',
      };
      const chain = new ProviderChain([link], { env });
      await EnvironmentScope.run(new Map([['UNRELATED', 'x']]), async () => {
        await expect(chain.resolve()).resolves.toBe('first');
        record.A_KEY = 'second';
        EnvironmentScope.bumpGeneration();
        await expect(chain.resolve()).resolves.toBe('second');
      });
    });
  });

  describe('freshness', () => {
    /** Reads KEY_ID / SECRET through an environment source, counting what it does. */
    class EnvStubProvider implements CredentialProvider<TestCreds> {
      readonly name = 'env-stub';
      calls = 0;
      configurationCalls = 0;
      constructor(
        private readonly env: EnvironmentSource,
        private readonly delay: () => number = () => 0,
      ) {}
      async provide(): Promise<TestCreds> {
        this.calls++;
        const delay = this.delay();
        if (delay > 0) await tick(delay);
        const id = this.env.get('KEY_ID');
        const secret = this.env.get('SECRET');
        if (id === undefined) throw new CredentialsUnavailableError('KEY_ID is not set');
        return { id: secret === undefined ? id : `${id}/${secret}` };
      }
      configuration(): string {
        this.configurationCalls++;
        return `${this.env.get('KEY_ID')}\u0000${this.env.get('SECRET')}`;
      }
    }

    /** An EnvironmentSource over a plain object that counts reads. */
    class CountingEnvironment implements EnvironmentSource {
      gets = 0;
      revisions = 0;
      private readonly inner: EnvironmentSource;
      constructor(vars: Record<string, string | undefined>) {
        this.inner = toEnvironmentSource(vars);
      }
      get(name: string): string | undefined {
        this.gets++;
        return this.inner.get(name);
      }
      revision(): unknown {
        this.revisions++;
        return this.inner.revision();
      }
    }

    const caching: ReadonlyArray<[string, () => CredentialCache<TestCreds>]> = strategies.filter(
      ([name]) => name !== NoCache.name,
    );

    it.each(caching)(
      'a warm resolve reads no variable and no configuration (%s)',
      async (_, make) => {
        const env = new CountingEnvironment({ KEY_ID: 'AKIA1' });
        const provider = new EnvStubProvider(env);
        const chain = new ProviderChain([provider], { env, cache: make() });
        await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA1' });
        const gets = env.gets;
        const revisions = env.revisions;
        expect(provider.configurationCalls).toBe(1);

        for (let i = 0; i < 1_000; i++) await chain.resolve();
        expect(env.gets).toBe(gets);
        expect(provider.configurationCalls).toBe(1);
        expect(provider.calls).toBe(1);
        // The cheap revision token is all a warm call looks at.
        expect(env.revisions).toBe(revisions + 1_000);
      },
    );

    it('with NoCache a warm resolve still calls the provider but not configuration()', async () => {
      const env = new CountingEnvironment({ KEY_ID: 'AKIA1' });
      const provider = new EnvStubProvider(env);
      const chain = new ProviderChain([provider], { env, cache: new NoCache() });
      await chain.resolve();
      await chain.resolve();
      await chain.resolve();
      expect(provider.calls).toBe(3);
      expect(provider.configurationCalls).toBe(1);
    });

    it.each(caching)(
      'a changed plain object is read after bumpGeneration(), not before (%s)',
      async (_, make) => {
        const vars: Record<string, string | undefined> = { KEY_ID: 'AKIA1', SECRET: 's1' };
        const provider = new EnvStubProvider(toEnvironmentSource(vars));
        const chain = new ProviderChain([provider], { env: vars, cache: make() });
        await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA1/s1' });

        vars.KEY_ID = 'AKIA2';
        vars.SECRET = 's2';
        await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA1/s1' });
        expect(provider.configurationCalls).toBe(1);

        EnvironmentScope.bumpGeneration();
        await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA2/s2' });
        expect(provider.calls).toBe(2);
        expect(provider.configurationCalls).toBe(2);
      },
    );

    it('a bump without a configuration change keeps the cached credentials', async () => {
      const vars = { KEY_ID: 'AKIA1' };
      const provider = new EnvStubProvider(toEnvironmentSource(vars));
      const chain = new ProviderChain([provider], { env: vars, cache: new ProcessLifetimeCache() });
      await chain.resolve();
      EnvironmentScope.bumpGeneration();
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA1' });
      expect(provider.calls).toBe(1);
      expect(provider.configurationCalls).toBe(2);
    });

    it('keeps one cache entry per configuration fingerprint', async () => {
      const vars: Record<string, string | undefined> = { KEY_ID: 'AKIA1' };
      const provider = new EnvStubProvider(toEnvironmentSource(vars));
      const cache = new ProcessLifetimeCache<TestCreds>();
      const chain = new ProviderChain([provider], { env: vars, cache });
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA1' });
      vars.KEY_ID = 'AKIA2';
      EnvironmentScope.bumpGeneration();
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA2' });
      vars.KEY_ID = 'AKIA1';
      EnvironmentScope.bumpGeneration();
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA1' });
      expect(provider.calls).toBe(2);
      expect(cache.size).toBe(2);
    });

    it.each(strategies)(
      'invalidate() forces a re-read of the configuration (%s)',
      async (_, make) => {
        const vars: Record<string, string | undefined> = { KEY_ID: 'AKIA1' };
        const provider = new EnvStubProvider(toEnvironmentSource(vars));
        const chain = new ProviderChain([provider], { env: vars, cache: make() });
        await chain.resolve();
        vars.KEY_ID = 'AKIA2';
        chain.invalidate();
        await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA2' });
        expect(provider.configurationCalls).toBe(2);
      },
    );

    it('invalidate() refetches even when the configuration did not change', async () => {
      const provider = new StubProvider('p', async (call) => ({ id: `call-${call}` }));
      const chain = new ProviderChain([provider], { env: {}, cache: new ProcessLifetimeCache() });
      await expect(chain.resolve()).resolves.toEqual({ id: 'call-1' });
      chain.invalidate();
      await expect(chain.resolve()).resolves.toEqual({ id: 'call-2' });
    });

    it('refreshConfiguration() re-reads the configuration but keeps every cached entry', async () => {
      const vars: Record<string, string | undefined> = { KEY_ID: 'AKIA1' };
      const provider = new EnvStubProvider(toEnvironmentSource(vars));
      const cache = new ProcessLifetimeCache<TestCreds>();
      const chain = new ProviderChain([provider], { env: vars, cache });
      await chain.resolve();
      vars.KEY_ID = 'AKIA2';
      chain.refreshConfiguration();
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA2' });
      vars.KEY_ID = 'AKIA1';
      chain.refreshConfiguration();
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA1' });
      expect(provider.calls).toBe(2);
      expect(provider.configurationCalls).toBe(3);
      expect(cache.size).toBe(2);
    });

    it('configurationFingerprint() is a SHA-256 of the links and their configuration', () => {
      const vars: Record<string, string | undefined> = { KEY_ID: 'AKIA1' };
      const chain = new ProviderChain(
        [resolving('no-configuration'), new EnvStubProvider(toEnvironmentSource(vars))],
        { env: vars },
      );
      const first = chain.configurationFingerprint();
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(first).not.toContain('AKIA1');
      expect(chain.configurationFingerprint()).toBe(first);
      vars.KEY_ID = 'AKIA2';
      expect(chain.configurationFingerprint()).not.toBe(first);
      const renamed = new ProviderChain(
        [resolving('other-name'), new EnvStubProvider(toEnvironmentSource(vars))],
        {
          env: vars,
        },
      );
      expect(renamed.configurationFingerprint()).not.toBe(chain.configurationFingerprint());
    });

    it('reads the overlay inside EnvironmentScope.run and the base outside it', async () => {
      const vars = { KEY_ID: 'AKIA_BASE' };
      const provider = new EnvStubProvider(toEnvironmentSource(vars));
      const chain = new ProviderChain([provider], { env: vars });
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA_BASE' });
      await expect(
        EnvironmentScope.run(new Map([['KEY_ID', 'AKIA_SCOPED']]), () => chain.resolve()),
      ).resolves.toEqual({ id: 'AKIA_SCOPED' });
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA_BASE' });
      expect(provider.calls).toBe(2);
    });

    it('an undefined overlay entry hides the variable', async () => {
      const vars = { KEY_ID: 'AKIA_BASE' };
      const chain = new ProviderChain([new EnvStubProvider(toEnvironmentSource(vars))], {
        env: vars,
      });
      await expect(
        EnvironmentScope.run(new Map([['KEY_ID', undefined]]), () => chain.resolve()),
      ).rejects.toThrow(/KEY_ID is not set/);
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA_BASE' });
    });

    it('nested scopes merge, the inner one winning', async () => {
      const vars = { KEY_ID: 'AKIA_BASE', SECRET: 'base' };
      const chain = new ProviderChain([new EnvStubProvider(toEnvironmentSource(vars))], {
        env: vars,
      });
      const result = await EnvironmentScope.run(
        new Map([
          ['KEY_ID', 'AKIA_OUTER'],
          ['SECRET', 'outer'],
        ]),
        () =>
          EnvironmentScope.run(new Map([['SECRET', 'inner']]), async () => [await chain.resolve()]),
      );
      expect(result).toEqual([{ id: 'AKIA_OUTER/inner' }]);
    });

    it('4 concurrent scopes x 25 interleaved calls each see their own credentials', async () => {
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const vars = { KEY_ID: 'AKIA_BASE' };
      const provider = new EnvStubProvider(toEnvironmentSource(vars), () =>
        Math.floor(random() * 3),
      );
      const chain = new ProviderChain([provider], { env: vars });
      const scopes = ['A', 'B', 'C', 'D'];
      const seen = await Promise.all(
        scopes.map((scope) =>
          EnvironmentScope.run(new Map([['KEY_ID', `AKIA_${scope}`]]), async () => {
            const ids: string[] = [];
            for (let i = 0; i < 25; i++) {
              await tick(Math.floor(random() * 3));
              ids.push((await chain.resolve()).id);
            }
            return ids;
          }),
        ),
      );
      expect(seen).toEqual(scopes.map((scope) => Array(25).fill(`AKIA_${scope}`)));
      // One load per configuration, then served from the cache.
      expect(provider.calls).toBe(scopes.length);
      await expect(chain.resolve()).resolves.toEqual({ id: 'AKIA_BASE' });
    });
  });
});

describe('ProviderChain link names', () => {
  it('refuses two links under one name at construction, naming it', () => {
    const link = { name: 'vault', provide: async () => ({ id: 'x' }) };
    expect(() => new ProviderChain([link, { ...link }], { env: {} })).toThrow(
      new TypeError(
        'two links of the chain are named "vault": each link needs its own name (the same provider registered twice?)',
      ),
    );
  });
});

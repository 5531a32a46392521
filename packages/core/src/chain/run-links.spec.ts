import { NoCache } from '../cache/no-cache';
import type { EnvironmentSource } from '../environment/environment-source';
import { toEnvironmentSource } from '../environment/to-environment-source';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import { InvalidCredentialsError } from '../errors/invalid-credentials-error';
import { LinkDeadlineError } from '../errors/link-deadline-error';
import { ProviderFailedError } from '../errors/provider-failed-error';
import type { CredentialProvider, ProvideContext } from '../provider/credential-provider';
import { ProviderChain } from './provider-chain';
import { DEFAULT_LINK_TIMEOUT_MS } from './provider-chain-options';

interface KeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly expiration?: Date;
}

const KEYS: KeyPair = { accessKeyId: 'AKIAFAKERUNLINKS0001', secretAccessKey: 'fake-run-links' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A link that never settles, and records the signal it was given. */
function silentLink(name = 'silent') {
  const seen: { signal?: AbortSignal; calls: number } = { calls: 0 };
  const link: CredentialProvider<KeyPair> = {
    name,
    provide(context) {
      seen.calls++;
      seen.signal = context?.signal;
      return new Promise<KeyPair>(() => {});
    },
  };
  return { link, seen };
}

const chainOf = (links: CredentialProvider<KeyPair>[], linkTimeoutMs?: number) =>
  new ProviderChain<KeyPair>(links, { env: {}, cache: new NoCache(), linkTimeoutMs });

describe('every link has a deadline', () => {
  it('defaults to 10 s', () => {
    expect(DEFAULT_LINK_TIMEOUT_MS).toBe(10_000);
  });

  it('fails a link that never answers with a ProviderFailedError naming it and the deadline, in resolve() and explain()', async () => {
    const { link, seen } = silentLink('vault');
    const next: CredentialProvider<KeyPair> = { name: 'next', provide: async () => KEYS };
    const chain = chainOf([link, next], 30);
    const started = Date.now();
    const error = (await chain.resolve().catch((e: unknown) => e)) as ProviderFailedError;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(ProviderFailedError);
    expect(error.provider).toBe('vault');
    expect(error.message).toBe(
      `credential provider "vault" failed: no answer within 30 ms (linkTimeoutMs)`,
    );
    expect(error.cause).toBeInstanceOf(LinkDeadlineError);
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.signal?.reason).toBe(error.cause);

    const report = await chain.explain();
    expect(report.attempts.map((a) => a.outcome)).toEqual(['failed', 'not-reached']);
    expect(report.attempts[0]?.reason).toMatch(/^no answer within 30 ms/);
    expect(report.error).toBeInstanceOf(ProviderFailedError);
    expect(report.error?.message).toBe(error.message);
  });

  it("takes a link's own linkTimeoutMs over the chain's", async () => {
    const quick = { ...silentLink('quick').link, linkTimeoutMs: 20 };
    const chain = chainOf([quick], 60_000);
    await expect(chain.resolve()).rejects.toThrow('no answer within 20 ms');
  });

  it('never cuts a link whose linkTimeoutMs is Infinity', async () => {
    const slow: CredentialProvider<KeyPair> = {
      name: 'self-bounded',
      linkTimeoutMs: Number.POSITIVE_INFINITY,
      provide: async () => {
        await sleep(40);
        return KEYS;
      },
    };
    await expect(chainOf([slow], 10).resolve()).resolves.toEqual(KEYS);
  });

  it('drops a late answer: nothing is cached, and the next call asks again', async () => {
    let calls = 0;
    const late: CredentialProvider<KeyPair> = {
      name: 'late',
      provide: async () => {
        calls++;
        await sleep(calls === 1 ? 60 : 0);
        return { ...KEYS, accessKeyId: `AKIAFAKERUNLINKSCAL${calls}` };
      },
    };
    const chain = new ProviderChain<KeyPair>([late], { env: {}, linkTimeoutMs: 20 });
    await expect(chain.resolve()).rejects.toThrow('no answer within 20 ms');
    await sleep(80); // the first answer arrives now, to nobody
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKERUNLINKSCAL2' });
  });

  it('counts a link that throws synchronously as failed, not as a crash', async () => {
    const sync: CredentialProvider<KeyPair> = {
      name: 'sync',
      provide: () => {
        throw new TypeError('not ready');
      },
    };
    await expect(chainOf([sync]).resolve()).rejects.toThrow(
      'credential provider "sync" failed: not ready',
    );
  });

  it.each([0, -1, Number.NaN, 2 ** 31, Number.MAX_SAFE_INTEGER])(
    'refuses linkTimeoutMs %p with a RangeError (setTimeout would fire at once past 2^31 - 1)',
    (ms) => {
      expect(() => chainOf([silentLink().link], ms)).toThrow(
        `linkTimeoutMs must be a positive number of milliseconds up to 2147483647 (or Infinity for none), got ${ms}`,
      );
    },
  );

  it("refuses a link's own unusable linkTimeoutMs at construction, naming the link", () => {
    const zero = { ...silentLink('zero').link, linkTimeoutMs: 0 };
    expect(() => chainOf([zero])).toThrow(
      'the linkTimeoutMs of link "zero" must be a positive number of milliseconds',
    );
    expect(() => chainOf([silentLink().link], Number.POSITIVE_INFINITY)).not.toThrow();
  });
});

describe('what a link hands back is checked, the same in resolve() and explain()', () => {
  const now = Date.now();
  it.each<[string, unknown, string]>([
    ['undefined', undefined, 'it returned undefined instead of credentials'],
    ['null', null, 'it returned null instead of credentials'],
    [
      'expired credentials',
      { ...KEYS, expiration: new Date(now - 1000) },
      `it returned credentials that expired at ${new Date(now - 1000).toISOString()}`,
    ],
    [
      'an invalid expiration',
      { ...KEYS, expiration: new Date('garbage') },
      'it returned credentials whose expiration is not a valid Date',
    ],
    [
      'an expiration that is no Date',
      { ...KEYS, expiration: '2999-01-01T00:00:00Z' },
      'it returned credentials whose expiration is not a valid Date',
    ],
    [
      'a key pair without key id',
      { secretAccessKey: 'fake' },
      'it returned credentials without an access key id',
    ],
    [
      'an empty key id',
      { accessKeyId: '', secretAccessKey: 'fake' },
      'it returned credentials without an access key id',
    ],
    [
      'a key pair without secret',
      { accessKeyId: KEYS.accessKeyId },
      'it returned credentials without a secret access key',
    ],
  ])('fails the link on %s with a ProviderFailedError naming it', async (_, value, reason) => {
    const link = { name: 'custom', provide: async () => value as KeyPair };
    const chain = chainOf([link]);
    const error = (await chain.resolve().catch((e: unknown) => e)) as ProviderFailedError;
    expect(error).toBeInstanceOf(ProviderFailedError);
    expect(error.message).toBe(`credential provider "custom" failed: ${reason}`);
    expect(error.cause).toBeInstanceOf(InvalidCredentialsError);
    const report = await chain.explain();
    expect(report.resolvedBy).toBeNull();
    expect(report.attempts).toMatchObject([{ provider: 'custom', outcome: 'failed', reason }]);
    expect(report.error?.message).toBe(error.message);
    expect('credentials' in report).toBe(false);
  });

  it('accepts credentials valid for a moment more, and values that are no key pair', async () => {
    const soon = { ...KEYS, expiration: new Date(Date.now() + 60_000) };
    await expect(chainOf([{ name: 'a', provide: async () => soon }]).resolve()).resolves.toBe(soon);
    const token = new ProviderChain<string>([{ name: 't', provide: async () => 'a-token' }], {
      env: {},
    });
    await expect(token.resolve()).resolves.toBe('a-token');
  });

  it("runs the chain's accept() on the answer, and fails the link when it throws", async () => {
    const link = { name: 'custom', provide: async () => KEYS };
    const wrapped = new ProviderChain<KeyPair>([link], {
      env: {},
      accept: (value) => ({ ...value, secretAccessKey: 'converted' }),
    });
    await expect(wrapped.resolve()).resolves.toEqual({ ...KEYS, secretAccessKey: 'converted' });
    const refusing = new ProviderChain<KeyPair>([link], {
      env: {},
      accept: () => {
        throw new InvalidCredentialsError('it returned no AWS credentials');
      },
    });
    await expect(refusing.resolve()).rejects.toThrow(
      'credential provider "custom" failed: it returned no AWS credentials',
    );
    expect((await refusing.explain()).attempts[0]?.outcome).toBe('failed');
  });
});

describe('what a link is handed', () => {
  it("gets the chain's environment (an injected one) and a live signal", async () => {
    let context: ProvideContext | undefined;
    const link: CredentialProvider<KeyPair> = {
      name: 'reader',
      async provide(given) {
        context = given;
        const id = given?.env.get('ACME_ID');
        if (id === undefined) throw new CredentialsUnavailableError('ACME_ID is not set');
        return { accessKeyId: id, secretAccessKey: 'fake' };
      },
    };
    const env: EnvironmentSource = toEnvironmentSource({ ACME_ID: 'AKIAFAKEINJECTEDENV1' });
    const chain = new ProviderChain<KeyPair>([link], { env, cache: new NoCache() });
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEINJECTEDENV1' });
    expect(context?.env).toBe(env);
    expect(context?.signal.aborted).toBe(false);
  });

  it("hands configuration() and isConfigured() the chain's environment too", async () => {
    const seen: unknown[] = [];
    const link: CredentialProvider<KeyPair> = {
      name: 'reader',
      provide: async () => KEYS,
      configuration: (env) => {
        seen.push(env);
        return env.get('ACME_ID') ?? '';
      },
    };
    const env = toEnvironmentSource({ ACME_ID: 'x' });
    const chain = new ProviderChain<KeyPair>([link], { env });
    chain.configurationFingerprint();
    expect(seen).toEqual([env]);
  });
});

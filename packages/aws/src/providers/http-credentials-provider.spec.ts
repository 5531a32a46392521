import { inspect } from 'node:util';
import {
  ChainExhaustedError,
  Credentials,
  CredentialsUnavailableError,
  EnvironmentScope,
  NoCache,
  ProviderChain,
  ProviderFailedError,
  toEnvironmentSource,
} from '@credchain/core';
import { refusedEndpoint } from '../../../../test/support/loopback';
import {
  startVaultServer,
  VAULT_GARBAGE_BODY,
  type VaultServer,
} from '../../../../test/support/vault-server';
import { CredentialSourceError } from '../errors/credential-source-error';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { HttpCredentialsProvider } from './http-credentials-provider';
import { DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS } from './http-credentials-provider-options';

const KEYS = {
  accessKeyId: 'AKIAFAKEHTTPVAULT001',
  secretAccessKey: 'SENTINEL-http-vault-secret-0123456789',
  sessionToken: 'SENTINEL-http-vault-token',
};
const TOKEN = 'SENTINEL-vault-bearer-token';

describe(HttpCredentialsProvider.name, () => {
  let vault: VaultServer;
  beforeEach(async () => {
    vault = await startVaultServer({ keys: KEYS, token: TOKEN });
  });
  afterEach(() => vault.stop());

  const provider = (
    extra: Partial<ConstructorParameters<typeof HttpCredentialsProvider>[0]> = {},
  ) =>
    new HttpCredentialsProvider({
      name: 'vault',
      url: vault.url,
      headers: { Authorization: `Bearer ${TOKEN}` },
      ...extra,
    });
  const provide = (p: HttpCredentialsProvider, env: Record<string, string> = {}) =>
    p.provide({ env: toEnvironmentSource(env), signal: new AbortController().signal });
  const failure = (p: HttpCredentialsProvider, env: Record<string, string> = {}) =>
    provide(p, env).then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e as Error,
    );

  it('returns the document as printable-safe Credentials, with token and expiration', async () => {
    const credentials = await provide(provider());
    expect(credentials).toBeInstanceOf(Credentials);
    expect(credentials).toMatchObject(KEYS);
    expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now());
    expect(inspect(credentials)).not.toContain(KEYS.secretAccessKey);
    expect(vault.requests).toHaveLength(1);
    expect(vault.requests[0]?.path).toBe('/v1/aws/creds');
  });

  it("reads its URL and header values from the chain's environment, on every call", async () => {
    const p = new HttpCredentialsProvider({
      name: 'vault',
      urlVariable: 'ACME_VAULT_URL',
      headers: {
        Authorization: (env) => `Bearer ${env.get('ACME_VAULT_TOKEN')}`,
        'X-Optional': () => undefined,
        'X-Tenant': (env) => env.get('ACME_TENANT'),
      },
    });
    await expect(
      provide(p, { ACME_VAULT_URL: vault.url, ACME_VAULT_TOKEN: TOKEN, ACME_TENANT: 'team-a' }),
    ).resolves.toMatchObject({
      accessKeyId: KEYS.accessKeyId,
    });
    expect(vault.requests[0]?.headers['x-tenant']).toBe('team-a');
    expect(vault.requests[0]?.headers).not.toHaveProperty('x-optional');
    const unset = await failure(p);
    expect(unset).toBeInstanceOf(CredentialsUnavailableError);
    expect(unset.message).toBe('ACME_VAULT_URL is not set');
    expect(p.isConfigured(toEnvironmentSource({ ACME_VAULT_URL: vault.url }))).toBe(true);
    expect(p.isConfigured(toEnvironmentSource({}))).toBe(false);
  });

  it('keys the chain on its URL and its header values: another vault or another token, other credentials', async () => {
    const p = new HttpCredentialsProvider({
      urlVariable: 'ACME_VAULT_URL',
      headers: { Authorization: (env) => `Bearer ${env.get('ACME_VAULT_TOKEN')}` },
    });
    const config = (env: Record<string, string>) => p.configuration(toEnvironmentSource(env));
    const a = config({ ACME_VAULT_URL: 'https://a.example', ACME_VAULT_TOKEN: 't1' });
    expect(config({ ACME_VAULT_URL: 'https://b.example', ACME_VAULT_TOKEN: 't1' })).not.toBe(a);
    expect(config({ ACME_VAULT_URL: 'https://a.example', ACME_VAULT_TOKEN: 't2' })).not.toBe(a);
    expect(config({ ACME_VAULT_URL: 'https://a.example', ACME_VAULT_TOKEN: 't1' })).toBe(a);
    expect(p.name).toBe('http');
    // Through a chain: a scope with another token gets the vault asked again.
    const tenants = await startVaultServer({
      keys: { accessKeyId: 'AKIAFAKEHTTPTENANTS1', secretAccessKey: 'fake-tenants-not-real' },
    });
    try {
      const chain = new ProviderChain([p], {
        env: { ACME_VAULT_URL: tenants.url, ACME_VAULT_TOKEN: 'tenant-a' },
      });
      await chain.resolve();
      await EnvironmentScope.run(new Map([['ACME_VAULT_TOKEN', 'tenant-b']]), () =>
        chain.resolve(),
      );
      expect(tenants.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer tenant-a',
        'Bearer tenant-b',
      ]);
    } finally {
      await tenants.stop();
    }
  });

  it.each<[string, VaultServer['mode'], RegExp]>([
    ['an HTTP error', 'error-500', /^vault at http:\/\/127\.0\.0\.1:\d+ answered HTTP 500$/],
    [
      'a body that is not JSON',
      'not-json',
      /^vault at http:\/\/127\.0\.0\.1:\d+ returned malformed credentials \(not JSON\)$/,
    ],
    [
      'a document without the key pair',
      'no-keys',
      /returned a document without AccessKeyId and SecretAccessKey$/,
    ],
    ['expired credentials', 'expired', /returned credentials that expired at \d{4}-/],
  ])(
    'fails on %s with a CredentialSourceError naming the link and endpoint, never the body or a header',
    async (_, mode, message) => {
      vault.mode = mode;
      const error = await failure(provider());
      expect(error).toBeInstanceOf(CredentialSourceError);
      expect(error.message).toMatch(message);
      for (const secret of [VAULT_GARBAGE_BODY, 'SENTINEL', TOKEN])
        expect(error.message).not.toContain(secret);
    },
  );

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty AccessKeyId', { AccessKeyId: '' }, /without AccessKeyId and SecretAccessKey$/],
    ['no AccessKeyId', { AccessKeyId: undefined }, /without AccessKeyId and SecretAccessKey$/],
    [
      'an empty SecretAccessKey',
      { SecretAccessKey: '' },
      /without AccessKeyId and SecretAccessKey$/,
    ],
    [
      'a numeric SecretAccessKey',
      { SecretAccessKey: 42 },
      /without AccessKeyId and SecretAccessKey$/,
    ],
    ['an Expiration that is no date', { Expiration: 'soon' }, /returned an invalid Expiration$/],
  ])('refuses a document with %s', async (_, document, message) => {
    const custom = await startVaultServer({ keys: KEYS, document });
    try {
      const error = await failure(new HttpCredentialsProvider({ name: 'vault', url: custom.url }));
      expect(error).toBeInstanceOf(CredentialSourceError);
      expect(error.message).toMatch(message);
    } finally {
      await custom.stop();
    }
  });

  it('keeps the AccountId a document gives, and no token when it gives none', async () => {
    const custom = await startVaultServer({
      keys: KEYS,
      document: { AccountId: '111122223333', Token: undefined, Expiration: undefined },
    });
    try {
      const credentials = await provide(
        new HttpCredentialsProvider({ name: 'vault', url: custom.url }),
      );
      expect(credentials.accountId).toBe('111122223333');
      expect(credentials.sessionToken).toBeUndefined();
      expect(credentials.expiration).toBeUndefined();
    } finally {
      await custom.stop();
    }
  });

  it.each([
    ['Expiration', { Expiration: 1_700_000_000 }],
    ['Token', { Token: 12345 }],
    ['AccountId', { AccountId: 111122223333 }],
  ])('refuses a document whose %s is not a string, never dropping it', async (field, extra) => {
    const custom = await startVaultServer({ keys: KEYS, document: extra });
    try {
      const error = await failure(new HttpCredentialsProvider({ name: 'vault', url: custom.url }));
      expect(error).toBeInstanceOf(CredentialSourceError);
      expect(error.message).toMatch(new RegExp(`returned a ${field} that is not a string$`));
    } finally {
      await custom.stop();
    }
  });

  it('gives up on a silent vault after timeoutMs, and on a refused one at once', async () => {
    vault.mode = 'hang';
    const started = Date.now();
    const error = await failure(provider({ timeoutMs: 150 }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error.message).toMatch(/^vault at http:\/\/127\.0\.0\.1:\d+: no answer within 150 ms$/);
    const refused = await failure(provider({ url: `${await refusedEndpoint()}/creds` }));
    expect(refused).toBeInstanceOf(CredentialSourceError);
    expect(refused.message).toMatch(/failed: .*ECONNREFUSED/);
    expect(DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS).toBe(5000);
  });

  it("stops when the chain's deadline aborts its signal", async () => {
    vault.mode = 'hang';
    const chain = new ProviderChain([provider({ timeoutMs: 60_000 })], {
      env: {},
      cache: new NoCache(),
      linkTimeoutMs: 100,
    });
    const started = Date.now();
    const error = (await chain.resolve().catch((e: unknown) => e)) as ProviderFailedError;
    expect(error).toBeInstanceOf(ProviderFailedError);
    expect(error.message).toBe(
      'credential provider "vault" failed: no answer within 100 ms (linkTimeoutMs)',
    );
    expect(Date.now() - started).toBeLessThan(1000);
    // The link itself stops too (its request is aborted), not only the chain's race.
    const abort = new AbortController();
    const stopped = provider({ timeoutMs: 60_000 })
      .provide({ env: toEnvironmentSource({}), signal: abort.signal })
      .then(
        () => new Error('expected a failure'),
        (e: unknown) => e as Error,
      );
    setTimeout(() => abort.abort(), 50);
    const linkError = await stopped;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(linkError).toBeInstanceOf(CredentialSourceError);
    expect(linkError.message).toMatch(
      /^vault at http:\/\/127\.0\.0\.1:\d+: stopped, the caller's deadline passed$/,
    );
  });

  it('is refused by the vault without its token (403), naming the status only', async () => {
    const error = await failure(provider({ headers: {} }));
    expect(error.message).toMatch(/answered HTTP 403$/);
  });

  it('takes HTTPS anywhere but plain HTTP only to loopback, and a valid URL', async () => {
    expect(
      () => new HttpCredentialsProvider({ name: 'vault', url: 'http://vault.internal/creds' }),
    ).toThrow(
      new CredentialsConfigurationError(
        'url of link "vault" must be HTTPS, or HTTP to loopback (got http://vault.internal)',
      ),
    );
    expect(
      () => new HttpCredentialsProvider({ url: 'https://vault.internal/creds' }),
    ).not.toThrow();
    const p = new HttpCredentialsProvider({ name: 'vault', urlVariable: 'ACME_VAULT_URL' });
    const error = await failure(p, { ACME_VAULT_URL: 'not a url' });
    expect(error).toBeInstanceOf(CredentialsConfigurationError);
    expect(error.message).toBe('ACME_VAULT_URL of link "vault" is not a valid URL');
  });

  it.each([
    [{}, 'give exactly one of url and urlVariable'],
    [{ url: 'https://a.example', urlVariable: 'X' }, 'give exactly one of url and urlVariable'],
    [
      { url: 'https://a.example', timeoutMs: 0 },
      'the timeoutMs of HttpCredentialsProvider "http" must be a positive number of milliseconds up to 2147483647 (or Infinity for none), got 0',
    ],
    [
      { url: 'https://a.example', timeoutMs: 2 ** 31 },
      'must be a positive number of milliseconds up to 2147483647',
    ],
    [
      { url: 'https://a.example', timeoutMs: Number.POSITIVE_INFINITY },
      'must be finite: a vault that never answers would hold the process',
    ],
  ])('refuses the options %j', (options, message) => {
    expect(() => new HttpCredentialsProvider(options)).toThrow(message);
  });

  it('works as a plain link of a chain: unavailable when unset, so the chain goes on', async () => {
    const p = new HttpCredentialsProvider({ name: 'vault', urlVariable: 'ACME_VAULT_URL' });
    const chain = new ProviderChain([p], { env: {}, cache: new NoCache() });
    await expect(chain.resolve()).rejects.toBeInstanceOf(ChainExhaustedError);
  });
});

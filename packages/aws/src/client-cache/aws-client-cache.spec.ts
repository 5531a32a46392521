import { isDeepStrictEqual } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { Credentials, EnvironmentScope, ProviderChain, ScopedEnvironment } from '@credchain/core';
import fc from 'fast-check';
import { createCredentialChain } from '../chain/create-credential-chain';
import { AccountPool } from '../rotation/account-pool';
import { AwsClientCache, type AwsClientClass } from './aws-client-cache';
import { DEFAULT_CLIENT_CACHE_SIZE } from './aws-client-cache-options';
import type { ClientKeyInput, ClientKeyStrategy } from './client-key-strategy';
import { CredentialKeyStrategy } from './credential-key-strategy';
import { DisabledKeyStrategy } from './disabled-key-strategy';

type Env = Record<string, string | undefined>;

const keyOf = (n: number) => `AKIAFAKECACHE${String(n).padStart(7, '0')}`;
const secretOf = (n: number) => `SENTINEL/cache+secret-${n}-0123456789abcdefgh`;
const tokenOf = (n: number) => `SENTINEL-cache-session-token-${n}`;

/** Files that do not exist, so no developer profile can leak in. */
const NO_FILES: Env = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-cache-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-cache-spec/config',
};

/** A plain-object environment holding account n as the prefixed key pair. */
const accountEnv = (n: number, extra: Env = {}): Env => ({
  ...NO_FILES,
  REMOTION_AWS_ACCESS_KEY_ID: keyOf(n),
  REMOTION_AWS_SECRET_ACCESS_KEY: secretOf(n),
  ...extra,
});

/** Switches `env` (in place) to account n, as the reference pattern does with process.env. */
function useAccount(env: Env, n: number, token?: string): void {
  env.REMOTION_AWS_ACCESS_KEY_ID = keyOf(n);
  env.REMOTION_AWS_SECRET_ACCESS_KEY = secretOf(n);
  if (token === undefined) delete env.REMOTION_AWS_SESSION_TOKEN;
  else env.REMOTION_AWS_SESSION_TOKEN = token;
}

let destroyed = 0;
class CountingS3 extends S3Client {
  override destroy(): void {
    destroyed++;
    super.destroy();
  }
}

/** The cache's private key map, read ONLY to prove that keys hold no secret. */
const keysOf = (cache: AwsClientCache): string[] =>
  // biome-ignore lint/suspicious/noExplicitAny: the secret scan needs the private map
  [...(cache as any).clients.keys()];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stand-in for an SDK v3 client class where only the key matters: it keeps
 * the config it was built with, and counts destroy() calls.
 */
class RecordingClient {
  static destroyed = 0;
  constructor(readonly config: Record<string, unknown>) {}
  destroy(): void {
    RecordingClient.destroyed++;
  }
}

/** Two distinct client classes that share one name, as two packages' `Client` would. */
const clientClassNamed = (): AwsClientClass => class Client extends RecordingClient {};

beforeEach(() => {
  destroyed = 0;
});

beforeEach(() => {
  RecordingClient.destroyed = 0;
});

describe(AwsClientCache.name, () => {
  describe('keys', () => {
    it('same source, region, service and config → the same instance', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const a = cache.get(S3Client, { region: 'eu-west-1' });
      const b = cache.get(S3Client, { region: 'eu-west-1' });
      expect(b).toBe(a);
      expect(a).toBeInstanceOf(S3Client);
      expect(cache.size).toBe(1);
      cache.clear();
    });

    it('another region → another instance', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const a = cache.get(S3Client, { region: 'eu-west-1' });
      const b = cache.get(S3Client, { region: 'us-east-1' });
      expect(b).not.toBe(a);
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(a);
      expect(cache.size).toBe(2);
      cache.clear();
    });

    it('another service → another instance (any SDK v3 client class works)', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const s3 = cache.get(S3Client, { region: 'eu-west-1' });
      const lambda = cache.get(LambdaClient, { region: 'eu-west-1' });
      expect(lambda).toBeInstanceOf(LambdaClient);
      expect(lambda).not.toBe(s3);
      expect(cache.get(LambdaClient, { region: 'eu-west-1' })).toBe(lambda);
      // A subclass is another service, even with the same config.
      expect(cache.get(CountingS3, { region: 'eu-west-1' })).not.toBe(s3);
      expect(cache.size).toBe(3);
      cache.clear();
    });

    it('another config → another instance; key order does not matter', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const plain = cache.get(S3Client, { region: 'eu-west-1' });
      const pathStyle = cache.get(S3Client, { region: 'eu-west-1', forcePathStyle: true });
      expect(pathStyle).not.toBe(plain);
      const a = cache.get(S3Client, { region: 'eu-west-1', forcePathStyle: true, maxAttempts: 2 });
      const b = cache.get(S3Client, { maxAttempts: 2, region: 'eu-west-1', forcePathStyle: true });
      expect(b).toBe(a);
      expect(
        cache.get(S3Client, { region: 'eu-west-1', maxAttempts: 3, forcePathStyle: true }),
      ).not.toBe(a);
      expect(cache.size).toBe(4);
      cache.clear();
    });

    it('another account → another instance; back to the first account → the first instance', () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env });
      const one = cache.get(S3Client, { region: 'eu-west-1' });
      useAccount(env, 2);
      const two = cache.get(S3Client, { region: 'eu-west-1' });
      expect(two).not.toBe(one);
      useAccount(env, 1);
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(one);
      cache.clear();
    });

    it('another session token → another instance', () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env });
      const none = cache.get(S3Client, { region: 'eu-west-1' });
      useAccount(env, 1, tokenOf(1));
      const first = cache.get(S3Client, { region: 'eu-west-1' });
      useAccount(env, 1, tokenOf(2));
      const second = cache.get(S3Client, { region: 'eu-west-1' });
      expect(new Set([none, first, second]).size).toBe(3);
      cache.clear();
    });

    it('another profile name → another instance', () => {
      const env: Env = { ...NO_FILES, AWS_PROFILE: 'a' };
      const cache = new AwsClientCache({ env });
      const a = cache.get(S3Client, { region: 'eu-west-1' });
      env.AWS_PROFILE = 'b';
      expect(cache.get(S3Client, { region: 'eu-west-1' })).not.toBe(a);
      cache.clear();
    });

    it('never holds a secret, a session token or a key id', () => {
      const env = accountEnv(1, { REMOTION_AWS_SESSION_TOKEN: tokenOf(1) });
      const cache = new AwsClientCache({ env });
      cache.get(S3Client, { region: 'eu-west-1' });
      useAccount(env, 2, tokenOf(2));
      cache.get(LambdaClient, { region: 'us-east-1' });
      env.REMOTION_SKIP_AWS_CREDENTIALS_CHECK = '1';
      cache.get(S3Client, { region: 'eu-central-1' });
      const keys = keysOf(cache);
      expect(keys).toHaveLength(3);
      for (const key of keys) {
        expect(key).not.toMatch(/AKIA|SENTINEL/);
        for (const n of [1, 2]) {
          expect(key).not.toContain(secretOf(n));
          expect(key).not.toContain(tokenOf(n));
          expect(key).not.toContain(keyOf(n));
        }
      }
      cache.clear();
    });
  });

  describe('configs', () => {
    it('explicit credentials: each key pair gets its own client, which signs with that pair', async () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const withPair = (n: number, extra: { sessionToken?: string; accessKeyId?: string } = {}) =>
        cache.get(S3Client, {
          region: 'eu-west-1',
          credentials: { accessKeyId: keyOf(n), secretAccessKey: secretOf(n), ...extra },
        });
      const nine = withPair(9);
      const ten = withPair(10);
      expect(ten).not.toBe(nine);
      expect(withPair(9)).toBe(nine);
      await expect(nine.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(9) });
      await expect(ten.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(10) });
      // Same secret, another key id; same pair, another session token.
      const otherId = withPair(9, { accessKeyId: keyOf(11) });
      const session = withPair(9, { sessionToken: tokenOf(1) });
      const otherSession = withPair(9, { sessionToken: tokenOf(2) });
      expect(new Set([nine, otherId, session, otherSession]).size).toBe(4);
      await expect(otherSession.config.credentials()).resolves.toMatchObject({
        sessionToken: tokenOf(2),
      });
      cache.clear();
    });

    it('explicit credentials: a custom key strategy sees a digest of the config, never the secret', () => {
      const seen: string[] = [];
      const recording: ClientKeyStrategy = {
        name: 'recording',
        key: (input: ClientKeyInput) => {
          seen.push(input.config);
          return new CredentialKeyStrategy().key(input);
        },
      };
      const cache = new AwsClientCache({ env: accountEnv(1), strategy: recording });
      cache.get(RecordingClient, {
        region: 'eu-west-1',
        credentials: {
          accessKeyId: keyOf(9),
          secretAccessKey: secretOf(9),
          sessionToken: tokenOf(9),
        },
      });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/^[0-9a-f]{64}$/);
      for (const text of [secretOf(9), tokenOf(9), keyOf(9)]) expect(seen[0]).not.toContain(text);
    });

    it('a credentials function: one client per function, signing with what it returns', async () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const provider = (n: number) => async () => ({
        accessKeyId: keyOf(n),
        secretAccessKey: secretOf(n),
      });
      const twenty = provider(20);
      const a = cache.get(S3Client, { region: 'eu-west-1', credentials: twenty });
      const b = cache.get(S3Client, { region: 'eu-west-1', credentials: provider(21) });
      expect(b).not.toBe(a);
      expect(cache.get(S3Client, { region: 'eu-west-1', credentials: twenty })).toBe(a);
      await expect(a.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(20) });
      await expect(b.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(21) });
      cache.clear();
    });

    it('class instances (a request handler, a logger) by identity, even with equal fields', () => {
      class Handler {
        constructor(readonly timeoutMs: number) {}
      }
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const shared = new Handler(1000);
      const a = cache.get(RecordingClient, { region: 'eu-west-1', requestHandler: shared });
      const b = cache.get(RecordingClient, {
        region: 'eu-west-1',
        requestHandler: new Handler(1000),
      });
      expect(b).not.toBe(a);
      expect(cache.get(RecordingClient, { region: 'eu-west-1', requestHandler: shared })).toBe(a);
      // The client gets the very instance it was keyed on.
      expect(a.config.requestHandler).toBe(shared);
      // Also an object whose prototype has no constructor (Object.create(dict)).
      const base = Object.create(null) as object;
      const odd = Object.create(base) as object;
      const c = cache.get(RecordingClient, { region: 'eu-west-1', requestHandler: odd });
      expect(cache.get(RecordingClient, { region: 'eu-west-1', requestHandler: odd })).toBe(c);
      expect(
        cache.get(RecordingClient, { region: 'eu-west-1', requestHandler: Object.create(base) }),
      ).not.toBe(c);
    });

    it('plain data by value: equal arrays, nested objects and null-prototype objects share a client', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const bare = (entries: Record<string, unknown>) =>
        Object.assign(Object.create(null) as object, entries);
      const make = () =>
        cache.get(RecordingClient, {
          region: 'eu-west-1',
          tags: ['render', 'eu'],
          retry: { mode: 'standard', attempts: 3 },
          extra: bare({ a: 1 }),
        });
      const first = make();
      expect(make()).toBe(first);
      expect(
        cache.get(RecordingClient, {
          region: 'eu-west-1',
          extra: bare({ a: 1 }),
          retry: { attempts: 3, mode: 'standard' },
          tags: ['render', 'eu'],
        }),
      ).toBe(first);
      expect(
        cache.get(RecordingClient, {
          region: 'eu-west-1',
          tags: ['eu', 'render'],
          retry: { mode: 'standard', attempts: 3 },
          extra: bare({ a: 1 }),
        }),
      ).not.toBe(first);
      expect(
        cache.get(RecordingClient, {
          region: 'eu-west-1',
          tags: ['render', 'eu'],
          retry: { mode: 'standard', attempts: 3 },
          extra: bare({ a: 2 }),
        }),
      ).not.toBe(first);
      expect(cache.size).toBe(3);
    });

    it('a secret credchain does not know (a bearer token) never reaches a key', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const config = { region: 'eu-west-1', token: { token: 'FAKE-BEARER-SECRET-0001' } };
      const client = cache.get(RecordingClient, config);
      expect(cache.get(RecordingClient, { ...config, token: { ...config.token } })).toBe(client);
      const other = cache.get(RecordingClient, { ...config, token: { token: 'FAKE-BEARER-2' } });
      expect(other).not.toBe(client);
      expect(JSON.stringify(keysOf(cache))).not.toContain('FAKE-BEARER');
      cache.clear();
    });

    it('an own __proto__ key (as JSON.parse makes) is a key like any other', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const parse = (x: number) =>
        JSON.parse(`{"region":"eu-west-1","extra":{"__proto__":{"x":${x}}}}`) as {
          region: string;
        };
      const one = cache.get(RecordingClient, parse(1));
      expect(cache.get(RecordingClient, parse(1))).toBe(one);
      expect(cache.get(RecordingClient, parse(2))).not.toBe(one);
      cache.clear();
    });

    it('a function is keyed by identity, even one carrying key fields', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const provider = () =>
        Object.assign(async () => ({ accessKeyId: keyOf(4), secretAccessKey: secretOf(4) }), {
          accessKeyId: keyOf(4),
          secretAccessKey: secretOf(4),
        });
      const first = provider();
      const a = cache.get(RecordingClient, { region: 'eu-west-1', credentials: first });
      expect(cache.get(RecordingClient, { region: 'eu-west-1', credentials: first })).toBe(a);
      expect(cache.get(RecordingClient, { region: 'eu-west-1', credentials: provider() })).not.toBe(
        a,
      );
      cache.clear();
    });

    it('a null value is a value: its own client, shared by equal configs', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const none = cache.get(RecordingClient, { region: 'eu-west-1', endpoint: null });
      expect(cache.get(RecordingClient, { region: 'eu-west-1', endpoint: null })).toBe(none);
      expect(cache.get(RecordingClient, { region: 'eu-west-1' })).not.toBe(none);
      expect(
        cache.get(RecordingClient, { region: 'eu-west-1', endpoint: 'http://127.0.0.1:1' }),
      ).not.toBe(none);
      expect(none.config.endpoint).toBeNull();
    });

    it('two client classes with the same name are two services', () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const One = clientClassNamed();
      const Two = clientClassNamed();
      expect(One.name).toBe(Two.name);
      const one = cache.get(One, { region: 'eu-west-1' });
      const two = cache.get(Two, { region: 'eu-west-1' });
      expect(two).not.toBe(one);
      expect(two).toBeInstanceOf(Two);
      expect(cache.get(One, { region: 'eu-west-1' })).toBe(one);
    });

    it('equal configs share a client, different configs never do (property)', () => {
      /** JSON data (no -0: JSON cannot tell it from 0). */
      const data = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
      const config = fc
        .dictionary(
          fc
            .string({ minLength: 1, maxLength: 8 })
            .filter((k) => k !== 'region' && k !== '__proto__'),
          data,
          { maxKeys: 4 },
        )
        .map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);
      /** The same data built again, object keys in reverse order. */
      const rebuilt = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(rebuilt)
          : value !== null && typeof value === 'object'
            ? Object.fromEntries(
                Object.entries(value)
                  .reverse()
                  .map(([k, v]) => [k, rebuilt(v)]),
              )
            : value;
      fc.assert(
        fc.property(config, config, (left, right) => {
          const cache = new AwsClientCache({ env: accountEnv(1) });
          const a = cache.get(RecordingClient, { region: 'eu-west-1', ...left });
          expect(
            cache.get(RecordingClient, { region: 'eu-west-1', ...(rebuilt(left) as object) }),
          ).toBe(a);
          const b = cache.get(RecordingClient, { region: 'eu-west-1', ...right });
          expect(b === a).toBe(isDeepStrictEqual(left, right));
        }),
      );
    });
  });

  describe('credentials', () => {
    it('a client’s credentials resolve the account it was made for', async () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env });
      const one = cache.get(S3Client, { region: 'eu-west-1' });
      const c1 = await one.config.credentials();
      expect(c1).toMatchObject({ accessKeyId: keyOf(1), secretAccessKey: secretOf(1) });
      // Rewritten in place, without a bump: get() still sees it.
      useAccount(env, 2, tokenOf(2));
      const two = cache.get(LambdaClient, { region: 'eu-west-1' });
      await expect(two.config.credentials()).resolves.toMatchObject({
        accessKeyId: keyOf(2),
        secretAccessKey: secretOf(2),
        sessionToken: tokenOf(2),
      });
      // The first client keeps the credentials it resolved.
      await expect(one.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(1) });
      cache.clear();
    });

    it('uses the chain it is given', async () => {
      const chain = new ProviderChain<Credentials>([
        {
          name: 'static',
          provide: async () =>
            new Credentials({ accessKeyId: keyOf(77), secretAccessKey: secretOf(77) }),
        },
      ]);
      const cache = new AwsClientCache({ env: { ...NO_FILES }, chain });
      const client = cache.get(S3Client, { region: 'eu-west-1' });
      await expect(client.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(77) });
      cache.clear();
    });

    it('a chain given with its own source: a change there gets a new client, the cache’s env unchanged', async () => {
      // The cache's env still holds account 1 (the flags are read there); the
      // chain reads another source, where the account changes.
      const chainEnv = accountEnv(1);
      const chain = createCredentialChain({ env: chainEnv });
      const cache = new AwsClientCache({ env: accountEnv(1), chain });
      const first = cache.get(S3Client, { region: 'eu-west-1' });
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(first);
      useAccount(chainEnv, 2);
      const second = cache.get(S3Client, { region: 'eu-west-1' });
      expect(second).not.toBe(first);
      await expect(second.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(2) });
      cache.clear();
    });

    it('asks a given chain’s links for their configuration once per get(), not at all with the check skipped', () => {
      let asked = 0;
      const chain = new ProviderChain<Credentials>([
        {
          name: 'counted',
          configuration: () => {
            asked++;
            return 'source-a';
          },
          provide: async () =>
            new Credentials({ accessKeyId: keyOf(5), secretAccessKey: secretOf(5) }),
        },
      ]);
      const env: Env = { ...NO_FILES };
      const cache = new AwsClientCache({ env, chain });
      const client = cache.get(S3Client, { region: 'eu-west-1' });
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(client);
      expect(asked).toBe(2);
      env.REMOTION_SKIP_AWS_CREDENTIALS_CHECK = '1';
      cache.get(S3Client, { region: 'eu-west-1' });
      cache.get(S3Client, { region: 'eu-west-1' });
      expect(asked).toBe(2);
      cache.clear();
    });

    it('keeps credentials given in the client config', async () => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      const client = cache.get(S3Client, {
        region: 'eu-west-1',
        credentials: { accessKeyId: keyOf(9), secretAccessKey: secretOf(9) },
      });
      await expect(client.config.credentials()).resolves.toMatchObject({ accessKeyId: keyOf(9) });
      cache.clear();
    });

    it('a chain’s failure reaches the client (nothing configured)', async () => {
      const cache = new AwsClientCache({ env: { ...NO_FILES } });
      const client = cache.get(S3Client, { region: 'eu-west-1' });
      await expect(client.config.credentials()).rejects.toThrow(/REMOTION_AWS_ACCESS_KEY_ID/);
      cache.clear();
    });
  });

  describe('flags', () => {
    it('skip flag: one client per region and service, whatever the account', () => {
      const env = accountEnv(1, { REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1' });
      const cache = new AwsClientCache({ env });
      const first = cache.get(S3Client, { region: 'eu-west-1' });
      for (const n of [2, 3, 4]) {
        useAccount(env, n, tokenOf(n));
        expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(first);
      }
      env.AWS_PROFILE = 'changed';
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(first);
      const otherRegion = cache.get(S3Client, { region: 'us-east-1' });
      const otherService = cache.get(LambdaClient, { region: 'eu-west-1' });
      expect(new Set([first, otherRegion, otherService]).size).toBe(3);
      expect(cache.size).toBe(3);
      expect(cache.currentStrategy().name).toBe('process-lifetime');
      cache.clear();
    });

    it('skip flag: the one client is not bound to the scope it was made in, it resolves where it is used', async () => {
      const pool = AccountPool.fromEnv({
        AWS_KEY_1: keyOf(1),
        AWS_SECRET_1: secretOf(1),
        AWS_KEY_2: keyOf(2),
        AWS_SECRET_2: secretOf(2),
      });
      const cache = new AwsClientCache({
        env: { ...NO_FILES, REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1' },
      });
      const client = pool.withAccount(1, () => cache.get(S3Client, { region: 'eu-west-1' }));
      expect(pool.withAccount(2, () => cache.get(S3Client, { region: 'eu-west-1' }))).toBe(client);
      await expect(pool.withAccount(2, () => client.config.credentials())).resolves.toMatchObject({
        accessKeyId: keyOf(2),
      });
      cache.clear();
    });

    it('skip flag with a custom prefix', () => {
      const env: Env = { ...NO_FILES, ACME_SKIP_AWS_CREDENTIALS_CHECK: 'yes' };
      const cache = new AwsClientCache({ env, prefix: 'ACME' });
      expect(cache.currentStrategy().name).toBe('process-lifetime');
      const noPrefix = new AwsClientCache({ env });
      expect(noPrefix.currentStrategy().name).toBe('credential');
    });

    it('disable flag: a new client on every get(), none kept', () => {
      const env = accountEnv(1, { REMOTION_DISABLE_AWS_CLIENT_CACHE: '1' });
      const cache = new AwsClientCache({ env });
      const a = cache.get(S3Client, { region: 'eu-west-1' });
      const b = cache.get(S3Client, { region: 'eu-west-1' });
      expect(b).not.toBe(a);
      expect(cache.size).toBe(0);
      expect(cache.currentStrategy().name).toBe('disabled');
      a.destroy();
      b.destroy();
    });

    it('disable flag wins over the skip flag', () => {
      const env = accountEnv(1, {
        REMOTION_DISABLE_AWS_CLIENT_CACHE: '1',
        REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
      });
      const cache = new AwsClientCache({ env });
      const a = cache.get(S3Client, { region: 'eu-west-1' });
      expect(cache.get(S3Client, { region: 'eu-west-1' })).not.toBe(a);
      expect(cache.size).toBe(0);
    });

    it('flags are read on every get()', () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env });
      const cached = cache.get(S3Client, { region: 'eu-west-1' });
      env.REMOTION_DISABLE_AWS_CLIENT_CACHE = '1';
      const fresh = cache.get(S3Client, { region: 'eu-west-1' });
      expect(fresh).not.toBe(cached);
      delete env.REMOTION_DISABLE_AWS_CLIENT_CACHE;
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(cached);
      fresh.destroy();
      cache.clear();
    });

    it('a fixed strategy option overrides the flags', () => {
      const env = accountEnv(1, { REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1' });
      const disabled = new AwsClientCache({ env, strategy: new DisabledKeyStrategy() });
      const a = disabled.get(S3Client, { region: 'eu-west-1' });
      expect(disabled.get(S3Client, { region: 'eu-west-1' })).not.toBe(a);
      expect(disabled.size).toBe(0);
      const credential = new AwsClientCache({ env, strategy: new CredentialKeyStrategy() });
      const one = credential.get(S3Client, { region: 'eu-west-1' });
      useAccount(env, 2);
      expect(credential.get(S3Client, { region: 'eu-west-1' })).not.toBe(one);
      credential.clear();
    });
  });

  describe('hit path', () => {
    it('a hit reads each variable once: the flags and the chain’s variables, not the chain again', () => {
      const reads: string[] = [];
      const vars = accountEnv(1);
      const env = new ScopedEnvironment((name) => {
        reads.push(name);
        return vars[name];
      });
      const cache = new AwsClientCache({ env });
      const client = cache.get(S3Client, { region: 'eu-west-1' });
      reads.length = 0;
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(client);
      expect(reads).toEqual(expect.arrayContaining(['REMOTION_SKIP_AWS_CREDENTIALS_CHECK']));
      expect(reads).toEqual(expect.arrayContaining(['REMOTION_AWS_SECRET_ACCESS_KEY']));
      expect(new Set(reads).size).toBe(reads.length);
      // And the next write is still seen.
      useAccount(vars, 2);
      expect(cache.get(S3Client, { region: 'eu-west-1' })).not.toBe(client);
      cache.clear();
    });
  });

  describe('bound', () => {
    it('300 accounts through a cache of 16: 16 kept, exactly 284 destroyed', () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env, maxSize: 16 });
      const clients = new Set<S3Client>();
      for (let n = 1; n <= 300; n++) {
        useAccount(env, n);
        clients.add(cache.get(CountingS3, { region: 'eu-west-1' }));
        expect(cache.size).toBeLessThanOrEqual(16);
      }
      expect(clients.size).toBe(300);
      expect(cache.size).toBe(16);
      expect(destroyed).toBe(284);
      cache.clear();
      expect(destroyed).toBe(300);
    });

    it('evicts the least recently used client, not the oldest', () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env, maxSize: 2 });
      const one = cache.get(CountingS3, { region: 'eu-west-1' });
      useAccount(env, 2);
      const two = cache.get(CountingS3, { region: 'eu-west-1' });
      useAccount(env, 1);
      expect(cache.get(CountingS3, { region: 'eu-west-1' })).toBe(one); // 1 is now the newest
      useAccount(env, 3);
      cache.get(CountingS3, { region: 'eu-west-1' }); // evicts 2
      expect(destroyed).toBe(1);
      useAccount(env, 1);
      expect(cache.get(CountingS3, { region: 'eu-west-1' })).toBe(one);
      useAccount(env, 2);
      expect(cache.get(CountingS3, { region: 'eu-west-1' })).not.toBe(two);
      cache.clear();
    });

    it('maxSize 1 keeps only the client used last, and destroys the one it replaces', () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env, maxSize: 1 });
      const one = cache.get(CountingS3, { region: 'eu-west-1' });
      expect(cache.get(CountingS3, { region: 'eu-west-1' })).toBe(one);
      expect([cache.size, destroyed]).toEqual([1, 0]);
      useAccount(env, 2);
      const two = cache.get(CountingS3, { region: 'eu-west-1' });
      expect(two).not.toBe(one);
      expect([cache.size, destroyed]).toEqual([1, 1]);
      expect(cache.get(CountingS3, { region: 'eu-west-1' })).toBe(two);
      cache.clear();
    });

    it(`keeps ${DEFAULT_CLIENT_CACHE_SIZE} clients by default`, () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env });
      for (let n = 1; n <= DEFAULT_CLIENT_CACHE_SIZE + 1; n++) {
        useAccount(env, n);
        cache.get(CountingS3, { region: 'eu-west-1' });
      }
      expect(cache.size).toBe(DEFAULT_CLIENT_CACHE_SIZE);
      expect(destroyed).toBe(1);
      cache.clear();
    });

    it('clear() destroys every client', () => {
      const env = accountEnv(1);
      const cache = new AwsClientCache({ env });
      for (const region of ['eu-west-1', 'us-east-1', 'ap-south-1']) {
        cache.get(CountingS3, { region });
      }
      expect(cache.size).toBe(3);
      cache.clear();
      expect(cache.size).toBe(0);
      expect(destroyed).toBe(3);
      cache.clear();
      expect(destroyed).toBe(3);
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxSize %p', (maxSize) => {
      expect(() => new AwsClientCache({ env: accountEnv(1), maxSize })).toThrow(RangeError);
      expect(() => new AwsClientCache({ env: accountEnv(1), maxSize })).toThrow(
        `maxSize must be a positive integer, got ${maxSize}`,
      );
    });
  });

  describe('arguments', () => {
    // A config without `region` (or none) takes the region chain's: see
    // aws-client-cache-region.spec.ts.
    it.each<[string, unknown]>([
      ['empty', { region: '' }],
      ['not a string', { region: 42 }],
      ['padded', { region: ' eu-west-1' }],
      ['two-word', { region: 'eu west-1' }],
      ['two-line', { region: 'eu-west-1\nS3Client#1' }],
    ])('a %s region is a TypeError naming the client', (_label, config) => {
      const cache = new AwsClientCache({ env: accountEnv(1) });
      expect(() => cache.get(S3Client, config as { region: string })).toThrow(TypeError);
      expect(() => cache.get(S3Client, config as { region: string })).toThrow(
        'AwsClientCache.get(S3Client) needs a region',
      );
      expect(cache.size).toBe(0);
    });

    it.each<[string, unknown]>([
      ['undefined', undefined],
      ['number', 42],
      ['"eu-west-1 "', 'eu-west-1 '],
      ['"\\ufeffeu-west-1"', '\ufeffeu-west-1'],
      ['"eu-west-1\\r"', 'eu-west-1\r'],
      ['"eu-west-1\\u00a0"', 'eu-west-1\u00a0'],
    ])('the error shows what the region was: got %s', (shown, region) => {
      // (Titled by what is shown: a title holding the raw BOM or CR cannot be
      // selected by name, which Stryker's runner needs.)
      const cache = new AwsClientCache({ env: accountEnv(1) });
      expect(() => cache.get(S3Client, { region } as { region: string })).toThrow(
        `AwsClientCache.get(S3Client) needs a region such as "eu-west-1" (got ${shown})`,
      );
    });

    it.each(['bad prefix', 'REMOTION_'])('rejects the invalid prefix %j', (prefix) => {
      expect(() => new AwsClientCache({ env: accountEnv(1), prefix })).toThrow(RangeError);
    });
  });

  describe('inside AccountPool.withAccount', () => {
    const poolEnv = (count: number): Env => {
      const env: Env = {};
      for (let n = 1; n <= count; n++) {
        env[`AWS_KEY_${n}`] = keyOf(n);
        env[`AWS_SECRET_${n}`] = secretOf(n);
      }
      return env;
    };

    it('the key follows the scoped account', async () => {
      const pool = AccountPool.fromEnv(poolEnv(2));
      const cache = new AwsClientCache({ env: { ...NO_FILES } });
      const one = pool.withAccount(1, () => cache.get(S3Client, { region: 'eu-west-1' }));
      const two = pool.withAccount(2, () => cache.get(S3Client, { region: 'eu-west-1' }));
      expect(two).not.toBe(one);
      expect(pool.withAccount(1, () => cache.get(S3Client, { region: 'eu-west-1' }))).toBe(one);
      await expect(pool.withAccount(2, () => two.config.credentials())).resolves.toMatchObject({
        accessKeyId: keyOf(2),
      });
      cache.clear();
    });

    it('4 accounts × 25 interleaved calls: every call gets its own account’s client', async () => {
      const pool = AccountPool.fromEnv(poolEnv(4));
      const shared: Env = { ...NO_FILES };
      const chain = createCredentialChain({ env: shared });
      const cache = new AwsClientCache({ env: shared, chain });
      const random = mulberry32(31337);
      const delay = () => sleep(Math.floor(random() * 4));
      const calls: Promise<{ n: number; client: S3Client; accessKeyId: string }>[] = [];
      for (let i = 0; i < 25; i++) {
        for (let n = 1; n <= 4; n++) {
          calls.push(
            pool.withAccount(n, async () => {
              await delay();
              const client = cache.get(S3Client, { region: 'eu-west-1' });
              await delay();
              const creds = await client.config.credentials();
              await delay();
              expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(client);
              return { n, client, accessKeyId: creds.accessKeyId };
            }),
          );
        }
      }
      const results = await Promise.all(calls);
      for (const { n, accessKeyId } of results) expect(accessKeyId).toBe(keyOf(n));
      const byAccount = new Map<number, Set<S3Client>>();
      for (const { n, client } of results) {
        byAccount.set(n, (byAccount.get(n) ?? new Set()).add(client));
      }
      for (const n of [1, 2, 3, 4]) expect(byAccount.get(n)?.size).toBe(1);
      expect(cache.size).toBe(4);
      expect(shared).toEqual(NO_FILES);
      expect(EnvironmentScope.current()).toBeUndefined();
      cache.clear();
    });
  });
});

import { AccountScopeError, Credentials, toEnvironmentSource } from '@credchain/core';
import { createAwsAuth } from './create-aws-auth';

const FILES = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-spec/config',
};
const SECRET = 'SENTINEL/auth+secret0123456789abcdef';
const ACCOUNTS = {
  ACME_AWS_KEY_1: 'AKIAFAKEAUTHACCOUNT1',
  ACME_AWS_SECRET_1: SECRET,
  ACME_AWS_KEY_2: 'AKIAFAKEAUTHACCOUNT2',
  ACME_AWS_SECRET_2: SECRET,
};
const POOL = { keyPattern: 'ACME_AWS_KEY_{n}', secretPattern: 'ACME_AWS_SECRET_{n}' };

class FakeClient {
  constructor(readonly config: { credentials?: () => Promise<Credentials>; region: string }) {}
  destroy(): void {}
}

describe(createAwsAuth.name, () => {
  it('builds the chain, the client cache on that chain and the pool under one prefix', async () => {
    const env = {
      ...FILES,
      ...ACCOUNTS,
      // the laptop's plain keys: never used inside the pool
      AWS_ACCESS_KEY_ID: 'AKIAFAKELAPTOPPLAIN1',
      AWS_SECRET_ACCESS_KEY: SECRET,
    };
    const auth = createAwsAuth({ prefix: 'ACME', env, pool: POOL });
    expect(auth.prefix).toBe('ACME');
    expect(auth.chain.prefix).toBe('ACME');
    expect(auth.clients.chain).toBe(auth.chain);
    expect(auth.pool?.count).toBe(2);
    const signed = await Promise.all(
      [1, 2, 3, 4].map(() =>
        auth.pool?.run(async ({ index }) => {
          const client = auth.clients.get(FakeClient, { region: 'eu-west-1' });
          const credentials = await client.config.credentials?.();
          return [index, credentials?.accessKeyId];
        }),
      ),
    );
    for (const [index, keyId] of signed as [number, string][]) {
      expect(keyId).toBe(`AKIAFAKEAUTHACCOUNT${index}`);
    }
    await expect(auth.chain.resolve()).resolves.toMatchObject({
      accessKeyId: 'AKIAFAKELAPTOPPLAIN1',
    });
  });

  it('has no pool unless asked for one', () => {
    expect(createAwsAuth({ env: FILES }).pool).toBeUndefined();
  });

  it('makes the prefix mismatch of separate constructors impossible, and shows what it prevents', async () => {
    const env = {
      ...FILES,
      ...ACCOUNTS,
      AWS_ACCESS_KEY_ID: 'AKIAFAKELAPTOPPLAIN1',
      AWS_SECRET_ACCESS_KEY: SECRET,
    };
    const acme = createAwsAuth({ prefix: 'ACME', env });
    const remotionPool = createAwsAuth({ env, pool: POOL }).pool;
    await expect(remotionPool?.run(() => acme.chain.resolve())).rejects.toBeInstanceOf(
      AccountScopeError,
    );
  });

  it.each([
    [
      'ACME_',
      "write it without the trailing _ ('ACME' reads ACME_AWS_ACCESS_KEY_ID; the _ is added)",
    ],
    ['', 'use letters, digits and _, starting with a letter'],
    ['9ACME', 'use letters, digits and _, starting with a letter'],
  ])('refuses the prefix %j with a RangeError saying what to write', (prefix, message) => {
    expect(() => createAwsAuth({ prefix, env: FILES })).toThrow(RangeError);
    expect(() => createAwsAuth({ prefix, env: FILES })).toThrow(message);
  });

  it('lists pool accounts from pool.env when env is an EnvironmentSource, and says so otherwise', () => {
    const env = toEnvironmentSource({ ...FILES });
    expect(() => createAwsAuth({ env, pool: POOL })).toThrow(
      'createAwsAuth: the pool lists its accounts from a plain object, and env is an EnvironmentSource: give pool.env (e.g. process.env)',
    );
    expect(
      createAwsAuth({ prefix: 'ACME', env, pool: { ...POOL, env: ACCOUNTS } }).pool?.count,
    ).toBe(2);
  });

  it('hands the chain options on: links, hint, deadline', async () => {
    const auth = createAwsAuth({
      prefix: 'ACME',
      env: FILES,
      links: [
        {
          provider: { name: 'vault', provide: () => new Promise(() => {}) },
          after: 'prefixed-env',
        },
      ],
      linkTimeoutMs: 20,
      exhaustedHint: 'ask the platform team',
    });
    expect(auth.chain.providers.map((p) => p.name).slice(0, 3)).toEqual([
      'prefixed-profile',
      'prefixed-env',
      'vault',
    ]);
    await expect(auth.chain.resolve()).rejects.toThrow(
      'credential provider "vault" failed: no answer within 20 ms',
    );
  });
});

/**
 * "The leased account signs, or nothing does" (issue: embedding without
 * foot-guns), proved against a SigV4-verifying Lambda-like server on
 * 127.0.0.1 that knows every key in play — the pool's two accounts, the
 * laptop's plain keys, a vault's keys, a hand-built chain's keys — so any
 * request signed by a key the pool did not lease would be accepted and
 * counted. Each setup that once signed pooled calls with another account
 * must now either sign with the leased one or fail before signing.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AccountPool,
  AccountScopeError,
  AwsClientCache,
  createAwsAuth,
  HttpCredentialsProvider,
} from '@credchain/aws';
import { Credentials, ProviderChain } from '@credchain/core';
import { type LambdaServer, startLambdaServer } from '../support/lambda-server';
import { startVaultServer, type VaultServer } from '../support/vault-server';

const key = (name: string) => ({
  accessKeyId: `AKIAFAKESCOPE${name.padEnd(7, '0')}`,
  secretAccessKey: `fake-scope-secret-${name}-not-real`,
});
const POOLED = [key('ACCT1'), key('ACCT2')];
const LAPTOP = key('LAPTOP');
const VAULT = key('VAULT');
const HANDMADE = key('HANDMADE');

const env: Record<string, string> = {
  HOME: '/nonexistent-credchain-home',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-credchain-home/credentials',
  AWS_CONFIG_FILE: '/nonexistent-credchain-home/config',
  // The laptop's plain keys: present, as they are on a developer's machine.
  AWS_ACCESS_KEY_ID: LAPTOP.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LAPTOP.secretAccessKey,
};
POOLED.forEach((account, i) => {
  env[`ACME_AWS_KEY_${i + 1}`] = account.accessKeyId;
  env[`ACME_AWS_SECRET_${i + 1}`] = account.secretAccessKey;
});
const POOL = { keyPattern: 'ACME_AWS_KEY_{n}', secretPattern: 'ACME_AWS_SECRET_{n}', capacity: 2 };
const CALLS = 8;

describe('inside pool.run, the leased account signs or nothing does', () => {
  let lambda: LambdaServer;
  let vault: VaultServer;
  let config: { region: string; endpoint: string; maxAttempts: number };

  beforeAll(async () => {
    lambda = await startLambdaServer({ accounts: [...POOLED, LAPTOP, VAULT, HANDMADE] });
    vault = await startVaultServer({ keys: VAULT });
    config = { region: 'us-east-1', endpoint: lambda.url, maxAttempts: 1 };
  });
  afterAll(async () => {
    await Promise.all([lambda.stop(), vault.stop()]);
  });
  beforeEach(() => lambda.reset());

  const invoke = (client: LambdaClient) =>
    client.send(new InvokeCommand({ FunctionName: 'render', Payload: Buffer.from('{}') }));
  /** Who signed what, by key id: only keys that signed at least one request. */
  const signers = () =>
    Object.fromEntries(
      Object.entries(lambda.stats())
        .filter(([, s]) => s.invocations > 0)
        .map(([id, s]) => [id, s.invocations]),
    );
  /** `CALLS` concurrent pooled calls, each reporting the account it leased. */
  const burst = (pool: AccountPool, call: () => Promise<unknown>) =>
    Promise.allSettled(
      Array.from({ length: CALLS }, () =>
        pool.run(async ({ index }) => {
          await call();
          return index;
        }),
      ),
    );
  const expectAllRefused = (results: PromiseSettledResult<unknown>[]) => {
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AccountScopeError);
    }
  };
  /** Each call signed by the account its lease named, and by nothing else. */
  const expectSignedAsLeased = (results: PromiseSettledResult<unknown>[]) => {
    const leased = new Map<string, number>();
    for (const result of results) {
      expect(result.status).toBe('fulfilled');
      const id = POOLED[((result as PromiseFulfilledResult<number>).value ?? 0) - 1]?.accessKeyId;
      leased.set(id ?? '?', (leased.get(id ?? '?') ?? 0) + 1);
    }
    expect(signers()).toEqual(Object.fromEntries(leased));
  };

  it('a pool and a client cache with different prefixes, plain keys present: refused, 0 requests signed', async () => {
    const pool = AccountPool.fromEnv(env, POOL); // prefix forgotten: REMOTION
    const clients = new AwsClientCache({ prefix: 'ACME', env });
    const results = await burst(pool, () => invoke(clients.get(LambdaClient, config)));
    expectAllRefused(results);
    const error = (results[0] as PromiseRejectedResult).reason as AccountScopeError;
    expect(error.message).toContain("build the pool with prefix 'ACME'");
    expect(error.link).toBe('env');
    expect(signers()).toEqual({});
    clients.clear();
  });

  it('the same wrapper built with one prefix: every call signed by its leased account', async () => {
    const { clients, pool } = createAwsAuth({ prefix: 'ACME', env, pool: POOL });
    if (pool === undefined) throw new Error('no pool');
    expectSignedAsLeased(await burst(pool, () => invoke(clients.get(LambdaClient, config))));
    expect(Object.keys(signers()).sort()).toEqual(POOLED.map((a) => a.accessKeyId).sort());
    clients.clear();
  });

  it('a vault link placed first: refused, 0 requests signed; placed after the prefixed links: the leased account signs', async () => {
    const link = new HttpCredentialsProvider({ name: 'vault', url: vault.url });
    const first = createAwsAuth({ prefix: 'ACME', env, before: [link], pool: POOL });
    const refused = await burst(first.pool as AccountPool, () =>
      invoke(first.clients.get(LambdaClient, config)),
    );
    expectAllRefused(refused);
    expect(((refused[0] as PromiseRejectedResult).reason as AccountScopeError).link).toBe('vault');
    expect(signers()).toEqual({});
    // Outside the pool the vault is the wrapper's source, as configured.
    await invoke(first.clients.get(LambdaClient, config));
    expect(signers()).toEqual({ [VAULT.accessKeyId]: 1 });
    first.clients.clear();
    lambda.reset();

    const placed = createAwsAuth({
      prefix: 'ACME',
      env,
      links: [{ provider: link, after: 'prefixed-env' }],
      pool: POOL,
    });
    expectSignedAsLeased(
      await burst(placed.pool as AccountPool, () =>
        invoke(placed.clients.get(LambdaClient, config)),
      ),
    );
    placed.clients.clear();
  });

  it("a hand-built chain on core's ProviderChain, its provider handed to a client built once: refused, 0 requests signed", async () => {
    const chain = new ProviderChain<Credentials>(
      [{ name: 'handmade', provide: async () => new Credentials(HANDMADE) }],
      { env: {} },
    );
    const client = new LambdaClient({ ...config, credentials: chain.asProvider() });
    await invoke(client); // outside the pool: signs as configured
    lambda.reset();
    const pool = AccountPool.fromEnv(env, { ...POOL, prefix: 'ACME' });
    expectAllRefused(await burst(pool, () => invoke(client)));
    expect(signers()).toEqual({});
    client.destroy();
  });

  it("one SDK client built once on the chain's provider signs each pooled request with that call's account", async () => {
    const { chain, pool } = createAwsAuth({ prefix: 'ACME', env, pool: POOL });
    const client = new LambdaClient({ ...config, credentials: chain.asProvider() });
    await invoke(client); // warmed outside the pool: the laptop's keys
    expect(signers()).toEqual({ [LAPTOP.accessKeyId]: 1 });
    lambda.reset();
    expectSignedAsLeased(await burst(pool as AccountPool, () => invoke(client)));
    client.destroy();
  });

  it('a cached client taken outside the pool and used inside: refused, 0 requests signed', async () => {
    const { clients, pool } = createAwsAuth({ prefix: 'ACME', env, pool: POOL });
    const outside = clients.get(LambdaClient, config);
    await invoke(outside);
    lambda.reset();
    expectAllRefused(await burst(pool as AccountPool, () => invoke(outside)));
    expect(signers()).toEqual({});
    clients.clear();
  });
});

/**
 * The chain and the client cache under the reference system's rotation
 * pattern (rewriting shared variables between calls): each cache entry and
 * each client keeps the source it was keyed for, whatever the variables say
 * by the time its providers run or its SDK client first asks.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { AccountPool, AwsClientCache, createCredentialChain } from '@credchain/aws';

const ACCOUNT_1 = { id: 'AKIAFAKEFRESHNESS001', secret: 'fake-freshness-secret-1' };
const ACCOUNT_2 = { id: 'AKIAFAKEFRESHNESS002', secret: 'fake-freshness-secret-2' };

const newEnv = (): Record<string, string | undefined> => ({
  HOME: '/nonexistent-credchain-home',
  AWS_KEY_1: ACCOUNT_1.id,
  AWS_SECRET_1: ACCOUNT_1.secret,
  AWS_KEY_2: ACCOUNT_2.id,
  AWS_SECRET_2: ACCOUNT_2.secret,
});

describe('freshness under applyToEnv rotation', () => {
  it('stores a resolve under the configuration it started with, even if the variables change before the providers run', async () => {
    const env = newEnv();
    const pool = AccountPool.fromEnv(env);
    const chain = createCredentialChain({ env });
    pool.applyToEnv(1, env);
    const started = chain.resolve();
    pool.applyToEnv(2, env);
    await expect(started).resolves.toMatchObject({ accessKeyId: ACCOUNT_1.id });
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: ACCOUNT_2.id });
    pool.applyToEnv(1, env);
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: ACCOUNT_1.id });
  });

  it('binds a cached client to the account it was created for, whatever the variables say at first use', async () => {
    const env = newEnv();
    const pool = AccountPool.fromEnv(env);
    const clients = new AwsClientCache({ env });
    pool.applyToEnv(1, env);
    const forAccount1 = clients.get(S3Client, { region: 'us-east-1' });
    pool.applyToEnv(2, env);
    const forAccount2 = clients.get(S3Client, { region: 'us-east-1' });
    expect(forAccount2).not.toBe(forAccount1);
    // The first client is used only now, with account 2 in the variables.
    await expect(forAccount1.config.credentials()).resolves.toMatchObject({
      accessKeyId: ACCOUNT_1.id,
    });
    await expect(forAccount2.config.credentials()).resolves.toMatchObject({
      accessKeyId: ACCOUNT_2.id,
    });
    pool.applyToEnv(1, env);
    expect(clients.get(S3Client, { region: 'us-east-1' })).toBe(forAccount1);
    clients.clear();
  });

  it('sees raw rewrites of the variables in AwsClientCache.get() without any bump', async () => {
    const env = newEnv();
    const clients = new AwsClientCache({ env });
    env.REMOTION_AWS_ACCESS_KEY_ID = ACCOUNT_1.id;
    env.REMOTION_AWS_SECRET_ACCESS_KEY = ACCOUNT_1.secret;
    const first = clients.get(S3Client, { region: 'us-east-1' });
    env.REMOTION_AWS_ACCESS_KEY_ID = ACCOUNT_2.id;
    env.REMOTION_AWS_SECRET_ACCESS_KEY = ACCOUNT_2.secret;
    const second = clients.get(S3Client, { region: 'us-east-1' });
    expect(second).not.toBe(first);
    await expect(second.config.credentials()).resolves.toMatchObject({ accessKeyId: ACCOUNT_2.id });
    clients.clear();
  });
});

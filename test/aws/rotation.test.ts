/**
 * Rotation under real concurrency: 4 accounts × 25 interleaved calls, each
 * inside AccountPool.withAccount with random delays, through one chain and
 * one client cache, signing real requests that a SigV4-verifying server on
 * 127.0.0.1 checks and records.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AccountPool, AwsClientCache, createCredentialChain } from '@credchain/aws';
import { type SigV4Server, startSigV4Server } from '../support/sigv4-server';

const ACCOUNTS = [1, 2, 3, 4].map((n) => ({
  accessKeyId: `AKIAFAKEROTATION000${n}`,
  secretAccessKey: `fake-rotation-secret-${n}`,
}));
const CALLS_PER_ACCOUNT = 25;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`${AccountPool.name} withAccount`, () => {
  let server: SigV4Server;
  const env: Record<string, string> = { HOME: '/nonexistent-credchain-home' };
  ACCOUNTS.forEach((account, i) => {
    env[`AWS_KEY_${i + 1}`] = account.accessKeyId;
    env[`AWS_SECRET_${i + 1}`] = account.secretAccessKey;
  });

  beforeAll(async () => {
    server = await startSigV4Server({
      keys: Object.fromEntries(ACCOUNTS.map((a) => [a.accessKeyId, a.secretAccessKey])),
    });
  });
  afterAll(() => server.stop());

  it('gives every concurrent call its own account, through a chain and through the client cache', async () => {
    const pool = AccountPool.fromEnv(env);
    const chain = createCredentialChain({ env });
    const clients = new AwsClientCache({ env, chain });
    const config = { region: 'us-east-1', endpoint: server.url, forcePathStyle: true };
    const calls = ACCOUNTS.flatMap((_, i) =>
      Array.from({ length: CALLS_PER_ACCOUNT }, (_unused, call) => ({ account: i + 1, call })),
    ).sort(() => Math.random() - 0.5);

    const seen = await Promise.all(
      calls.map(({ account, call }) =>
        pool.withAccount(account, async () => {
          await pause(Math.random() * 3);
          const resolved = await chain.resolve();
          await pause(Math.random() * 3);
          const key = `account-${account}/call-${call}`;
          await clients
            .get(S3Client, config)
            .send(new PutObjectCommand({ Bucket: 'rotation', Key: key, Body: 'x' }));
          return { account, key, resolvedKeyId: resolved.accessKeyId };
        }),
      ),
    );

    for (const { account, resolvedKeyId } of seen) {
      expect(resolvedKeyId).toBe(ACCOUNTS[account - 1]?.accessKeyId);
    }
    expect(server.requests).toHaveLength(ACCOUNTS.length * CALLS_PER_ACCOUNT);
    for (const request of server.requests) {
      const account = Number(/account-(\d)/.exec(request.path)?.[1]);
      expect(request).toMatchObject({
        valid: true,
        accessKeyId: ACCOUNTS[account - 1]?.accessKeyId,
      });
    }
    expect(clients.size).toBe(ACCOUNTS.length);
    clients.clear();
  });

  it('leaves nothing behind: outside the scope the chain sees the environment again', async () => {
    const pool = AccountPool.fromEnv(env);
    const chain = createCredentialChain({ env });
    await expect(pool.withAccount(2, () => chain.resolve())).resolves.toMatchObject({
      accessKeyId: ACCOUNTS[1]?.accessKeyId,
    });
    await expect(chain.resolve()).rejects.toThrow(/credentials check found no AWS credentials/);
  });
});

/**
 * AwsClientCache against real servers on 127.0.0.1: s3rver for Put/Get and
 * key-id checks, the SigV4-verifying server to prove the signature.
 */
import {
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AwsClientCache, createCredentialChain } from '@credchain/aws';
import { type S3Server, startS3Server } from '../support/s3-server';
import { type SigV4Server, startSigV4Server } from '../support/sigv4-server';

const ACCOUNT_A = {
  accessKeyId: 'AKIAFAKECACHEACCT001',
  secretAccessKey: 'fake-cache-secret-account-a',
};
const ACCOUNT_B = {
  accessKeyId: 'AKIAFAKECACHEACCT002',
  secretAccessKey: 'fake-cache-secret-account-b',
};
const UNKNOWN = {
  accessKeyId: 'AKIAFAKEUNREGISTERED',
  secretAccessKey: 'fake-cache-secret-unknown',
};
const BUCKET = 'cache-test';

const envFor = (
  account: { accessKeyId: string; secretAccessKey: string },
  extra: Record<string, string> = {},
) => ({
  HOME: '/nonexistent-credchain-home',
  REMOTION_AWS_ACCESS_KEY_ID: account.accessKeyId,
  REMOTION_AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
  ...extra,
});

describe(`${AwsClientCache.name} with s3rver`, () => {
  let s3: S3Server;
  const s3Config = () => ({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  });

  beforeAll(async () => {
    s3 = await startS3Server({ accounts: [ACCOUNT_A, ACCOUNT_B], buckets: [BUCKET] });
  });
  afterAll(() => s3.stop());

  it('does a signed Put/Get through a cached client, and returns the same instance for the same key', async () => {
    const cache = new AwsClientCache({ env: envFor(ACCOUNT_A) });
    const client = cache.get(S3Client, s3Config());
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'hello' }));
    const read = await cache
      .get(S3Client, s3Config())
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
    expect(await read.Body?.transformToString()).toBe('hello');
    expect(cache.get(S3Client, s3Config())).toBe(client);
    expect(cache.size).toBe(1);
    cache.clear();
  });

  it('gives another client for another region, account, session token or config', () => {
    const env: Record<string, string> = envFor(ACCOUNT_A);
    const cache = new AwsClientCache({ env });
    const base = cache.get(S3Client, s3Config());
    expect(cache.get(S3Client, { ...s3Config(), region: 'eu-west-1' })).not.toBe(base);
    expect(cache.get(S3Client, { ...s3Config(), forcePathStyle: false })).not.toBe(base);
    Object.assign(env, envFor(ACCOUNT_B));
    const accountB = cache.get(S3Client, s3Config());
    expect(accountB).not.toBe(base);
    env.REMOTION_AWS_SESSION_TOKEN = 'fake-session-token-1';
    const withToken = cache.get(S3Client, s3Config());
    expect(withToken).not.toBe(accountB);
    env.REMOTION_AWS_SESSION_TOKEN = 'fake-session-token-2';
    expect(cache.get(S3Client, s3Config())).not.toBe(withToken);
    expect(cache.size).toBe(6);
    cache.clear();
  });

  it('signs with the account the environment names now, when process-style variables are rewritten', async () => {
    const env: Record<string, string> = envFor(ACCOUNT_A);
    const cache = new AwsClientCache({ env });
    const first = cache.get(S3Client, s3Config());
    await expect(first.config.credentials()).resolves.toMatchObject({
      accessKeyId: ACCOUNT_A.accessKeyId,
    });
    Object.assign(env, envFor(ACCOUNT_B));
    const second = cache.get(S3Client, s3Config());
    await expect(second.config.credentials()).resolves.toMatchObject({
      accessKeyId: ACCOUNT_B.accessKeyId,
    });
    cache.clear();
  });

  it('is refused by the server with an unregistered key id', async () => {
    const cache = new AwsClientCache({ env: envFor(UNKNOWN) });
    const client = cache.get(S3Client, s3Config());
    await expect(
      client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'x', Body: 'x' })),
    ).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    cache.clear();
  });

  it('keeps one client per region and service for the process when the check is skipped', () => {
    const env: Record<string, string> = envFor(ACCOUNT_A, {
      REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
    });
    const cache = new AwsClientCache({ env });
    const first = cache.get(S3Client, s3Config());
    Object.assign(env, envFor(ACCOUNT_B));
    expect(cache.get(S3Client, s3Config())).toBe(first);
    expect(cache.get(S3Client, { ...s3Config(), region: 'eu-west-1' })).not.toBe(first);
    expect(cache.currentStrategy().name).toBe('process-lifetime');
    cache.clear();
  });

  it('builds a new client on every get() when disabled', async () => {
    const cache = new AwsClientCache({
      env: envFor(ACCOUNT_A, { REMOTION_DISABLE_AWS_CLIENT_CACHE: '1' }),
    });
    const first = cache.get(S3Client, s3Config());
    const second = cache.get(S3Client, s3Config());
    expect(second).not.toBe(first);
    expect(cache.size).toBe(0);
    await second.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'disabled.txt', Body: 'ok' }));
    first.destroy();
    second.destroy();
  });

  it('keeps at most maxSize clients over 300 accounts and destroys the rest', () => {
    let destroyed = 0;
    class CountingS3Client extends S3Client {
      override destroy(): void {
        destroyed++;
        super.destroy();
      }
    }
    const env: Record<string, string> = {};
    const cache = new AwsClientCache({ env, maxSize: 16 });
    for (let n = 1; n <= 300; n++) {
      const id = `AKIAFAKEMANY${String(n).padStart(8, '0')}`;
      Object.assign(env, envFor({ accessKeyId: id, secretAccessKey: `fake-many-secret-${n}` }));
      cache.get(CountingS3Client, s3Config());
      expect(cache.size).toBeLessThanOrEqual(16);
    }
    expect(cache.size).toBe(16);
    expect(destroyed).toBe(284);
    cache.clear();
    expect(destroyed).toBe(300);
  });
});

describe(`${AwsClientCache.name} signatures`, () => {
  let server: SigV4Server;

  beforeAll(async () => {
    server = await startSigV4Server({
      keys: { [ACCOUNT_A.accessKeyId]: ACCOUNT_A.secretAccessKey },
    });
  });
  afterAll(() => server.stop());

  const config = () => ({ region: 'us-east-1', endpoint: server.url, forcePathStyle: true });

  it('signs with the resolved secret: the right keys are accepted', async () => {
    const chain = createCredentialChain({ env: envFor(ACCOUNT_A) });
    const cache = new AwsClientCache({ env: envFor(ACCOUNT_A), chain });
    await expect(
      cache.get(S3Client, config()).send(new ListBucketsCommand({})),
    ).resolves.toBeDefined();
    expect(server.requests.at(-1)).toMatchObject({
      valid: true,
      accessKeyId: ACCOUNT_A.accessKeyId,
    });
    cache.clear();
  });

  it('a wrong secret is rejected by signature', async () => {
    const wrong = { accessKeyId: ACCOUNT_A.accessKeyId, secretAccessKey: 'fake-but-wrong-secret' };
    const cache = new AwsClientCache({ env: envFor(wrong) });
    await expect(
      cache.get(S3Client, config()).send(new ListBucketsCommand({})),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    expect(server.requests.at(-1)).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
    cache.clear();
  });
});

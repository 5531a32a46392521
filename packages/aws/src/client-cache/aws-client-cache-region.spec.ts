import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { AccountPool } from '../rotation/account-pool';
import { AwsClientCache } from './aws-client-cache';

type Env = Record<string, string | undefined>;

const ACCOUNTS: Env = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-region-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-region-spec/config',
  AWS_KEY_1: 'AKIAFAKEREGIONSPEC01',
  AWS_SECRET_1: 'fake-region-spec-secret-1',
  AWS_KEY_2: 'AKIAFAKEREGIONSPEC02',
  AWS_SECRET_2: 'fake-region-spec-secret-2',
};

/** The region an SDK client will use (its config's region provider). */
const regionOf = (client: { config: { region: () => Promise<string> } }) => client.config.region();

describe('AwsClientCache.get() without a region: the region chain', () => {
  const caches: AwsClientCache[] = [];
  const cacheOf = (env: Env, prefix?: string) => {
    const cache = new AwsClientCache({ env, ...(prefix !== undefined && { prefix }) });
    caches.push(cache);
    return cache;
  };
  afterEach(() => {
    for (const cache of caches.splice(0)) cache.clear();
  });

  it.each<[string, Env, string | undefined, string]>([
    ['nothing set: the default', {}, undefined, 'us-east-1'],
    ['AWS_REGION', { AWS_REGION: 'eu-west-2' }, undefined, 'eu-west-2'],
    [
      'the prefixed variable first',
      { AWS_REGION: 'eu-west-2', ACME_AWS_REGION: 'ap-south-1' },
      'ACME',
      'ap-south-1',
    ],
  ])('%s', async (_label, vars, prefix, expected) => {
    const cache = cacheOf(
      {
        ...ACCOUNTS,
        AWS_ACCESS_KEY_ID: 'AKIAFAKEREGIONPLAIN1',
        AWS_SECRET_ACCESS_KEY: 'x',
        ...vars,
      },
      prefix,
    );
    const client = cache.get(S3Client);
    await expect(regionOf(client)).resolves.toBe(expected);
    // Without a config, with one lacking region: the same client.
    expect(cache.get(S3Client, {})).toBe(client);
    expect(cache.size).toBe(1);
  });

  it('keeps one client per region the chain gives, next to explicit regions', async () => {
    const env: Env = {
      ...ACCOUNTS,
      AWS_ACCESS_KEY_ID: 'AKIAFAKEREGIONPLAIN1',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'eu-west-2',
    };
    const cache = cacheOf(env);
    const chained = cache.get(S3Client, { maxAttempts: 1 });
    const explicit = cache.get(S3Client, { region: 'eu-west-2', maxAttempts: 1 });
    expect(explicit).not.toBe(chained);
    env.AWS_REGION = 'us-west-1';
    const moved = cache.get(S3Client, { maxAttempts: 1 });
    expect(moved).not.toBe(chained);
    await expect(regionOf(moved)).resolves.toBe('us-west-1');
    // The first client stays bound to the configuration it was made for.
    await expect(regionOf(chained)).resolves.toBe('eu-west-2');
  });

  it('inside pool.run on a pool with regions: each cell’s client has the cell’s region', async () => {
    const pool = AccountPool.fromEnv(ACCOUNTS, {
      regions: ['us-east-1', 'eu-central-1'],
      strategy: 'round-robin',
    });
    const cache = cacheOf(ACCOUNTS);
    const seen = await Promise.all(
      [1, 2, 3, 4].map(() =>
        pool.run(async ({ index, region }) => {
          const client = cache.get(LambdaClient, { maxAttempts: 1 });
          const credentials = await client.config.credentials();
          return [index, region, await regionOf(client), credentials.accessKeyId];
        }),
      ),
    );
    expect(seen).toEqual([
      [1, 'us-east-1', 'us-east-1', 'AKIAFAKEREGIONSPEC01'],
      [1, 'eu-central-1', 'eu-central-1', 'AKIAFAKEREGIONSPEC01'],
      [2, 'us-east-1', 'us-east-1', 'AKIAFAKEREGIONSPEC02'],
      [2, 'eu-central-1', 'eu-central-1', 'AKIAFAKEREGIONSPEC02'],
    ]);
    expect(cache.size).toBe(4);
  });

  it('a region variable that is not a Region name: the client’s region fails naming it', async () => {
    const cache = cacheOf({
      ...ACCOUNTS,
      AWS_ACCESS_KEY_ID: 'AKIAFAKEREGIONPLAIN1',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'Frankfurt',
    });
    await expect(regionOf(cache.get(S3Client))).rejects.toThrow(
      /AWS_REGION is "Frankfurt", which is not a Region name/,
    );
  });
});

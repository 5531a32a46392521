import { S3Client } from '@aws-sdk/client-s3';
import { AwsClientCache } from './aws-client-cache';

/** The reference pattern: plain `process.env` writes before each operation. */
describe(`${AwsClientCache.name} on process.env`, () => {
  const names = [
    'CCPE_AWS_ACCESS_KEY_ID',
    'CCPE_AWS_SECRET_ACCESS_KEY',
    'CCPE_AWS_SESSION_TOKEN',
    'CCPE_SKIP_AWS_CREDENTIALS_CHECK',
    'CCPE_DISABLE_AWS_CLIENT_CACHE',
  ];
  const saved = new Map(names.map((n) => [n, process.env[n]]));
  const useAccount = (n: number) => {
    process.env.CCPE_AWS_ACCESS_KEY_ID = `AKIAFAKEPROCENV000${n}`;
    process.env.CCPE_AWS_SECRET_ACCESS_KEY = `SENTINEL/procenv-secret-${n}`;
  };
  let cache: AwsClientCache;

  beforeEach(() => {
    for (const n of names) delete process.env[n];
    cache = new AwsClientCache({ prefix: 'CCPE' });
  });
  afterEach(() => {
    cache.clear();
    for (const [n, v] of saved) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  });

  it('a plain write is seen by the next get(): another account, another client; back, the first', () => {
    useAccount(1);
    const first = cache.get(S3Client, { region: 'eu-west-1' });
    expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(first);
    useAccount(2);
    const second = cache.get(S3Client, { region: 'eu-west-1' });
    expect(second).not.toBe(first);
    useAccount(1);
    expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(first);
    expect(cache.size).toBe(2);
  });

  it('a new session token alone is seen by the next get()', () => {
    useAccount(1);
    const first = cache.get(S3Client, { region: 'eu-west-1' });
    process.env.CCPE_AWS_SESSION_TOKEN = 'SENTINEL-procenv-token';
    expect(cache.get(S3Client, { region: 'eu-west-1' })).not.toBe(first);
  });

  it('the flags are seen by the next get()', () => {
    useAccount(1);
    const first = cache.get(S3Client, { region: 'eu-west-1' });
    process.env.CCPE_DISABLE_AWS_CLIENT_CACHE = '1';
    const uncached = cache.get(S3Client, { region: 'eu-west-1' });
    expect(uncached).not.toBe(first);
    uncached.destroy();
    delete process.env.CCPE_DISABLE_AWS_CLIENT_CACHE;
    process.env.CCPE_SKIP_AWS_CREDENTIALS_CHECK = '1';
    const machine = cache.get(S3Client, { region: 'eu-west-1' });
    useAccount(2);
    expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(machine);
  });

  // What this sees: the cache's own keys. What it cannot: the overlay each
  // client (and the remembered state) holds to resolve its credentials, which
  // carries the secret by design; the memo's heap check is in
  // configuration-memo.spec.ts.
  it('keys by digests only: no key id or secret in its keys', () => {
    useAccount(1);
    cache.get(S3Client, { region: 'eu-west-1' });
    useAccount(2);
    cache.get(S3Client, { region: 'eu-west-1', maxAttempts: 2 });
    // biome-ignore lint/suspicious/noExplicitAny: the secret scan reads the private maps
    const internals = cache as any;
    const keys = [...internals.clients.keys()];
    expect(keys).toHaveLength(2);
    expect(JSON.stringify(keys)).not.toMatch(/AKIAFAKEPROCENV|SENTINEL/);
  });
});

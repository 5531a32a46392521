import { S3Client } from '@aws-sdk/client-s3';
import { Credentials, type EnvironmentSource, ScopedEnvironment } from '@credchain/core';
import { AwsClientCache } from './aws-client-cache';

type Env = Record<string, string | undefined>;

const keyOf = (n: number) => `AKIAFAKESOURCES00${String(n).padStart(3, '0')}`;
const secretOf = (n: number) => `SENTINEL/sources-secret-${n}`;

/** Files that do not exist, so no developer profile can leak in. */
const NO_FILES: Env = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-sources-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-sources-spec/config',
};

/**
 * An {@link EnvironmentSource} of the caller's own making, as another copy of
 * `@credchain/core` or an application would write it: it honours the
 * contract (`revision()` moves on every write) but knows nothing of this
 * copy's `EnvironmentScope` for the variables it holds; any other it reads
 * from one of our sources, which does report those reads. So a memo would
 * see some reads (the flags, the profile) and miss the account's keys.
 */
class CustomSource implements EnvironmentSource {
  private version = 0;
  private readonly fallback = new ScopedEnvironment(() => undefined);
  constructor(private readonly vars: Env) {}
  get(name: string): string | undefined {
    return Object.hasOwn(this.vars, name) ? this.vars[name] : this.fallback.get(name);
  }
  revision(): unknown {
    return this.version;
  }
  set(vars: Env): void {
    Object.assign(this.vars, vars);
    this.version++;
  }
}

/**
 * One of our sources whose `get` is replaced by one that bypasses the scope
 * for the variables it holds (and reports the reads of the others).
 */
class OverriddenGet extends ScopedEnvironment {
  private version = 0;
  constructor(private readonly vars: Env) {
    super((name) => vars[name]);
  }
  override get(name: string): string | undefined {
    return Object.hasOwn(this.vars, name) ? this.vars[name] : super.get(name);
  }
  override revision(): unknown {
    return this.version;
  }
  set(vars: Env): void {
    Object.assign(this.vars, vars);
    this.version++;
  }
}

const account = (n: number): Env => ({
  REMOTION_AWS_ACCESS_KEY_ID: keyOf(n),
  REMOTION_AWS_SECRET_ACCESS_KEY: secretOf(n),
});

describe(`${AwsClientCache.name} with a source that is not ours`, () => {
  it.each([
    ['a custom { get, revision } source', (vars: Env) => new CustomSource(vars)],
    ['a ScopedEnvironment whose get is overridden', (vars: Env) => new OverriddenGet(vars)],
  ])('%s: another account gets another client, signing as that account', async (_, make) => {
    const env = make({ ...NO_FILES, ...account(1) });
    const cache = new AwsClientCache({ env });
    try {
      const first = cache.get(S3Client, { region: 'eu-west-1' });
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(first);
      // Resolved before the switch, as a first call would: a source that
      // bypasses EnvironmentScope cannot be replayed, so a client resolves
      // whatever its source says when the SDK first asks.
      await expect(first.config.credentials()).resolves.toMatchObject({
        accessKeyId: keyOf(1),
      });
      env.set(account(2));
      const second = cache.get(S3Client, { region: 'eu-west-1' });
      expect(second).not.toBe(first);
      await expect(second.config.credentials()).resolves.toMatchObject({
        accessKeyId: keyOf(2),
      });
      env.set(account(1));
      expect(cache.get(S3Client, { region: 'eu-west-1' })).toBe(first);
    } finally {
      cache.clear();
    }
  });
});

describe(`${AwsClientCache.name} with Credentials in the config`, () => {
  const cache = new AwsClientCache({ env: { ...NO_FILES, ...account(1) } });
  afterAll(() => cache.clear());
  const clientFor = (credentials: Credentials) =>
    cache.get(S3Client, { region: 'eu-west-1', credentials });

  it('two Credentials with the same key id and different secrets get different clients', () => {
    const a = clientFor(new Credentials({ accessKeyId: keyOf(7), secretAccessKey: 'secret-a' }));
    const b = clientFor(new Credentials({ accessKeyId: keyOf(7), secretAccessKey: 'secret-b' }));
    expect(b).not.toBe(a);
  });

  it('two key ids alike in their first and last four characters get different clients', () => {
    const secretAccessKey = 'secret-same';
    const a = clientFor(new Credentials({ accessKeyId: 'AKIAEXAMPLE11111', secretAccessKey }));
    const b = clientFor(new Credentials({ accessKeyId: 'AKIAEXAMPLE21111', secretAccessKey }));
    expect(b).not.toBe(a);
  });

  it('a new session token alone gets another client', () => {
    const init = { accessKeyId: keyOf(8), secretAccessKey: 'secret-t' };
    const a = clientFor(new Credentials({ ...init, sessionToken: 'token-1' }));
    const b = clientFor(new Credentials({ ...init, sessionToken: 'token-2' }));
    expect(b).not.toBe(a);
  });

  it('the same Credentials, or equal ones, get the same client', () => {
    const init = { accessKeyId: keyOf(9), secretAccessKey: 'secret-same-twice' };
    const credentials = new Credentials(init);
    const first = clientFor(credentials);
    expect(clientFor(credentials)).toBe(first);
    expect(clientFor(new Credentials(init))).toBe(first);
    // A plain object with the same values describes the same credentials.
    expect(cache.get(S3Client, { region: 'eu-west-1', credentials: { ...init } })).toBe(first);
  });

  it('keys on a digest: no key id or secret in the cache keys', () => {
    clientFor(new Credentials({ accessKeyId: keyOf(10), secretAccessKey: 'secret-digest' }));
    // biome-ignore lint/suspicious/noExplicitAny: the secret scan reads the private map
    const internals = cache as any;
    const text = JSON.stringify([...internals.clients.keys()]);
    expect(text).not.toContain('secret-digest');
    expect(text).not.toContain(keyOf(10));
  });
});

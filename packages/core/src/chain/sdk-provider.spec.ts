import { AccountLease } from '../environment/account-lease';
import { EnvironmentScope } from '../environment/environment-scope';
import { AccountScopeError } from '../errors/account-scope-error';
import { Credentials } from '../redaction/credentials';
import { LEGACY_SDK_EXPIRY_MS, toSdkCredentialProvider } from './sdk-provider';

const KEYS = new Credentials({
  accessKeyId: 'AKIAFAKESDKPROVIDER1',
  secretAccessKey: 'SENTINEL-sdk-provider-secret',
});
const lease = new AccountLease({ account: 1, accessKeyId: KEYS.accessKeyId, prefix: 'REMOTION' });
const pooled = <R>(fn: () => R) => EnvironmentScope.run(new Map(), fn, lease);

describe(toSdkCredentialProvider.name, () => {
  it('is flagged memoized, and hands a current SDK (which passes options) the credentials as they are', async () => {
    const provider = toSdkCredentialProvider(async () => KEYS);
    expect(provider.memoized).toBe(true);
    await expect(provider({ callerClientConfig: {} })).resolves.toBe(KEYS);
  });

  it('hands an older SDK (no options) a redacted copy expiring within its refresh window, so it asks again', async () => {
    const provider = toSdkCredentialProvider(async () => KEYS);
    const before = Date.now();
    const copy = await provider();
    expect(copy).toBeInstanceOf(Credentials);
    expect(copy).not.toBe(KEYS);
    expect(copy).toMatchObject({
      accessKeyId: KEYS.accessKeyId,
      secretAccessKey: KEYS.secretAccessKey,
    });
    const expiresIn = (copy.expiration?.getTime() ?? 0) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(LEGACY_SDK_EXPIRY_MS - 1000);
    expect(expiresIn).toBeLessThanOrEqual(LEGACY_SDK_EXPIRY_MS + 1000);
    expect(expiresIn).toBeLessThan(5 * 60_000); // the SDK's own refresh window
    expect(JSON.stringify(copy)).not.toContain(KEYS.secretAccessKey);
  });

  it('keeps an earlier real expiration, and leaves values that are no key pair alone', async () => {
    const soon = new Date(Date.now() + 30_000);
    const expiring = new Credentials({ ...KEYS, expiration: soon });
    await expect(toSdkCredentialProvider(async () => expiring)()).resolves.toMatchObject({
      expiration: soon,
    });
    await expect(toSdkCredentialProvider(async () => 'token')()).resolves.toBe('token');
  });

  it('refuses an older SDK inside a pooled scope when it follows the scope: that SDK shares one identity between concurrent calls', async () => {
    const follows = toSdkCredentialProvider(async () => KEYS, { followsScope: true });
    const error = (await pooled(async () => await follows()).catch(
      (e: unknown) => e,
    )) as AccountScopeError;
    expect(error).toBeInstanceOf(AccountScopeError);
    expect(error.message).toContain('(@aws-sdk/core before 3.775) keeps one identity per client');
    expect(error.message).toContain('Nothing was signed.');
    await expect(pooled(async () => await follows({}))).resolves.toBe(KEYS);
    await expect(follows()).resolves.toMatchObject({ accessKeyId: KEYS.accessKeyId });
    // A provider bound to the leased account's source is fine there.
    const bound = toSdkCredentialProvider(async () => KEYS);
    await expect(pooled(async () => await bound())).resolves.toMatchObject({
      accessKeyId: KEYS.accessKeyId,
    });
  });

  it('checks where the answer is awaited: a pooled request sharing a call an unpooled one started is refused', async () => {
    const OTHER = new Credentials({
      accessKeyId: 'AKIAFAKESDKPROVIDER9',
      secretAccessKey: 'fake-not-real',
    });
    let release: () => void = () => {};
    const bound = toSdkCredentialProvider(
      () => new Promise<Credentials>((resolve) => (release = () => resolve(OTHER))),
    );
    // As an older SDK's memoize does: one pending call, awaited by every request.
    const pending = bound();
    const unpooled = (async () => await pending)();
    const pooledRequest = pooled(async () => await pending);
    release();
    await expect(unpooled).resolves.toMatchObject({ accessKeyId: OTHER.accessKeyId });
    await expect(pooledRequest).rejects.toBeInstanceOf(AccountScopeError);
    // The same call, awaited in a scope leased to its own key: accepted.
    const own = new AccountLease({
      account: 9,
      accessKeyId: OTHER.accessKeyId,
      prefix: 'REMOTION',
    });
    await expect(
      EnvironmentScope.run(new Map(), async () => await pending, own),
    ).resolves.toMatchObject({ accessKeyId: OTHER.accessKeyId });
  });
});

import { EnvironmentScope } from '../environment/environment-scope';
import { AccountScopeError } from '../errors/account-scope-error';
import { Credentials } from '../redaction/credentials';

/**
 * How far ahead a pre-3.775 SDK is told credentials expire: under its
 * 5-minute refresh window, so that it asks again before every request.
 */
export const LEGACY_SDK_EXPIRY_MS = 4 * 60_000;

/** A `credentials` function for AWS SDK v3 clients. */
export type SdkCredentialProvider<T> = ((options?: object) => Promise<T>) & {
  readonly memoized: true;
};

/**
 * Turns `resolve` into the `credentials` function an AWS SDK v3 client
 * takes, asked on every request, in that request's async context — so a
 * client built once signs each call inside `pool.run` with that call's
 * leased account (or fails with `AccountScopeError`):
 *
 * - It is flagged `memoized` (the chain's cache strategy is the memo):
 *   `@aws-sdk/core` 3.775 and later then call it per request, always with
 *   options (`{ callerClientConfig }`).
 * - Older SDKs (`@aws-sdk/core` before 3.775, e.g. client-s3 3.700) ignore
 *   the flag, call it with no argument and keep the first identity while it
 *   is more than 5 minutes from expiring. Called that way, it hands back a
 *   copy whose `expiration` is at most {@link LEGACY_SDK_EXPIRY_MS} away,
 *   so those SDKs ask again for every request too. (A caller of your own
 *   that reads `expiration` should call `chain.resolve()` instead.) They
 *   also share one pending call and one identity between a client's
 *   concurrent requests, so a provider that `followsScope` (the chain's:
 *   each pooled call its own account) refuses such a call inside a pooled
 *   scope with an `AccountScopeError` — nothing is signed with another
 *   call's account. A provider bound to one source (the client cache's)
 *   does not need to.
 */
export function toSdkCredentialProvider<T>(
  resolve: () => Promise<T>,
  { followsScope = false }: { readonly followsScope?: boolean } = {},
): SdkCredentialProvider<T> {
  const provider = (options?: object) => {
    if (options !== undefined) return resolve();
    const lease = followsScope ? EnvironmentScope.lease() : undefined;
    if (lease !== undefined) {
      return Promise.reject(
        new AccountScopeError({ lease, chainPrefix: undefined, link: undefined }),
      );
    }
    return resolve().then(expiringSoon);
  };
  return Object.assign(provider, { memoized: true as const });
}

function expiringSoon<T>(value: T): T {
  const keys = value as Partial<Credentials> | null;
  if (typeof keys?.accessKeyId !== 'string' || typeof keys.secretAccessKey !== 'string')
    return value;
  const soon = Date.now() + LEGACY_SDK_EXPIRY_MS;
  const real = keys.expiration?.getTime();
  return new Credentials({
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
    sessionToken: keys.sessionToken,
    expiration: new Date(real !== undefined && real < soon ? real : soon),
    accountId: keys.accountId,
    credentialScope: keys.credentialScope,
  }) as T;
}

import type { AccountLease } from '../environment/account-lease';
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
 *   concurrent requests, so the answer is checked where it is awaited:
 *   inside a pooled scope, a provider that `followsScope` (the chain's:
 *   each pooled call its own account) is refused with an
 *   `AccountScopeError`, and one bound to a source (the client cache's) is
 *   refused when its key is not the leased one — nothing is signed with
 *   another call's account.
 */
export function toSdkCredentialProvider<T>(
  resolve: () => Promise<T>,
  { followsScope = false }: { readonly followsScope?: boolean } = {},
): SdkCredentialProvider<T> {
  const provider = (options?: object): Promise<T> => {
    if (options !== undefined) return resolve();
    const work = resolve().then(expiringSoon);
    // Nobody may await it (a caller that gave up): never an unhandled rejection.
    work.catch(() => {});
    return checkedWhereAwaited(work, followsScope);
  };
  return Object.assign(provider, { memoized: true as const });
}

/**
 * `work`, checked against the pooled scope of whoever awaits it rather than
 * of whoever started it: an older SDK hands one pending call to every
 * concurrent request of a client, so a request inside `pool.run` may await
 * a call an unpooled request started. Inside a pooled scope, a provider
 * that follows the scope is refused outright (those SDKs also share the
 * identity they keep between requests), and one bound to a source is
 * refused when its key is not the leased one.
 */
function checkedWhereAwaited<T>(work: Promise<T>, followsScope: boolean): Promise<T> {
  const check = (value: T, lease: AccountLease): T => {
    const accessKeyId = (value as { accessKeyId?: unknown } | null)?.accessKeyId;
    if (followsScope || (typeof accessKeyId === 'string' && !lease.signsWith(accessKeyId))) {
      throw new AccountScopeError({ lease, chainPrefix: undefined, link: undefined });
    }
    return value;
  };
  // A thenable, not a promise: `await` calls its `then` in the awaiter's
  // async context (a native promise's reactions would not tell whose).
  const checked = {
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, checked where awaited
    then<A = T, B = never>(
      onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): Promise<A | B> {
      const lease = EnvironmentScope.lease();
      const verified = lease === undefined ? work : work.then((value) => check(value, lease));
      return verified.then(onFulfilled, onRejected);
    },
    catch<B = never>(
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): Promise<T | B> {
      return checked.then(undefined, onRejected);
    },
    finally(onFinally?: (() => void) | null): Promise<T> {
      return checked.then(
        (value) => {
          onFinally?.();
          return value;
        },
        (reason: unknown) => {
          onFinally?.();
          throw reason;
        },
      );
    },
    [Symbol.toStringTag]: 'Promise',
  };
  return checked as Promise<T>;
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

import type { Credentials } from '@credchain/core';
import type { ProfileContext } from './profile-context';

/**
 * Gets a role session through the chain's role cache, when it has one
 * (`roleCache`): `fetch` runs only when the cache has no fresh session for
 * `key()`. Without a cache, `fetch` runs and `key` is never computed.
 */
export async function cachedRoleSession(
  context: ProfileContext,
  key: () => string,
  fetch: () => Promise<Credentials>,
  providerType?: 'sso',
): Promise<Credentials> {
  const cache = context.settings.roleCache;
  if (cache === undefined) return fetch();
  const result = await cache.session({
    key: key(),
    ...(providerType !== undefined && { providerType }),
    env: context.env,
    logger: context.logger,
    clock: context.clock,
    assume: fetch,
  });
  return result.credentials;
}

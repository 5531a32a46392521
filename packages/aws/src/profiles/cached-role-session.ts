import { type Credentials, diagnosticChannels, type RoleCacheMessage } from '@credchain/core';
import type { ProfileContext } from './profile-context';

/**
 * Gets a role session through the chain's role cache, when it has one
 * (`roleCache`): `fetch` runs only when the cache has no fresh session for
 * `key()`. Without a cache, `fetch` runs and `key` is never computed.
 *
 * `fetch` gets the context its nested resolutions must use: it records the
 * keys being resolved. A role chain whose hops share a key (`again` and its
 * `source_profile = base` with the same `role_arn`) would otherwise wait for
 * its own load; the nested hop calls `fetch` directly instead, as botocore
 * ends up doing (two AssumeRole calls, one entry — the outer hop's).
 */
export async function cachedRoleSession(
  context: ProfileContext,
  key: () => string,
  fetch: (inner: ProfileContext) => Promise<Credentials>,
  providerType?: 'sso',
): Promise<Credentials> {
  const cache = context.settings.roleCache;
  if (cache === undefined) return fetch(context);
  const entry = key();
  const outer = context.roleResolution;
  if (outer?.keys.has(entry)) {
    context.logger.debug(
      `role cache: ${entry}.json is being resolved by an outer hop of this role chain; this hop assumes its role without the cache`,
    );
    return fetch(context);
  }
  const roleResolution = {
    keys: new Set([...(outer?.keys ?? []), entry]),
    startedAt: outer?.startedAt ?? Date.now(),
  };
  const result = await cache.session({
    key: entry,
    ...(providerType !== undefined && { providerType }),
    env: context.env,
    logger: context.logger,
    clock: context.clock,
    startedAt: roleResolution.startedAt,
    assume: () => {
      // The cache found no fresh session: the role is assumed now.
      publishRoleCache(entry, 'miss');
      return fetch({ ...context, roleResolution });
    },
  });
  if (result.source === 'cache') publishRoleCache(entry, 'hit');
  else publishRoleCache(entry, result.written ? 'write' : 'unwritable');
  return result.credentials;
}

/** `credchain:role-cache`, with the key's first 8 hex digits only (nothing happens when nobody listens). */
function publishRoleCache(key: string, outcome: RoleCacheMessage['outcome']): void {
  const message: RoleCacheMessage = { outcome, key: key.slice(0, 8) };
  diagnosticChannels.roleCache.publish(message);
}

import {
  type Clock,
  type EnvironmentInput,
  type Logger,
  SilentLogger,
  SystemClock,
  toEnvironmentSource,
} from '@credchain/core';
import { awsCliCacheDirectory } from './aws-cli-cache-directory';
import {
  type AwsCliRoleSessionCacheOptions,
  DEFAULT_ROLE_CACHE_REFRESH_WINDOW_MS,
} from './aws-cli-role-session-cache-options';
import { serializeRoleCacheDocument } from './role-cache-document';
import { RoleCacheFileStore } from './role-cache-file-store';
import { RoleCacheLock } from './role-cache-lock';
import type { RoleSessionCache, RoleSessionRequest, RoleSessionResult } from './role-session-cache';

/** What `clear()` and `ownKeys()` need: where the cache is and where to log. */
export interface RoleCacheLocation {
  /** The environment whose `HOME` holds the cache (a plain object works). */
  readonly env: EnvironmentInput;
  readonly logger?: Logger;
}

/**
 * Role sessions shared with the AWS CLI and between processes, in
 * `$HOME/.aws/cli/cache/<key>.json` — the AWS CLI's own files and format, so
 * a session `aws` assumed serves credchain and the other way round, and an
 * MFA code is asked once per session, not once per process.
 *
 * - An entry expiring within 15 minutes (`refreshWindowMs`), a damaged or
 *   foreign file, a directory in its place, an unreadable or read-only
 *   cache: the role is assumed again (a debug line says why), never a crash.
 * - Concurrent processes wanting the same role wait on a lock beside the
 *   entry (`<key>.json.lock`), so one of them calls STS and the others read
 *   its entry; a lock whose holder died is broken after `staleMs`. Concurrent
 *   calls in one process share one load.
 * - Entries are `0600`, written to a temp file and renamed; a directory
 *   credchain creates is `0700`, an existing one is used as it is.
 *
 * The Node API uses no disk cache unless given one (a library should not
 * write secrets to disk unasked); the `credchain` CLI uses this one by
 * default, as the AWS CLI does.
 *
 * @example
 * ```ts
 * const chain = createCredentialChain({ roleCache: new AwsCliRoleSessionCache() });
 * ```
 */
export class AwsCliRoleSessionCache implements RoleSessionCache {
  private readonly clock: Clock | undefined;
  private readonly refreshWindowMs: number;
  /** One load per (directory, key) at a time in this process. */
  private readonly inflight = new Map<string, Promise<RoleSessionResult>>();

  constructor(private readonly options: AwsCliRoleSessionCacheOptions = {}) {
    this.clock = options.clock;
    this.refreshWindowMs = options.refreshWindowMs ?? DEFAULT_ROLE_CACHE_REFRESH_WINDOW_MS;
  }

  /** The directory this cache uses for a chain with environment `env` (a plain object works). */
  directoryFor(env: EnvironmentInput): string {
    return this.options.directory ?? awsCliCacheDirectory(toEnvironmentSource(env));
  }

  async session(request: RoleSessionRequest): Promise<RoleSessionResult> {
    const store = new RoleCacheFileStore(this.directoryFor(request.env), request.logger);
    // Validates the key before it becomes a path (a rejection, as it is async).
    const flight = store.pathOf(request.key);
    const running = this.inflight.get(flight);
    if (running !== undefined) return running;
    const started = this.load(request, store).finally(() => this.inflight.delete(flight));
    this.inflight.set(flight, started);
    return started;
  }

  /** The keys of the entries credchain wrote (those `clear()` would delete). */
  ownKeys(location: RoleCacheLocation): Promise<string[]> {
    return this.storeFor(location).ownKeys();
  }

  /**
   * Deletes the entries credchain wrote, and only those: an entry the AWS
   * CLI wrote (or rewrote) has no credchain marker and stays. Each entry is
   * checked again under its lock right before it is deleted. Temp files a
   * crashed credchain write left behind (older than a minute) go too.
   * @returns the keys of the entries deleted.
   */
  async clear(location: RoleCacheLocation): Promise<string[]> {
    const store = this.storeFor(location);
    const lock = new RoleCacheLock(location.logger ?? new SilentLogger(), this.options);
    const deleted: string[] = [];
    for (const key of await store.ownKeys()) {
      // Under the entry's lock and read again just before the unlink: a
      // credchain writing it holds the lock, and the AWS CLI (which takes no
      // lock) may have rewritten it since it was listed — without our marker.
      const release = await lock.acquire(store.pathOf(key), `${key}.json`);
      try {
        const read = await store.read(key);
        if (read.found && read.document.writtenByCredchain && (await store.remove(key))) {
          deleted.push(key);
        }
      } finally {
        await release?.();
      }
    }
    const leftovers = await store.removeLeftovers(Date.now());
    if (leftovers.length > 0) {
      location.logger?.debug(`role cache: deleted leftover temp files: ${leftovers.join(', ')}`);
    }
    return deleted;
  }

  private storeFor(location: RoleCacheLocation): RoleCacheFileStore {
    return new RoleCacheFileStore(
      this.directoryFor(location.env),
      location.logger ?? new SilentLogger(),
    );
  }

  private async load(
    request: RoleSessionRequest,
    store: RoleCacheFileStore,
  ): Promise<RoleSessionResult> {
    const { key, logger } = request;
    const clock = this.clock ?? request.clock ?? new SystemClock();
    const cached = await this.readFresh(store, key, logger, clock);
    if (cached !== undefined) return cached;
    if (!(await store.ensureDirectory())) return this.assumeOnly(request);

    const release = await new RoleCacheLock(logger, this.options).acquire(
      store.pathOf(key),
      `${key}.json`,
      request.startedAt,
    );
    try {
      // Another process may have written the entry while this one waited
      // (for its lock, or until the wait gave up).
      const written = await this.readFresh(store, key, logger, clock);
      if (written !== undefined) return written;
      const credentials = await request.assume();
      if (credentials.expiration === undefined) {
        logger.debug(`role cache: the session for ${key}.json has no expiration; not cached`);
        return {
          credentials,
          source: 'assumed',
          key,
          written: false,
          notWrittenReason: 'no expiration',
        };
      }
      const write = await store.write(
        key,
        serializeRoleCacheDocument(credentials, credentials.expiration, request.providerType),
      );
      if (!write.written) {
        return {
          credentials,
          source: 'assumed',
          key,
          written: false,
          notWrittenReason: write.reason,
        };
      }
      logger.debug(`role cache: wrote ${key}.json`);
      return { credentials, source: 'assumed', key, written: true };
    } finally {
      await release?.();
    }
  }

  private async assumeOnly(request: RoleSessionRequest): Promise<RoleSessionResult> {
    return {
      credentials: await request.assume(),
      source: 'assumed',
      key: request.key,
      written: false,
      notWrittenReason: 'no cache directory',
    };
  }

  private async readFresh(
    store: RoleCacheFileStore,
    key: string,
    logger: Logger,
    clock: Clock,
  ): Promise<RoleSessionResult | undefined> {
    const read = await store.read(key);
    if (!read.found) return undefined;
    const remainingMs = read.document.expiration.getTime() - clock.now();
    if (remainingMs < this.refreshWindowMs) {
      logger.debug(
        remainingMs <= 0
          ? `role cache: ${key}.json ignored: expired`
          : `role cache: ${key}.json ignored: expires in ${Math.round(remainingMs / 1000)} s, within the ${Math.round(this.refreshWindowMs / 60_000)}-minute refresh window`,
      );
      return undefined;
    }
    logger.debug(
      `role cache: using ${key}.json (expires ${read.document.expiration.toISOString()})`,
    );
    return { credentials: read.document.credentials, source: 'cache', key };
  }
}

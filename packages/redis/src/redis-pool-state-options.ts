import type { Logger } from '@credchain/core';

/** What a {@link RedisPoolState} does when Redis cannot be used. */
export type RedisFailurePolicy = 'fallback' | 'fail';

/** How a waiting `run` learns that another process freed capacity. */
export type RedisWakeUp = 'pubsub' | 'polling';

/** Options of `new RedisPoolState(redis, options)`. */
export interface RedisPoolStateOptions {
  /**
   * Shared by every process of one fleet that rotates the same accounts:
   * letters, digits and `.`, `_`, `-`, `:` (1 to 64). It becomes the Redis
   * hash tag `{credchain:<namespace>}` of every key, so all keys of a pool
   * live in one Cluster slot and one script can touch them all.
   */
  readonly namespace: string;
  /**
   * How long a lease lives without renewal. A process killed mid-call frees
   * its places within this time (plus the next acquisition that looks).
   * It also bounds a fall-back (a process reuses its own places only while
   * Redis would still count them) and a recovery (after a failover, a live
   * process has this long to check in before its expired leases are
   * dropped). Use the same value in every process of a namespace.
   * @default 30000
   */
  readonly leaseTtlMs?: number;
  /**
   * How often this process renews every lease it holds, in one command (its
   * heartbeat); at most a third of `leaseTtlMs` is used, and it must leave
   * room for one slow renewal before the TTL ends (`renewIntervalMs +
   * commandTimeoutMs < leaseTtlMs`). @default a third of `leaseTtlMs`
   */
  readonly renewIntervalMs?: number;
  /**
   * The longest any single Redis command may take, whatever the client's
   * own options (ioredis queues commands while it reconnects, for as long as
   * it reconnects). A command that takes longer counts as "Redis
   * unreachable". @default 1000
   */
  readonly commandTimeoutMs?: number;
  /**
   * `'fallback'`: while Redis cannot be used, keep running the calls in
   * flight and start new ones only in the places of this process's own
   * calls that end (places Redis still counts for it), so the fleet stays
   * within capacity; warn, and use Redis again when it answers, once the
   * running leases are written back. `'fail'`: reject `acquire`, `usage`
   * and `coolDown` with a {@link RedisPoolStateError} meanwhile instead.
   * @default 'fallback'
   */
  readonly onRedisError?: RedisFailurePolicy;
  /** While Redis cannot be used, how often it is probed. @default 250 */
  readonly probeIntervalMs?: number;
  /**
   * `'pubsub'` (a second connection, `redis.duplicate()`, subscribed to the
   * pool's channel): a waiting `run` wakes as soon as another process
   * releases. `'polling'`: only the pool's own retry timer. @default 'pubsub'
   */
  readonly wakeUp?: RedisWakeUp;
  /**
   * Where the fall-back warning and the recovery line go (`warn` when it
   * has one, else `debug`). Without a logger they go through
   * `process.emitWarning`, so they reach stderr. Either way the first outage
   * of an instance is warned about, begin and end; later ones are logged to
   * `debug` only (nothing without a logger), so a flapping Redis cannot
   * flood the logs.
   */
  readonly logger?: Logger & { warn?(message: string): void };
}

/** {@link RedisPoolStateOptions} with every default applied. */
export interface RedisPoolStateConfig {
  readonly namespace: string;
  readonly leaseTtlMs: number;
  readonly renewIntervalMs: number;
  readonly commandTimeoutMs: number;
  readonly onRedisError: RedisFailurePolicy;
  readonly probeIntervalMs: number;
  readonly wakeUp: RedisWakeUp;
  /** How often the heartbeat renews this process's leases: `renewIntervalMs`, at most `leaseTtlMs / 3`. */
  readonly heartbeatMs: number;
  /**
   * A time without any script in Redis after which the fleet recovers (see
   * the README's "Failovers"): half of `leaseTtlMs`, above the heartbeat
   * period, below the time a live process's lease needs to expire.
   */
  readonly gapMs: number;
  /**
   * A waiter whose process has not beaten for this long leaves the fleet's
   * line (a dead process cannot hold it): two heartbeats and a command.
   */
  readonly livenessMs: number;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
export const DEFAULT_PROBE_INTERVAL_MS = 250;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `RedisPoolState: ${name} must be a positive integer of milliseconds, got ${value}`,
    );
  }
  return value;
}

function checkNamespace(namespace: unknown): string {
  if (typeof namespace !== 'string' || namespace.length === 0) {
    throw new TypeError('RedisPoolState: namespace is required (e.g. "render-fleet")');
  }
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(namespace)) {
    const bad = [...namespace].find((c) => !/[A-Za-z0-9._:-]/.test(c));
    const shown = bad === undefined ? '' : ` (${JSON.stringify(bad)} is not allowed)`;
    throw new TypeError(
      `RedisPoolState: namespace ${JSON.stringify(namespace.slice(0, 80))} must be 1 to 64 of A-Z a-z 0-9 . _ - :${shown}; braces would break the {hash tag} that keeps a pool's keys in one slot, spaces and control characters break tools that print keys`,
    );
  }
  return namespace;
}

/** Applies defaults and rejects values that would lose or double-count leases. */
export function resolveRedisPoolStateConfig(options: RedisPoolStateOptions): RedisPoolStateConfig {
  const namespace = checkNamespace(options?.namespace);
  const leaseTtlMs = positiveInteger('leaseTtlMs', options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS);
  const commandTimeoutMs = positiveInteger(
    'commandTimeoutMs',
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
  );
  const renewIntervalMs = positiveInteger(
    'renewIntervalMs',
    options.renewIntervalMs ?? Math.max(1, Math.floor(leaseTtlMs / 3)),
  );
  if (renewIntervalMs + commandTimeoutMs >= leaseTtlMs) {
    throw new RangeError(
      `RedisPoolState: leaseTtlMs (${leaseTtlMs}) must be longer than renewIntervalMs (${renewIntervalMs}) + commandTimeoutMs (${commandTimeoutMs}), or a running call's lease could expire between two renewals and its place be given to another call`,
    );
  }
  const onRedisError = options.onRedisError ?? 'fallback';
  if (onRedisError !== 'fallback' && onRedisError !== 'fail') {
    throw new TypeError(
      `RedisPoolState: onRedisError must be 'fallback' or 'fail', got ${String(onRedisError)}`,
    );
  }
  const wakeUp = options.wakeUp ?? 'pubsub';
  if (wakeUp !== 'pubsub' && wakeUp !== 'polling') {
    throw new TypeError(
      `RedisPoolState: wakeUp must be 'pubsub' or 'polling', got ${String(wakeUp)}`,
    );
  }
  const probeIntervalMs = positiveInteger(
    'probeIntervalMs',
    options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
  );
  const heartbeatMs = Math.max(1, Math.min(renewIntervalMs, Math.floor(leaseTtlMs / 3)));
  return {
    namespace,
    leaseTtlMs,
    renewIntervalMs,
    commandTimeoutMs,
    onRedisError,
    probeIntervalMs,
    wakeUp,
    heartbeatMs,
    livenessMs: Math.min(leaseTtlMs, 2 * heartbeatMs + commandTimeoutMs),
    gapMs: Math.max(1, Math.floor(leaseTtlMs / 2)),
  };
}

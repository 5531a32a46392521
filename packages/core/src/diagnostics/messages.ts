/** What a chain's cache did for one `resolve()`. */
export type CacheOutcome = 'hit' | 'miss' | 'refresh' | 'stale';

/**
 * What a subscriber to `start` may set on a tracing message: the function
 * credchain then runs the traced work through, e.g. OpenTelemetry's
 * `context.bind(ctx, fn)`, so that work (the links, an SDK request inside
 * `pool.run`) runs in the subscriber's context and nests under its span.
 */
export interface Bindable {
  bind?: <F extends (...args: never[]) => unknown>(fn: F) => F;
}

/**
 * `credchain:chain.resolve` (TracingChannel): one `ProviderChain.resolve()`.
 * Set at `start`: `chain` (its prefix, or `null`), `subject`
 * (`credentials`, or `region` for the region chain), `cache` (what the cache
 * will do — `miss` also for a call that waits for a load already running), `account` / `region` when inside a pooled scope. Set before
 * `asyncEnd`: `link` (the winning link, `null` when none) and `keyId` (the
 * access key id, redacted `AKIA…WXYZ`, when the value is a key pair);
 * `error` is credchain's own error (its messages hold no secret).
 */
export interface ChainResolveMessage extends Bindable {
  readonly chain: string | null;
  /** What the chain resolves: `credentials`, or e.g. `region` (the region chain). */
  readonly subject: string;
  readonly cache: CacheOutcome;
  readonly account?: number;
  readonly region?: string;
  link?: string | null;
  keyId?: string;
  error?: unknown;
}

/**
 * `credchain:provider.provide` (TracingChannel): one link attempt of a chain
 * run (a cache miss or refresh, or `explain()`). `chain` and `link` at
 * `start`; `outcome` before `asyncEnd`; a link that fails or is unavailable
 * ends with `error` too.
 */
export interface ProviderProvideMessage extends Bindable {
  readonly chain: string | null;
  /** What its chain resolves (see {@link ChainResolveMessage.subject}). */
  readonly subject: string;
  readonly link: string;
  outcome?: 'resolved' | 'unavailable' | 'failed';
  error?: unknown;
}

/** A throttle seen inside one `pool.run()`. */
export interface PoolRunThrottle {
  readonly account: number;
  readonly region?: string;
  /** `concurrency` | `reserved` | `rate`. */
  readonly reason?: string;
  /** Epoch ms the throttle was seen. */
  readonly at: number;
}

/**
 * `credchain:pool.run` (TracingChannel): one `AccountPool.run()`, all its
 * attempts. `prefix` at `start`; as it goes: `account` / `region` (the cell
 * of the latest attempt), `attempt`, `waitedMs` (total time waiting for a
 * lease), `throttles`; before `asyncEnd`: `outcome` — `ok`, `throttled`
 * (every try throttled, then exhausted), `failed` (fn's own error),
 * `exhausted` (nothing to lease), `aborted`.
 */
export interface PoolRunMessage extends Bindable {
  readonly prefix: string;
  account?: number;
  region?: string;
  attempt: number;
  waitedMs: number;
  readonly throttles: PoolRunThrottle[];
  outcome?: 'ok' | 'throttled' | 'failed' | 'exhausted' | 'aborted';
  error?: unknown;
}

/**
 * `credchain:pool.lease`: a lease `acquired` (before `fn` runs) or
 * `released`, with the account's capacity (`null`: unlimited) so a
 * subscriber can show how full each account is. A lease acquired while
 * nobody listened publishes no `released`; the `released` message is the
 * very object that was `acquired` (a subscriber can pair them by identity).
 */
export interface PoolLeaseMessage {
  readonly prefix: string;
  /** The same object is published twice: `acquired`, then `released`. */
  event: 'acquired' | 'released';
  readonly account: number;
  readonly region?: string;
  readonly capacity: number | null;
  readonly weight: number;
}

/**
 * `credchain:pool.cool-down`: a throttle a pool saw, and until when the
 * account (cell) is cooled down (epoch ms; 0 when this throttle cools
 * nothing, e.g. a reserved-concurrency limit) — or, with `reason: 'manual'`,
 * a `pool.markThrottled()` (once per cell it cools).
 */
export interface PoolCoolDownMessage {
  readonly prefix: string;
  readonly account: number;
  readonly region?: string;
  readonly until: number;
  readonly reason: string;
}

/**
 * `credchain:role-cache`: the AWS CLI-compatible role cache answered
 * (`hit`, `miss`), stored a session (`write`) or could not (`unwritable`).
 * `key` is the cache key's first 8 hex digits (the file name's start).
 */
export interface RoleCacheMessage {
  readonly outcome: 'hit' | 'miss' | 'write' | 'unwritable';
  readonly key: string;
}

/** `credchain:sts`: one role assumption with STS ended (role ARN, how long, how). */
export interface StsMessage {
  readonly roleArn: string;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'error';
  /** The error's message when it failed (never a secret). */
  readonly error?: string;
}

/**
 * `credchain:redis.fallback`: a shared pool state `entered` local fall-back
 * (Redis could not be used: `reason`) or `left` it (`durationMs` degraded,
 * `readopted` leases written back).
 */
export interface RedisFallbackMessage {
  readonly namespace: string;
  readonly state: 'entered' | 'left';
  readonly reason?: string;
  readonly durationMs?: number;
  readonly readopted?: number;
}

import { createHash } from 'node:crypto';
import type { AcquireRequest, CellRef, LeaseOutcome, PoolLease } from '@credchain/aws';
import type { UnsharedCoolDown, UnsharedEpisode } from './cell-numbers';
import type { RedisScriptClient } from './client/redis-script-client';
import type { HeldLease, PendingRemoval } from './local-lease-book';
import type { LuaScript, LuaScripts } from './lua-scripts';
import type { RedisKeys } from './redis-keys';
import { RedisNotSentError } from './redis-not-sent-error';
import type { RedisPoolStateConfig } from './redis-pool-state-options';
import { withTimeout } from './with-timeout';

/** A pool's cells, with what the scripts are given for them (built once per layout). */
export interface CellSet {
  readonly cells: readonly CellRef[];
  /** Each cell's name ({@link cellKey}): `2`, `2:eu-central-1`. */
  readonly names: readonly string[];
  /** Cell number (1-based) by name. */
  readonly numbers: ReadonlyMap<string, number>;
  /** KEYS of every script for this layout (see `lua/include/pool.lua`). */
  readonly keys: readonly string[];
}
/** What one heartbeat sends. */
export interface HeartbeatRequest {
  /** This process leaves the fleet (close()): unregistered, nothing renewed. */
  readonly leaving: boolean;
  readonly removals: readonly PendingRemoval[];
  readonly held: readonly (readonly [string, HeldLease])[];
}

/** What Redis answered to a heartbeat. */
export interface HeartbeatReply {
  /** Processes alive in the namespace (their heartbeats). */
  readonly live: number;
  /** The fleet is recovering after a gap (some process has not checked in yet). */
  readonly recovering: boolean;
  /** Per held lease, in order: 1 renewed, 2 written anew, 0 lost. */
  readonly statuses: readonly number[];
}

type Reply = readonly (number | string)[];

/**
 * The pool's Lua scripts with their KEYS and ARGV laid out as each script
 * reads them (`lua/*.lua`), every call bounded by `commandTimeoutMs` and
 * refused at once when the client could only queue it.
 */
export class PoolScripts {
  readonly #client: RedisScriptClient;
  readonly #scripts: LuaScripts;
  readonly #keys: RedisKeys;
  readonly #config: RedisPoolStateConfig;
  #base: readonly string[] | undefined;

  constructor(
    client: RedisScriptClient,
    scripts: LuaScripts,
    keys: RedisKeys,
    config: RedisPoolStateConfig,
  ) {
    this.#client = client;
    this.#scripts = scripts;
    this.#keys = keys;
    this.#config = config;
  }

  /** The cell set of `cells` (named `names`), with the keys the scripts need. */
  cellSet(cells: readonly CellRef[], names: readonly string[]): CellSet {
    const layout = createHash('sha1').update(names.join(',')).digest('hex').slice(0, 16);
    return {
      cells,
      names,
      numbers: new Map(names.map((name, i) => [name, i + 1])),
      keys: this.#keysOf(this.#keys.layout(layout)),
    };
  }

  /**
   * `acquire.lua`: `{-1}` (register first), `{1, cell}`, `{2, why, retry}`
   * (in the line) or `{0, why, retry}`. Its size does not grow with the
   * pool: the preferred and excluded cells only, by name.
   */
  acquire(
    request: AcquireRequest,
    id: string,
    set: CellSet,
    version: string,
    join: { readonly waitUntil?: number } | undefined,
  ): Promise<Reply> {
    const nameOf = (n: number) => set.names[n - 1] ?? '';
    return this.#run('acquire', this.#scripts.credchainAcquire, set.keys, [
      ...this.#header(request.now),
      id,
      request.weight ?? 1,
      version,
      join === undefined ? 0 : 1,
      join?.waitUntil ?? -1,
      request.preference.map(nameOf).join(','),
      (request.exclude ?? []).map(nameOf).join(','),
    ]) as Promise<Reply>;
  }

  /** `register.lua`: the layout's cells and capacities, as `version`. */
  register(
    set: CellSet,
    version: string,
    capacity: readonly number[],
    now: number,
  ): Promise<unknown> {
    return this.#run('register', this.#scripts.credchainRegister, set.keys, [
      ...this.#header(now),
      version,
      set.names.length,
      ...set.names,
      ...set.names.map((_, i) => Math.min(capacity[i] ?? 0, Number.MAX_SAFE_INTEGER)),
    ]);
  }

  /** `poll.lua`: 4 values per waiter (id, state, cell or why, grantedAt or retry). */
  poll(ids: readonly string[], now: number): Promise<Reply> {
    return this.#run('poll', this.#scripts.credchainPoll, this.#baseKeys, [
      ...this.#header(now),
      ids.length,
      ...ids,
    ]) as Promise<Reply>;
  }

  /** `leave.lua`: `{1, cell}` when a place handed to the waiter went back, else `{0}`. */
  leave(id: string, now: number): Promise<Reply> {
    return this.#run('leave', this.#scripts.credchainLeave, this.#baseKeys, [
      ...this.#header(now),
      id,
    ]) as Promise<Reply>;
  }

  /** `release.lua`: `{released, streak, until, episode start, reason}`. */
  release(cell: string, lease: PoolLease, outcome: LeaseOutcome, now: number): Promise<Reply> {
    const throttled = outcome.kind === 'throttled' ? outcome : undefined;
    return this.#run('release', this.#scripts.credchainRelease, this.#baseKeys, [
      ...this.#header(now),
      cell,
      lease.id,
      outcome.kind,
      throttled?.now ?? 0,
      throttled?.backoff.initialMs ?? 0,
      throttled?.backoff.multiplier ?? 1,
      throttled?.backoff.maxMs ?? 0,
      throttled?.jitterFactor ?? 1,
      lease.grantedAt,
      lease.weight ?? 1,
      throttled?.reason ?? '',
      Math.max(0, throttled?.minDelayMs ?? 0),
    ]) as Promise<Reply>;
  }

  /** `usage.lua`: 8 values per cell. */
  usage(set: CellSet, now: number): Promise<Reply> {
    return this.#run('usage', this.#scripts.credchainUsage, this.#baseKeys, [
      ...this.#header(now),
      set.names.length,
      ...set.names,
    ]) as Promise<Reply>;
  }

  /**
   * `heartbeat.lua`: this process's renewals, removals and check-in, in one
   * command (bounded by `timeoutMs`: a probe waits less than a command).
   */
  async heartbeat(
    process: string,
    request: HeartbeatRequest,
    timeoutMs = this.#config.commandTimeoutMs,
  ): Promise<HeartbeatReply> {
    const names: string[] = [];
    const slot = new Map<string, number>();
    const indexOf = (cell: string) => {
      let at = slot.get(cell);
      if (at === undefined) {
        names.push(cell);
        at = names.length;
        slot.set(cell, at);
      }
      return at;
    };
    const removals: (string | number)[] = [];
    for (const { id, weight, cells } of request.removals) {
      for (const cell of cells) removals.push(indexOf(cell), id, weight);
    }
    const held: (string | number)[] = [];
    for (const [id, lease] of request.held) {
      held.push(
        indexOf(lease.cell),
        id,
        lease.weight,
        Math.min(lease.capacity, Number.MAX_SAFE_INTEGER),
      );
    }
    const reply = (await this.#run(
      'heartbeat',
      this.#scripts.credchainHeartbeat,
      timeoutMs,
      this.#baseKeys,
      [
        ...this.#header(Date.now()),
        process,
        request.leaving ? 1 : 0,
        removals.length / 3,
        request.held.length,
        names.length,
        ...names,
        ...removals,
        ...held,
      ],
    )) as Reply;
    return {
      live: Number(reply[0]),
      recovering: Number(reply[1]) === 1,
      statuses: reply.slice(2).map(Number),
    };
  }

  /** `cool-down.lua`: `set` (markThrottled) or `extend` (a fall-back's, written back). */
  coolDown(cell: string, until: number, mode: 'set' | 'extend', reason = ''): Promise<unknown> {
    return this.#run('coolDown', this.#scripts.credchainCoolDown, this.#baseKeys, [
      ...this.#header(Date.now()),
      cell,
      until,
      mode,
      reason,
    ]);
  }

  /** `merge-episode.lua`: a fall-back's streak change, written back. */
  mergeEpisode(cell: string, episode: UnsharedEpisode): Promise<unknown> {
    return this.#run(
      'mergeEpisode',
      this.#scripts.credchainMergeEpisode,
      [this.#keys.accounts],
      [cell, episode.episodeStart, episode.streak, episode.resetAt],
    );
  }

  /** A cool-down of the fall-back, written back (the later end wins). */
  extendCoolDown(cell: string, coolDown: UnsharedCoolDown): Promise<unknown> {
    return this.coolDown(cell, coolDown.until, 'extend', coolDown.reason ?? '');
  }

  /** KEYS of the scripts that need no layout. */
  get #baseKeys(): readonly string[] {
    this.#base ??= this.#keysOf(this.#keys.layout('-'));
    return this.#base;
  }

  /** The fixed KEYS of `lua/include/pool.lua`, with `layout` last. */
  #keysOf(layout: string): string[] {
    const k = this.#keys;
    return [
      k.accounts,
      k.fleet,
      k.processes,
      k.pending,
      k.capacity,
      k.room,
      k.big,
      k.cooling,
      k.expiries,
      k.queue,
      k.waiters,
      k.granted,
      layout,
    ];
  }

  /** ARGV[1..6] of every script (see `lua/include/pool.lua`). */
  #header(now: number): (string | number)[] {
    const c = this.#config;
    return [this.#keys.prefix, now, c.leaseTtlMs, c.gapMs, c.leaseTtlMs, c.livenessMs];
  }

  /** One script, bounded in time; fails at once while the client could only queue it. */
  #run(
    what: string,
    script: LuaScript,
    ...rest:
      | [keys: readonly string[], args: readonly (string | number)[]]
      | [timeoutMs: number, keys: readonly string[], args: readonly (string | number)[]]
  ): Promise<unknown> {
    const [timeoutMs, keys, args] =
      rest.length === 3 ? rest : [this.#config.commandTimeoutMs, ...rest];
    const unusable = this.#client.unusable();
    if (unusable !== undefined) return Promise.reject(new RedisNotSentError(unusable));
    let work: Promise<unknown>;
    try {
      work = this.#client.evalScript(script, keys, args);
    } catch (error) {
      return Promise.reject(error);
    }
    // A late failure after the timeout must not become an unhandled rejection.
    work.catch(() => undefined);
    const bounded = withTimeout(work, timeoutMs, what);
    // The client may need to look at the topology again (a failover).
    bounded.catch(() => this.#client.refresh());
    return bounded;
  }
}

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
  /** KEYS of `acquire` and `usage`: the accounts, fleet, processes and pending keys, then each cell's lease set. */
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

  /** The cell set of `cells`, with the keys the scripts need. */
  cellSet(cells: readonly CellRef[], names: readonly string[]): CellSet {
    const k = this.#keys;
    return {
      cells,
      names,
      keys: [k.accounts, k.fleet, k.processes, k.pending, ...k.cellLeases(names)],
    };
  }

  /** `acquire.lua`: `{1, cell}` or `{0, usage…}`. */
  acquire(request: AcquireRequest, id: string, set: CellSet): Promise<Reply> {
    const { capacity, preference } = request;
    const args: (string | number)[] = [
      request.now,
      this.#config.leaseTtlMs,
      id,
      request.weight ?? 1,
      this.#keys.releaseChannel,
      this.#config.gapMs,
      this.#config.leaseTtlMs,
      set.names.length,
      preference.length,
      ...preference,
    ];
    for (const c of capacity) args.push(Math.min(c, Number.MAX_SAFE_INTEGER));
    for (const name of set.names) args.push(name);
    return this.#run('acquire', this.#scripts.credchainAcquire, set.keys, args) as Promise<Reply>;
  }

  /** `release.lua`: `{released, streak, until, episode start, reason}`. */
  release(cell: string, lease: PoolLease, outcome: LeaseOutcome): Promise<Reply> {
    const throttled = outcome.kind === 'throttled' ? outcome : undefined;
    return this.#run(
      'release',
      this.#scripts.credchainRelease,
      [this.#keys.accounts, this.#keys.leases(cell)],
      [
        cell,
        lease.id,
        outcome.kind,
        throttled?.now ?? 0,
        throttled?.backoff.initialMs ?? 0,
        throttled?.backoff.multiplier ?? 1,
        throttled?.backoff.maxMs ?? 0,
        throttled?.jitterFactor ?? 1,
        this.#keys.releaseChannel,
        lease.grantedAt,
        lease.weight ?? 1,
        throttled?.reason ?? '',
        Math.max(0, throttled?.minDelayMs ?? 0),
      ],
    ) as Promise<Reply>;
  }

  /** `usage.lua`: 8 values per cell. */
  usage(set: CellSet): Promise<Reply> {
    return this.#run('usage', this.#scripts.credchainUsage, set.keys, [
      set.names.length,
      this.#keys.releaseChannel,
      this.#config.gapMs,
      this.#config.leaseTtlMs,
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
    const k = this.#keys;
    const keys = [k.fleet, k.processes, k.pending];
    const slot = new Map<string, number>();
    const keyOf = (cell: string) => {
      let at = slot.get(cell);
      if (at === undefined) {
        keys.push(k.leases(cell));
        at = keys.length - 3;
        slot.set(cell, at);
      }
      return at;
    };
    const removals: (string | number)[] = [];
    for (const { id, weight, cells } of request.removals) {
      for (const cell of cells) removals.push(keyOf(cell), id, weight);
    }
    const held: (string | number)[] = [];
    for (const [id, lease] of request.held) {
      held.push(
        keyOf(lease.cell),
        id,
        lease.weight,
        Math.min(lease.capacity, Number.MAX_SAFE_INTEGER),
      );
    }
    const reply = (await this.#run('heartbeat', this.#scripts.credchainHeartbeat, timeoutMs, keys, [
      process,
      this.#config.leaseTtlMs,
      this.#config.gapMs,
      this.#config.leaseTtlMs,
      this.#keys.releaseChannel,
      request.leaving ? 1 : 0,
      removals.length / 3,
      request.held.length,
      ...removals,
      ...held,
    ])) as Reply;
    return {
      live: Number(reply[0]),
      recovering: Number(reply[1]) === 1,
      statuses: reply.slice(2).map(Number),
    };
  }

  /** `cool-down.lua`: `set` (markThrottled) or `extend` (a fall-back's, written back). */
  coolDown(cell: string, until: number, mode: 'set' | 'extend', reason = ''): Promise<unknown> {
    return this.#run(
      'coolDown',
      this.#scripts.credchainCoolDown,
      [this.#keys.accounts],
      [cell, until, mode, reason],
    );
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

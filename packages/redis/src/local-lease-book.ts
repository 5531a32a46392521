import {
  type AccountUsage,
  type AcquireRequest,
  type AcquireResult,
  applyThrottle,
  type CellRef,
  cellKey,
  cellsOf,
  type LeaseOutcome,
  type PoolLease,
  type ThrottleReason,
  type ThrottleRecord,
} from '@credchain/aws';

/** One cell's numbers, as last seen in Redis or kept here while falling back. */
interface CellRecord extends ThrottleRecord {
  leases: number;
  lastLeasedAt: number;
}

/** A lease this process holds. */
export interface HeldLease {
  readonly index: number;
  /** Its cell's name ({@link cellKey}). */
  readonly cell: string;
  /** Units it holds. */
  readonly weight: number;
  /**
   * False for a lease Redis may not have: granted from memory while Redis
   * was unusable, or held when the fall-back began (Redis may lose it
   * meanwhile). Such leases are written back (adopted) when Redis returns.
   */
  inRedis: boolean;
  /** Redis let this lease expire (renew answered false): never written back. */
  expired: boolean;
}

/** What a fall-back changed in a cell's streak, for Redis when it returns. */
export interface UnsharedEpisode {
  /** Start of the latest episode begun while falling back; 0 when none. */
  episodeStart: number;
  streak: number;
  /** grantedAt of the latest success that reset the streak while falling back; -1 when none. */
  resetAt: number;
}

/** A cool-down decided while Redis could not be told. */
export interface UnsharedCoolDown {
  readonly until: number;
  readonly reason: ThrottleReason | undefined;
}

/**
 * What one process knows of its pool, kept beside Redis: the leases it holds
 * (from Redis or from memory), each cell's numbers as last seen, and the
 * cool-downs decided while Redis could not be told. While `RedisPoolState`
 * falls back, this book *is* the pool state, with the in-memory store's
 * rules — counting every lease this process holds, so the calls already in
 * flight when Redis went away still count against capacity. Cells are kept
 * by name (`2`, `2:eu-central-1`).
 */
export class LocalLeaseBook {
  readonly #held = new Map<string, HeldLease>();
  /** Units held per cell name. */
  readonly #unitsPerCell = new Map<string, number>();
  readonly #records = new Map<string, CellRecord>();
  readonly #unsharedCoolDowns = new Map<string, UnsharedCoolDown>();
  readonly #unsharedEpisodes = new Map<string, UnsharedEpisode>();

  /** The lease `id`, when this process holds it on `cell`. */
  held(id: string, cell: string): HeldLease | undefined {
    const lease = this.#held.get(id);
    return lease?.cell === cell ? lease : undefined;
  }

  /** Whether this process still holds lease `id`. */
  holds(id: string): boolean {
    return this.#held.has(id);
  }

  /** Leases held per account (index → count), a copy. */
  heldPerAccount(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const lease of this.#held.values()) {
      counts.set(lease.index, (counts.get(lease.index) ?? 0) + 1);
    }
    return new Map([...counts].sort(([a], [b]) => a - b));
  }

  /** Leases granted from memory that Redis does not know yet. */
  unshared(): [string, HeldLease][] {
    return [...this.#held].filter(([, lease]) => !lease.inRedis && !lease.expired);
  }

  /**
   * A fall-back begins: Redis may lose every lease it granted us before it
   * answers again (a restart, or an outage longer than the TTL), so all the
   * running ones are written back then — not only those granted from memory.
   */
  markAllUnshared(): void {
    for (const lease of this.#held.values()) lease.inRedis = false;
  }

  hold(id: string, cell: CellRef, weight: number, inRedis: boolean, now: number): void {
    const name = cellKey(cell.index, cell.region);
    this.#held.set(id, { index: cell.index, cell: name, weight, inRedis, expired: false });
    this.#unitsPerCell.set(name, (this.#unitsPerCell.get(name) ?? 0) + weight);
    const record = this.#record(name);
    record.leases++;
    record.lastLeasedAt = now;
  }

  /** Lets lease `id` go; returns it when this process held it (on `cell`). */
  unhold(id: string, cell: string): HeldLease | undefined {
    const lease = this.held(id, cell);
    if (!lease) return undefined;
    this.#held.delete(id);
    const left = (this.#unitsPerCell.get(cell) ?? lease.weight) - lease.weight;
    if (left > 0) this.#unitsPerCell.set(cell, left);
    else this.#unitsPerCell.delete(cell);
    return lease;
  }

  /** The in-memory rules: the first preferred cell neither cooling down nor too full here. */
  acquire(request: AcquireRequest, newId: () => string): AcquireResult {
    const cells = cellsOf(
      request.capacity.length / (request.regions?.length ?? 1),
      request.regions,
    );
    const weight = request.weight ?? 1;
    for (const number of request.preference) {
      const cell = cells[number - 1];
      if (cell === undefined) continue;
      const name = cellKey(cell.index, cell.region);
      if (this.#record(name).throttledUntil > request.now) continue;
      const units = this.#unitsPerCell.get(name) ?? 0;
      if (units + weight > (request.capacity[number - 1] ?? 0)) continue;
      const id = newId();
      this.hold(id, cell, weight, false, request.now);
      return { acquired: true, lease: leaseOf(cell, id, request.now, weight) };
    }
    return { acquired: false, usage: this.usage(cells) };
  }

  /** Records an outcome by the in-memory rules; a new cool-down is remembered for Redis. */
  applyOutcome(
    lease: PoolLease,
    outcome: LeaseOutcome,
  ): { streak: number; throttledUntil: number } {
    const name = cellKey(lease.index, lease.region);
    const record = this.#record(name);
    if (outcome.kind === 'success') {
      // A call leased before the latest episode says nothing about the cell since.
      if (lease.grantedAt >= record.episodeStart) {
        record.streak = 0;
        const episode = this.#unsharedEpisode(name);
        episode.resetAt = Math.max(episode.resetAt, lease.grantedAt);
        episode.streak = 0;
      }
    } else if (outcome.kind === 'throttled') {
      const effect = applyThrottle(record, outcome);
      if (effect.extended) {
        this.#unsharedCoolDowns.set(name, {
          until: record.throttledUntil,
          reason: record.reason,
        });
      }
      if (effect.newEpisode) {
        // A reset before this episode is superseded by it.
        this.#unsharedEpisodes.set(name, {
          episodeStart: outcome.now,
          streak: record.streak,
          resetAt: -1,
        });
      }
    }
    return { streak: record.streak, throttledUntil: record.throttledUntil };
  }

  /** What Redis answered to a release: the cell's streak, cool-down end and episode start. */
  rememberRelease(
    cell: string,
    outcome: LeaseOutcome,
    answer: {
      streak: number;
      throttledUntil: number;
      episodeStart: number;
      reason: ThrottleReason | undefined;
    },
  ): void {
    const record = this.#record(cell);
    Object.assign(record, answer);
    if (outcome.kind === 'throttled') record.throttles++;
  }

  /** Sets a cool-down end (forgetting its reason); `unshared` when Redis could not be told. */
  coolDown(cell: string, until: number, unshared: boolean): void {
    const record = this.#record(cell);
    record.throttledUntil = until;
    record.reason = undefined;
    if (unshared) this.#unsharedCoolDowns.set(cell, { until, reason: undefined });
    else this.#unsharedCoolDowns.delete(cell);
  }

  /** Cool-downs Redis has not heard of, by cell name. */
  unsharedCoolDowns(): [string, UnsharedCoolDown][] {
    return [...this.#unsharedCoolDowns];
  }

  /** Redis now has this cool-down (or a later one). */
  coolDownShared(cell: string, written: UnsharedCoolDown): void {
    if (this.#unsharedCoolDowns.get(cell) === written) this.#unsharedCoolDowns.delete(cell);
  }

  /** Streak changes made while falling back, per cell name, for Redis. */
  unsharedEpisodes(): [string, UnsharedEpisode][] {
    return [...this.#unsharedEpisodes];
  }

  /** Redis has this cell's streak change (unless a newer one was made meanwhile). */
  episodeShared(cell: string, written: UnsharedEpisode): void {
    if (this.#unsharedEpisodes.get(cell) === written) this.#unsharedEpisodes.delete(cell);
  }

  /**
   * Remembers Redis's numbers, with each cell's episode start (which
   * `AccountUsage` does not carry), so that a fall-back starts from them.
   */
  rememberUsage(usage: readonly AccountUsage[], episodeStarts: readonly number[]): void {
    usage.forEach((u, i) => {
      const { throttledUntil, leases, throttles, streak, lastLeasedAt, reason } = u;
      Object.assign(this.#record(cellKey(u.index, u.region)), {
        throttledUntil,
        leases,
        throttles,
        streak,
        lastLeasedAt,
        reason,
        episodeStart: episodeStarts[i] ?? 0,
      });
    });
  }

  /** The cells as this process sees them: its own units in flight. */
  usage(cells: readonly CellRef[]): AccountUsage[] {
    return cells.map(({ index, region }) => {
      const name = cellKey(index, region);
      const { throttledUntil, leases, throttles, streak, lastLeasedAt, reason } =
        this.#record(name);
      return {
        index,
        ...(region !== undefined && { region }),
        inFlight: this.#unitsPerCell.get(name) ?? 0,
        throttledUntil,
        leases,
        throttles,
        streak,
        lastLeasedAt,
        ...(reason !== undefined && { reason }),
      };
    });
  }

  #unsharedEpisode(cell: string): UnsharedEpisode {
    let episode = this.#unsharedEpisodes.get(cell);
    if (!episode) {
      episode = { episodeStart: 0, streak: 0, resetAt: -1 };
      this.#unsharedEpisodes.set(cell, episode);
    }
    return episode;
  }

  #record(cell: string): CellRecord {
    let record = this.#records.get(cell);
    if (!record) {
      record = {
        throttledUntil: 0,
        leases: 0,
        throttles: 0,
        streak: 0,
        lastLeasedAt: 0,
        episodeStart: 0,
      };
      this.#records.set(cell, record);
    }
    return record;
  }
}

/** The lease a store hands out for `cell`: region and weight only when they say something. */
export function leaseOf(cell: CellRef, id: string, grantedAt: number, weight: number): PoolLease {
  return {
    index: cell.index,
    ...(cell.region !== undefined && { region: cell.region }),
    id,
    grantedAt,
    ...(weight !== 1 && { weight }),
  };
}

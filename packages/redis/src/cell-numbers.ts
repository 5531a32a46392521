import {
  type AccountUsage,
  applyThrottle,
  type CellRef,
  cellKey,
  type LeaseOutcome,
  type PoolLease,
  type ThrottleReason,
  type ThrottleRecord,
} from '@credchain/aws';

/** One cell's numbers, as last seen in Redis or kept here while Redis cannot be used. */
export interface CellRecord extends ThrottleRecord {
  leases: number;
  lastLeasedAt: number;
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
 * Each cell's numbers as this process knows them — cool-down end and
 * reason, streak and episode start, counters — by cell name (`2`,
 * `2:eu-central-1`): Redis's, remembered from its answers, so that a
 * fall-back starts from them; and what changed while Redis could not be
 * told (cool-downs, streak changes), written back when it answers again.
 */
export class CellNumbers {
  readonly #records = new Map<string, CellRecord>();
  readonly #unsharedCoolDowns = new Map<string, UnsharedCoolDown>();
  readonly #unsharedEpisodes = new Map<string, UnsharedEpisode>();

  /** The cell's record (the zero record for a cell never seen). */
  of(cell: string): CellRecord {
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

  /** A lease was granted on `cell` at `now`. */
  leased(cell: string, now: number): void {
    const record = this.of(cell);
    record.leases++;
    record.lastLeasedAt = now;
  }

  /** Records an outcome by the in-memory rules; what changed is remembered for Redis. */
  applyOutcome(
    lease: PoolLease,
    outcome: LeaseOutcome,
  ): { streak: number; throttledUntil: number } {
    const name = cellKey(lease.index, lease.region);
    const record = this.of(name);
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
    const record = this.of(cell);
    Object.assign(record, answer);
    if (outcome.kind === 'throttled') record.throttles++;
  }

  /** Sets a cool-down end (forgetting its reason); `unshared` when Redis could not be told. */
  coolDown(cell: string, until: number, unshared: boolean): void {
    const record = this.of(cell);
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
      Object.assign(this.of(cellKey(u.index, u.region)), {
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

  /** The cells as this process knows them, with `inFlight(cell)` units in flight. */
  usage(cells: readonly CellRef[], inFlight: (cell: string) => number): AccountUsage[] {
    return cells.map(({ index, region }) => {
      const name = cellKey(index, region);
      const { throttledUntil, leases, throttles, streak, lastLeasedAt, reason } = this.of(name);
      return {
        index,
        ...(region !== undefined && { region }),
        inFlight: inFlight(name),
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
}

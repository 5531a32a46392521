import {
  type AccountUsage,
  type AcquireRequest,
  type AcquireResult,
  coolDownEnd,
  type LeaseOutcome,
  type PoolLease,
} from '@credchain/aws';

/** One account's numbers, as last seen in Redis or kept here while falling back. */
interface AccountRecord {
  throttledUntil: number;
  leases: number;
  throttles: number;
  streak: number;
  lastLeasedAt: number;
  /** `now` of the throttle that started the latest cool-down (see `PoolState.release`). */
  episodeStart: number;
}

/** A lease this process holds. */
export interface HeldLease {
  readonly index: number;
  /**
   * False for a lease Redis may not have: granted from memory while Redis
   * was unusable, or held when the fall-back began (Redis may lose it
   * meanwhile). Such leases are written back (adopted) when Redis returns.
   */
  inRedis: boolean;
  /** Redis let this lease expire (renew answered false): never written back. */
  expired: boolean;
}

/** What a fall-back changed in an account's streak, for Redis when it returns. */
export interface UnsharedEpisode {
  /** Start of the latest episode begun while falling back; 0 when none. */
  episodeStart: number;
  streak: number;
  /** grantedAt of the latest success that reset the streak while falling back; -1 when none. */
  resetAt: number;
}

/**
 * What one process knows of its pool, kept beside Redis: the leases it holds
 * (from Redis or from memory), each account's numbers as last seen, and the
 * cool-downs decided while Redis could not be told. While `RedisPoolState`
 * falls back, this book *is* the pool state, with the in-memory store's
 * rules — counting every lease this process holds, so the calls already in
 * flight when Redis went away still count against capacity.
 */
export class LocalLeaseBook {
  readonly #held = new Map<string, HeldLease>();
  readonly #heldPerAccount = new Map<number, number>();
  readonly #records = new Map<number, AccountRecord>();
  readonly #unsharedCoolDowns = new Map<number, number>();
  readonly #unsharedEpisodes = new Map<number, UnsharedEpisode>();

  /** The lease `id`, when this process holds it on account `index`. */
  held(id: string, index: number): HeldLease | undefined {
    const lease = this.#held.get(id);
    return lease?.index === index ? lease : undefined;
  }

  /** Whether this process still holds lease `id`. */
  holds(id: string): boolean {
    return this.#held.has(id);
  }

  /** Leases held per account (index → count), a copy. */
  heldPerAccount(): Map<number, number> {
    return new Map(this.#heldPerAccount);
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

  hold(id: string, index: number, inRedis: boolean, now: number): void {
    this.#held.set(id, { index, inRedis, expired: false });
    this.#heldPerAccount.set(index, (this.#heldPerAccount.get(index) ?? 0) + 1);
    const record = this.#record(index);
    record.leases++;
    record.lastLeasedAt = now;
  }

  /** Lets lease `id` go; returns it when this process held it (on `index`). */
  unhold(id: string, index: number): HeldLease | undefined {
    const lease = this.held(id, index);
    if (!lease) return undefined;
    this.#held.delete(id);
    const left = (this.#heldPerAccount.get(index) ?? 1) - 1;
    if (left > 0) this.#heldPerAccount.set(index, left);
    else this.#heldPerAccount.delete(index);
    return lease;
  }

  /** The in-memory rules: the first preferred account neither cooling down nor full here. */
  acquire(request: AcquireRequest, newId: () => string): AcquireResult {
    for (const index of request.preference) {
      if (this.#record(index).throttledUntil > request.now) continue;
      if ((this.#heldPerAccount.get(index) ?? 0) >= (request.capacity[index - 1] ?? 0)) continue;
      const id = newId();
      this.hold(id, index, false, request.now);
      return { acquired: true, lease: { index, id, grantedAt: request.now } };
    }
    return { acquired: false, usage: this.usage(request.capacity.length) };
  }

  /** Records an outcome by the in-memory rules; a new cool-down is remembered for Redis. */
  applyOutcome(
    lease: PoolLease,
    outcome: LeaseOutcome,
  ): { streak: number; throttledUntil: number } {
    const { index } = lease;
    const record = this.#record(index);
    if (outcome.kind === 'success') {
      // A call leased before the latest episode says nothing about the account since.
      if (lease.grantedAt >= record.episodeStart) {
        record.streak = 0;
        const episode = this.#unsharedEpisode(index);
        episode.resetAt = Math.max(episode.resetAt, lease.grantedAt);
        episode.streak = 0;
      }
    } else if (outcome.kind === 'throttled') {
      record.throttles++;
      // Only the first report of an episode escalates the back-off.
      if (record.throttledUntil <= outcome.now) {
        record.streak++;
        record.episodeStart = outcome.now;
        record.throttledUntil = coolDownEnd(outcome, record.streak);
        this.#unsharedCoolDowns.set(index, record.throttledUntil);
        // A reset before this episode is superseded by it.
        this.#unsharedEpisodes.set(index, {
          episodeStart: outcome.now,
          streak: record.streak,
          resetAt: -1,
        });
      }
    }
    return { streak: record.streak, throttledUntil: record.throttledUntil };
  }

  /** What Redis answered to a release: the account's streak, cool-down end and episode start. */
  rememberRelease(
    index: number,
    outcome: LeaseOutcome,
    answer: { streak: number; throttledUntil: number; episodeStart: number },
  ): void {
    Object.assign(this.#record(index), answer);
    if (outcome.kind === 'throttled') this.#record(index).throttles++;
  }

  /** Sets a cool-down end; `unshared` when Redis could not be told. */
  coolDown(index: number, until: number, unshared: boolean): void {
    this.#record(index).throttledUntil = until;
    if (unshared) this.#unsharedCoolDowns.set(index, until);
    else this.#unsharedCoolDowns.delete(index);
  }

  /** Cool-downs Redis has not heard of. */
  unsharedCoolDowns(): [number, number][] {
    return [...this.#unsharedCoolDowns];
  }

  /** Redis now has this cool-down (or a later one). */
  coolDownShared(index: number, until: number): void {
    if (this.#unsharedCoolDowns.get(index) === until) this.#unsharedCoolDowns.delete(index);
  }

  /** Streak changes made while falling back, per account, for Redis. */
  unsharedEpisodes(): [number, UnsharedEpisode][] {
    return [...this.#unsharedEpisodes];
  }

  /** Redis has this account's streak change (unless a newer one was made meanwhile). */
  episodeShared(index: number, written: UnsharedEpisode): void {
    if (this.#unsharedEpisodes.get(index) === written) this.#unsharedEpisodes.delete(index);
  }

  /**
   * Remembers Redis's numbers, with each account's episode start (which
   * `AccountUsage` does not carry), so that a fall-back starts from them.
   */
  rememberUsage(usage: readonly AccountUsage[], episodeStarts: readonly number[]): void {
    for (const { index, throttledUntil, leases, throttles, streak, lastLeasedAt } of usage) {
      Object.assign(this.#record(index), {
        throttledUntil,
        leases,
        throttles,
        streak,
        lastLeasedAt,
        episodeStart: episodeStarts[index - 1] ?? 0,
      });
    }
  }

  /** Accounts 1..count as this process sees them: its own leases in flight. */
  usage(count: number): AccountUsage[] {
    return Array.from({ length: count }, (_, i) => {
      const { throttledUntil, leases, throttles, streak, lastLeasedAt } = this.#record(i + 1);
      const inFlight = this.#heldPerAccount.get(i + 1) ?? 0;
      return { index: i + 1, inFlight, throttledUntil, leases, throttles, streak, lastLeasedAt };
    });
  }

  #unsharedEpisode(index: number): UnsharedEpisode {
    let episode = this.#unsharedEpisodes.get(index);
    if (!episode) {
      episode = { episodeStart: 0, streak: 0, resetAt: -1 };
      this.#unsharedEpisodes.set(index, episode);
    }
    return episode;
  }

  #record(index: number): AccountRecord {
    let record = this.#records.get(index);
    if (!record) {
      record = {
        throttledUntil: 0,
        leases: 0,
        throttles: 0,
        streak: 0,
        lastLeasedAt: 0,
        episodeStart: 0,
      };
      this.#records.set(index, record);
    }
    return record;
  }
}

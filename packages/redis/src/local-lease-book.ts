import type {
  AccountUsage,
  AcquireRequest,
  AcquireResult,
  LeaseOutcome,
  PoolLease,
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
  /** False for a lease granted from memory while Redis was unusable, not yet written to it. */
  inRedis: boolean;
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
    return [...this.#held].filter(([, lease]) => !lease.inRedis);
  }

  hold(id: string, index: number, inRedis: boolean, now: number): void {
    this.#held.set(id, { index, inRedis });
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
      if (lease.grantedAt >= record.episodeStart) record.streak = 0;
    } else if (outcome.kind === 'throttled') {
      record.throttles++;
      // Only the first report of an episode escalates the back-off.
      if (record.throttledUntil <= outcome.now) {
        record.streak++;
        record.episodeStart = outcome.now;
        const { initialMs, multiplier, maxMs } = outcome.backoff;
        const delay = Math.min(maxMs, initialMs * multiplier ** (record.streak - 1));
        record.throttledUntil = outcome.now + Math.floor(delay * outcome.jitterFactor);
        this.#unsharedCoolDowns.set(index, record.throttledUntil);
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

  /** Remembers Redis's numbers, so that a fall-back starts from them. */
  rememberUsage(usage: readonly AccountUsage[]): void {
    for (const { index, throttledUntil, leases, throttles, streak, lastLeasedAt } of usage) {
      Object.assign(this.#record(index), {
        throttledUntil,
        leases,
        throttles,
        streak,
        lastLeasedAt,
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

import { coolDownEnd } from './cool-down-end';
import type {
  AccountUsage,
  AcquireRequest,
  AcquireResult,
  LeaseOutcome,
  PoolLease,
  PoolState,
  ReleaseResult,
} from './pool-state';

interface AccountRecord {
  inFlight: number;
  throttledUntil: number;
  leases: number;
  throttles: number;
  streak: number;
  lastLeasedAt: number;
  /** `now` of the throttle that started the latest cool-down (see PoolState.release). */
  episodeStart: number;
}

const zero = (): AccountRecord => ({
  inFlight: 0,
  throttledUntil: 0,
  leases: 0,
  throttles: 0,
  streak: 0,
  lastLeasedAt: 0,
  episodeStart: 0,
});

/**
 * The default {@link PoolState}: one process, no expiry. Each operation runs
 * synchronously inside its Promise-returning method, so it is atomic with
 * respect to every other caller in the process.
 */
export class InMemoryPoolState implements PoolState {
  readonly #accounts = new Map<number, AccountRecord>();
  /** Live lease id → account. */
  readonly #leases = new Map<string, number>();
  readonly #listeners = new Set<() => void>();
  #nextLeaseId = 0;

  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    for (const index of request.preference) {
      const record = this.#record(index);
      if (record.throttledUntil > request.now) continue;
      if (record.inFlight >= (request.capacity[index - 1] ?? 0)) continue;
      record.inFlight++;
      record.leases++;
      record.lastLeasedAt = request.now;
      const id = `${++this.#nextLeaseId}`;
      this.#leases.set(id, index);
      return { acquired: true, lease: { index, id, grantedAt: request.now } };
    }
    return { acquired: false, usage: this.#snapshot(request.capacity.length) };
  }

  async release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult> {
    const released = this.#leases.get(lease.id) === lease.index;
    const record = this.#record(lease.index);
    if (released) {
      this.#leases.delete(lease.id);
      record.inFlight--;
    }
    if (outcome.kind === 'success') {
      // A call leased before the episode began proves nothing about the
      // account since: at a concurrency limit such successes are the norm.
      if (lease.grantedAt >= record.episodeStart) record.streak = 0;
    } else if (outcome.kind === 'throttled') {
      record.throttles++;
      // Calls in flight when an episode began report it too: only the first
      // report of an episode escalates the back-off.
      if (record.throttledUntil <= outcome.now) {
        record.streak++;
        record.episodeStart = outcome.now;
        record.throttledUntil = coolDownEnd(outcome, record.streak);
      }
    }
    const result = { released, streak: record.streak, throttledUntil: record.throttledUntil };
    if (released) this.#notify();
    return result;
  }

  async coolDown(index: number, until: number): Promise<void> {
    this.#record(index).throttledUntil = until;
  }

  async renew(lease: PoolLease, _now?: number): Promise<boolean> {
    return this.#leases.get(lease.id) === lease.index;
  }

  async usage(count: number, _now?: number): Promise<AccountUsage[]> {
    return this.#snapshot(count);
  }

  onRelease(listener: () => void): () => void {
    // A wrapper, so the same function registered twice unregisters separately.
    const entry = () => listener();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  #record(index: number): AccountRecord {
    let record = this.#accounts.get(index);
    if (!record) {
      record = zero();
      this.#accounts.set(index, record);
    }
    return record;
  }

  #snapshot(count: number): AccountUsage[] {
    return Array.from({ length: count }, (_, i) => {
      const { inFlight, throttledUntil, leases, throttles, streak, lastLeasedAt } = this.#record(
        i + 1,
      );
      return { index: i + 1, inFlight, throttledUntil, leases, throttles, streak, lastLeasedAt };
    });
  }

  #notify(): void {
    if (this.#listeners.size === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A listener only re-tries acquisition; its failure is not ours to report.
      }
    }
  }
}

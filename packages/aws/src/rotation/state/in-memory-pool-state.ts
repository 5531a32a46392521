import { applyThrottle, type ThrottleRecord } from './apply-throttle';
import { cellAt, cellKey, cellsOf } from './cell-key';
import type {
  AccountUsage,
  AcquireRequest,
  AcquireResult,
  LeaseOutcome,
  PoolLease,
  PoolState,
  ReleaseResult,
} from './pool-state';

interface CellRecord extends ThrottleRecord {
  /** Units held by live leases. */
  inFlight: number;
  leases: number;
  lastLeasedAt: number;
}

const zero = (): CellRecord => ({
  inFlight: 0,
  throttledUntil: 0,
  leases: 0,
  throttles: 0,
  streak: 0,
  lastLeasedAt: 0,
  episodeStart: 0,
});

/** A live lease: its cell and the units it holds. */
interface LiveLease {
  readonly key: string;
  readonly weight: number;
}

/**
 * The default {@link PoolState}: one process, no expiry. Each operation runs
 * synchronously inside its Promise-returning method, so it is atomic with
 * respect to every other caller in the process.
 */
export class InMemoryPoolState implements PoolState {
  /** Cell name ({@link cellKey}) → its numbers. */
  readonly #cells = new Map<string, CellRecord>();
  /** Live lease id → its cell and weight. */
  readonly #leases = new Map<string, LiveLease>();
  readonly #listeners = new Set<() => void>();
  #nextLeaseId = 0;

  /**
   * The preferred cells first; then the others in cell order. A refusal
   * looks at every cell (this store is one process: the scan is its cost
   * only when nothing in the preference qualifies).
   */
  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const { capacity, now, regions } = request;
    const weight = request.weight ?? 1;
    const excluded = request.exclude?.length ? new Set(request.exclude) : undefined;
    for (const number of request.preference) {
      if (excluded?.has(number)) continue;
      const cell = cellAt(number, regions);
      const key = cellKey(cell.index, cell.region);
      const record = this.#record(key);
      if (record.throttledUntil > now) continue;
      if (record.inFlight + weight > (capacity[number - 1] ?? 0)) continue;
      return this.#grant(cell, key, record, weight, now);
    }
    let full = false;
    let retryAt = 0;
    for (let number = 1; number <= capacity.length; number++) {
      const room = capacity[number - 1] ?? 0;
      if (room < weight || excluded?.has(number)) continue;
      const cell = cellAt(number, regions);
      const key = cellKey(cell.index, cell.region);
      const record = this.#record(key);
      if (record.throttledUntil > now) {
        if (retryAt === 0 || record.throttledUntil < retryAt) retryAt = record.throttledUntil;
      } else if (record.inFlight + weight > room) {
        full = true;
      } else {
        return this.#grant(cell, key, record, weight, now);
      }
    }
    return {
      acquired: false,
      refusal: full ? 'full' : retryAt > 0 ? 'cooling' : 'none',
      retryAt,
    };
  }

  #grant(
    cell: { index: number; region?: string },
    key: string,
    record: CellRecord,
    weight: number,
    now: number,
  ): AcquireResult {
    record.inFlight += weight;
    record.leases++;
    record.lastLeasedAt = now;
    const id = `${++this.#nextLeaseId}`;
    this.#leases.set(id, { key, weight });
    return {
      acquired: true,
      lease: {
        index: cell.index,
        ...(cell.region !== undefined && { region: cell.region }),
        id,
        grantedAt: now,
        ...(weight !== 1 && { weight }),
      },
    };
  }

  async release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult> {
    const key = cellKey(lease.index, lease.region);
    const live = this.#leases.get(lease.id);
    const released = live?.key === key;
    const record = this.#record(key);
    if (released) {
      this.#leases.delete(lease.id);
      record.inFlight -= live.weight;
    }
    if (outcome.kind === 'success') {
      // A call leased before the episode began proves nothing about the
      // cell since: at a concurrency limit such successes are the norm.
      if (lease.grantedAt >= record.episodeStart) record.streak = 0;
    } else if (outcome.kind === 'throttled') {
      applyThrottle(record, outcome);
    }
    const result = { released, streak: record.streak, throttledUntil: record.throttledUntil };
    if (released) this.#notify();
    return result;
  }

  async coolDown(index: number, until: number, region?: string): Promise<void> {
    const record = this.#record(cellKey(index, region));
    record.throttledUntil = until;
    record.reason = undefined;
  }

  async renew(lease: PoolLease, _now?: number): Promise<boolean> {
    return this.#leases.get(lease.id)?.key === cellKey(lease.index, lease.region);
  }

  async usage(count: number, _now?: number, regions?: readonly string[]): Promise<AccountUsage[]> {
    return this.#snapshot(cellsOf(count, regions));
  }

  onRelease(listener: () => void): () => void {
    // A wrapper, so the same function registered twice unregisters separately.
    const entry = () => listener();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  #record(key: string): CellRecord {
    let record = this.#cells.get(key);
    if (!record) {
      record = zero();
      this.#cells.set(key, record);
    }
    return record;
  }

  #snapshot(cells: readonly { index: number; region?: string }[]): AccountUsage[] {
    return cells.map(({ index, region }) => {
      const { inFlight, throttledUntil, leases, throttles, streak, lastLeasedAt, reason } =
        this.#record(cellKey(index, region));
      return {
        index,
        ...(region !== undefined && { region }),
        inFlight,
        throttledUntil,
        leases,
        throttles,
        streak,
        lastLeasedAt,
        ...(reason !== undefined && { reason }),
      };
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

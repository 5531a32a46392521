import {
  type AccountUsage,
  type AcquireRequest,
  type AcquireResult,
  type CellRef,
  cellKey,
  type PoolLease,
} from '@credchain/aws';
import { CellNumbers } from './cell-numbers';

/** A lease this process holds. */
export interface HeldLease {
  readonly index: number;
  /** Its cell's name ({@link cellKey}). */
  readonly cell: string;
  /** Units it holds. */
  readonly weight: number;
  /** Its cell's capacity when it was granted: the room Redis needs to count it anew. */
  readonly capacity: number;
  /**
   * False for a lease Redis has never counted: granted from memory, in a
   * place this process let go while Redis could not be told. The next
   * heartbeat writes it (with the removal of the lease whose place it took).
   */
  inRedis: boolean;
  /**
   * Redis did not count it at the latest heartbeat (its place had gone to
   * another process): its call runs uncounted. The next heartbeats try to
   * count it again; its place is never reused here.
   */
  lost: boolean;
  /** Until when (epoch ms, this process's clock) Redis counts a place for it, at least. */
  coveredUntil: number;
}

/** A lease id Redis may still hold although this process has let it go. */
export interface PendingRemoval {
  readonly id: string;
  /** Units (members in a lease set: `<id>`, `<id>#2`, …). */
  readonly weight: number;
  /** The cells whose lease sets may hold it (every cell known after a timed-out acquire). */
  readonly cells: readonly string[];
}

/**
 * What one process knows of its leases, beside Redis: the leases it holds,
 * those it let go that Redis may still count (removed at the next
 * heartbeat), and — while Redis cannot be used — the places it may reuse.
 *
 * The fall-back rule: a process that cannot reach Redis keeps running the
 * calls it holds and may start new calls only in the places of its own
 * calls that ended meanwhile, and only while Redis would still count those
 * places for it (the ended lease's TTL, from its last renewal). Every place
 * it uses is one Redis counts for it, so the fleet as a whole never exceeds
 * a cell's capacity, whoever falls back and for however long. A process
 * that held nothing gets nothing until Redis answers again.
 */
export class LocalLeaseBook {
  /** Each cell's numbers (cool-downs, streaks, counters), Redis's and the fall-back's. */
  readonly numbers = new CellNumbers();
  readonly #held = new Map<string, HeldLease>();
  /** Units held per cell name. */
  readonly #unitsPerCell = new Map<string, number>();
  /** Per cell name: one entry per reusable unit, until when Redis counts it. */
  readonly #spare = new Map<string, number[]>();
  #removals: PendingRemoval[] = [];

  /** The lease `id`, when this process holds it on `cell`. */
  held(id: string, cell: string): HeldLease | undefined {
    const lease = this.#held.get(id);
    return lease?.cell === cell ? lease : undefined;
  }

  /** Whether this process still holds lease `id`. */
  holds(id: string): boolean {
    return this.#held.has(id);
  }

  /** Every lease held, by id (a snapshot). */
  all(): [string, HeldLease][] {
    return [...this.#held];
  }

  /** Leases held per account (index → count), a copy. */
  heldPerAccount(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const lease of this.#held.values()) {
      counts.set(lease.index, (counts.get(lease.index) ?? 0) + 1);
    }
    return new Map([...counts].sort(([a], [b]) => a - b));
  }

  hold(
    id: string,
    cell: CellRef,
    lease: Pick<HeldLease, 'weight' | 'capacity' | 'inRedis' | 'coveredUntil'>,
    now: number,
  ): void {
    const name = cellKey(cell.index, cell.region);
    this.#held.set(id, { index: cell.index, cell: name, ...lease, lost: false });
    this.#unitsPerCell.set(name, (this.#unitsPerCell.get(name) ?? 0) + lease.weight);
    this.numbers.leased(name, now);
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

  /**
   * A lease let go while Redis could not be told: Redis still counts its
   * place for this process (until its coverage ends), so this process may
   * start another call there meanwhile. A lost lease leaves no place.
   */
  keepPlace(lease: HeldLease): void {
    if (lease.lost) return;
    const spare = this.#spare.get(lease.cell) ?? [];
    for (let unit = 0; unit < lease.weight; unit++) spare.push(lease.coveredUntil);
    this.#spare.set(lease.cell, spare);
  }

  /** Redis may still hold lease `id` (on `cells`): remove it at the next heartbeat. */
  addRemoval(id: string, weight: number, cells: readonly string[]): void {
    this.#removals.push({ id, weight, cells });
  }

  /** How many removals wait to be sent. */
  get pendingRemovals(): number {
    return this.#removals.length;
  }

  /**
   * The removals to send now. Their places stop being this process's to
   * reuse at once: Redis may free them as soon as the command runs.
   */
  takeRemovals(): PendingRemoval[] {
    const taken = this.#removals;
    this.#removals = [];
    this.#spare.clear();
    return taken;
  }

  /** Removals whose command failed (they may or may not have run): sent again later. */
  putBackRemovals(removals: readonly PendingRemoval[]): void {
    this.#removals = [...removals, ...this.#removals];
  }

  /**
   * The fall-back's acquire: the first cell — preferred, else any with
   * spare units — that is not excluded, not cooling down and has `weight`
   * reusable units still counted by Redis (at `at`, this process's clock).
   * A refusal is `'full'`: the pool waits in its own process.
   */
  acquireFromSpare(
    request: AcquireRequest,
    set: { readonly cells: readonly CellRef[]; readonly numbers: ReadonlyMap<string, number> },
    newId: () => string,
    at: number,
  ): AcquireResult {
    const weight = request.weight ?? 1;
    const excluded = new Set(request.exclude ?? []);
    const spareCells = [...this.#spare.keys()].map((name) => set.numbers.get(name) ?? 0);
    for (const number of [...request.preference, ...spareCells]) {
      const cell = set.cells[number - 1];
      if (cell === undefined || excluded.has(number)) continue;
      const name = cellKey(cell.index, cell.region);
      if (this.numbers.of(name).throttledUntil > request.now) continue;
      const spare = (this.#spare.get(name) ?? []).filter((until) => until > at);
      this.#spare.set(name, spare);
      if (spare.length < weight) continue;
      // The places counted longest first: the new call is covered as long as can be.
      spare.sort((a, b) => b - a);
      const taken = spare.splice(0, weight);
      const id = newId();
      this.hold(
        id,
        cell,
        {
          weight,
          capacity: request.capacity[number - 1] ?? weight,
          inRedis: false,
          coveredUntil: Math.min(...taken),
        },
        request.now,
      );
      return { acquired: true, lease: leaseOf(cell, id, request.now, weight) };
    }
    return { acquired: false, refusal: 'full', retryAt: 0 };
  }

  /** The cells as this process sees them: its own units in flight, Redis's last numbers. */
  usage(cells: readonly CellRef[]): AccountUsage[] {
    return this.numbers.usage(cells, (name) => this.#unitsPerCell.get(name) ?? 0);
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

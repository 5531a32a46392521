import type { LocalLeaseBook } from './local-lease-book';
import type { HeartbeatReply, PoolScripts } from './pool-scripts';

/** What one heartbeat found. */
export interface HeartbeatOutcome {
  readonly reply: HeartbeatReply;
  /**
   * Running leases Redis counts after it: those it still had, renewed, and
   * those it did not have, written anew (granted from memory, or lost to a
   * failover).
   */
  readonly counted: number;
  /** Running leases Redis neither had nor had room for, newly: their calls run uncounted. */
  readonly lost: number;
}

/**
 * One process's batched renewals: every `periodMs`, one `heartbeat.lua`
 * renews every lease it holds (writing anew those Redis lacks, when there
 * is room), removes the leases it let go that Redis may still hold, and
 * registers the process as alive. The same beat checks the process in when
 * Redis answers again after an outage.
 */
export class LeaseHeartbeat {
  #timer: NodeJS.Timeout | undefined;
  /** Live processes at the latest beat (0 before the first). */
  #live = 0;

  constructor(
    private readonly scripts: PoolScripts,
    private readonly book: LocalLeaseBook,
    private readonly processId: string,
    private readonly leaseTtlMs: number,
    private readonly now: () => number,
  ) {}

  /** Processes the latest heartbeat saw alive in the namespace. */
  get live(): number {
    return this.#live;
  }

  /**
   * Sends one heartbeat and applies Redis's answer to the book. Rejects when
   * Redis could not be used (the removals it carried are sent again later).
   */
  async beat(leaving = false, timeoutMs?: number): Promise<HeartbeatOutcome> {
    const removals = this.book.takeRemovals();
    const held = leaving ? [] : this.book.all();
    const sentAt = this.now();
    let reply: HeartbeatReply;
    try {
      reply = await this.scripts.heartbeat(this.processId, { leaving, removals, held }, timeoutMs);
    } catch (error) {
      this.book.putBackRemovals(removals);
      throw error;
    }
    this.#live = reply.live;
    let counted = 0;
    let lost = 0;
    held.forEach(([id, lease], i) => {
      const status = reply.statuses[i] ?? 0;
      if (status === 0) {
        // Told once: a lease stays lost until its call ends (or Redis has room again).
        if (!lease.lost) lost++;
        lease.lost = true;
        return;
      }
      counted++;
      if (!this.book.holds(id)) {
        // Let go while this beat ran (and told to nobody yet): out again next time.
        if (status === 2) this.book.addRemoval(id, lease.weight, [lease.cell]);
        return;
      }
      lease.inRedis = true;
      lease.lost = false;
      lease.coveredUntil = sentAt + this.leaseTtlMs;
    });
    return { reply, counted, lost };
  }

  /**
   * Calls `tick` every `periodMs` until {@link LeaseHeartbeat.stop} (the
   * timer never keeps a process alive). Once: `RedisLink` starts it only
   * when it is not {@link LeaseHeartbeat.running}.
   */
  start(periodMs: number, tick: () => void): void {
    this.#timer = setInterval(tick, periodMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }
}

import type {
  AcquireRefusal,
  AcquireRequest,
  AcquireResult,
  CellRef,
  PoolLease,
  WaitOptions,
} from '@credchain/aws';
import type { CellLayouts } from './cell-layouts';
import type { FleetLine, LineAnswer } from './fleet-line';
import { type LocalLeaseBook, leaseOf } from './local-lease-book';
import type { CellSet, PoolScripts } from './pool-scripts';
import type { RedisLink } from './redis-link';
import { RedisNotSentError } from './redis-not-sent-error';
import type { RedisPoolStateConfig } from './redis-pool-state-options';

/** What {@link LeaseAcquisition} needs from its state. */
export interface LeaseAcquisitionParts {
  readonly config: RedisPoolStateConfig;
  readonly scripts: PoolScripts;
  readonly layouts: CellLayouts;
  readonly book: LocalLeaseBook;
  readonly link: RedisLink;
  readonly line: FleetLine;
  /** This process's id: the prefix of every lease id it makes. */
  readonly instanceId: string;
}

/**
 * How a `RedisPoolState` grants a lease: `acquire.lua` (registering the
 * layout first when Redis lacks it), joining the fleet's line when asked
 * to wait; while Redis cannot be used, a place of this process's own that
 * Redis still counts. A granted lease is held by this process from then on.
 */
export class LeaseAcquisition {
  #sequence = 0;

  constructor(private readonly parts: LeaseAcquisitionParts) {}

  /** acquire.lua (registering the layout first when Redis lacks it); with `join`, the line too. */
  async acquire(
    request: AcquireRequest,
    join: WaitOptions | undefined,
  ): Promise<AcquireResult | LineAnswer | 'queued'> {
    const { config, scripts, layouts, book, link, line } = this.parts;
    link.assertOpen('acquire');
    link.startHeartbeat();
    const set = layouts.of(request.capacity.length, request.regions);
    if (link.degraded && !(await link.usable('acquire'))) {
      return this.#acquireFromSpare(request, set);
    }
    join?.signal?.throwIfAborted();
    if (join !== undefined && config.wakeUp === 'pubsub') {
      await line.listen(config.commandTimeoutMs);
    }
    const id = this.#newLeaseId();
    const sentAt = Date.now();
    const version = layouts.versionOf(set, request);
    const lineOptions = join && {
      ...(join.waitUntil !== undefined && { waitUntil: join.waitUntil }),
    };
    let reply: readonly (number | string)[];
    if (join !== undefined) line.expect(id);
    try {
      reply = await scripts.acquire(request, id, set, version, lineOptions);
      if (Number(reply[0]) === -1) {
        await scripts.register(set, version, request.capacity, request.now);
        reply = await scripts.acquire(request, id, set, version, lineOptions);
      }
    } catch (error) {
      // The script may still run when Redis answers again (a client keeps it
      // queued): that lease is removed then, wherever it landed.
      if (!(error instanceof RedisNotSentError)) {
        book.addRemoval(id, request.weight ?? 1, set.names);
        // It may have joined the line too: it leaves it then.
        if (join !== undefined) line.abandon(id);
      }
      if (join !== undefined) line.unexpect(id);
      link.failed('acquire', error, true);
      return this.#acquireFromSpare(request, set);
    }
    if (book.pendingRemovals > 0) void link.beatSoon();
    if (join !== undefined && Number(reply[0]) !== 2) line.unexpect(id);
    switch (Number(reply[0])) {
      case 1: {
        const number = set.numbers.get(String(reply[1])) ?? 0;
        const lease = this.adopt(id, set, number, request, request.now, sentAt);
        return { acquired: true, lease };
      }
      case 2:
        return join === undefined ? 'queued' : line.wait(id, set, request, join, Number(reply[2]));
      default:
        return { acquired: false, refusal: refusalOf(reply[1]), retryAt: Number(reply[2]) };
    }
  }

  /** A lease granted to this process (by its acquire, or handed over in the line): held from now. */
  adopt(
    id: string,
    set: CellSet,
    number: number,
    request: AcquireRequest,
    grantedAt: number,
    sentAt = Date.now(),
  ): PoolLease {
    const cell = set.cells[number - 1] as CellRef;
    const weight = request.weight ?? 1;
    this.parts.book.hold(
      id,
      cell,
      {
        weight,
        capacity: request.capacity[number - 1] ?? weight,
        inRedis: true,
        coveredUntil: sentAt + this.parts.config.leaseTtlMs,
      },
      request.now,
    );
    return leaseOf(cell, id, grantedAt, weight);
  }

  #newLeaseId(): string {
    return `${this.parts.instanceId}.${++this.#sequence}`;
  }

  /** The fall-back's acquire: a place of this process's own, still counted in Redis. */
  #acquireFromSpare(request: AcquireRequest, set: CellSet): AcquireResult {
    return this.parts.book.acquireFromSpare(request, set, () => this.#newLeaseId(), Date.now());
  }
}

/** A refusal's reason as the scripts spell it. */
function refusalOf(why: unknown): AcquireRefusal {
  return why === 'cooling' || why === 'none' ? why : 'full';
}

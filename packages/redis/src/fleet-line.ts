import type { AcquireRequest, AcquireResult, PoolLease, WaitOptions } from '@credchain/aws';
import type { RedisSubscriber } from './client/redis-script-client';
import type { CellSet, PoolScripts } from './pool-scripts';
import { LINGER_MS, WakeChannel } from './wake-channel';

/** What {@link FleetLine} needs from its state. */
export interface FleetLineParts {
  readonly scripts: PoolScripts;
  /** This process's subscriber; undefined with `wakeUp: 'polling'` (found by the poll only). */
  readonly subscriber: RedisSubscriber | undefined;
  /** This process's wake-up channel. */
  readonly channel: string;
  /** A lease handed to waiter `id` on cell `number` of `set`: held by this process from now. */
  readonly adopt: (
    id: string,
    set: CellSet,
    number: number,
    request: AcquireRequest,
    grantedAt: number,
  ) => PoolLease;
  /** A script failed: Redis cannot be used (the state's outage begins). */
  readonly failed: (operation: string, error: unknown) => void;
}

/** A waiter's answer, or `'again'`: it was dropped from the line and joins it anew. */
export type LineAnswer = AcquireResult | 'again';

interface Waiter {
  readonly set: CellSet;
  readonly request: AcquireRequest;
  readonly resolve: (answer: LineAnswer) => void;
  /** When the first cool-down it may wait for ends (0: none): the poll comes then. */
  retryAt: number;
}

/**
 * This process's waiters in the fleet's line (`lua/include/queue.lua`):
 * each joined it in the script that refused it; a release anywhere in the
 * fleet hands the next waiter its place and tells only that waiter's
 * process, on its own channel — one message per hand-off, whatever the
 * size of the fleet. The channel is subscribed once for every pool of the
 * state while anything waits (and {@link LINGER_MS} after); a poll every
 * `pollMs` (sooner when a cool-down it waits for ends) finds a hand-off
 * whose message was lost, drops a waiter for whom waiting stopped helping,
 * and rejoins one the line lost. An aborted waiter leaves the line at once
 * (`leave.lua`; a place handed over in that race goes back to the next).
 */
export class FleetLine {
  readonly #waiting = new Map<string, Waiter>();
  /** Ids a poll found served, whose message may still come (then ignored). */
  readonly #claimed = new Set<string>();
  /** Waiters sent away by an outage, still in the line in Redis (they leave it when it answers). */
  readonly #evacuated = new Set<string>();
  /** Requests whose join is under way, and the hand-offs that came before their answer. */
  readonly #expected = new Set<string>();
  readonly #early = new Map<string, string>();
  readonly #channel: WakeChannel;
  #timer: NodeJS.Timeout | undefined;
  #pollMs = 1_000;

  constructor(private readonly parts: FleetLineParts) {
    this.#channel = new WakeChannel(parts.subscriber, parts.channel, (message) =>
      this.#delivered(message),
    );
  }

  /** How many calls of this process wait in the line. */
  get size(): number {
    return this.#waiting.size;
  }

  /** Subscribes this process's channel (see {@link WakeChannel.listen}). */
  listen(timeoutMs: number): Promise<boolean> {
    return this.#channel.listen(timeoutMs);
  }

  /**
   * Waits for waiter `id` (in the line already) to be handed a place;
   * rejects with the signal's reason when it aborts first.
   */
  wait(
    id: string,
    set: CellSet,
    request: AcquireRequest,
    options: WaitOptions,
    retryAt: number,
  ): Promise<LineAnswer> {
    return new Promise<LineAnswer>((resolve, reject) => {
      const { signal } = options;
      const onAbort = () => {
        if (!this.#waiting.delete(id)) return;
        this.#leave(id);
        this.#idleCheck();
        reject(signal?.reason);
      };
      this.#waiting.set(id, {
        set,
        request,
        retryAt,
        resolve: (answer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      });
      this.#pollMs = options.pollMs;
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      const early = this.#early.get(id);
      this.#settled(id);
      if (early !== undefined && this.#waiting.has(id)) this.#delivered(early);
      else this.#arm();
    });
  }

  /**
   * Request `id` is about to ask to join the line: a hand-off message that
   * comes before the script's answer (the subscriber is another connection)
   * is kept for {@link FleetLine.wait}, not taken for a waiter gone.
   */
  expect(id: string): void {
    this.#expected.add(id);
  }

  /** Request `id` did not join the line (granted at once, refused, or no answer). */
  unexpect(id: string): void {
    const early = this.#early.get(id);
    this.#settled(id);
    // Never for a script that answered: a message means it joined after all.
    if (early !== undefined) this.#delivered(early);
  }

  #settled(id: string): void {
    this.#expected.delete(id);
    this.#early.delete(id);
  }

  /** A lease of this process ended: a late message for it means nothing any more. */
  forget(id: string): void {
    this.#claimed.delete(id);
  }

  /**
   * Redis cannot be used: every waiter is told to wait in its own process
   * (`'full'`). A place handed to one later is given back when its message
   * comes (its id is no longer waiting).
   */
  evacuate(): void {
    const waiters = [...this.#waiting.entries()];
    this.#waiting.clear();
    for (const [id, waiter] of waiters) {
      this.#evacuated.add(id);
      waiter.resolve({ acquired: false, refusal: 'full', retryAt: 0 });
    }
    this.#idleCheck();
  }

  /**
   * A request that asked to join the line got no answer (Redis failed): it
   * may be in the line all the same, and leaves it when Redis answers again.
   */
  abandon(id: string): void {
    this.#evacuated.add(id);
  }

  /**
   * Redis is used again: the waiters evacuated during the outage leave the
   * line there (a place already handed to one goes back to the next), so
   * that they hold neither the line nor a place until their process is
   * found dead.
   */
  rejoined(): void {
    const ids = [...this.#evacuated];
    this.#evacuated.clear();
    for (const id of ids) this.#leave(id);
  }

  /** Evacuates and closes the subscription. */
  close(): void {
    this.evacuate();
    this.#channel.close();
  }

  /** A hand-off's message: `<id> <cell> <grantedAt>`. */
  #delivered(message: string): void {
    const [id = '', name = '', at = '0'] = message.split(' ');
    const waiter = this.#waiting.get(id);
    if (waiter === undefined && this.#expected.has(id)) {
      this.#early.set(id, message);
      return;
    }
    if (waiter === undefined) {
      // Its poll answer came first; or it left (aborted, or an outage):
      // the place goes to the next waiter.
      this.#evacuated.delete(id);
      if (!this.#claimed.delete(id)) this.#leave(id);
      return;
    }
    this.#served(id, waiter, name, Number(at));
  }

  #served(id: string, waiter: Waiter, name: string, grantedAt: number): void {
    this.#waiting.delete(id);
    const number = waiter.set.numbers.get(name);
    if (number === undefined) {
      // A cell this pool does not have (never granted by the scripts): back, and again.
      this.#leave(id);
      waiter.resolve('again');
    } else {
      const lease = this.parts.adopt(id, waiter.set, number, waiter.request, grantedAt);
      waiter.resolve({ acquired: true, lease });
    }
    this.#idleCheck();
  }

  #leave(id: string): void {
    // On failure the waiter is dropped with its process, and a place handed
    // to it expires with its lease (this process does not renew it).
    this.parts.scripts.leave(id, Date.now()).catch(() => undefined);
  }

  async #poll(): Promise<void> {
    const ids = [...this.#waiting.keys()];
    if (ids.length === 0) return;
    let reply: readonly (string | number)[];
    try {
      reply = await this.parts.scripts.poll(ids, Date.now());
    } catch (error) {
      this.parts.failed('poll', error);
      this.#arm();
      return;
    }
    for (let at = 0; at < reply.length; at += 4) {
      const id = String(reply[at]);
      const state = String(reply[at + 1]);
      const waiter = this.#waiting.get(id);
      if (waiter === undefined) continue;
      if (state === 'granted') {
        this.#claimed.add(id);
        this.#served(id, waiter, String(reply[at + 2]), Number(reply[at + 3]));
      } else if (state === 'waiting') {
        waiter.retryAt = Number(reply[at + 3]);
      } else {
        this.#waiting.delete(id);
        waiter.resolve(
          state === 'refused'
            ? {
                acquired: false,
                refusal: String(reply[at + 2]) === 'none' ? 'none' : 'cooling',
                retryAt: Number(reply[at + 3]),
              }
            : 'again',
        );
      }
    }
    this.#idleCheck();
    this.#arm();
  }

  /** The next poll: `pollMs`, or sooner when a cool-down a waiter may wait for ends. */
  #arm(): void {
    if (this.#timer !== undefined || this.#waiting.size === 0) return;
    let delay = this.#pollMs;
    const now = Date.now();
    for (const { retryAt } of this.#waiting.values()) {
      if (retryAt > 0) delay = Math.min(delay, retryAt - now);
    }
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        void this.#poll();
      },
      Math.max(1, Math.ceil(delay)),
    );
    // Waiting alone must not keep a process alive.
    this.#timer.unref();
  }

  /** Nothing waits: no poll; the channel is let go after {@link LINGER_MS}. */
  #idleCheck(): void {
    if (this.#waiting.size > 0) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#channel.idle(() => this.#waiting.size > 0);
  }
}

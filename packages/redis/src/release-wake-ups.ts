import type { RedisScriptClient, RedisSubscription } from './client/redis-script-client';
import type { RedisWakeUp } from './redis-pool-state-options';

/**
 * The listeners of `PoolState.onRelease`, told when capacity may have
 * freed: by this process (a release, a recovery) at once, and — with
 * `wakeUp: 'pubsub'` — by any process of the fleet through the pool's
 * channel, on a connection subscribed the first time someone listens.
 */
export class ReleaseWakeUps {
  readonly #listeners = new Set<() => void>();
  #subscription: RedisSubscription | undefined;
  #closed = false;

  constructor(
    private readonly client: RedisScriptClient,
    private readonly channel: string,
    private readonly wakeUp: RedisWakeUp,
  ) {}

  /** Registers `listener`; returns the function that unregisters it (idempotent). */
  add(listener: () => void): () => void {
    // A wrapper, so the same function registered twice unregisters separately.
    const entry = () => listener();
    this.#listeners.add(entry);
    if (this.wakeUp === 'pubsub' && !this.#closed) {
      this.#subscription ??= this.client.subscribe(this.channel, () => this.notify());
    }
    return () => {
      this.#listeners.delete(entry);
    };
  }

  notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A listener only re-tries acquisition; its failure is not ours to report.
      }
    }
  }

  /** Ends the subscription and forgets every listener. */
  close(): void {
    this.#closed = true;
    this.#subscription?.close();
    this.#subscription = undefined;
    this.#listeners.clear();
  }
}

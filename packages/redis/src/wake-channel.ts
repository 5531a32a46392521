import type { RedisSubscriber } from './client/redis-script-client';

/** How long the channel stays subscribed after the last waiter left (a burst seldom ends for good). */
export const LINGER_MS = 1_000;

/**
 * A process's wake-up channel (`<prefix>:wake:<process>`): subscribed once,
 * for every waiter of the state, while anything waits, and let go
 * {@link LINGER_MS} after the last one left. Without a subscriber
 * (`wakeUp: 'polling'`) it never listens: hand-offs are found by the poll.
 */
export class WakeChannel {
  #listening: Promise<boolean> | undefined;
  #idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscriber: RedisSubscriber | undefined,
    private readonly channel: string,
    private readonly onMessage: (message: string) => void,
  ) {}

  /**
   * Subscribes (once, or again after a subscription that failed; a pending
   * let-go is called off); resolves true when
   * Redis confirmed, false when it could not within `timeoutMs` (a hanging
   * Redis must not hold the acquire back: a message missed meanwhile is
   * found by the poll).
   */
  listen(timeoutMs: number): Promise<boolean> {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    if (this.subscriber === undefined) return Promise.resolve(false);
    if (this.#listening === undefined) {
      const subscribing = this.subscriber
        .subscribe(this.channel, this.onMessage)
        .then((confirmed) => {
          // Not subscribed (Redis refused or was away): the next waiter tries
          // again, instead of every waiter being left to the poll until the
          // channel is let go.
          if (!confirmed && this.#listening === subscribing) this.#listening = undefined;
          return confirmed;
        });
      this.#listening = subscribing;
    }
    const listening = this.#listening;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      void listening.then((confirmed) => {
        clearTimeout(timer);
        resolve(confirmed);
      });
    });
  }

  /** Nothing waits: the channel is let go after {@link LINGER_MS}, unless `busy()` says otherwise then. */
  idle(busy: () => boolean): void {
    if (this.#listening === undefined || this.#idle !== undefined) return;
    this.#idle = setTimeout(() => {
      this.#idle = undefined;
      if (busy()) return;
      this.subscriber?.unsubscribe(this.channel);
      this.#listening = undefined;
    }, LINGER_MS);
    this.#idle.unref();
  }

  /** Closes the subscription (and its connection). */
  close(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    this.subscriber?.close();
    this.#listening = undefined;
  }
}

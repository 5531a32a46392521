/** A Redis command that did not answer in time. */
export class RedisTimeoutError extends Error {
  override readonly name = 'RedisTimeoutError';
}

/**
 * Settles with `work`, or rejects with a {@link RedisTimeoutError} after
 * `ms`. ioredis keeps a command queued while it reconnects (as long as its
 * own options allow, possibly forever), so every command gets its own bound.
 * A late answer is swallowed: the caller has already moved on (and has
 * queued whatever compensation the operation needs).
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new RedisTimeoutError(`${what}: no answer from Redis within ${ms} ms`));
    }, ms);
    // The command itself keeps the process alive if anything does.
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Redis could not be used for a pool operation and the state was told not
 * to fall back (`onRedisError: 'fail'`). The message says which operation
 * and why (timeout, connection, a Redis error such as READONLY); `cause`
 * keeps the original error. Holds no key material.
 */
export class RedisPoolStateError extends Error {
  override readonly name = 'RedisPoolStateError';

  constructor(operation: string, reason: string, options?: { cause?: unknown }) {
    super(`RedisPoolState: ${operation} failed: ${reason}`, options);
  }
}

/**
 * A command refused before it was sent: the client could only have queued
 * it (its connection is down). Unlike a timeout, Redis certainly did not
 * run it.
 */
export class RedisNotSentError extends Error {
  override readonly name = 'RedisNotSentError';
}

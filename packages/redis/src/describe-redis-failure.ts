import { messageOf } from '@credchain/core';
import { RedisTimeoutError } from './with-timeout';

/** Why a Redis command failed, in words: Redis's own text for a Redis error (READONLY, …). */
export function describeRedisFailure(error: unknown): string {
  if (error instanceof RedisTimeoutError) return error.message;
  const message = messageOf(error);
  // Redis's own errors start with a code word: READONLY, CLUSTERDOWN, MOVED,
  // TRYAGAIN, MASTERDOWN, LOADING, NOSCRIPT, OOM, ERR, …
  if (/^[A-Z]{2,}(?: |$)/.test(message)) return `Redis answered "${message}"`;
  return message;
}

import { messageOf } from '@credchain/core';
import { RedisTimeoutError } from './with-timeout';

/** Why a Redis command failed, in words: Redis's own text for a Redis error (READONLY, …). */
export function describeRedisFailure(error: unknown): string {
  if (error instanceof RedisTimeoutError) return error.message;
  const message = messageOf(error);
  if (error instanceof Error && error.name === 'ReplyError') return `Redis answered "${message}"`;
  return message;
}

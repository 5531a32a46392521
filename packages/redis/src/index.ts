/**
 * @credchain/redis — account leases and cool-downs of `@credchain/aws`
 * rotation, shared by every process of a fleet through Redis.
 * @packageDocumentation
 */
export type { RedisPoolStateClient } from './client/adapt-redis-client';
export type { IoRedisClient } from './client/ioredis-script-client';
export type { NodeRedisClient } from './client/node-redis-script-client';
export { LUA_DIR, LUA_SCRIPTS } from './lua-scripts';
export { RedisKeys } from './redis-keys';
export { RedisPoolState } from './redis-pool-state';
export { RedisPoolStateError } from './redis-pool-state-error';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_PROBE_INTERVAL_MS,
  type RedisFailurePolicy,
  type RedisPoolStateConfig,
  type RedisPoolStateOptions,
  type RedisWakeUp,
  resolveRedisPoolStateConfig,
} from './redis-pool-state-options';
export { RedisTimeoutError } from './with-timeout';

import { describeValue } from './describe-client';
import { type IoRedisClient, IoRedisScriptClient } from './ioredis-script-client';
import {
  type NodeRedisClient,
  type NodeRedisFlavor,
  NodeRedisScriptClient,
} from './node-redis-script-client';
import type { RedisScriptClient } from './redis-script-client';

/**
 * The clients a `RedisPoolState` takes: ioredis `new Redis(…)` (Sentinels
 * included) and `new Cluster(…)`; node-redis v4/v5 `createClient()`,
 * `createCluster()` and v5 `createSentinel()`, connected.
 */
export type RedisPoolStateClient = IoRedisClient | NodeRedisClient;

const SUPPORTED =
  'ioredis (new Redis(…), new Redis({ sentinels, name }), new Cluster(…)) or node-redis v4/v5 (createClient(), createCluster(), createSentinel())';

const has = (value: object, name: string) =>
  typeof (value as Record<string, unknown>)[name] === 'function';

/** Which node-redis object `client` is, or undefined when it is none. */
function nodeRedisFlavor(client: object): NodeRedisFlavor | undefined {
  if (!has(client, 'sendCommand') || typeof (client as { isOpen?: unknown }).isOpen !== 'boolean') {
    return undefined;
  }
  if (has(client, 'getMasterNode')) return 'sentinel';
  if (has(client, 'getSlotMaster')) return 'cluster';
  if (has(client, 'duplicate') && has(client, 'subscribe')) return 'client';
  return undefined;
}

/**
 * The adapter for `client`, told apart by what it has (ioredis:
 * `defineCommand`; node-redis: `sendCommand` and `isOpen`).
 *
 * @throws TypeError naming the supported clients, for anything else.
 */
export function adaptRedisClient(client: unknown): RedisScriptClient {
  if (typeof client === 'object' && client !== null) {
    if (has(client, 'defineCommand') && has(client, 'duplicate') && 'status' in client) {
      const cluster = (client as { isCluster?: unknown }).isCluster === true;
      return new IoRedisScriptClient(client as IoRedisClient, cluster);
    }
    const flavor = nodeRedisFlavor(client);
    if (flavor) return new NodeRedisScriptClient(client as NodeRedisClient, flavor);
  }
  throw new TypeError(
    `RedisPoolState: expected a client of ${SUPPORTED}; got ${describeValue(client)}`,
  );
}

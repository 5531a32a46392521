/**
 * The worker's Redis client, from its config: ioredis or node-redis, to one
 * server, a Cluster or a Sentinel set. The options that matter when a master
 * fails over are set here, as the root README's "Scaling past one machine"
 * recommends: reconnect every 100 ms (ioredis's defaults back off up to 2 s,
 * which would hold the fleet up that long after a promotion).
 */
import type { RedisPoolStateClient } from '@credchain/redis';
import Redis, { Cluster } from 'ioredis';
import { createClient, createCluster, createSentinel } from 'redis';

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** Which client, and where its Redis is. */
export type RedisConnection =
  | { readonly client: 'ioredis' | 'node-redis'; readonly url: string }
  | { readonly client: 'ioredis-cluster' | 'node-redis-cluster'; readonly nodes: RedisNode[] }
  | {
      readonly client: 'ioredis-sentinel' | 'node-redis-sentinel';
      readonly sentinels: RedisNode[];
      readonly name: string;
    };

/** A connected client and the way to let it go. */
export interface ConnectedRedis {
  readonly client: RedisPoolStateClient;
  close(): Promise<void>;
}

const RETRY_MS = 100;

export async function connectRedis(connection: RedisConnection): Promise<ConnectedRedis> {
  switch (connection.client) {
    case 'ioredis': {
      const redis = new Redis(connection.url, { retryStrategy: () => RETRY_MS });
      redis.on('error', () => undefined);
      return { client: redis, close: async () => redis.disconnect() };
    }
    case 'ioredis-sentinel': {
      const redis = new Redis({
        sentinels: connection.sentinels,
        name: connection.name,
        retryStrategy: () => RETRY_MS,
        sentinelRetryStrategy: () => RETRY_MS,
      });
      redis.on('error', () => undefined);
      return { client: redis, close: async () => redis.disconnect() };
    }
    case 'ioredis-cluster': {
      const cluster = new Cluster(connection.nodes, {
        clusterRetryStrategy: () => RETRY_MS,
        retryDelayOnClusterDown: RETRY_MS,
        retryDelayOnFailover: RETRY_MS,
      });
      cluster.on('error', () => undefined);
      return { client: cluster, close: async () => cluster.disconnect() };
    }
    case 'node-redis': {
      const redis = createClient({
        url: connection.url,
        socket: { reconnectStrategy: () => RETRY_MS },
      });
      redis.on('error', () => undefined);
      await redis.connect();
      return { client: redis, close: async () => redis.destroy() };
    }
    case 'node-redis-cluster': {
      const cluster = createCluster({
        rootNodes: connection.nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
        defaults: { socket: { reconnectStrategy: () => RETRY_MS } },
      });
      cluster.on('error', () => undefined);
      await cluster.connect();
      return { client: cluster, close: async () => cluster.destroy() };
    }
    case 'node-redis-sentinel': {
      const sentinel = createSentinel({
        name: connection.name,
        sentinelRootNodes: connection.sentinels,
        nodeClientOptions: { socket: { reconnectStrategy: () => RETRY_MS } },
      });
      sentinel.on('error', () => undefined);
      await sentinel.connect();
      return { client: sentinel, close: async () => sentinel.destroy() };
    }
  }
}

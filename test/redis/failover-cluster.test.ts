/**
 * Issue 24 on a real Redis Cluster (3 masters, 3 replicas,
 * `cluster-node-timeout` 3 s): the PoolState contract through ioredis's
 * `Cluster` and node-redis's `createCluster`, then the failover drill
 * (test/support/fleet-failover.ts) once per `onRedisError`, each time
 * SIGKILLing the master that serves the namespaces' slot.
 */
import { RedisPoolState } from '@credchain/redis';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import type { RedisConnection } from '../../examples/render-fleet/src/redis-client';
import {
  ACCOUNTS,
  describeFigures,
  expectFailoverHeld,
  type FailoverFigures,
  runFailoverDrill,
} from '../support/fleet-failover';
import { describePoolStateContract } from '../support/pool-state-contract';
import { RedisCluster } from '../support/redis-cluster';

const NODE_TIMEOUT_MS = 3_000;

describe('RedisPoolState on a Redis Cluster through a master failover', () => {
  let cluster: RedisCluster;
  let run = 0;
  const figures: string[] = [];

  beforeAll(async () => {
    cluster = await RedisCluster.start({ nodeTimeoutMs: NODE_TIMEOUT_MS });
  }, 60_000);

  afterAll(async () => {
    if (figures.length > 0) console.log(figures.join('\n\n'));
    await cluster?.stop();
  });

  const ioredisCluster = () => {
    const client = new Cluster(cluster.startupNodes);
    client.on('error', () => undefined);
    return client;
  };

  describePoolStateContract(`${RedisPoolState.name} on an ioredis Cluster`, () => {
    const client = ioredisCluster();
    const state = new RedisPoolState(client, { namespace: `cluster-contract-${++run}` });
    return {
      state,
      cleanup: async () => {
        await state.close();
        client.disconnect();
      },
    };
  });

  describePoolStateContract(`${RedisPoolState.name} on a node-redis v5 cluster`, async () => {
    const client = createCluster({
      rootNodes: cluster.startupNodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
    });
    client.on('error', () => undefined);
    await client.connect();
    const state = new RedisPoolState(client, { namespace: `cluster-contract-${++run}` });
    return {
      state,
      cleanup: async () => {
        await state.close();
        client.destroy();
      },
    };
  });

  /** Two namespaces whose keys live on the master on `port`. */
  async function namespacesOn(port: number, policy: string) {
    const found: string[] = [];
    for (let i = 0; found.length < 2; i++) {
      const namespace = `failover-${policy}-${i}`;
      if ((await cluster.shardOf(`{credchain:${namespace}}`)).master.port === port) {
        found.push(namespace);
      }
    }
    return { stream: found[0] as string, hard: found[1] as string };
  }

  const leasesLeft = async (namespace: string) => {
    const client = ioredisCluster();
    const observer = new RedisPoolState(client, { namespace, leaseTtlMs: 2_000 });
    try {
      return (await observer.usage(ACCOUNTS, Date.now())).map((u) => u.inFlight);
    } finally {
      await observer.close();
      client.disconnect();
    }
  };

  const killed = new Set<number>();

  it.each(['fallback', 'fail'] as const)(
    "onRedisError '%s': at most 4 per account at every moment, 0 throttled, service back within 1 s of the promotion, no long call double-booked, 0 leases left",
    async (policy) => {
      // A master not killed yet (each drill kills one), with a replica to promote.
      const shards = await Promise.all(
        [0, 5_500, 11_000].map((slotish) => cluster.shardOf(String(slotish))),
      );
      const shard = shards.find((s) => !killed.has(s.master.port) && s.replicas.length > 0);
      if (!shard) throw new Error('no master left to kill');
      killed.add(shard.master.port);
      const nodes = cluster.startupNodes;
      const io: RedisConnection = { client: 'ioredis-cluster', nodes };
      const node: RedisConnection = { client: 'node-redis-cluster', nodes };
      const f: FailoverFigures = await runFailoverDrill({
        policy,
        namespaces: await namespacesOn(shard.master.port, policy),
        streamClients: [io, io, node],
        holderClient: io,
        askerClient: node,
        kill: () => shard.master.crash(),
        watchPromotion: async () => ({
          promoted: cluster.waitForPromotion(shard.replicas).then((p) => p.at),
        }),
        leasesLeft,
      });
      figures.push(describeFigures(`Cluster (cluster-node-timeout ${NODE_TIMEOUT_MS} ms)`, f));
      expectFailoverHeld(f);
    },
    60_000,
  );
});

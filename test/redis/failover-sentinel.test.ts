/**
 * Issue 24 on a real Sentinel set (a primary, a replica, three Sentinels,
 * `down-after-milliseconds` 3 s): the PoolState contract through ioredis
 * connected by its Sentinels and node-redis's `createSentinel`, then the
 * failover drill (test/support/fleet-failover.ts) once per `onRedisError`,
 * each on a fresh set whose primary is SIGKILLed.
 */
import { RedisPoolState } from '@credchain/redis';
import Redis from 'ioredis';
import { createSentinel } from 'redis';
import type { RedisConnection } from '../../examples/render-fleet/src/redis-client';
import {
  ACCOUNTS,
  describeFigures,
  expectFailoverHeld,
  type FailoverFigures,
  runFailoverDrill,
} from '../support/fleet-failover';
import { describePoolStateContract } from '../support/pool-state-contract';
import { RedisSentinelSet } from '../support/redis-sentinel-set';

const DOWN_AFTER_MS = 3_000;

describe('RedisPoolState on a Sentinel set through a primary failover', () => {
  const figures: string[] = [];
  let run = 0;

  afterAll(() => {
    if (figures.length > 0) console.log(figures.join('\n\n'));
  });

  const ioredisVia = (set: RedisSentinelSet) => {
    const client = new Redis({
      sentinels: set.sentinels,
      name: set.name,
      retryStrategy: () => 100,
      sentinelRetryStrategy: () => 100,
    });
    client.on('error', () => undefined);
    return client;
  };

  describe('the PoolState contract', () => {
    let set: RedisSentinelSet;

    beforeAll(async () => {
      set = await RedisSentinelSet.start({ downAfterMs: DOWN_AFTER_MS });
    }, 60_000);

    afterAll(async () => {
      await set?.stop();
    });

    describePoolStateContract(`${RedisPoolState.name} on ioredis through Sentinels`, () => {
      const client = ioredisVia(set);
      const state = new RedisPoolState(client, { namespace: `sentinel-contract-${++run}` });
      return {
        state,
        cleanup: async () => {
          await state.close();
          client.disconnect();
        },
      };
    });

    describePoolStateContract(`${RedisPoolState.name} on a node-redis v5 sentinel`, async () => {
      const client = createSentinel({ name: set.name, sentinelRootNodes: set.sentinels });
      client.on('error', () => undefined);
      await client.connect();
      const state = new RedisPoolState(client, { namespace: `sentinel-contract-${++run}` });
      return {
        state,
        cleanup: async () => {
          await state.close();
          await client.destroy();
        },
      };
    });
  });

  it.each(['fallback', 'fail'] as const)(
    "onRedisError '%s': at most 4 per account at every moment, 0 throttled, service back within 1 s of the promotion, no long call double-booked, 0 leases left",
    async (policy) => {
      const set = await RedisSentinelSet.start({ downAfterMs: DOWN_AFTER_MS });
      try {
        const sentinels = set.sentinels;
        const io: RedisConnection = { client: 'ioredis-sentinel', sentinels, name: set.name };
        const node: RedisConnection = { client: 'node-redis-sentinel', sentinels, name: set.name };
        const primary = set.server((await set.primaryPort()) as number);
        let stopWatching: () => void = () => undefined;
        const f: FailoverFigures = await runFailoverDrill({
          policy,
          namespaces: { stream: `failover-${policy}-stream`, hard: `failover-${policy}-hard` },
          streamClients: [io, io, node],
          holderClient: io,
          askerClient: node,
          kill: () => primary.crash(),
          watchPromotion: async () => {
            const watch = await set.watchSwitch();
            stopWatching = watch.stop;
            return { promoted: watch.promoted.then((p) => p.at) };
          },
          leasesLeft: async (namespace) => {
            const client = ioredisVia(set);
            const observer = new RedisPoolState(client, { namespace, leaseTtlMs: 2_000 });
            try {
              return (await observer.usage(ACCOUNTS, Date.now())).map((u) => u.inFlight);
            } finally {
              await observer.close();
              client.disconnect();
            }
          },
        });
        stopWatching();
        figures.push(describeFigures(`Sentinel (down-after-milliseconds ${DOWN_AFTER_MS})`, f));
        expectFailoverHeld(f);
      } finally {
        await set.stop();
      }
    },
    60_000,
  );
});

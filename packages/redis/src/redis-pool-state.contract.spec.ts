import Redis from 'ioredis';
import { createClient } from 'redis';
import { createClient as createClientV4 } from 'redis-v4';
import { describePoolStateContract } from '../../../test/support/pool-state-contract';
import { RedisServer } from '../../../test/support/redis-server';
import { RedisPoolState } from './redis-pool-state';

let server: RedisServer;
let run = 0;

beforeAll(async () => {
  server = await RedisServer.start();
});

afterAll(async () => {
  await server.stop();
});

// A fresh namespace per test: the same server, no shared numbers.
const options = () => ({ namespace: `contract-${++run}`, leaseTtlMs: 30_000 });

describePoolStateContract(`${RedisPoolState.name} on ioredis`, () => {
  const redis = new Redis(server.port, '127.0.0.1');
  const state = new RedisPoolState(redis, options());
  return {
    state,
    cleanup: async () => {
      await state.close();
      redis.disconnect();
    },
  };
});

describePoolStateContract(`${RedisPoolState.name} on node-redis v5 (createClient)`, async () => {
  const redis = createClient({ url: server.url });
  redis.on('error', () => undefined);
  await redis.connect();
  const state = new RedisPoolState(redis, options());
  return {
    state,
    cleanup: async () => {
      await state.close();
      redis.destroy();
    },
  };
});

describePoolStateContract(`${RedisPoolState.name} on node-redis v4 (createClient)`, async () => {
  const redis = createClientV4({ url: server.url });
  redis.on('error', () => undefined);
  await redis.connect();
  const state = new RedisPoolState(redis, options());
  return {
    state,
    cleanup: async () => {
      await state.close();
      await redis.disconnect();
    },
  };
});

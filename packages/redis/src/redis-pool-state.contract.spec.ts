import Redis from 'ioredis';
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

describePoolStateContract(RedisPoolState.name, () => {
  const redis = new Redis(server.port, '127.0.0.1');
  // A fresh namespace per test: the same server, no shared numbers.
  const state = new RedisPoolState(redis, { namespace: `contract-${++run}`, leaseTtlMs: 30_000 });
  return {
    state,
    cleanup: async () => {
      await state.close();
      redis.disconnect();
    },
  };
});

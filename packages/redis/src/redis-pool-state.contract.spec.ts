import Redis from 'ioredis';
import { refusedEndpoint } from '../../../test/support/loopback';
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

// Redis unreachable from the start: the fall-back follows the same contract,
// for this one process.
describePoolStateContract(`${RedisPoolState.name}, falling back (Redis refused)`, async () => {
  const port = Number(new URL(await refusedEndpoint()).port);
  const redis = new Redis(port, '127.0.0.1', { retryStrategy: () => 1_000 });
  redis.on('error', () => undefined);
  await new Promise<void>((resolve) => redis.once('reconnecting', () => resolve()));
  const warnings: string[] = [];
  const state = new RedisPoolState(redis, {
    namespace: 'contract-fallback',
    leaseTtlMs: 30_000,
    logger: { debug: () => undefined, warn: (m) => warnings.push(m) },
  });
  return {
    state,
    cleanup: async () => {
      expect(state.mode).toBe('fallback');
      expect(warnings).toHaveLength(1);
      await state.close();
      redis.disconnect();
    },
  };
});

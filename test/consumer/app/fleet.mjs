// Fleet consumer: @credchain/redis beside the app's own (older) ioredis, by
// `import` and by `require` (one instance), running one pool.run on a real
// Redis (its port in REDIS_PORT; its namespace in REDIS_NAMESPACE, for the
// runtime matrix running on one server).
import { createRequire } from 'node:module';
import { AccountPool } from '@credchain/aws';
import { RedisPoolState } from '@credchain/redis';
import Redis from 'ioredis';

const require = createRequire(import.meta.url);
const redis = new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT) });
const state = new RedisPoolState(redis, {
  namespace: process.env.REDIS_NAMESPACE ?? 'consumer',
  leaseTtlMs: 5_000,
});
const pool = AccountPool.fromEnv(
  {
    AWS_KEY_1: 'AKIAEXAMPLECONSUMER1',
    AWS_SECRET_1: 'secret-consumer-0123456789',
    AWS_KEY_2: 'AKIAEXAMPLECONSUMER2',
    AWS_SECRET_2: 'secret-consumer-9876543210',
  },
  { capacity: 1, state, strategy: 'round-robin' },
);
try {
  const used = await Promise.all([1, 2].map(() => pool.run(({ index }) => index)));
  const stats = await pool.stats();
  console.log(
    JSON.stringify({
      sameClass: require('@credchain/redis').RedisPoolState === RedisPoolState,
      ioredis: require('ioredis/package.json').version,
      used: used.sort(),
      inFlight: stats.map((s) => s.inFlight),
      leases: stats.map((s) => s.leases),
    }),
  );
} finally {
  await state.close();
  redis.disconnect();
}

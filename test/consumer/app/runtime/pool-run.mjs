// pool.run in memory: two accounts, one lease each at a time, six calls at
// once. Inside each call the chain must resolve the leased account after an
// await on a timer (the scope rides AsyncLocalStorage, which Bun and Deno
// implement themselves).
import { AccountPool, createCredentialChain } from '@credchain/aws';
import { redactKeyId } from '@credchain/core';

const env = {
  AWS_KEY_1: 'AKIAFAKEPOOLACCOUNT1',
  AWS_SECRET_1: 'fake-secret-pool-1',
  AWS_KEY_2: 'AKIAFAKEPOOLACCOUNT2',
  AWS_SECRET_2: 'fake-secret-pool-2',
};
const pool = AccountPool.fromEnv(env, { capacity: 1, strategy: 'round-robin' });
const chain = createCredentialChain({ env: {} });
let inFlight = 0;
let maxInFlight = 0;
const calls = await Promise.all(
  Array.from({ length: 6 }, () =>
    pool.run(async ({ index }) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const credentials = await chain.resolve();
      inFlight--;
      return [index, redactKeyId(credentials.accessKeyId)];
    }),
  ),
);
console.log(
  JSON.stringify({
    leasedSigned: calls.every(([index, key]) => key === redactKeyId(env[`AWS_KEY_${index}`])),
    accounts: [...new Set(calls.map(([index]) => index))].sort(),
    maxInFlight,
    leases: (await pool.stats()).map((s) => s.leases),
  }),
);

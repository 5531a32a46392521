/**
 * Heap held by `count` S3 clients, run with `node --expose-gc`:
 *   node --expose-gc client-memory.js cached|plain <count>
 * cached: one `AwsClientCache` (maxSize ≥ count) holding `count` clients, one
 * per rotated account (distinct key pairs, same region), as account rotation
 * produces them; plain: `count` `new S3Client(…)` kept in an array. Prints one
 * JSON line: `{ bytes, perClient, size }`.
 */
const { AWS_PACKAGE } = require('../lib/common');

const REGION = 'eu-west-1';
const keyId = (i) => `AKIAFAKEBENCH${String(i).padStart(7, '0')}`;
const secret = (i) => `fakeBenchSecretKeyThatIsNotARealSecret${String(i).padStart(2, '0')}`;

function settledHeap() {
  for (let i = 0; i < 4; i++) global.gc();
  return process.memoryUsage().heapUsed;
}

function main() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  const [side, countArg] = process.argv.slice(2);
  const count = Number(countArg);
  const { S3Client } = require('@aws-sdk/client-s3');
  const { AwsClientCache } = require(AWS_PACKAGE);

  // Warm-up outside the measurement: module-level state built on first use.
  const env = {};
  const cache = new AwsClientCache({ env, maxSize: count + 10 });
  for (let i = 0; i < 3; i++) {
    env.REMOTION_AWS_ACCESS_KEY_ID = keyId(count + i);
    env.REMOTION_AWS_SECRET_ACCESS_KEY = secret(count + i);
    cache.get(S3Client, { region: REGION });
    new S3Client({
      region: REGION,
      credentials: { accessKeyId: keyId(i), secretAccessKey: secret(i) },
    }).destroy();
  }
  cache.clear();

  const kept = [];
  const before = settledHeap();
  if (side === 'cached') {
    for (let i = 0; i < count; i++) {
      env.REMOTION_AWS_ACCESS_KEY_ID = keyId(i);
      env.REMOTION_AWS_SECRET_ACCESS_KEY = secret(i);
      cache.get(S3Client, { region: REGION });
    }
    if (cache.size !== count) throw new Error(`cache holds ${cache.size}, expected ${count}`);
  } else if (side === 'plain') {
    for (let i = 0; i < count; i++) {
      kept.push(
        new S3Client({
          region: REGION,
          credentials: { accessKeyId: keyId(i), secretAccessKey: secret(i) },
        }),
      );
    }
  } else {
    throw new Error(`unknown side ${side}`);
  }
  const after = settledHeap();
  const size = side === 'cached' ? cache.size : kept.length;
  process.stdout.write(
    `${JSON.stringify({ bytes: after - before, perClient: (after - before) / count, size })}\n`,
  );
  cache.clear();
  for (const client of kept) client.destroy();
}

main();

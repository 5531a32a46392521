/**
 * 6. Client cache:
 *   - speed: `AwsClientCache.get(S3Client, { region })` on a hit vs
 *     `new S3Client({ region, credentials })` (what the cache saves per call),
 *     once over `process.env` (the default, and the reference's pattern: a
 *     plain write there is seen by the next `get()`, so every hit re-reads
 *     the variables that decide the source) and once over an injected object;
 *   - memory: heap per client for 1,000 cached clients (one per rotated
 *     account) vs 1,000 plain clients, each side in its own
 *     `node --expose-gc` process, alternating.
 */
const path = require('node:path');
const {
  AWS_PACKAGE,
  FAKE,
  median,
  pairedRatio,
  pick,
  rotate,
  timedSpawn,
} = require('../lib/common');

const REGION = 'eu-west-1';
const MEMORY_CHILD = path.join(__dirname, '..', 'children', 'client-memory.js');

function timeLoop(fn, n) {
  const start = process.hrtime.bigint();
  let last;
  for (let i = 0; i < n; i++) last = fn();
  const ns = Number(process.hrtime.bigint() - start) / n;
  if (last === undefined) throw new Error('no client');
  return ns;
}

module.exports = async function clientCache({ smoke }) {
  const { S3Client } = require('@aws-sdk/client-s3');
  const { AwsClientCache } = require(AWS_PACKAGE);

  const cache = new AwsClientCache({
    env: {
      REMOTION_AWS_ACCESS_KEY_ID: FAKE.accessKeyId,
      REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey,
    },
  });
  // This child's process.env is the bench's controlled one; add the keys.
  process.env.REMOTION_AWS_ACCESS_KEY_ID = FAKE.accessKeyId;
  process.env.REMOTION_AWS_SECRET_ACCESS_KEY = FAKE.secretAccessKey;
  const processCache = new AwsClientCache();
  const credentials = { ...FAKE };
  const first = cache.get(S3Client, { region: REGION });
  const processFirst = processCache.get(S3Client, { region: REGION });
  const sides = [
    {
      id: 'hit',
      n: pick(smoke, 5_000, 200),
      fn: () => cache.get(S3Client, { region: REGION }),
      ns: [],
    },
    {
      id: 'processHit',
      n: pick(smoke, 5_000, 200),
      fn: () => processCache.get(S3Client, { region: REGION }),
      ns: [],
    },
    {
      id: 'construct',
      n: pick(smoke, 500, 20),
      fn: () => new S3Client({ region: REGION, credentials }),
      ns: [],
    },
  ];
  const rounds = pick(smoke, 15, 2);
  for (const side of sides) timeLoop(side.fn, side.n); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const side of rotate(sides, round)) side.ns.push(timeLoop(side.fn, side.n));
  }
  if (cache.get(S3Client, { region: REGION }) !== first || cache.size !== 1) {
    throw new Error('the hit path did not return the cached client');
  }
  if (processCache.get(S3Client, { region: REGION }) !== processFirst) {
    throw new Error('the process.env hit path did not return the cached client');
  }
  // The freshness the hit path keeps: a plain write is seen by the next get().
  process.env.REMOTION_AWS_SECRET_ACCESS_KEY = `${FAKE.secretAccessKey}-rotated`;
  if (processCache.get(S3Client, { region: REGION }) === processFirst) {
    throw new Error('a process.env write was not seen by the next get()');
  }
  cache.clear();
  processCache.clear();

  const count = pick(smoke, 1_000, 200);
  const memoryRounds = pick(smoke, 3, 1);
  const bytes = { cached: [], plain: [] };
  for (let round = 0; round < memoryRounds; round++) {
    for (const side of rotate(['cached', 'plain'], round)) {
      const { stdout } = timedSpawn(
        ['--expose-gc', MEMORY_CHILD, side, String(count)],
        process.env,
      );
      const result = JSON.parse(stdout.trim().split('\n').pop());
      if (result.size !== count) throw new Error(`${side}: ${result.size} clients, not ${count}`);
      bytes[side].push(result.perClient);
    }
  }

  const [hit, processHit, construct] = sides;
  const speed = pairedRatio(construct.ns, hit.ns);
  const processSpeed = pairedRatio(construct.ns, processHit.ns);
  const cachedPerClient = median(bytes.cached);
  const plainPerClient = median(bytes.plain);
  const memoryRatio = plainPerClient / cachedPerClient;
  const t = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);
  const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
  return {
    details: {
      rounds,
      medianNsPerCall: {
        hit: median(hit.ns),
        processEnvHit: median(processHit.ns),
        construct: median(construct.ns),
      },
      speedRatio: speed,
      processEnvSpeedRatio: processSpeed,
      memory: {
        clients: count,
        rounds: memoryRounds,
        bytesPerClient: { cached: cachedPerClient, plain: plainPerClient },
        totalMiB: {
          cached: (cachedPerClient * count) / 2 ** 20,
          plain: (plainPerClient * count) / 2 ** 20,
        },
        samples: bytes,
        ratio: memoryRatio,
      },
    },
    rows: [
      {
        id: 'clientCacheProcessEnvHitVsConstruct',
        bench: '6 client cache',
        metric: 'get(S3Client, { region }) hit on process.env vs new S3Client(…)',
        credchain: `${t(median(processHit.ns))}/get`,
        other: `new ${t(median(construct.ns))}`,
        ratio: processSpeed,
        goal: '≥ 50',
        met: processSpeed >= 50,
      },
      {
        id: 'clientCacheHitVsConstruct',
        bench: '6 client cache',
        metric: 'same, env injected as an object',
        credchain: `${t(median(hit.ns))}/get`,
        other: `new ${t(median(construct.ns))}`,
        ratio: speed,
        goal: '≥ 50',
        met: speed >= 50,
      },
      {
        id: 'clientCacheMemoryPerClient',
        bench: '6 client cache',
        metric: `heap per client, ${count.toLocaleString('en')} cached vs ${count.toLocaleString('en')} plain`,
        credchain: `${kib(cachedPerClient)} (${((cachedPerClient * count) / 2 ** 20).toFixed(1)} MiB)`,
        other: `plain ${kib(plainPerClient)}`,
        ratio: memoryRatio,
        goal: '—',
        met: null,
      },
    ],
  };
};

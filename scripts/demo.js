// The credchain demo: no AWS account, no .env, nothing but 127.0.0.1.
// Starts a fake S3 (s3rver), resolves credentials through the default chain
// from a temporary profile file, explains the chain, does a real signed
// Put/Get through AwsClientCache, rotates across two accounts with
// AccountPool.withAccount, sends a burst of renders to a fake Lambda with a
// per-account concurrency limit through AccountPool.run, and shuts
// everything down.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { mkdtemp, rm, writeFile } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const S3rver = require('s3rver');
const S3rverAccount = require('s3rver/lib/models/account');
const { GetObjectCommand, PutObjectCommand, S3Client } = require('@aws-sdk/client-s3');
const { InvokeCommand, LambdaClient } = require('@aws-sdk/client-lambda');
const loadSupport = require('../test/support/load-support');
const { AccountPool, AwsClientCache, createCredentialChain } = require('../packages/aws/dist');
const { redactKeyId } = require('../packages/core/dist');

// Obviously fake keys: s3rver only knows these three.
const PROFILE_KEYS = { id: 'AKIAFAKEDEMOPROFILE1', secret: 'fake-demo-profile-secret-not-real' };
const ACCOUNT_KEYS = [
  { id: 'AKIAFAKEDEMOACCOUNT1', secret: 'fake-demo-account-1-secret-not-real' },
  { id: 'AKIAFAKEDEMOACCOUNT2', secret: 'fake-demo-account-2-secret-not-real' },
];
const BUCKET = 'credchain-demo';

async function main() {
  const home = await mkdtemp(join(tmpdir(), 'credchain-demo-'));
  const credentialsFile = join(home, 'credentials');
  await writeFile(
    credentialsFile,
    `[demo]\naws_access_key_id = ${PROFILE_KEYS.id}\naws_secret_access_key = ${PROFILE_KEYS.secret}\n`,
  );
  const registered = [PROFILE_KEYS, ...ACCOUNT_KEYS].map((keys, i) => {
    new S3rverAccount(900000000001 + i, `demo-${i}`).createKeyPair(keys.id, keys.secret);
    return keys.id;
  });
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(home, 's3'),
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await s3rver.run();
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    // The Node API reads only what it is given: here a plain object, as a
    // CLI would build from its environment and .env file.
    const env = {
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_CONFIG_FILE: join(home, 'config'),
      REMOTION_AWS_PROFILE: 'demo',
      AWS_KEY_1: ACCOUNT_KEYS[0].id,
      AWS_SECRET_1: ACCOUNT_KEYS[0].secret,
      AWS_KEY_2: ACCOUNT_KEYS[1].id,
      AWS_SECRET_2: ACCOUNT_KEYS[1].secret,
    };
    const chain = createCredentialChain({ env });
    const cache = new AwsClientCache({ env, chain });
    const s3Config = {
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };

    console.log(`1. fake S3 on ${endpoint}, profile file ${credentialsFile}\n`);
    const report = await chain.explain();
    console.log('2. the default chain, explained:');
    for (const a of report.attempts) {
      const reason = a.reason ? `  ${a.reason}` : '';
      console.log(
        `   ${a.provider.padEnd(19)} ${a.outcome.padEnd(12)} ${String(a.durationMs).padStart(3)} ms${reason}`,
      );
    }
    console.log(
      `   -> resolved by ${report.resolvedBy} as ${redactKeyId(report.credentials?.accessKeyId)}\n`,
    );

    const s3 = cache.get(S3Client, s3Config);
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'hello.txt', Body: 'hello from credchain' }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'hello.txt' }));
    console.log('3. signed Put/Get through AwsClientCache:');
    console.log(`   read back "${await got.Body.transformToString()}"`);
    console.log(
      `   same client on the next get(): ${cache.get(S3Client, s3Config) === s3} (cache holds ${cache.size})\n`,
    );

    const pool = AccountPool.fromEnv(env);
    console.log(`4. rotating across ${pool.count} accounts with withAccount (concurrently):`);
    const results = await Promise.all(
      [1, 2, 1, 2].map((n, i) =>
        pool.withAccount(n, async () => {
          const client = cache.get(S3Client, s3Config);
          const key = `render-${i}.txt`;
          await client.send(
            new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `account ${n}` }),
          );
          const creds = await chain.resolve();
          return `   call ${i}: account ${n} signed as ${redactKeyId(creds.accessKeyId)}, wrote ${key}`;
        }),
      ),
    );
    for (const line of results) console.log(line);
    console.log(`   clients cached: ${cache.size} (one per credential source)\n`);
    cache.clear();

    await renderBurst(env);
    console.log('6. done: clients destroyed, servers stopped, temp files removed.');
  } finally {
    await s3rver.close();
    for (const id of registered) S3rverAccount.registry.get(id)?.revokeAccessKey(id);
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * A burst of 16 renders over the two accounts, against a fake Lambda that
 * verifies signatures and runs at most 4 invocations per account at once
 * (the 5th gets Lambda's own 429 "Rate Exceeded."). pool.run leases an
 * account with room (AWS_CONCURRENCY_{n}=4), the rest wait their turn.
 */
async function renderBurst(env) {
  const { startLambdaServer } = loadSupport('lambda-server');
  const lambda = await startLambdaServer({
    accounts: ACCOUNT_KEYS.map((k) => ({ accessKeyId: k.id, secretAccessKey: k.secret })),
    concurrencyLimit: 4,
    durationMs: 100,
  });
  const clients = new AwsClientCache({ env });
  try {
    const pool = AccountPool.fromEnv(
      { ...env, AWS_CONCURRENCY_1: '4', AWS_CONCURRENCY_2: '4' },
      { strategy: 'least-recently-used' },
    );
    const start = Date.now();
    const renders = await Promise.all(
      Array.from({ length: 16 }, (_, frame) =>
        pool.run(({ index }) =>
          clients
            .get(LambdaClient, { region: 'us-east-1', endpoint: lambda.url, maxAttempts: 1 })
            .send(
              new InvokeCommand({
                FunctionName: 'render',
                Payload: Buffer.from(JSON.stringify({ frame })),
              }),
            )
            .then(() => index),
        ),
      ),
    );
    const seen = lambda.stats();
    console.log(`5. a burst of 16 renders, fake Lambda on ${lambda.url}, limit 4 per account:`);
    console.log(`   pool.run: all ${renders.length} rendered in ${Date.now() - start} ms`);
    for (const s of await pool.stats()) {
      const keyId = ACCOUNT_KEYS[s.index - 1].id;
      const server = seen[keyId] ?? { maxConcurrent: 0, throttled: 0 };
      console.log(
        `   account ${s.index} (${redactKeyId(keyId)}): ${s.leases} renders, at most ` +
          `${server.maxConcurrent} at once, ${server.throttled} throttled`,
      );
    }
    console.log('');
  } finally {
    clients.clear();
    await lambda.stop();
  }
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  process.exitCode = 1;
});

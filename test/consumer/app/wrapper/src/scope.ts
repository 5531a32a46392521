// Points 1 and 2: inside pool.run every request is signed by the leased
// account (the app's own, older @aws-sdk/client-s3 against a loopback
// recorder of each request's key id), a pool/chain prefix mismatch fails
// before signing, and the prefix is given once.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AccountPool, AccountScopeError, createAwsAuth } from '@credchain/aws';
import { redactKeyId } from '@credchain/core';
import { createAcme } from './acme';
import { ACCOUNTS, acmeEnv, describeError } from './keys';
import type { Recorder } from './loopback';

const BURST = 6;
const put = (client: S3Client, key: string) =>
  client.send(new PutObjectCommand({ Bucket: 'acme', Key: key, Body: 'x' }));

/** One pooled call: the account it leased, the key ids that signed its request, its error. */
interface PooledCall {
  readonly leased: string | null;
  readonly signedBy: string[];
  readonly error: string | null;
}

/**
 * `BURST` concurrent `pool.run` calls, call `i` sending object `<probe>-<i>`
 * with the client `clientFor()` hands it inside the call.
 */
async function burst(
  recorder: Recorder,
  pool: AccountPool,
  probe: string,
  clientFor: () => S3Client,
): Promise<PooledCall[]> {
  const settled = await Promise.allSettled(
    Array.from({ length: BURST }, (_, i) =>
      pool.run(async ({ index }) => {
        await put(clientFor(), `${probe}-${i}`);
        return index;
      }),
    ),
  );
  return settled.map((result, i) => ({
    leased:
      result.status === 'fulfilled'
        ? redactKeyId(ACCOUNTS[result.value - 1]?.accessKeyId ?? '?')
        : null,
    signedBy: signersOf(recorder, `${probe}-${i}`),
    error: result.status === 'rejected' ? describeError(result.reason).name : null,
  }));
}

function signersOf(recorder: Recorder, objectKey: string): string[] {
  return recorder.requests
    .filter((r) => r.path === `/acme/${objectKey}`)
    .map((r) => redactKeyId(r.keyId));
}

const signedAsLeased = (calls: readonly PooledCall[]) =>
  calls.every((c) => c.leased !== null && c.signedBy.length === 1 && c.signedBy[0] === c.leased);

export async function checkScope(recorder: Recorder, vaultUrl: string) {
  const env = acmeEnv(vaultUrl);
  const acme = createAcme({ env, s3Endpoint: recorder.url });
  const pool = acme.pool;
  if (pool === undefined) throw new Error('Acme built no pool');
  const config = {
    region: 'eu-central-1',
    endpoint: recorder.url,
    forcePathStyle: true,
    maxAttempts: 1,
  };

  // The wrapper's own way: a client from the client cache, taken inside the call.
  const cached = await burst(recorder, pool, 'cached', () => acme.s3());
  await put(acme.s3(), 'outside'); // outside the pool: the vault signs

  // One client built once on chain.asProvider(), used outside, then inside the pool:
  // right only when the SDK honours the provider's `memoized` flag and asks it per request.
  const shared = new S3Client({ ...config, credentials: acme.chain.asProvider() });
  await put(shared, 'shared-outside');
  const sharedWarm = await burst(recorder, pool, 'shared-warm', () => shared);
  // The same, first used inside the pool.
  const cold = new S3Client({ ...config, credentials: acme.chain.asProvider() });
  const sharedCold = await burst(recorder, pool, 'shared-cold', () => cold);
  // A client from the cache taken (and used) outside the pool, then used inside.
  const taken = acme.s3();
  const takenOutside = await burst(recorder, pool, 'taken-outside', () => taken);
  // Unpooled and pooled requests interleaved on one client (an older SDK
  // hands them one pending credentials call): a cached client and one on
  // chain.asProvider(), each taken outside the pool.
  const interleaved = async (client: S3Client, probe: string) => {
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? put(client, `${probe}-out-${i}`).then(() => null)
          : pool.run(async ({ index }) => {
              await put(client, `${probe}-in-${i}`);
              return index;
            }),
      ),
    );
    const pooledSigners = settled.flatMap((result, i) =>
      i % 2 === 0
        ? []
        : [
            {
              leased:
                result.status === 'fulfilled' && typeof result.value === 'number'
                  ? redactKeyId(ACCOUNTS[result.value - 1]?.accessKeyId ?? '?')
                  : null,
              signedBy: signersOf(recorder, `${probe}-in-${i}`),
            },
          ],
    );
    return {
      unpooledSigned: settled.filter((r, i) => i % 2 === 0 && r.status === 'fulfilled').length,
      pooledSignedByAnother: pooledSigners.filter(
        (c) => c.signedBy.length > 0 && c.signedBy[0] !== c.leased,
      ).length,
    };
  };
  // Fresh clients (a first credentials call that pooled requests can join).
  const freshCached = acme.clients.get(S3Client, { ...config, region: 'us-west-2' });
  const freshShared = new S3Client({ ...config, credentials: acme.chain.asProvider() });
  const mixedCached = await interleaved(freshCached, 'mixed-cached');
  const mixedShared = await interleaved(freshShared, 'mixed-shared');
  freshShared.destroy();
  shared.destroy();
  cold.destroy();

  // Point 1, the mismatch: the pool built without the chain's prefix, the
  // laptop's plain keys present.
  const forgotten = AccountPool.fromEnv(env, {
    keyPattern: 'ACME_AWS_KEY_{n}',
    secretPattern: 'ACME_AWS_SECRET_{n}',
  });
  const plain = createAwsAuth({ prefix: 'ACME', env });
  const mismatchErrors: unknown[] = [];
  const mismatch = await Promise.allSettled(
    Array.from({ length: BURST }, (_, i) =>
      forgotten.run(() => put(plain.clients.get(S3Client, config), `mismatch-${i}`)),
    ),
  );
  for (const result of mismatch)
    if (result.status === 'rejected') mismatchErrors.push(result.reason);
  const first = mismatchErrors[0];
  plain.clients.clear();

  // Point 2: one prefix; a prefix ending in _ refused.
  let trailing: { name: string; message: string } | null = null;
  try {
    createAwsAuth({ prefix: 'ACME_', env });
  } catch (error) {
    trailing = describeError(error);
  }
  const onePrefix = {
    prefix: acme.prefix,
    chainPrefix: acme.chain.prefix ?? null,
    clientsOnChain: acme.clients.chain === acme.chain,
    poolAccounts: pool.accounts.map((a) => a.accessKeyId),
  };
  acme.clients.clear();

  return {
    pooled: {
      cached: { calls: cached, signedAsLeased: signedAsLeased(cached) },
      outside: signersOf(recorder, 'outside'),
      sharedWarm: {
        outside: signersOf(recorder, 'shared-outside'),
        calls: sharedWarm,
        signedAsLeased: signedAsLeased(sharedWarm),
      },
      sharedCold: { calls: sharedCold, signedAsLeased: signedAsLeased(sharedCold) },
      takenOutside: { calls: takenOutside, signedAsLeased: signedAsLeased(takenOutside) },
      mixed: { cached: mixedCached, shared: mixedShared },
      sdk: {
        // The app's client-s3 and the @aws-sdk/core it signs with.
        clientS3: require('@aws-sdk/client-s3/package.json').version as string,
        core: require(
          require.resolve('@aws-sdk/core/package.json', {
            paths: [require.resolve('@aws-sdk/client-s3')],
          }),
        ).version as string,
      },
    },
    mismatch: {
      rejected: mismatchErrors.length,
      allAccountScopeErrors: mismatchErrors.every(
        (e) => e instanceof AccountScopeError && AccountScopeError.is(e),
      ),
      link: first instanceof AccountScopeError ? (first.link ?? null) : null,
      poolPrefix: first instanceof AccountScopeError ? first.poolPrefix : null,
      chainPrefix: first instanceof AccountScopeError ? (first.chainPrefix ?? null) : null,
      message: describeError(first).message,
      requests: recorder.requests.filter((r) => r.path.startsWith('/acme/mismatch-')).length,
    },
    prefix: { onePrefix, trailing },
  };
}

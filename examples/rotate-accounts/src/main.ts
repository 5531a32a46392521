/**
 * Rotating several AWS accounts, both ways.
 *
 * 1. The compatibility style (the reference system's documented pattern):
 *    `pool.applyToEnv(pool.pick(), env)` before each call. Correct one call
 *    at a time; with concurrent calls the shared variables are clobbered.
 * 2. The recommended style: `pool.withAccount(n, fn)`, which scopes account
 *    n to fn's async call tree, so concurrent calls each see their own
 *    account, through the chain and through the client cache.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { S3Client } from '@aws-sdk/client-s3';
import {
  AccountPool,
  AwsClientCache,
  createCredentialChain,
  type RedactedAccount,
} from '@credchain/aws';
import { redactKeyId } from '@credchain/core';

/** Three obviously fake accounts, as numbered variables. */
const POOL_VARIABLES = {
  AWS_KEY_1: 'AKIAFAKEROTATEACCT01',
  AWS_SECRET_1: 'fake-rotation-secret-1-not-real',
  AWS_KEY_2: 'AKIAFAKEROTATEACCT02',
  AWS_SECRET_2: 'fake-rotation-secret-2-not-real',
  AWS_KEY_3: 'AKIAFAKEROTATEACCT03',
  AWS_SECRET_3: 'fake-rotation-secret-3-not-real',
};

type Env = Record<string, string | undefined>;

/** One call: the account it meant to use and the one it signed as. */
export interface Call {
  readonly call: number;
  readonly account: number;
  /** The redacted key id of `account`. */
  readonly expected: string;
  /** The redacted key id the chain resolved inside the call. */
  readonly resolved: string;
  /** The redacted key id the call's S3 client signs with, when one was used. */
  readonly clientSignsAs?: string;
  readonly ok: boolean;
}

export interface RotateAccountsReport {
  readonly accounts: readonly RedactedAccount[];
  readonly compatibility: { readonly sequential: Call[]; readonly concurrent: Call[] };
  readonly recommended: {
    readonly concurrent: Call[];
    /** No prefixed variable was written to the shared environment object. */
    readonly sharedEnvUntouched: boolean;
    /** Clients the cache built: one per account. */
    readonly clientsCached: number;
  };
}

/** A fresh environment object per part, as a process would have. */
const newEnv = (): Env => ({ HOME: '/nonexistent-credchain-example-home', ...POOL_VARIABLES });

/** Stands for the real work before signing (bundling, uploading…): another call may run meanwhile. */
const prepare = (ms: number) => sleep(ms);

export async function main(): Promise<RotateAccountsReport> {
  const pool = AccountPool.fromEnv(newEnv(), { strategy: 'round-robin' });
  const expected = (n: number) => pool.accounts[n - 1]?.accessKeyId ?? '(none)';
  const call = (index: number, account: number, keyId: string, clientKeyId?: string): Call => ({
    call: index + 1,
    account,
    expected: expected(account),
    resolved: redactKeyId(keyId),
    ...(clientKeyId === undefined ? {} : { clientSignsAs: redactKeyId(clientKeyId) }),
    ok:
      redactKeyId(keyId) === expected(account) &&
      (clientKeyId === undefined || redactKeyId(clientKeyId) === expected(account)),
  });

  // 1a. Compatibility style, one call after the other: correct.
  const sequentialEnv = newEnv();
  const sequentialChain = createCredentialChain({ env: sequentialEnv });
  const sequential: Call[] = [];
  for (let i = 0; i < 4; i++) {
    const n = pool.pick();
    pool.applyToEnv(n, sequentialEnv);
    await prepare(1);
    sequential.push(call(i, n, (await sequentialChain.resolve()).accessKeyId));
  }

  // 1b. The same style with two calls in flight: the second call's
  // applyToEnv overwrites the variables the first one is about to use.
  const sharedEnv = newEnv();
  const sharedChain = createCredentialChain({ env: sharedEnv });
  const concurrentCompat = await Promise.all(
    [1, 2].map(async (n, i) => {
      pool.applyToEnv(n, sharedEnv);
      await prepare(10);
      return call(i, n, (await sharedChain.resolve()).accessKeyId);
    }),
  );

  // 2. Recommended: withAccount, six calls in flight over three accounts,
  // finishing in a different order than they started.
  const scopedEnv = newEnv();
  const scopedChain = createCredentialChain({ env: scopedEnv });
  const clients = new AwsClientCache({ env: scopedEnv, chain: scopedChain });
  const picks = Array.from({ length: 6 }, () => pool.pick());
  let clientsCached: number;
  let concurrentScoped: Call[];
  try {
    concurrentScoped = await Promise.all(
      picks.map((n, i) =>
        pool.withAccount(n, async () => {
          await prepare(5 + ((i * 7) % 4) * 5);
          const credentials = await scopedChain.resolve();
          const s3 = clients.get(S3Client, { region: 'us-east-1' });
          const signing = await s3.config.credentials();
          return call(i, n, credentials.accessKeyId, signing.accessKeyId);
        }),
      ),
    );
    clientsCached = clients.size;
  } finally {
    clients.clear();
  }

  return {
    accounts: pool.accounts,
    compatibility: { sequential, concurrent: concurrentCompat },
    recommended: {
      concurrent: concurrentScoped,
      sharedEnvUntouched: !Object.keys(scopedEnv).some((name) => name.startsWith('REMOTION_')),
      clientsCached,
    },
  };
}

function formatCalls(calls: readonly Call[]): string[] {
  return calls.map((c) => {
    const client =
      c.clientSignsAs === undefined ? '' : `, its S3 client signs as ${c.clientSignsAs}`;
    const verdict = c.ok ? 'ok' : `WRONG ACCOUNT (wanted ${c.expected})`;
    return `    call ${c.call}: account ${c.account} -> chain resolved ${c.resolved}${client}  ${verdict}`;
  });
}

/** The human output: the pool, both styles, and why the scoped one is recommended. */
export function format(report: RotateAccountsReport): string {
  const { compatibility: compat, recommended: safe } = report;
  const clobbered = compat.concurrent.filter((c) => !c.ok).length;
  const scopedWrong = safe.concurrent.filter((c) => !c.ok).length;
  return [
    `Pool: ${report.accounts.map((a) => `${a.index} = ${a.accessKeyId}`).join(', ')}`,
    '',
    '1. Compatibility style: pool.applyToEnv(pool.pick(), env) before each call',
    '  one call at a time:',
    ...formatCalls(compat.sequential),
    '  two calls in flight (each applies its account, then prepares, then signs):',
    ...formatCalls(compat.concurrent),
    `  -> ${clobbered} of ${compat.concurrent.length} calls used another call's account: ` +
      'there is one set of variables, and the last applyToEnv wins.',
    '',
    '2. Recommended: pool.withAccount(n, fn), six calls in flight',
    ...formatCalls(safe.concurrent),
    `  -> ${scopedWrong === 0 ? 'every call used its own account' : `${scopedWrong} calls used another account`}; ` +
      `${safe.clientsCached} S3 clients cached (one per account);` +
      ` shared environment untouched: ${safe.sharedEnvUntouched}.`,
    '',
    'Why withAccount: it scopes the account to the call (AsyncLocalStorage) instead of',
    'writing shared variables, so concurrent renders on different accounts cannot clobber',
    'each other. Use applyToEnv only where calls never overlap.',
  ].join('\n');
}

function print(report: RotateAccountsReport): void {
  console.log(format(report));
}

function fail(error: unknown): void {
  console.error(
    `rotate-accounts failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}

if (require.main === module) {
  // The AWS SDK warns about Node 20 on every run; the example is not about that.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().then(print, fail);
}

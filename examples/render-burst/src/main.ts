/**
 * A burst of renders over three accounts whose Lambda concurrency limit is 4
 * each (a fake Lambda on 127.0.0.1 that enforces it and answers Lambda's own
 * `TooManyRequestsException: Rate Exceeded.`), two ways:
 *
 * 1. The reference system's way: a random account per render, nothing
 *    counting what runs where. The burst lands on full accounts and renders
 *    fail with `Rate Exceeded.`.
 * 2. `pool.run(fn)` with `AWS_CONCURRENCY_{n}=4`: at most 4 renders per
 *    account at a time, the rest wait their turn (FIFO). No render is
 *    throttled. Then one account starts throttling anyway (another team
 *    used its concurrency): its renders are retried on the others and it is
 *    left alone while it cools down.
 */
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AccountPool,
  type AccountStats,
  AwsClientCache,
  isThrottlingError,
  type RedactedAccount,
} from '@credchain/aws';

/** Three obviously fake accounts and their concurrency, as numbered variables. */
export const ACCOUNTS = [1, 2, 3].map((n) => ({
  accessKeyId: `AKIAFAKERENDERACCT0${n}`,
  secretAccessKey: `fake-render-secret-${n}-not-real`,
}));
const LIMIT = 4;

function poolEnv(): Record<string, string> {
  const env: Record<string, string> = {
    HOME: '/nonexistent-credchain-example-home',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-credchain-example-home/credentials',
    AWS_CONFIG_FILE: '/nonexistent-credchain-example-home/config',
  };
  ACCOUNTS.forEach((account, i) => {
    env[`AWS_KEY_${i + 1}`] = account.accessKeyId;
    env[`AWS_SECRET_${i + 1}`] = account.secretAccessKey;
    env[`AWS_CONCURRENCY_${i + 1}`] = String(LIMIT);
  });
  return env;
}

export interface RenderBurstOptions {
  /** The Lambda endpoint (the fake one on 127.0.0.1). */
  readonly endpoint: string;
  /** Renders in the burst. @default 24 */
  readonly renders?: number;
  /** How long one render runs on the fake Lambda. @default 100 */
  readonly renderMs?: number;
  /** Makes one account throttle every call (for part 3). */
  readonly throttleAccount: (accessKeyId: string | undefined) => void;
}

export interface BurstResult {
  readonly succeeded: number;
  /** Renders that failed with Lambda's `Rate Exceeded.` */
  readonly throttled: number;
  readonly makespanMs: number;
}

export interface RenderBurstReport {
  readonly accounts: readonly RedactedAccount[];
  readonly renders: number;
  readonly naive: BurstResult;
  readonly pooled: BurstResult & { readonly stats: readonly AccountStats[] };
  readonly badAccount: BurstResult & {
    readonly account: number;
    readonly stats: readonly AccountStats[];
  };
}

async function burst(
  renders: number,
  one: (frame: number) => Promise<unknown>,
): Promise<BurstResult> {
  const start = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: renders }, (_, f) => one(f)));
  const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
  const unexpected = failed.find((reason) => !isThrottlingError(reason));
  if (unexpected !== undefined) throw unexpected;
  return {
    succeeded: outcomes.length - failed.length,
    throttled: failed.length,
    makespanMs: Math.round(performance.now() - start),
  };
}

export async function main(options: RenderBurstOptions): Promise<RenderBurstReport> {
  const renders = options.renders ?? 24;
  const renderMs = options.renderMs ?? 100;
  const env = poolEnv();
  const clients = new AwsClientCache({ env });
  // maxAttempts: 1 — a throttled request comes back at once instead of being
  // retried by the SDK on the same (full) account.
  const render = (frame: number) =>
    clients
      .get(LambdaClient, { region: 'us-east-1', endpoint: options.endpoint, maxAttempts: 1 })
      .send(
        new InvokeCommand({
          FunctionName: 'remotion-render',
          Payload: Buffer.from(JSON.stringify({ frame, durationMs: renderMs })),
        }),
      );
  try {
    // 1. The reference's way: a random account each time, no counting.
    const naivePool = AccountPool.fromEnv(env);
    const naive = await burst(renders, (f) =>
      naivePool.withAccount(naivePool.pick('random'), () => render(f)),
    );

    // 2. pool.run with the capacity read from AWS_CONCURRENCY_{n}.
    const pool = AccountPool.fromEnv(env, { strategy: 'least-recently-used' });
    const pooled = await burst(renders, (f) => pool.run(() => render(f)));
    const stats = await pool.stats();

    // 3. Account 2 starts throttling every call: its renders move elsewhere.
    const shaky = AccountPool.fromEnv(env, { strategy: 'round-robin' });
    options.throttleAccount(ACCOUNTS[1]?.accessKeyId);
    const bad = await burst(renders, (f) => shaky.run(() => render(f)));
    options.throttleAccount(undefined);
    return {
      accounts: pool.accounts,
      renders,
      naive,
      pooled: { ...pooled, stats },
      badAccount: { ...bad, account: 2, stats: await shaky.stats() },
    };
  } finally {
    clients.clear();
  }
}

const line = (label: string, r: BurstResult) =>
  `  ${label}: ${r.succeeded} rendered, ${r.throttled} failed with "Rate Exceeded.", ${r.makespanMs} ms`;

/** The human output. */
export function format(report: RenderBurstReport): string {
  const table = (stats: readonly AccountStats[]) =>
    stats.map(
      (s) =>
        `    account ${s.index} (${report.accounts[s.index - 1]?.accessKeyId}): ` +
        `capacity ${s.capacity ?? 'unlimited'}, ${s.leases} leases, ${s.throttles} throttled, ` +
        `${s.throttledUntil > 0 ? 'cooling down' : 'ready'}`,
    );
  return [
    `A burst of ${report.renders} renders, 3 accounts, Lambda concurrency limit ${LIMIT} each`,
    '',
    '1. The reference way: a random account per render',
    line('result', report.naive),
    '',
    '2. pool.run(render) with AWS_CONCURRENCY_{n}=4',
    line('result', report.pooled),
    ...table(report.pooled.stats),
    '',
    `3. pool.run(render) while account ${report.badAccount.account} throttles every call`,
    line('result', report.badAccount),
    ...table(report.badAccount.stats),
    '',
    'pool.run leases an account (at most its capacity at a time, the rest wait in',
    'order), and when Lambda still says "Rate Exceeded." it cools that account down',
    'and runs the render on another one.',
  ].join('\n');
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The fake Lambda lives in the repository's test support (TypeScript,
  // loaded through esbuild): this example runs inside the repository only.
  const loadSupport = require(
    join(__dirname, '..', '..', '..', 'test', 'support', 'load-support.js'),
  );
  const { startLambdaServer } = loadSupport('lambda-server');
  (async () => {
    const server = await startLambdaServer({ accounts: ACCOUNTS, concurrencyLimit: LIMIT });
    try {
      const report = await main({
        endpoint: server.url,
        throttleAccount: (id: string | undefined) => server.throttleAlways(id ? [id] : []),
      });
      console.log(format(report));
    } finally {
      await server.stop();
    }
  })().catch((error: unknown) => {
    console.error(`render-burst failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}

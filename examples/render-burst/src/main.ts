/**
 * A burst of renders over three AWS accounts in two Regions — six cells,
 * since Lambda counts concurrency per account per Region — each allowing 4
 * concurrent functions (a fake Lambda on 127.0.0.1 that enforces it and
 * answers Lambda's own `TooManyRequestsException: Rate Exceeded.`). A render
 * here starts 2 functions (a renderer and its orchestrator), so it takes 2
 * units of its cell. Three ways:
 *
 * 1. The reference system's way: a random account per render, one Region,
 *    nothing counting what runs where. The burst lands on full cells and
 *    renders fail with `Rate Exceeded.`.
 * 2. `pool.run(render, { weight: 2 })` on `regions: ['us-east-1',
 *    'eu-central-1']` with `AWS_CONCURRENCY_{n}=4`: at most 4 units per cell,
 *    the rest wait their turn (FIFO). No render is throttled; a follow-up
 *    call for each then runs on the very cell its render used
 *    (`pool.withCell`, which takes no capacity).
 * 3. One cell starts answering `CallerRateLimitExceeded` with
 *    `Retry-After: 1`: its renders move to the other cells, and it rests
 *    exactly as long as it asked.
 */
import { join } from 'node:path';
import { GetAccountSettingsCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
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
export const REGIONS = ['us-east-1', 'eu-central-1'] as const;
/** Concurrent functions per cell (account × Region). */
export const LIMIT = 4;
/** Functions one render starts: a renderer and its orchestrator. */
export const WEIGHT = 2;

function poolEnv(): Record<string, string> {
  const env: Record<string, string> = {
    HOME: '/nonexistent-credchain-example-home',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-credchain-example-home/credentials',
    AWS_CONFIG_FILE: '/nonexistent-credchain-example-home/config',
  };
  ACCOUNTS.forEach((account, i) => {
    env[`AWS_KEY_${i + 1}`] = account.accessKeyId;
    env[`AWS_SECRET_${i + 1}`] = account.secretAccessKey;
    // Every region of account i + 1; AWS_CONCURRENCY_{n}_{REGION} would set one cell.
    env[`AWS_CONCURRENCY_${i + 1}`] = String(LIMIT);
  });
  return env;
}

/** What the example needs of the fake Lambda. */
export interface FakeLambda {
  readonly url: string;
  /** Makes a cell answer its next `times` calls with a rate limit and `Retry-After`. */
  rateLimit(
    cell: { accessKeyId: string; region: string },
    retryAfterSeconds: number,
    times: number,
  ): void;
}

export interface RenderBurstOptions {
  readonly lambda: FakeLambda;
  /** Renders in the burst. @default 24 */
  readonly renders?: number;
  /** How long one render runs on the fake Lambda. @default 100 */
  readonly renderMs?: number;
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
  readonly pooled: BurstResult & {
    readonly stats: readonly AccountStats[];
    /** Follow-up calls that ran as the account, in the region, their render used. */
    readonly followUpsOnTheirCell: number;
  };
  readonly rateLimited: BurstResult & {
    readonly cell: { readonly index: number; readonly region: string };
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
  // No region here: the client cache takes the region chain's, which inside
  // pool.run is the leased cell's. maxAttempts: 1 — a throttled request
  // comes back to the pool at once instead of being retried by the SDK on
  // the same (full) cell.
  const lambda = () => clients.get(LambdaClient, { endpoint: options.lambda.url, maxAttempts: 1 });
  const invoke = (payload: object) =>
    lambda().send(
      new InvokeCommand({
        FunctionName: 'remotion-render',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
  const render = (frame: number) => invoke({ frame, durationMs: renderMs, units: WEIGHT });
  try {
    // 1. The reference's way: a random account each time, one Region, no counting.
    const naivePool = AccountPool.fromEnv(env, { regions: ['us-east-1'] });
    const naive = await burst(renders, (f) => {
      const index = naivePool.pick('random');
      return naivePool.withCell({ index, region: 'us-east-1' }, () => render(f));
    });

    // 2. pool.run over the cells, each render taking WEIGHT units; then a
    //    follow-up on the cell it ran on, without taking capacity (here the
    //    account's Lambda settings; a real one would fetch progress or the
    //    output from that region).
    const pool = AccountPool.fromEnv(env, { regions: REGIONS, strategy: 'least-recently-used' });
    let followUpsOnTheirCell = 0;
    const pooled = await burst(renders, async (f) => {
      const cell = await pool.run(
        async ({ index, region }) => {
          await render(f);
          return { index, region: region as string };
        },
        { weight: WEIGHT },
      );
      await pool.withCell(cell, async () => {
        const client = lambda();
        const [region, credentials] = await Promise.all([
          client.config.region(),
          client.config.credentials(),
        ]);
        await client.send(new GetAccountSettingsCommand({}));
        const account = ACCOUNTS[cell.index - 1]?.accessKeyId;
        if (region === cell.region && credentials.accessKeyId === account) followUpsOnTheirCell++;
      });
    });
    const stats = await pool.stats();

    // 3. Account 2 in eu-central-1 starts answering CallerRateLimitExceeded
    //    with Retry-After: 1: its renders move, and it rests for 1 s.
    const shaky = AccountPool.fromEnv(env, { regions: REGIONS, strategy: 'round-robin' });
    const cell = { index: 2, region: 'eu-central-1' };
    options.lambda.rateLimit(
      { accessKeyId: ACCOUNTS[1]?.accessKeyId as string, region: cell.region },
      1,
      renders,
    );
    const rateLimited = await burst(renders, (f) => shaky.run(() => render(f), { weight: WEIGHT }));
    return {
      accounts: pool.accounts,
      renders,
      naive,
      pooled: { ...pooled, stats, followUpsOnTheirCell },
      rateLimited: { ...rateLimited, cell, stats: await shaky.stats() },
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
        `    account ${s.index} (${report.accounts[s.index - 1]?.accessKeyId}) in ${s.region}: ` +
        `capacity ${s.capacity ?? 'unlimited'}, ${s.leases} leases, ${s.throttles} throttled, ` +
        `${s.throttledUntil > 0 ? `cooling down (${s.reason ?? 'no reason given'})` : 'ready'}`,
    );
  const { cell } = report.rateLimited;
  return [
    `A burst of ${report.renders} renders of ${WEIGHT} functions each: 3 accounts × 2 regions, Lambda concurrency limit ${LIMIT} per cell`,
    '',
    '1. The reference way: a random account per render, one region',
    line('result', report.naive),
    '',
    `2. pool.run(render, { weight: ${WEIGHT} }) on regions ${REGIONS.join(', ')}, AWS_CONCURRENCY_{n}=${LIMIT}`,
    line('result', report.pooled),
    `  follow-ups on the render's own cell (pool.withCell): ${report.pooled.followUpsOnTheirCell} of ${report.pooled.succeeded}`,
    ...table(report.pooled.stats),
    '',
    `3. pool.run while account ${cell.index} in ${cell.region} answers CallerRateLimitExceeded, Retry-After: 1`,
    line('result', report.rateLimited),
    ...table(report.rateLimited.stats),
    '',
    'pool.run leases a cell — an account in a region — with room for the',
    "render's weight (the rest wait in order), and when Lambda still says",
    '"Rate Exceeded." it reads why: a full cell cools down, a rate limit rests',
    'for its Retry-After, and the render runs on another cell.',
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
    const server = await startLambdaServer({
      accounts: ACCOUNTS,
      concurrencyLimit: LIMIT,
      limitReason: 'ConcurrentInvocationLimitExceeded',
    });
    try {
      const report = await main({
        lambda: {
          url: server.url,
          rateLimit: (
            cell: { accessKeyId: string; region: string },
            seconds: number,
            times: number,
          ) =>
            server.throttleNext(cell, {
              reason: 'CallerRateLimitExceeded',
              retryAfterSeconds: seconds,
              times,
            }),
        },
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

/**
 * A render service, observed: a burst of renders over two AWS accounts,
 * traced and measured with the OpenTelemetry SDK through
 * `@credchain/opentelemetry` (`CredchainInstrumentation`, registered with
 * `registerInstrumentations`), its metrics served by
 * `@opentelemetry/exporter-prometheus` on 127.0.0.1 and scraped.
 *
 * Lambda (`./lambda-endpoint`, on 127.0.0.1) runs 2 invocations at once per
 * account, but the service was told `AWS_CONCURRENCY_1=3`: account 1 throttles.
 *
 * 1. Five renders at once through `pool.run`: three land on account 1, whose
 *    third is refused (429 `TooManyRequestsException`); the pool cools
 *    account 1 down and runs that render on account 2 once a place frees.
 * 2. Another workload takes account 2's places while account 1 still cools
 *    down: the next render is refused there too, and `pool.run` gives up
 *    with `AccountsExhaustedError`.
 * 3. The orchestrator's role profile (`render-role`, `source_profile` with
 *    static keys), resolved by two processes through the AWS CLI-compatible
 *    role cache: one AssumeRole call (`./sts-endpoint`), then a cache hit.
 * 4. A pool sharing its leases through Redis (`RedisPoolState`) renders;
 *    its redis-server is killed meanwhile; the next render falls back to
 *    memory, in the place the first one held.
 *
 * Only fake keys (`AKIAFAKE…`, `…-not-real`), only 127.0.0.1 (and a Unix
 * socket for Redis); the profile files live in a temporary HOME, and
 * `process.env` points HOME and the AWS files there while it runs, so no
 * profile or setting of the developer's can take part.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AccountPool,
  AwsCliRoleSessionCache,
  createAwsAuth,
  createCredentialChain,
  isAccountsExhaustedError,
} from '@credchain/aws';
import { type Credentials, redactKeyId } from '@credchain/core';
import { SpanNames } from '@credchain/opentelemetry';
import { RedisPoolState } from '@credchain/redis';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import Redis from 'ioredis';
import { type AccountCounts, startLambdaEndpoint } from './lambda-endpoint';
import { linesOf } from './prometheus-text';
import { startRedisProcess } from './redis-process';
import { spanTree } from './span-tree';
import { type AssumeRoleCall, startStsEndpoint } from './sts-endpoint';
import { startTelemetry } from './telemetry';

/** The pool's two accounts: obviously fake. */
export const ACCOUNTS = [1, 2].map((n) => ({
  accessKeyId: `AKIAFAKEOBSERVACCT0${n}`,
  secretAccessKey: `fake-observability-secret-${n}-not-real`,
}));
/** The static keys of the role profile's `source_profile`. */
export const BASE_KEYS = {
  accessKeyId: 'AKIAFAKEOBSERVEBASE1',
  secretAccessKey: 'fake-observability-base-secret-not-real',
};
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/render-orchestrator';
/** Lambda's concurrency limit, per account. */
export const LIMIT = 2;
/** What the service believes (`AWS_CONCURRENCY_{n}`): account 1 is off by one. */
export const CAPACITY = [3, 2] as const;
/** Renders in the burst: every place the pool believes in. */
export const RENDERS = 5;
const FUNCTION = 'remotion-render';
const REGION = 'us-east-1';
const REDIS_NAMESPACE = 'observability-example';

export interface ObservabilityOptions {
  /** How long one render runs on the Lambda endpoint. @default 400 */
  readonly renderMs?: number;
  /**
   * Reads the metrics, as a Prometheus server does. @default a `GET` of the
   * URL (the response's text)
   */
  readonly scrape?: (url: string) => Promise<string>;
}

export interface ObservabilityReport {
  readonly renderMs: number;
  /** Where the metrics were served, and what the scrape returned (all of it). */
  readonly metricsUrl: string;
  readonly metrics: string;
  /** Every span the SDK exported. */
  readonly spans: readonly ReadableSpan[];
  /** What the Lambda endpoint counted, per account number. */
  readonly lambda: ReadonlyMap<number, AccountCounts>;
  readonly burst: { readonly rendered: number; readonly failed: number };
  /** Part 2: the error `pool.run` gave up with. */
  readonly exhausted: { readonly name: string; readonly message: string };
  readonly role: {
    /** What STS issued (fake): one call when the cache works. */
    readonly stsCalls: readonly AssumeRoleCall[];
    /** The two processes got the same session. */
    readonly sameSession: boolean;
  };
  readonly redis: {
    readonly rendered: number;
    /** The state's mode after the kill: `fallback`. */
    readonly mode: string;
    readonly warnings: readonly string[];
    readonly pid: number;
  };
  /** What was started, to check it is all stopped. */
  readonly started: { readonly urls: readonly string[]; readonly home: string };
}

/** The profile files: a role profile whose source profile has static keys. */
function writeProfiles(home: string): { config: string; credentials: string } {
  const config = join(home, 'config');
  const credentials = join(home, 'credentials');
  writeFileSync(
    credentials,
    `[render-base]\naws_access_key_id = ${BASE_KEYS.accessKeyId}\naws_secret_access_key = ${BASE_KEYS.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  writeFileSync(
    config,
    `[profile render-role]\nrole_arn = ${ROLE_ARN}\nsource_profile = render-base\nrole_session_name = render-orchestrator\n`,
    { mode: 0o600 },
  );
  return { config, credentials };
}

/**
 * The variables the SDK's clients would read from `process.env` itself:
 * pointed at the temporary HOME, or removed, while `main()` runs.
 */
function isolateProcessEnv(home: string, files: { config: string; credentials: string }) {
  const vars: Record<string, string | undefined> = {
    HOME: home,
    AWS_CONFIG_FILE: files.config,
    AWS_SHARED_CREDENTIALS_FILE: files.credentials,
  };
  for (const name of Object.keys(process.env)) {
    if (/^(AWS_|REMOTION_AWS_)/.test(name) && !(name in vars)) vars[name] = undefined;
  }
  vars.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const before = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  const apply = (entries: Iterable<readonly [string, string | undefined]>) => {
    for (const [name, value] of entries) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(Object.entries(vars));
  return () => apply(before);
}

/** The default scrape: what Prometheus does, a GET. */
async function httpGet(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.text();
}

export async function main(options: ObservabilityOptions = {}): Promise<ObservabilityReport> {
  const renderMs = options.renderMs ?? 400;
  const home = mkdtempSync(join(tmpdir(), 'credchain-observability-home-'));
  const files = writeProfiles(home);
  const restoreEnv = isolateProcessEnv(home, files);
  const stops: (() => Promise<void>)[] = [];
  try {
    const telemetry = await startTelemetry();
    stops.push(() => telemetry.shutdown());
    const lambdaEndpoint = await startLambdaEndpoint({
      accounts: new Map(ACCOUNTS.map((a, i) => [a.accessKeyId, i + 1])),
      limit: LIMIT,
      renderMs,
    });
    stops.push(() => lambdaEndpoint.stop());
    const sts = await startStsEndpoint();
    stops.push(() => sts.stop());

    // What the service reads: its accounts, the role profile, where STS is.
    const env: Record<string, string> = {
      HOME: home,
      AWS_CONFIG_FILE: files.config,
      AWS_SHARED_CREDENTIALS_FILE: files.credentials,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: REGION,
      AWS_PROFILE: 'render-role',
    };
    ACCOUNTS.forEach((account, i) => {
      env[`AWS_KEY_${i + 1}`] = account.accessKeyId;
      env[`AWS_SECRET_${i + 1}`] = account.secretAccessKey;
      env[`AWS_CONCURRENCY_${i + 1}`] = String(CAPACITY[i]);
    });
    const { chain, clients, pool } = createAwsAuth({
      env,
      roleCache: new AwsCliRoleSessionCache(),
      // A cool-down long enough that part 2 surely finds account 1 cooling.
      pool: { strategy: 'round-robin', coolDown: { initialMs: 60_000 } },
    });
    if (pool === undefined) throw new Error('createAwsAuth built no pool');
    stops.push(async () => clients.clear());

    // The app's span around each Lambda call; the SDK asks the chain for
    // credentials inside it, for every request.
    const invoke = (frame: number, account: number) =>
      telemetry.tracer.startActiveSpan(
        'Lambda.Invoke',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'faas.invoked_name': FUNCTION,
            'render.frame': frame,
            'render.account': account,
          },
        },
        async (span) => {
          try {
            // maxAttempts: 1 — a 429 goes back to the pool at once, which moves
            // the render, instead of the SDK retrying it on the same full account.
            await clients
              .get(LambdaClient, {
                region: REGION,
                endpoint: lambdaEndpoint.url,
                maxAttempts: 1,
              })
              .send(
                new InvokeCommand({
                  FunctionName: FUNCTION,
                  Payload: Buffer.from(JSON.stringify({ frame })),
                }),
              );
          } catch (error) {
            const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
            const status = failure.$metadata?.httpStatusCode;
            if (status !== undefined) span.setAttribute('http.response.status_code', status);
            span.setStatus({
              code: SpanStatusCode.ERROR,
              message: `${failure.name}: ${failure.message}`,
            });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    const render = (on: AccountPool, frame: number) => on.run(({ index }) => invoke(frame, index));

    // 1. The burst.
    const outcomes = await Promise.allSettled(
      Array.from({ length: RENDERS }, (_, frame) => render(pool, frame + 1)),
    );
    const failedBurst = outcomes.filter((o) => o.status === 'rejected');
    if (failedBurst[0]?.status === 'rejected') throw failedBurst[0].reason;

    // 2. Account 2 busy elsewhere, account 1 cooling down: exhausted.
    const release = lambdaEndpoint.occupy(2, LIMIT);
    let exhausted: { name: string; message: string } | undefined;
    try {
      await render(pool, RENDERS + 1);
    } catch (error) {
      if (!isAccountsExhaustedError(error)) throw error;
      exhausted = { name: error.name, message: error.message };
    } finally {
      release();
    }
    if (exhausted === undefined) throw new Error('part 2: pool.run was expected to give up');

    // 3. The role profile, resolved by the service, then by a second process
    //    (a new chain and cache object: only the cache file is shared).
    const first: Credentials = await chain.resolve();
    const second = await createCredentialChain({
      env,
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();

    // 4. A pool on Redis; Redis killed during a render; one more render.
    const redisProcess = await startRedisProcess();
    stops.push(() => redisProcess.stop());
    const redis = new Redis({
      path: redisProcess.socket,
      maxRetriesPerRequest: 0,
      // disconnect() waits this long for the socket of a reconnection attempt
      // to a dead server to close (2 s by default) before it lets go.
      disconnectTimeout: 100,
    });
    // The outage is the point: ioredis reports it as errors, the state handles it.
    redis.on('error', () => {});
    stops.push(async () => redis.disconnect());
    const warnings: string[] = [];
    const state = new RedisPoolState(redis, {
      namespace: REDIS_NAMESPACE,
      commandTimeoutMs: 300,
      // A heartbeat every 500 ms: the state sees the outage within the render.
      renewIntervalMs: 500,
      logger: { debug: () => {}, warn: (message) => warnings.push(message) },
    });
    stops.push(() => state.close());
    const fleet = AccountPool.fromEnv(env, { state, strategy: 'round-robin' });
    // Redis dies while the first render runs. Falling back, the process
    // may only reuse the places of its own calls (the fleet's others may
    // hold the rest): the second render takes the first one's.
    await fleet.run(async ({ index }) => {
      const rendered = await invoke(RENDERS + 2, index);
      await redisProcess.kill();
      // The render ends once the state has seen the outage (its heartbeat
      // or probe), so its place is kept rather than lost in a failed release.
      const seenBy = Date.now() + 5_000;
      while (state.mode !== 'fallback' && Date.now() < seenBy) await sleep(20);
      return rendered;
    });
    await render(fleet, RENDERS + 3);

    const metrics = await (options.scrape ?? httpGet)(telemetry.metricsUrl);
    // Copied now: shutting the tracer provider down empties its exporter.
    const spans = [...telemetry.spans()];
    return {
      renderMs,
      metricsUrl: telemetry.metricsUrl,
      metrics,
      spans,
      lambda: lambdaEndpoint.counts(),
      burst: { rendered: RENDERS - failedBurst.length, failed: failedBurst.length },
      exhausted,
      role: {
        stsCalls: [...sts.calls],
        sameSession: first.accessKeyId === second.accessKeyId,
      },
      redis: { rendered: 2, mode: state.mode, warnings, pid: redisProcess.pid },
      started: { urls: [telemetry.metricsUrl, lambdaEndpoint.url, sts.url], home },
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
    restoreEnv();
    rmSync(home, { recursive: true, force: true });
  }
}

/** The `pool.run` span that was throttled and then succeeded on another account. */
export function throttledRun(spans: readonly ReadableSpan[]): ReadableSpan | undefined {
  return spans.find(
    (s) =>
      s.name === SpanNames.poolRun &&
      s.events.some((e) => e.name === 'credchain.pool.throttle') &&
      s.status.code !== SpanStatusCode.ERROR,
  );
}

/** The `credchain.resolve` spans that assumed or read the role (not inside a pool run). */
export function roleResolves(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter(
    (s) => s.name === SpanNames.resolve && s.attributes['credchain.link'] === 'profile',
  );
}

/** The human output. */
export function format(report: ObservabilityReport): string {
  const counts = (account: number) =>
    report.lambda.get(account) ?? { invoked: 0, throttled: 0, peak: 0 };
  const run = throttledRun(report.spans);
  const lines = linesOf(report.metrics, 'credchain_');
  const buckets = lines.filter((line) => /^credchain_\w+_bucket\{/.test(line));
  return [
    `A render service on ${ACCOUNTS.length} accounts; Lambda runs ${LIMIT} at once per account, the service believes ${CAPACITY.map((c, i) => `AWS_CONCURRENCY_${i + 1}=${c}`).join(', ')}`,
    '',
    `1. ${RENDERS} renders at once through pool.run: ${report.burst.rendered} rendered, ${report.burst.failed} failed`,
    `2. account 2 busy with another workload, account 1 cooling down: ${report.exhausted.name}:`,
    ...report.exhausted.message.split('\n').map((line) => `   ${line}`),
    `3. role profile render-role resolved by two processes: ${report.role.stsCalls.length} AssumeRole call, ${report.role.sameSession ? 'the same session (role cache hit)' : 'two sessions'}`,
    `4. RedisPoolState, redis-server killed during the first of ${report.redis.rendered} renders: mode ${report.redis.mode}`,
    ...report.redis.warnings.map((w) => `   warning: ${w}`),
    '',
    "Lambda's answers per account:",
    ...ACCOUNTS.map(
      (a, i) =>
        `  account ${i + 1} (${redactKeyId(a.accessKeyId)}): ${counts(i + 1).invoked} invoked, ${counts(i + 1).throttled} × 429 TooManyRequestsException, at most ${counts(i + 1).peak} at once`,
    ),
    '',
    'The throttled pool.run that moved to another account:',
    ...(run ? spanTree(report.spans, [run]) : ['  (none)']),
    '',
    'The role profile, resolved by two processes (the second from the role cache):',
    ...spanTree(report.spans, roleResolves(report.spans)),
    '',
    `Scraped from ${report.metricsUrl} (credchain's lines; ${buckets.length} histogram _bucket lines left out):`,
    ...lines.filter((line) => !buckets.includes(line)),
  ].join('\n');
}

if (require.main === module) {
  main()
    .then((report) => console.log(format(report)))
    .catch((error: unknown) => {
      console.error(
        `observability failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 1;
    });
}

/**
 * A render fleet on one machine: Redis, a Lambda-like endpoint whose
 * accounts each take at most `limit` concurrent invocations, and three
 * worker processes that each keep `concurrency` invocations in flight.
 *
 * With `RedisPoolState` the workers share leases and cool-downs, so the
 * endpoint never sees more than `limit` invocations on an account and never
 * throttles. With local state (each worker its own `InMemoryPoolState`)
 * every worker believes it owns the whole capacity: the endpoint refuses the
 * excess with 429s, which the pools absorb by retrying elsewhere.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type AccountLoad, startFakeLambda } from './fake-lambda';
import { type StartedRedis, startRedis } from './start-redis';
import type { WorkerConfig, WorkerResult } from './worker';

export interface FleetOptions {
  readonly state: 'redis' | 'local';
  readonly workers?: number;
  /** Invocations each worker keeps in flight. */
  readonly concurrency?: number;
  /** Invocations per worker in total. */
  readonly invocations?: number;
  readonly accounts?: number;
  /** Concurrent invocations per account at the endpoint, and the pools' capacity. */
  readonly limit?: number;
  /** How long one invocation runs. */
  readonly durationMs?: number;
  readonly leaseTtlMs?: number;
  /** A Redis to use instead of starting one. */
  readonly redisUrl?: string;
}

export interface FleetReport {
  readonly state: 'redis' | 'local';
  readonly limit: number;
  readonly perAccount: AccountLoad[];
  readonly workers: WorkerResult[];
  readonly wallMs: number;
}

/** Obviously fake accounts: key ids the endpoint knows, secrets that sign nothing real. */
export function fleetAccounts(count: number): {
  env: Record<string, string>;
  ids: Map<string, number>;
} {
  const env: Record<string, string> = {};
  const ids = new Map<string, number>();
  for (let n = 1; n <= count; n++) {
    const keyId = `AKIAEXAMPLEFLEET${String(n).padStart(4, '0')}`;
    env[`AWS_KEY_${n}`] = keyId;
    env[`AWS_SECRET_${n}`] = `secret-fleet-${n}-not-a-real-secret-000000`;
    ids.set(keyId, n);
  }
  return { env, ids };
}

/** The built worker (`dist/worker.js`), also when this file runs from `src/` under jest. */
export const WORKER_SCRIPT = join(__dirname, '..', 'dist', 'worker.js');

export interface ForkedWorker {
  readonly child: ReturnType<typeof fork>;
  /** Resolves once the worker is connected and waits for {@link ForkedWorker.go}. */
  readonly ready: Promise<void>;
  /** Its next report after ready: `{ result }`, `{ error }` or (hold mode) `{ holding }`. */
  readonly done: Promise<Record<string, unknown>>;
  /** The report after that (hold mode: `{ result }` once its calls ended). */
  readonly next: () => Promise<Record<string, unknown>>;
  go(): void;
  /** Stream mode: the lanes finish their calls and the worker reports. */
  stop(): void;
}

/** Forks one worker process running `dist/worker.js` with `config`. */
export function forkWorker(
  config: WorkerConfig,
  accountsEnv: Record<string, string>,
): ForkedWorker {
  const child = fork(WORKER_SCRIPT, [], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: '/nonexistent-credchain-fleet-home', // no profile of the developer's
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...accountsEnv,
      FLEET_WORKER: JSON.stringify(config),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  let failure: Error | undefined;
  const failers: ((e: Error) => void)[] = [];
  child.on('message', (m) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m as Record<string, unknown>);
    else messages.push(m as Record<string, unknown>);
  });
  const fail = (error: Error) => {
    failure ??= error;
    for (const f of failers.splice(0)) f(failure);
  };
  child.once('exit', (code, signal) =>
    fail(new Error(`worker exited (${code ?? signal}) without a result`)),
  );
  child.once('error', fail);
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const queued = messages.shift();
      if (queued) return resolve(queued);
      if (failure) return reject(failure);
      waiters.push(resolve);
      failers.push(reject);
    });
  const ready = next().then((m) => {
    if (!m.ready) throw new Error(`worker failed before it was ready: ${String(m.error)}`);
  });
  const done = ready.then(next);
  done.catch(() => undefined);
  return {
    child,
    ready,
    done,
    next,
    go: () => child.send('go'),
    stop: () => {
      if (child.connected) child.send('stop');
    },
  };
}

export async function runFleet(options: FleetOptions): Promise<FleetReport> {
  const workers = options.workers ?? 3;
  const accounts = options.accounts ?? 3;
  const limit = options.limit ?? 4;
  const { env, ids } = fleetAccounts(accounts);
  let redis: StartedRedis | undefined;
  if (options.state === 'redis' && !options.redisUrl) redis = await startRedis();
  const lambda = await startFakeLambda({
    accounts: ids,
    limit,
    durationMs: options.durationMs ?? 40,
  });
  const forked: ForkedWorker[] = [];
  try {
    const config: WorkerConfig = {
      state: options.state,
      redisUrl: options.redisUrl ?? redis?.url,
      namespace: `render-fleet-${randomBytes(4).toString('hex')}`,
      endpoint: lambda.endpoint,
      capacity: limit,
      invocations: options.invocations ?? 40,
      concurrency: options.concurrency ?? 20,
      leaseTtlMs: options.leaseTtlMs ?? 5_000,
    };
    for (let i = 0; i < workers; i++) forked.push(forkWorker(config, env));
    await Promise.all(forked.map((w) => w.ready));
    const started = performance.now();
    for (const w of forked) w.go();
    const replies = await Promise.all(forked.map((w) => w.done));
    const wallMs = performance.now() - started;
    const results = replies.map((reply) => {
      if (!reply.result) throw new Error(`a worker failed: ${String(reply.error)}`);
      return reply.result as WorkerResult;
    });
    return { state: options.state, limit, perAccount: lambda.load(), workers: results, wallMs };
  } finally {
    // One worker failed (or this process gave up): the others must not run on.
    await Promise.all(forked.map((w) => stopWorker(w.child)));
    await lambda.stop();
    await redis?.stop();
  }
}

/** Kills a worker still running and waits for it to exit. */
function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

export function format(report: FleetReport): string {
  const title =
    report.state === 'redis'
      ? 'RedisPoolState (leases shared through Redis)'
      : 'local state (each worker its own InMemoryPoolState)';
  const completed = report.workers.reduce((sum, w) => sum + w.completed, 0);
  const exhausted = report.workers.reduce((sum, w) => sum + w.exhausted, 0);
  const lines = [
    `${report.workers.length} workers, ${title}, limit ${report.limit} per account:`,
    ...report.perAccount.map(
      (a) =>
        `  account ${a.account}: at most ${a.maxConcurrent} at once, ${a.completed} invocations, ${a.throttled} throttled (429)`,
    ),
    `  ${completed} invocations completed in ${(report.wallMs / 1000).toFixed(1)} s; ${exhausted} times every account was throttled or cooling down`,
  ];
  return lines.join('\n');
}

export async function main(): Promise<FleetReport[]> {
  const reports: FleetReport[] = [];
  for (const state of ['redis', 'local'] as const) {
    const report = await runFleet({ state });
    console.log(`${format(report)}\n`);
    reports.push(report);
  }
  return reports;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}

/**
 * One render worker of the fleet, run as its own process (`fork`): it reads
 * the accounts from its environment (`AWS_KEY_1` / `AWS_SECRET_1`, …), runs
 * `invocations` Lambda invocations with `concurrency` in flight, each
 * through `pool.run` — so every call is leased on an account, signed as it,
 * and moved to another account when throttled — and sends its numbers to
 * the parent. With `state: 'redis'` the leases live in Redis and hold for
 * the whole fleet; with `state: 'local'` each worker believes it owns the
 * whole capacity.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AccountPool,
  AccountsExhaustedError,
  AwsClientCache,
  type PoolState,
} from '@credchain/aws';
import { RedisPoolState } from '@credchain/redis';
import Redis from 'ioredis';

export interface WorkerConfig {
  readonly state: 'redis' | 'local';
  readonly redisUrl?: string;
  readonly namespace: string;
  readonly endpoint: string;
  /** Concurrent invocations per account the pool allows (the account's limit). */
  readonly capacity: number;
  readonly invocations: number;
  readonly concurrency: number;
  readonly leaseTtlMs: number;
  /** Each Redis command's bound. @default RedisPoolState's (1 s) */
  readonly commandTimeoutMs?: number;
  /** `'hold'`: start `concurrency` invocations and report once they all hold a lease (the kill test). */
  readonly mode?: 'run' | 'hold';
  /** Sent as the invocation's event; an endpoint may run that long. */
  readonly durationMs?: number;
}

export interface WorkerResult {
  readonly completed: number;
  /** Runs that found every account throttled or cooling down (retried after a pause). */
  readonly exhausted: number;
  /** Wall time of each completed `pool.run`, ms. */
  readonly runMs: number[];
  readonly errors: string[];
  /** Whether Redis had to be replaced by local state at some point. */
  readonly fellBack: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the worker: `report` tells the parent things on the way (`{ ready }`
 * once connected, `{ holding }` in hold mode); `go` resolves when the parent
 * has every worker ready, so they all start at once.
 */
export async function runWorker(
  config: WorkerConfig,
  report: (message: unknown) => void,
  go: Promise<void> = Promise.resolve(),
): Promise<WorkerResult> {
  const redis =
    config.state === 'redis'
      ? new Redis(config.redisUrl as string, { lazyConnect: false })
      : undefined;
  redis?.on('error', () => undefined);
  let fellBack = false;
  const redisState =
    redis &&
    new RedisPoolState(redis, {
      namespace: config.namespace,
      leaseTtlMs: config.leaseTtlMs,
      ...(config.commandTimeoutMs ? { commandTimeoutMs: config.commandTimeoutMs } : {}),
      logger: {
        debug: () => undefined,
        warn: () => {
          fellBack = true;
        },
      },
    });
  // Whatever happens below, Redis is let go: an open connection (and the
  // state's pub/sub one) would keep a failed worker from ever exiting.
  const clients = new AwsClientCache({ env: process.env });
  try {
    const state: PoolState | undefined = redisState;
    const pool = AccountPool.fromEnv(process.env, {
      capacity: config.capacity,
      coolDown: { initialMs: 100, maxMs: 1_000 },
      waitPollMs: 250,
      ...(state ? { state } : {}),
    });
    await pool.stats(); // connects to Redis (when used) before the start signal
    report({ ready: true });
    await go;
    let started = 0;
    let completed = 0;
    let exhausted = 0;
    const runMs: number[] = [];
    const errors: string[] = [];

    const invokeOnce = () =>
      pool.run(async () => {
        // Inside run(): the chain reads the leased account, so the client signs as it.
        const lambda = clients.get(LambdaClient, {
          region: 'us-east-1',
          endpoint: config.endpoint,
          maxAttempts: 1, // a throttled call comes back to the pool, which moves it
        });
        const event = JSON.stringify(
          config.durationMs === undefined ? {} : { durationMs: config.durationMs },
        );
        await lambda.send(
          new InvokeCommand({ FunctionName: 'render', Payload: Buffer.from(event) }),
        );
      });

    if (config.mode === 'hold') {
      // Start calls that will not end by themselves; say so once they all hold a lease.
      for (let i = 0; i < config.concurrency; i++) void invokeOnce().catch(() => undefined);
      while ((await pool.stats()).reduce((sum, s) => sum + s.inFlight, 0) < config.concurrency) {
        await sleep(10);
      }
      report({ holding: config.concurrency });
      await new Promise(() => undefined); // until killed
    }

    const lane = async () => {
      while (started < config.invocations) {
        started++;
        for (let attempt = 0; ; attempt++) {
          const t0 = performance.now();
          try {
            await invokeOnce();
            runMs.push(performance.now() - t0);
            completed++;
            break;
          } catch (error) {
            if (error instanceof AccountsExhaustedError && attempt < 100) {
              exhausted++;
              await sleep(50);
              continue;
            }
            errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: config.concurrency }, lane));
    return { completed, exhausted, runMs, errors, fellBack };
  } finally {
    await redisState?.close();
    redis?.disconnect();
    clients.clear();
  }
}

if (require.main === module) {
  const config = JSON.parse(process.env.FLEET_WORKER ?? '{}') as WorkerConfig;
  const send = (message: unknown) => process.send?.(message);
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  runWorker(config, send, go).then(
    (result) => {
      send({ result });
      process.disconnect?.();
    },
    (error: unknown) => {
      send({ error: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
      process.disconnect?.();
    },
  );
}

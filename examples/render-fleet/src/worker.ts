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
import { RedisPoolState, RedisPoolStateError } from '@credchain/redis';
import { type ConnectedRedis, connectRedis, type RedisConnection } from './redis-client';

export interface WorkerConfig {
  readonly state: 'redis' | 'local';
  /** One Redis, through ioredis (the example's default). */
  readonly redisUrl?: string;
  /** Which client to which topology, instead of `redisUrl`. */
  readonly redis?: RedisConnection;
  readonly namespace: string;
  readonly endpoint: string;
  /** Concurrent invocations per account the pool allows (the account's limit). */
  readonly capacity: number;
  readonly invocations: number;
  readonly concurrency: number;
  readonly leaseTtlMs: number;
  /** Each Redis command's bound. @default RedisPoolState's (1 s) */
  readonly commandTimeoutMs?: number;
  /** @default RedisPoolState's ('fallback') */
  readonly onRedisError?: 'fallback' | 'fail';
  /**
   * `'run'`: `invocations` in all, `concurrency` at a time. `'hold'`: start
   * `concurrency` invocations, report `{ holding }` once they all hold a
   * lease, then the result once they end. `'stream'`: `concurrency` lanes
   * invoke one after the other until the parent says `stop`.
   */
  readonly mode?: 'run' | 'hold' | 'stream';
  /** Sent as the invocation's event; an endpoint may run that long. */
  readonly durationMs?: number;
  /** Hold mode: each call, once answered, keeps its lease until the parent says `stop` (a render that does not end). */
  readonly holdUntilStop?: boolean;
}

/** One invocation as this worker saw it: account, then start and end (µs of the machine's monotonic clock, `process.hrtime`). */
export type CallRecord = readonly [account: number, startUs: number, endUs: number];

export interface WorkerResult {
  readonly completed: number;
  /** Every completed invocation, timed from just before it was sent to just after its answer. */
  readonly calls: CallRecord[];
  /** `pool.run` calls that rejected because Redis could not be used (`onRedisError: 'fail'`). */
  readonly refused: number;
  /** Runs that found every account throttled or cooling down (retried after a pause). */
  readonly exhausted: number;
  /** Wall time of each completed `pool.run`, ms. */
  readonly runMs: number[];
  readonly errors: string[];
  /** Whether Redis had to be replaced by local state at some point. */
  readonly fellBack: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Runs the worker: `report` tells the parent things on the way (`{ ready }`
 * once connected, `{ holding }` in hold mode); `go` resolves when the parent
 * has every worker ready, so they all start at once.
 */
export async function runWorker(
  config: WorkerConfig,
  report: (message: unknown) => void,
  go: Promise<void> = Promise.resolve(),
  stop: Promise<void> = new Promise(() => undefined),
): Promise<WorkerResult> {
  const redis: ConnectedRedis | undefined =
    config.state === 'redis'
      ? await connectRedis(config.redis ?? { client: 'ioredis', url: config.redisUrl as string })
      : undefined;
  let fellBack = false;
  const redisState =
    redis &&
    new RedisPoolState(redis.client, {
      namespace: config.namespace,
      leaseTtlMs: config.leaseTtlMs,
      ...(config.commandTimeoutMs ? { commandTimeoutMs: config.commandTimeoutMs } : {}),
      ...(config.onRedisError ? { onRedisError: config.onRedisError } : {}),
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
    let refused = 0;
    let stopped = false;
    void stop.then(() => {
      stopped = true;
    });
    const runMs: number[] = [];
    const errors: string[] = [];
    const calls: CallRecord[] = [];

    const invokeOnce = () =>
      pool.run(async ({ index }) => {
        // Inside run(): the chain reads the leased account, so the client signs as it.
        const lambda = clients.get(LambdaClient, {
          region: 'us-east-1',
          endpoint: config.endpoint,
          maxAttempts: 1, // a throttled call comes back to the pool, which moves it
        });
        const event = JSON.stringify(
          config.durationMs === undefined ? {} : { durationMs: config.durationMs },
        );
        const startUs = nowUs();
        await lambda.send(
          new InvokeCommand({ FunctionName: 'render', Payload: Buffer.from(event) }),
        );
        if (config.holdUntilStop) await stop;
        calls.push([index, startUs, nowUs()]);
      });

    if (config.mode === 'hold') {
      // Start long calls; say so once they all hold a lease, then wait for their end.
      const holding = Array.from({ length: config.concurrency }, () =>
        invokeOnce().then(
          () => {
            completed++;
          },
          (error: unknown) => {
            errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
          },
        ),
      );
      const held = () => [...(redisState?.heldLeases().values() ?? [])].reduce((a, b) => a + b, 0);
      while (calls.length + held() < config.concurrency) {
        await sleep(10);
      }
      report({ holding: config.concurrency });
      await Promise.all(holding);
      return { completed, calls, refused, exhausted, runMs, errors, fellBack };
    }

    const more = () => (config.mode === 'stream' ? !stopped : started < config.invocations);
    const lane = async () => {
      while (more()) {
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
            if (error instanceof RedisPoolStateError && !stopped) {
              // onRedisError 'fail': Redis cannot be used now; ask again shortly.
              refused++;
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
    return { completed, calls, refused, exhausted, runMs, errors, fellBack };
  } finally {
    await redisState?.close();
    await redis?.close();
    clients.clear();
  }
}

if (require.main === module) {
  const config = JSON.parse(process.env.FLEET_WORKER ?? '{}') as WorkerConfig;
  const send = (message: unknown) => process.send?.(message);
  let started: () => void = () => undefined;
  let stopped: () => void = () => undefined;
  const go = new Promise<void>((resolve) => {
    started = resolve;
  });
  const stop = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  process.on('message', (message) => (message === 'stop' ? stopped() : started()));
  runWorker(config, send, go, stop).then(
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

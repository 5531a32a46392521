/**
 * Issue 24's failover drill, shared by the Cluster and the Sentinel tests:
 * real worker processes (the render-fleet example's built `dist/worker.js`)
 * on a real topology, a Lambda-like server per fleet that verifies SigV4 and
 * answers 429 over its limit, and a master SIGKILLed in the middle.
 *
 * - The stream: 3 workers × 20 lanes over 3 accounts of capacity 4
 *   (`leaseTtlMs` 2 s), each call 150 ms at the server, before, during and
 *   after the failover.
 * - The hard case, in a namespace of its own on the same master: worker A
 *   holds every place (12) with calls that do not end until told; worker B
 *   asks from before the kill until A's calls end, 5 s after the promotion.
 *
 * Every bound is computed from the workers' own timestamps (the machine's
 * monotonic clock, comparable across processes) and from the servers'
 * counts; the caller asserts them.
 */
import { type ForkedWorker, fleetAccounts, forkWorker } from '../../examples/render-fleet/src/main';
import type { RedisConnection } from '../../examples/render-fleet/src/redis-client';
import type {
  CallRecord,
  WorkerConfig,
  WorkerResult,
} from '../../examples/render-fleet/src/worker';
import { type LambdaServer, startLambdaServer } from './lambda-server';

export const ACCOUNTS = 3;
export const LIMIT = 4;
export const LEASE_TTL_MS = 2_000;
export const CALL_MS = 150;
const HOLD_AFTER_PROMOTION_MS = 5_000;

export interface FailoverDrill {
  readonly policy: 'fallback' | 'fail';
  /** The stream's namespace and the hard case's: both on the master that is killed. */
  readonly namespaces: { readonly stream: string; readonly hard: string };
  /** One connection per stream worker (mixing clients is allowed). */
  readonly streamClients: readonly RedisConnection[];
  readonly holderClient: RedisConnection;
  readonly askerClient: RedisConnection;
  /** SIGKILLs the master serving the namespaces. */
  readonly kill: () => Promise<void>;
  /**
   * Starts watching for the promotion (before the kill); `promoted`
   * resolves with `process.hrtime.bigint()` of it.
   */
  readonly watchPromotion: () => Promise<{ readonly promoted: Promise<bigint> }>;
  /** Each namespace's cells' units in flight, read through a fresh state on the topology. */
  readonly leasesLeft: (namespace: string) => Promise<number[]>;
}

export interface FailoverFigures {
  readonly policy: 'fallback' | 'fail';
  /** Most calls in flight at once per account, from the stream workers' timestamps. */
  readonly maxInFlight: number[];
  /** The same, as the stream's Lambda-like server counted. */
  readonly serverMaxInFlight: number[];
  readonly throttled: number;
  /** ms from the kill to the promotion. */
  readonly outageMs: number;
  /** ms from the promotion to the first stream call started after it. */
  readonly serviceBackMs: number;
  /** The same, per stream worker (in the order of `streamClients`). */
  readonly serviceBackPerWorkerMs: number[];
  /** ms from the promotion until 12 calls ran at once again. */
  readonly fullCapacityBackMs: number;
  readonly streamCalls: number;
  /** Calls of the stream started between the kill and the promotion (the fall-back's own places). */
  readonly callsDuringOutage: number;
  /** pool.run calls refused (onRedisError 'fail'), over the stream workers. */
  readonly refused: number;
  readonly errors: string[];
  readonly hard: {
    readonly held: number;
    /** A's calls: from before the kill to this long after the promotion (ms). */
    readonly heldPastPromotionMs: number;
    /** B's calls that started while A's ran (the double-booking). */
    readonly doubleBooked: number;
    /** ms from the end of A's last call to B's first call. */
    readonly servedAfterMs: number;
    readonly askerCalls: number;
    readonly serverMaxInFlight: number[];
    readonly throttled: number;
  };
  /** Units in flight left in each namespace at the end. */
  readonly leasesLeft: { readonly stream: number[]; readonly hard: number[] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const usOf = (t: bigint) => Number(t / 1000n);

/** Most intervals overlapping at once, per account (1-based, `ACCOUNTS` of them). */
export function maxOverlap(calls: readonly CallRecord[]): number[] {
  return Array.from({ length: ACCOUNTS }, (_, i) => {
    const events = calls
      .filter(([account]) => account === i + 1)
      .flatMap(([, start, end]) => [
        [start, 1],
        [end, -1],
      ])
      // At equal times an end goes first: one call ending as another starts is not an overlap.
      .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
    let now = 0;
    let max = 0;
    for (const [, delta] of events) {
      now += delta as number;
      max = Math.max(max, now);
    }
    return max;
  });
}

/** When (µs) the stream had every place busy again after `fromUs`. */
function fullAgainUs(calls: readonly CallRecord[], fromUs: number): number {
  const events = calls
    .flatMap(([, start, end]) => [
      [start, 1],
      [end, -1],
    ])
    .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  for (const [at, delta] of events) {
    now += delta as number;
    if ((at as number) >= fromUs && now >= ACCOUNTS * LIMIT) return at as number;
  }
  return Number.POSITIVE_INFINITY;
}

function resultOf(reply: Record<string, unknown>, who: string): WorkerResult {
  if (!reply.result) throw new Error(`${who} failed: ${String(reply.error)}`);
  return reply.result as WorkerResult;
}

/** Runs the drill; every process and server it started is stopped when it ends. */
export async function runFailoverDrill(drill: FailoverDrill): Promise<FailoverFigures> {
  const { env, ids } = fleetAccounts(ACCOUNTS);
  const accounts = [...ids.keys()].map((accessKeyId, i) => ({
    accessKeyId,
    secretAccessKey: env[`AWS_SECRET_${i + 1}`] as string,
  }));
  const servers: LambdaServer[] = [];
  const workers: ForkedWorker[] = [];
  try {
    const streamServer = await startLambdaServer({ accounts, concurrencyLimit: LIMIT });
    servers.push(streamServer);
    const hardServer = await startLambdaServer({ accounts, concurrencyLimit: LIMIT });
    servers.push(hardServer);
    const base = {
      state: 'redis',
      capacity: LIMIT,
      invocations: 0,
      leaseTtlMs: LEASE_TTL_MS,
      onRedisError: drill.policy,
      durationMs: CALL_MS,
    } as const;
    const stream = drill.streamClients.map((redis) =>
      forkWorker(
        {
          ...base,
          redis,
          namespace: drill.namespaces.stream,
          endpoint: streamServer.url,
          concurrency: 20,
          mode: 'stream',
        } satisfies WorkerConfig,
        env,
      ),
    );
    const holder = forkWorker(
      {
        ...base,
        redis: drill.holderClient,
        namespace: drill.namespaces.hard,
        endpoint: hardServer.url,
        concurrency: ACCOUNTS * LIMIT,
        mode: 'hold',
        holdUntilStop: true,
      },
      env,
    );
    const asker = forkWorker(
      {
        ...base,
        redis: drill.askerClient,
        namespace: drill.namespaces.hard,
        endpoint: hardServer.url,
        concurrency: 4,
        mode: 'stream',
      },
      env,
    );
    workers.push(...stream, holder, asker);
    await Promise.all(workers.map((w) => w.ready));
    holder.go();
    const holding = await holder.done;
    if (holding.holding !== ACCOUNTS * LIMIT) throw new Error(`A said ${JSON.stringify(holding)}`);
    for (const w of [...stream, asker]) w.go();
    await sleep(1_500);

    const { promoted } = await drill.watchPromotion();
    const killedAt = process.hrtime.bigint();
    await drill.kill();
    const promotedAt = await promoted;
    // B keeps asking while A's calls run, 5 s past the promotion; then A's calls end.
    const holdUntil = promotedAt + BigInt(HOLD_AFTER_PROMOTION_MS) * 1_000_000n;
    // A timer may fire a fraction of a millisecond early: wait on the clock itself.
    for (let left = holdUntil - process.hrtime.bigint(); left > 0n; ) {
      await sleep(Math.ceil(Number(left) / 1e6));
      left = holdUntil - process.hrtime.bigint();
    }
    holder.stop();
    const held = resultOf(await holder.next(), 'A');
    await sleep(1_500);
    for (const w of [...stream, asker]) w.stop();
    const results = await Promise.all(
      stream.map((w, i) => w.done.then((r) => resultOf(r, `stream worker ${i + 1}`))),
    );
    const asked = resultOf(await asker.done, 'B');

    const calls = results.flatMap((r) => r.calls);
    const killUs = usOf(killedAt);
    const promotionUs = usOf(promotedAt);
    const firstAfter = Math.min(...calls.map(([, start]) => start).filter((s) => s >= promotionUs));
    const heldEndUs = Math.max(...held.calls.map(([, , end]) => end));
    const heldStartUs = Math.min(...held.calls.map(([, start]) => start));
    const askerStarts = asked.calls.map(([, start]) => start);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const counted = (server: LambdaServer) => Object.values(server.stats());
    return {
      policy: drill.policy,
      maxInFlight: maxOverlap(calls),
      serverMaxInFlight: accounts.map(
        (a) => streamServer.stats()[a.accessKeyId]?.maxConcurrent ?? 0,
      ),
      throttled: sum(counted(streamServer).map((a) => a.throttled)),
      outageMs: (promotionUs - killUs) / 1000,
      serviceBackMs: (firstAfter - promotionUs) / 1000,
      serviceBackPerWorkerMs: results.map(
        (r) =>
          (Math.min(...r.calls.map(([, start]) => start).filter((s) => s >= promotionUs)) -
            promotionUs) /
          1000,
      ),
      fullCapacityBackMs: (fullAgainUs(calls, promotionUs) - promotionUs) / 1000,
      streamCalls: calls.length,
      callsDuringOutage: calls.filter(([, start]) => start >= killUs && start < promotionUs).length,
      refused: sum(results.map((r) => r.refused)),
      errors: [...results, held, asked].flatMap((r) => r.errors),
      hard: {
        held: held.calls.length,
        heldPastPromotionMs:
          heldStartUs < killUs ? (heldEndUs - promotionUs) / 1000 : Number.NEGATIVE_INFINITY,
        doubleBooked: askerStarts.filter((s) => s < heldEndUs).length,
        servedAfterMs: (Math.min(...askerStarts) - heldEndUs) / 1000,
        askerCalls: asked.calls.length,
        serverMaxInFlight: accounts.map(
          (a) => hardServer.stats()[a.accessKeyId]?.maxConcurrent ?? 0,
        ),
        throttled: sum(counted(hardServer).map((a) => a.throttled)),
      },
      leasesLeft: {
        stream: await drill.leasesLeft(drill.namespaces.stream),
        hard: await drill.leasesLeft(drill.namespaces.hard),
      },
    };
  } finally {
    await Promise.all(workers.map((w) => stopWorker(w)));
    for (const server of servers) await server.stop();
  }
}

/** Kills a worker still running (SIGKILL) and waits for its exit. */
async function stopWorker({ child }: ForkedWorker): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * What a drill must show on any topology: at most LIMIT in flight per account
 * (workers' clocks and the server's), 0 throttled, service back within 1 s of
 * the promotion, the hard case's long calls not double-booked, 0 leases
 * left; with `onRedisError: 'fail'`, some calls refused during the outage.
 */
export function expectFailoverHeld(f: FailoverFigures): void {
  expect(f.errors).toEqual([]);
  expect(Math.max(...f.maxInFlight)).toBeLessThanOrEqual(LIMIT);
  expect(Math.max(...f.serverMaxInFlight)).toBeLessThanOrEqual(LIMIT);
  expect(f.throttled).toBe(0);
  expect(f.serviceBackMs).toBeLessThanOrEqual(1_000);
  expect(f.hard.held).toBe(ACCOUNTS * LIMIT);
  expect(f.hard.heldPastPromotionMs).toBeGreaterThanOrEqual(5_000);
  expect(f.hard.doubleBooked).toBe(0);
  expect(f.hard.servedAfterMs).toBeLessThanOrEqual(1_000);
  expect(Math.max(...f.hard.serverMaxInFlight)).toBeLessThanOrEqual(LIMIT);
  expect(f.hard.throttled).toBe(0);
  expect(f.leasesLeft).toEqual({ stream: [0, 0, 0], hard: [0, 0, 0] });
  if (f.policy === 'fail') expect(f.refused).toBeGreaterThan(0);
}

/** The figures as lines for the test's output. */
export function describeFigures(topology: string, f: FailoverFigures): string {
  return [
    `${topology}, onRedisError '${f.policy}': master SIGKILLed, promoted ${(f.outageMs / 1000).toFixed(1)} s later`,
    `  stream (3 workers × 20 lanes, 3 accounts × 4, ${CALL_MS} ms calls, leaseTtlMs ${LEASE_TTL_MS}): ${f.streamCalls} calls, ${f.callsDuringOutage} of them during the outage, ${f.refused} run() refused`,
    `  most in flight per account: ${f.maxInFlight.join('/')} (workers' timestamps), ${f.serverMaxInFlight.join('/')} (server); ${f.throttled} throttled`,
    `  service back ${f.serviceBackMs.toFixed(0)} ms after the promotion (per worker: ${f.serviceBackPerWorkerMs.map((ms) => ms.toFixed(0)).join(' / ')} ms); all 12 places busy again after ${f.fullCapacityBackMs.toFixed(0)} ms`,
    `  hard case: A held ${f.hard.held} calls until ${(f.hard.heldPastPromotionMs / 1000).toFixed(1)} s after the promotion; B started ${f.hard.doubleBooked} calls meanwhile, its first ${f.hard.servedAfterMs.toFixed(0)} ms after A's end (${f.hard.askerCalls} calls); server ${f.hard.serverMaxInFlight.join('/')}, ${f.hard.throttled} throttled`,
    `  leases left: stream ${f.leasesLeft.stream.join('/')}, hard case ${f.leasesLeft.hard.join('/')}`,
  ].join('\n');
}

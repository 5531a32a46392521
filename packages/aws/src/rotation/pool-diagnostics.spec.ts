/**
 * What an `AccountPool` publishes for operators, as a subscriber sees it:
 * one `credchain:pool.run` trace per `run()` with its outcome (`ok`,
 * `failed`, `throttled`, `exhausted`, `aborted`), the cell of the latest
 * attempt and the throttles seen; `credchain:pool.lease` acquired then
 * released (the same object, capacity `null` when unlimited, region and
 * weight); `credchain:pool.cool-down` for a throttle and for
 * `markThrottled()`. And a `weight` that no cell could ever run is refused
 * before anything is leased.
 */
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import {
  CredchainChannels,
  type PoolCoolDownMessage,
  type PoolLeaseMessage,
  type PoolRunMessage,
} from '@credchain/core';
import { AccountPool } from './account-pool';
import { AccountsExhaustedError } from './accounts-exhausted-error';

type Env = Record<string, string | undefined>;

function accountsEnv(count: number): Env {
  const env: Env = {};
  for (let n = 1; n <= count; n++) {
    env[`AWS_KEY_${n}`] = `AKIAFAKEDIAGACCOUNT${n}`;
    env[`AWS_SECRET_${n}`] = `fake-diagnostics-secret-${n}-not-real`;
  }
  return env;
}

/** Lambda's own 429, as the SDK builds it. */
const rateExceeded = () =>
  new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 } });

/** The pool.run traces that ended (asyncEnd or error) while `fn` ran, as they ended. */
async function runTraces(fn: () => Promise<unknown>): Promise<PoolRunMessage[]> {
  const ended: PoolRunMessage[] = [];
  const channel = tracingChannel<unknown, PoolRunMessage>(CredchainChannels.poolRun);
  const handlers = {
    start: () => {},
    end: () => {},
    asyncStart: () => {},
    asyncEnd: (message: PoolRunMessage) => {
      ended.push({ ...message, throttles: [...message.throttles] });
    },
    error: () => {},
  };
  channel.subscribe(handlers);
  try {
    await fn();
  } finally {
    channel.unsubscribe(handlers);
  }
  return ended;
}

/** What `name` publishes while `fn` runs (the objects themselves, and a copy of each as published). */
async function published<T extends object>(
  name: string,
  fn: () => Promise<unknown>,
): Promise<{ objects: T[]; copies: T[] }> {
  const objects: T[] = [];
  const copies: T[] = [];
  const listener = (message: unknown) => {
    objects.push(message as T);
    copies.push({ ...(message as T) });
  };
  subscribe(name, listener);
  try {
    await fn();
  } finally {
    unsubscribe(name, listener);
  }
  return { objects, copies };
}

describe('what an AccountPool publishes', () => {
  it('credchain:pool.run: ok, with the account of the attempt and no throttle', async () => {
    const pool = AccountPool.fromEnv(accountsEnv(2), { strategy: 'round-robin' });
    const [trace] = await runTraces(() => pool.run(() => 'done'));
    expect(trace).toMatchObject({
      prefix: 'REMOTION',
      account: 1,
      attempt: 1,
      throttles: [],
      outcome: 'ok',
    });
    expect(trace?.region).toBeUndefined();
    expect(trace?.waitedMs).toBeGreaterThanOrEqual(0);
  });

  it('credchain:pool.run: failed when fn throws its own error', async () => {
    const pool = AccountPool.fromEnv(accountsEnv(1));
    const traces = await runTraces(() =>
      pool
        .run(() => {
          throw new Error('render failed');
        })
        .catch(() => undefined),
    );
    expect(traces.map((t) => t.outcome)).toEqual(['failed']);
  });

  it('credchain:pool.run: throttled when every account throttled, each throttle listed', async () => {
    const pool = AccountPool.fromEnv(accountsEnv(2), { strategy: 'round-robin' });
    const traces = await runTraces(() =>
      pool
        .run(() => {
          throw rateExceeded();
        })
        .catch((error: unknown) => {
          expect(error).toBeInstanceOf(AccountsExhaustedError);
        }),
    );
    expect(traces).toHaveLength(1);
    expect(traces[0]?.outcome).toBe('throttled');
    expect(traces[0]?.attempt).toBe(2);
    expect(traces[0]?.throttles.map((t) => t.account).sort()).toEqual([1, 2]);
  });

  it('credchain:pool.run: aborted when its signal was; exhausted when every account cools down', async () => {
    const pool = AccountPool.fromEnv(accountsEnv(1), { capacity: 1 });
    let release = () => {};
    const started = new Promise<void>((ready) => {
      void pool.run(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
            ready();
          }),
      );
    });
    await started;
    const controller = new AbortController();
    const traces = await runTraces(async () => {
      // The only place is held: this call waits, until its signal aborts.
      const waiting = pool.run(() => 'never', { signal: controller.signal });
      controller.abort(new Error('stopped by the caller'));
      await waiting.catch(() => undefined);
      release();
      await pool.markThrottled(1, 60_000);
      await pool.run(() => 'never').catch(() => undefined);
    });
    expect(traces.map((t) => t.outcome)).toEqual(['aborted', 'exhausted']);
  });

  it('credchain:pool.lease: acquired then released, the same object; capacity null when unlimited', async () => {
    const pool = AccountPool.fromEnv(accountsEnv(1));
    const { objects, copies } = await published<PoolLeaseMessage>(CredchainChannels.poolLease, () =>
      pool.run(() => 'done'),
    );
    expect(copies).toEqual([
      { prefix: 'REMOTION', event: 'acquired', account: 1, capacity: null, weight: 1 },
      { prefix: 'REMOTION', event: 'released', account: 1, capacity: null, weight: 1 },
    ]);
    expect(objects[0]).toBe(objects[1]);
  });

  it('credchain:pool.lease: a cell’s region, its capacity and the call’s weight', async () => {
    const pool = AccountPool.fromEnv(accountsEnv(1), {
      regions: ['eu-central-1', 'us-east-1'],
      capacity: 9,
      strategy: 'round-robin',
    });
    const { copies } = await published<PoolLeaseMessage>(CredchainChannels.poolLease, () =>
      pool.run(() => 'done', { weight: 3 }),
    );
    expect(copies[0]).toEqual({
      prefix: 'REMOTION',
      event: 'acquired',
      account: 1,
      region: 'eu-central-1',
      capacity: 9,
      weight: 3,
    });
  });

  it('credchain:pool.cool-down: a throttle with its reason, markThrottled() as manual', async () => {
    const pool = AccountPool.fromEnv(accountsEnv(2), { strategy: 'round-robin' });
    const { copies } = await published<PoolCoolDownMessage>(
      CredchainChannels.poolCoolDown,
      async () => {
        await pool
          .run(({ index }) => {
            if (index === 1) throw rateExceeded();
            return 'done';
          })
          .catch(() => undefined);
        await pool.markThrottled(2, 1_000);
      },
    );
    expect(copies).toHaveLength(2);
    expect(copies[0]).toMatchObject({ prefix: 'REMOTION', account: 1 });
    expect(copies[0]?.reason).not.toBe('manual');
    expect(copies[0]?.until).toBeGreaterThan(Date.now());
    expect(copies[1]).toMatchObject({ prefix: 'REMOTION', account: 2, reason: 'manual' });
  });

  it.each<[string, unknown, RegExp]>([
    ['zero', 0, /^the weight option of run\(\) must be a positive integer \(got number 0\)$/],
    ['a fraction', 1.5, /must be a positive integer \(got number 1\.5\)$/],
    ['a string', '2', /must be a positive integer \(got "2"\)$/],
    [
      'more than any cell holds',
      6,
      /^the weight option of run\(\) is 6, above every cell's capacity \(the largest is 5\): no cell could ever run this call$/,
    ],
  ])('a weight that is %s is refused before anything is leased', async (_label, weight, said) => {
    const pool = AccountPool.fromEnv(accountsEnv(2), { capacity: [3, 5] });
    let ran = false;
    const { copies } = await published<PoolLeaseMessage>(CredchainChannels.poolLease, () =>
      pool
        .run(
          () => {
            ran = true;
          },
          { weight: weight as number },
        )
        .then(
          () => {
            throw new Error('expected a rejection');
          },
          (error: unknown) => {
            expect(error).toBeInstanceOf(RangeError);
            expect((error as Error).message).toMatch(said);
          },
        ),
    );
    expect(ran).toBe(false);
    expect(copies).toEqual([]);
    // The largest cell's capacity is a weight it can run.
    await expect(pool.run(() => 'fits', { weight: 5 })).resolves.toBe('fits');
  });
});

/**
 * Rotation that reaches the SDK users actually call: Remotion's own client,
 * `@remotion/lambda-client`, reads `process.env` when it makes a call and
 * caches its clients by a hash of those variables. With the pool's
 * `processEnv: 'scoped'`, `renderMediaOnLambda()` inside `pool.run` signs with
 * the leased account. Against a loopback Lambda-like server
 * (`AWS_ENDPOINT_URL_LAMBDA`) that verifies SigV4, answers Remotion's
 * synchronous invoke, enforces per-account concurrency limits and answers
 * Lambda's real 429.
 *
 * The tests run in order: the first shows the process-wide keys signing
 * (no option: a notice), the next install the scoped process.env.
 */
import { AccountPool, isThrottlingError } from '@credchain/aws';
import { isScopedProcessEnvInstalled } from '@credchain/core';
import { renderMediaOnLambda } from '@remotion/lambda-client';
import {
  type LambdaInvocation,
  type LambdaServer,
  startLambdaServer,
} from '../support/lambda-server';

const ACCOUNTS = [1, 2, 3].map((n) => ({
  accessKeyId: `AKIAFAKEREMOTION000${n}`,
  secretAccessKey: `fake-remotion-secret-${n}-not-real`,
}));
/** The process-wide keys Remotion's docs tell users to set. */
const PROCESS_WIDE = {
  accessKeyId: 'AKIAFAKEREMOTIONWIDE',
  secretAccessKey: 'fake-remotion-process-wide-not-real',
};
const accountsEnv: Record<string, string> = {};
ACCOUNTS.forEach((a, i) => {
  accountsEnv[`AWS_KEY_${i + 1}`] = a.accessKeyId;
  accountsEnv[`AWS_SECRET_${i + 1}`] = a.secretAccessKey;
});
const RENDER_MS = 60;

describe('@remotion/lambda-client inside pool.run', () => {
  let server: LambdaServer;
  /** The access key id that signed each render, by the render's call number. */
  const signedBy = new Map<number, string>();
  const saved = { ...process.env };

  const callOf = (invocation: LambdaInvocation) => {
    const event = invocation.event as { inputProps?: { payload?: string } } | null;
    return (JSON.parse(event?.inputProps?.payload ?? '{}') as { call?: number }).call ?? -1;
  };
  // Remotion caches its clients by credentials and region (not endpoint):
  // a test with a server of its own renders in a region of its own.
  const render = (call: number, region = 'us-east-1') =>
    renderMediaOnLambda({
      region,
      functionName: 'remotion-render-test',
      serveUrl: 'https://example.invalid/sites/test',
      composition: 'Main',
      codec: 'h264',
      inputProps: { call },
    });
  const keyOf = (index: number) => ACCOUNTS[index - 1]?.accessKeyId;

  beforeAll(async () => {
    server = await startLambdaServer({
      accounts: [...ACCOUNTS, PROCESS_WIDE],
      concurrencyLimit: 2,
      durationMs: RENDER_MS,
      handler: (invocation) => {
        const call = callOf(invocation);
        signedBy.set(call, invocation.accessKeyId);
        return { type: 'success', renderId: `render-${call}`, bucketName: 'remotionlambda-test' };
      },
    });
    // What Remotion reads: the endpoint, no profile files, the process-wide keys.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: server.url,
      HOME: '/nonexistent-credchain-remotion-home',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-credchain-remotion-home/credentials',
      AWS_CONFIG_FILE: '/nonexistent-credchain-remotion-home/config',
      REMOTION_AWS_ACCESS_KEY_ID: PROCESS_WIDE.accessKeyId,
      REMOTION_AWS_SECRET_ACCESS_KEY: PROCESS_WIDE.secretAccessKey,
    });
  });
  afterAll(async () => {
    await server.stop();
    process.env = saved;
  });
  beforeEach(() => {
    signedBy.clear();
    server.reset();
  });

  it('without processEnv: the process-wide keys sign every render, and the pool says once how to fix it', async () => {
    const notices: string[] = [];
    const pool = AccountPool.fromEnv(accountsEnv, {
      capacity: 2,
      logger: { debug: () => {}, warn: (line) => notices.push(line) },
    });
    // One at a time: concurrent, the process-wide key would draw 429s that
    // cool down pool accounts which never saw the request.
    for (const call of [0, 1, 2, 3]) await pool.run(() => render(call));
    expect([...signedBy.values()]).toEqual(Array(4).fill(PROCESS_WIDE.accessKeyId));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('process.env holds REMOTION_AWS_ACCESS_KEY_ID');
    expect(notices[0]).toContain("{ processEnv: 'scoped' }");
    expect(notices[0]).not.toContain(PROCESS_WIDE.accessKeyId);
    expect(isScopedProcessEnvInstalled()).toBe(false);
  });

  it("with processEnv: 'scoped', 12 concurrent renders over 3 accounts × capacity 2: each signed by its leased account, 0 throttled, ≤ 2 in flight per account", async () => {
    const notices: string[] = [];
    const pool = AccountPool.fromEnv(accountsEnv, {
      capacity: 2,
      processEnv: 'scoped',
      logger: { debug: () => {}, warn: (line) => notices.push(line) },
    });
    const renders = await Promise.all(
      Array.from({ length: 12 }, (_, call) =>
        pool.run(async ({ index }) => ({ index, call, renderId: (await render(call)).renderId })),
      ),
    );
    for (const { index, call, renderId } of renders) {
      expect(renderId).toBe(`render-${call}`);
      expect(signedBy.get(call)).toBe(keyOf(index));
    }
    const stats = server.stats();
    expect(stats[PROCESS_WIDE.accessKeyId]).toBeUndefined();
    for (const { accessKeyId } of ACCOUNTS) {
      expect(stats[accessKeyId]).toMatchObject({ throttled: 0, inFlight: 0 });
      expect(stats[accessKeyId]?.maxConcurrent).toBeLessThanOrEqual(2);
      expect(stats[accessKeyId]?.invocations).toBeGreaterThan(0);
    }
    expect(notices).toEqual([]);
    // Outside the pool, Remotion's client is back on the process-wide keys.
    await render(99);
    expect(signedBy.get(99)).toBe(PROCESS_WIDE.accessKeyId);
  });

  it('an account at limit 0: Remotion’s 429 is seen as throttling, the account cools down, every render succeeds on the others', async () => {
    const limited = await startLambdaServer({
      accounts: ACCOUNTS,
      concurrencyLimit: {
        [keyOf(1) as string]: 2,
        [keyOf(2) as string]: 0,
        [keyOf(3) as string]: 2,
      },
      durationMs: RENDER_MS,
      handler: (invocation) => {
        signedBy.set(callOf(invocation), invocation.accessKeyId);
        return { type: 'success', renderId: `render-${callOf(invocation)}`, bucketName: 'b' };
      },
    });
    process.env.AWS_ENDPOINT_URL_LAMBDA = limited.url;
    const thrown: unknown[] = [];
    try {
      const pool = AccountPool.fromEnv(accountsEnv, { capacity: 2, processEnv: 'scoped' });
      const renders = await Promise.all(
        Array.from({ length: 12 }, (_, call) =>
          pool.run(async ({ index }) => {
            try {
              return { index, call, renderId: (await render(call, 'eu-west-1')).renderId };
            } catch (error) {
              thrown.push(error);
              throw error;
            }
          }),
        ),
      );
      for (const { index, call } of renders) {
        expect(index).not.toBe(2);
        expect(signedBy.get(call)).toBe(keyOf(index));
      }
      const stats = limited.stats();
      expect(stats[keyOf(2) as string]?.invocations ?? 0).toBe(0);
      expect(stats[keyOf(2) as string]?.throttled).toBeGreaterThan(0);
      expect(thrown.length).toBeGreaterThan(0);
      expect(thrown.every((error) => isThrottlingError(error))).toBe(true);
      expect((await pool.stats())[1]).toMatchObject({ index: 2, throttles: thrown.length });
    } finally {
      process.env.AWS_ENDPOINT_URL_LAMBDA = server.url;
      await limited.stop();
    }
  });

  it('through withAccount: each render signed by the account chosen for it', async () => {
    const pool = AccountPool.fromEnv(accountsEnv, { processEnv: 'scoped' });
    const chosen = Array.from({ length: 6 }, (_, call) => ({ call, index: (call % 3) + 1 }));
    await Promise.all(chosen.map(({ call, index }) => pool.withAccount(index, () => render(call))));
    for (const { call, index } of chosen) expect(signedBy.get(call)).toBe(keyOf(index));
  });
});

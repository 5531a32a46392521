/**
 * Rotation that reacts, against a Lambda-like server on 127.0.0.1 that
 * verifies SigV4 (so it knows which account signed), enforces a per-account
 * concurrency limit and answers Lambda's real 429: `pool.run` with
 * `capacity` keeps a burst under the limit, and a throttling account is
 * cooled down and its calls retried elsewhere.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AccountPool, AccountsExhaustedError, AwsClientCache } from '@credchain/aws';
import { type LambdaServer, startLambdaServer } from '../support/lambda-server';

const ACCOUNTS = [1, 2, 3].map((n) => ({
  accessKeyId: `AKIAFAKEBURSTACCT00${n}`,
  secretAccessKey: `fake-burst-secret-${n}-not-real`,
}));
const env: Record<string, string> = {
  HOME: '/nonexistent-credchain-home',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-credchain-home/credentials',
  AWS_CONFIG_FILE: '/nonexistent-credchain-home/config',
};
ACCOUNTS.forEach((account, i) => {
  env[`AWS_KEY_${i + 1}`] = account.accessKeyId;
  env[`AWS_SECRET_${i + 1}`] = account.secretAccessKey;
});

describe('pool.run against a Lambda concurrency limit', () => {
  let server: LambdaServer;
  let clients: AwsClientCache;

  /** One Invoke through the client cache: it signs as the account in scope. */
  const render = (frame: number, durationMs: number) =>
    clients.get(LambdaClient, { region: 'us-east-1', endpoint: server.url, maxAttempts: 1 }).send(
      new InvokeCommand({
        FunctionName: 'remotion-render',
        Payload: Buffer.from(JSON.stringify({ frame, durationMs })),
      }),
    );

  beforeEach(() => {
    clients = new AwsClientCache({ env });
  });
  afterEach(async () => {
    clients.clear();
    await server.stop();
  });

  it('a burst of 60 over 3 accounts limited to 4 each: no throttle, all done', async () => {
    server = await startLambdaServer({ accounts: ACCOUNTS, concurrencyLimit: 4 });
    const pool = AccountPool.fromEnv(env, { capacity: 4 });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, frame) => pool.run(() => render(frame, 40))),
    );
    expect(results.every((r) => r.StatusCode === 200)).toBe(true);
    const stats = server.stats();
    for (const { accessKeyId } of ACCOUNTS) {
      expect(stats[accessKeyId]).toMatchObject({ throttled: 0, inFlight: 0 });
      expect(stats[accessKeyId]?.maxConcurrent).toBeLessThanOrEqual(4);
    }
    expect(ACCOUNTS.reduce((sum, a) => sum + (stats[a.accessKeyId]?.invocations ?? 0), 0)).toBe(60);
    expect((await pool.stats()).map((s) => s.throttles)).toEqual([0, 0, 0]);
  });

  it('one account always throttling: every call succeeds, the bad account sees ≤ 3 of 30', async () => {
    const bad = ACCOUNTS[1]?.accessKeyId as string;
    server = await startLambdaServer({ accounts: ACCOUNTS, alwaysThrottle: [bad] });
    const pool = AccountPool.fromEnv(env, { capacity: 4 });
    const jobs = Array.from({ length: 30 }, (_, frame) => frame);
    const done: number[] = [];
    // Three workers take jobs one after another, as a render queue would.
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
          await pool.run(() => render(job, 5));
          done.push(job);
        }
      }),
    );
    expect(done).toHaveLength(30);
    const stats = server.stats();
    expect(stats[bad]?.invocations ?? 0).toBe(0);
    expect(stats[bad]?.throttled).toBeGreaterThanOrEqual(1);
    expect(stats[bad]?.throttled).toBeLessThanOrEqual(3);
    // The pool recorded the throttling (its cool-down may be over by now on a
    // slow machine, so its end is not compared with the clock).
    const poolStats = await pool.stats();
    expect(poolStats[1]?.throttles).toBeGreaterThanOrEqual(1);
    expect(poolStats[1]?.streak).toBeGreaterThanOrEqual(1);
  });

  it('every account throttling: AccountsExhaustedError after one request to each', async () => {
    server = await startLambdaServer({
      accounts: ACCOUNTS,
      alwaysThrottle: ACCOUNTS.map((a) => a.accessKeyId),
    });
    const pool = AccountPool.fromEnv(env);
    const error = await pool.run(() => render(0, 0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountsExhaustedError);
    expect((error as Error).message).toMatch(/account 1 \(AKIA…T001\): throttled by this call/);
    expect((error as Error & { cause: { name: string } }).cause.name).toBe(
      'TooManyRequestsException',
    );
    expect(Object.values(server.stats()).map((s) => s.throttled)).toEqual([1, 1, 1]);
  });
});

import {
  GetAccountSettingsCommand,
  InvokeCommand,
  LambdaClient,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { retryAfterMs, throttleReason } from '@credchain/aws';
import { type LambdaServer, startLambdaServer } from './lambda-server';

const A = { accessKeyId: 'AKIAFAKELAMBDACELL01', secretAccessKey: 'fake-lambda-cell-secret-01' };
const B = { accessKeyId: 'AKIAFAKELAMBDACELL02', secretAccessKey: 'fake-lambda-cell-secret-02' };

describe('Lambda-like loopback server: cells, reasons, Retry-After, GetAccountSettings', () => {
  let server: LambdaServer;
  const clients: LambdaClient[] = [];

  const lambda = (credentials: typeof A, region: string) => {
    const client = new LambdaClient({ endpoint: server.url, region, credentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
  const invoke = (client: LambdaClient, event: unknown) =>
    client.send(
      new InvokeCommand({ FunctionName: 'render', Payload: Buffer.from(JSON.stringify(event)) }),
    );

  beforeAll(async () => {
    server = await startLambdaServer({
      accounts: [A, B],
      concurrencyLimit: ({ accessKeyId, region }) =>
        accessKeyId === A.accessKeyId && region === 'eu-central-1' ? 2 : 4,
      limitReason: 'ConcurrentInvocationLimitExceeded',
      accountSettings: ({ accessKeyId, region }) =>
        accessKeyId === B.accessKeyId && region === 'eu-central-1'
          ? undefined
          : {
              ConcurrentExecutions: 1000,
              UnreservedConcurrentExecutions: region === 'us-east-1' ? 900 : 450,
            },
    });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server.stop();
  });

  it('counts concurrency per account per Region, from the SigV4 credential scope', async () => {
    const east = lambda(A, 'us-east-1');
    const central = lambda(A, 'eu-central-1');
    const results = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => invoke(east, { durationMs: 300 })),
      ...Array.from({ length: 3 }, () => invoke(central, { durationMs: 300 })),
    ]);
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toBeInstanceOf(TooManyRequestsException);
    expect(throttleReason(failed[0]?.reason)).toBe('concurrency');
    const cells = server.cellStats();
    expect(cells[`${A.accessKeyId} us-east-1`]).toMatchObject({
      invocations: 4,
      throttled: 0,
      maxUnits: 4,
    });
    expect(cells[`${A.accessKeyId} eu-central-1`]).toMatchObject({
      invocations: 2,
      throttled: 1,
      maxUnits: 2,
    });
    // Per account, both regions together.
    expect(server.stats()[A.accessKeyId]).toMatchObject({
      invocations: 6,
      throttled: 1,
      maxConcurrent: 6,
    });
  });

  it('counts an invocation’s units: 3 + 3 > 4 is throttled', async () => {
    const east = lambda(B, 'us-east-1');
    const results = await Promise.allSettled([
      invoke(east, { durationMs: 300, units: 3 }),
      invoke(east, { durationMs: 300, units: 3 }),
      invoke(east, { durationMs: 300, units: 1 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(server.cellStats()[`${B.accessKeyId} us-east-1`]).toMatchObject({
      maxUnits: 4,
      units: 0,
    });
  });

  it('scripts any Reason with a Retry-After header for a cell’s next requests', async () => {
    server.throttleNext(
      { accessKeyId: B.accessKeyId, region: 'eu-central-1' },
      { reason: 'CallerRateLimitExceeded', retryAfterSeconds: 2, times: 2 },
    );
    const central = lambda(B, 'eu-central-1');
    for (let i = 0; i < 2; i++) {
      const error = await invoke(central, {}).catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: 'TooManyRequestsException',
        Reason: 'CallerRateLimitExceeded',
      });
      expect(throttleReason(error)).toBe('rate');
      expect(retryAfterMs(error)).toBe(2_000);
    }
    await expect(invoke(central, {})).resolves.toMatchObject({ StatusCode: 200 });
    // Other cells were never scripted.
    await expect(invoke(lambda(B, 'us-east-1'), {})).resolves.toMatchObject({ StatusCode: 200 });
    expect(server.requests().map((r) => [r.region, r.status, r.reason])).toEqual([
      ['eu-central-1', 429, 'CallerRateLimitExceeded'],
      ['eu-central-1', 429, 'CallerRateLimitExceeded'],
      ['eu-central-1', 200, undefined],
      ['us-east-1', 200, undefined],
    ]);
  });

  it('answers GetAccountSettings per cell, or AccessDeniedException', async () => {
    const settings = await lambda(A, 'eu-central-1').send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit).toMatchObject({
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 450,
    });
    await expect(
      lambda(B, 'eu-central-1').send(new GetAccountSettingsCommand({})),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { isThrottlingError } from '@credchain/aws';
import { type LambdaServer, RATE_EXCEEDED_BODY, startLambdaServer } from './lambda-server';

const A = {
  accessKeyId: 'AKIAFAKELAMBDA000001',
  secretAccessKey: 'fake-lambda-secret-not-real-01',
};
const B = {
  accessKeyId: 'AKIAFAKELAMBDA000002',
  secretAccessKey: 'fake-lambda-secret-not-real-02',
};

describe('Lambda-like loopback server', () => {
  let server: LambdaServer;
  const clients: LambdaClient[] = [];

  const lambda = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const client = new LambdaClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
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
      concurrencyLimit: { [A.accessKeyId]: 2 },
      alwaysThrottle: [],
      handler: ({ accessKeyId, event, functionName }) => ({ accessKeyId, event, functionName }),
    });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server.stop();
  });

  it('answers Invoke for @aws-sdk/client-lambda, knowing which account signed', async () => {
    const result = await invoke(lambda(B), { frame: 7 });
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe('$LATEST');
    expect(JSON.parse(Buffer.from(result.Payload ?? []).toString('utf8'))).toEqual({
      accessKeyId: B.accessKeyId,
      event: { frame: 7 },
      functionName: 'render',
    });
    expect(server.stats()).toEqual({
      [B.accessKeyId]: { invocations: 1, throttled: 0, inFlight: 0, maxConcurrent: 1 },
    });
  });

  it('refuses a wrong secret and an unknown key with Lambda’s 403 errors', async () => {
    await expect(
      invoke(lambda({ accessKeyId: A.accessKeyId, secretAccessKey: 'wrong-secret' }), {}),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      invoke(lambda({ accessKeyId: 'AKIAFAKELAMBDA999999', secretAccessKey: 'x' }), {}),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    expect(server.rejected).toBe(2);
    expect(server.stats()).toEqual({});
  });

  it('throttles over the per-account limit with Lambda’s real 429, other accounts unaffected', async () => {
    const a = lambda(A);
    const b = lambda(B);
    const results = await Promise.allSettled([
      ...Array.from({ length: 5 }, () => invoke(a, { durationMs: 600 })),
      ...Array.from({ length: 3 }, () => invoke(b, { durationMs: 600 })),
    ]);
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed).toHaveLength(3);
    for (const { reason } of failed) {
      expect(reason).toMatchObject({
        name: 'TooManyRequestsException',
        message: RATE_EXCEEDED_BODY.message,
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        $metadata: { httpStatusCode: 429 },
      });
      expect(isThrottlingError(reason)).toBe(true);
    }
    expect(server.stats()).toEqual({
      [A.accessKeyId]: { invocations: 2, throttled: 3, inFlight: 0, maxConcurrent: 2 },
      [B.accessKeyId]: { invocations: 3, throttled: 0, inFlight: 0, maxConcurrent: 3 },
    });
  });

  it('throttles an alwaysThrottle account every time', async () => {
    const bad = await startLambdaServer({ accounts: [A], alwaysThrottle: [A.accessKeyId] });
    try {
      const client = new LambdaClient({
        endpoint: bad.url,
        region: 'us-east-1',
        credentials: A,
        maxAttempts: 1,
      });
      clients.push(client);
      await expect(invoke(client, {})).rejects.toMatchObject({ name: 'TooManyRequestsException' });
      expect(bad.stats()[A.accessKeyId]).toMatchObject({ invocations: 0, throttled: 1 });
    } finally {
      await bad.stop();
    }
  });

  it('serves its stats as JSON on GET /__stats, for other processes', async () => {
    await invoke(lambda(A), {});
    const response = await fetch(`${server.url}/__stats`);
    expect(await response.json()).toEqual({
      accounts: {
        [A.accessKeyId]: { invocations: 1, throttled: 0, inFlight: 0, maxConcurrent: 1 },
      },
      cells: {
        [`${A.accessKeyId} us-east-1`]: {
          invocations: 1,
          throttled: 0,
          inFlight: 0,
          maxConcurrent: 1,
          units: 0,
          maxUnits: 1,
        },
      },
      rejected: 0,
    });
  });

  it('starts from a plain Node process through load-support.js', () => {
    const script = `
      const { startLambdaServer } = require(${JSON.stringify(join(__dirname, 'load-support.js'))})('lambda-server');
      const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
      (async () => {
        const server = await startLambdaServer({ accounts: [${JSON.stringify(A)}], durationMs: 1 });
        const client = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: ${JSON.stringify(A)}, maxAttempts: 1 });
        await client.send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from('{}') }));
        client.destroy();
        await server.stop();
        console.log(JSON.stringify(server.stats()));
      })();`;
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      [A.accessKeyId]: { invocations: 1, throttled: 0, inFlight: 0, maxConcurrent: 1 },
    });
  });
});

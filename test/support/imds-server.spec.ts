import { request } from 'node:http';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import { AWS_ISOLATION, setEnv } from './env';
import {
  FAKE_IMDS_CREDENTIALS,
  IMDS_CREDENTIALS_PATH,
  IMDS_EXTENDED_CREDENTIALS_PATH,
  IMDS_TOKEN_HEADER,
  IMDS_TOKEN_PATH,
  IMDS_TTL_HEADER,
  type ImdsServer,
  refusedEndpoint,
  startImdsServer,
} from './imds-server';
import { type AwsFiles, writeAwsFiles } from './temp-aws-files';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One plain HTTP request, no keep-alive, so nothing stays open. */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function quietLogger() {
  return { trace: jest.fn(), debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

const timings: Array<{ scenario: string; ms: number; outcome: string }> = [];

/** Runs the SDK's IMDS provider once and measures how long it takes to settle. */
async function timed(
  scenario: string,
  init: Parameters<typeof fromInstanceMetadata>[0] = {},
): Promise<{ ms: number; error?: Error & { statusCode?: number; tryNextLink?: boolean } }> {
  const provider = fromInstanceMetadata({
    timeout: 300,
    maxRetries: 0,
    logger: quietLogger(),
    ...init,
  });
  const started = performance.now();
  try {
    await provider();
    const ms = Math.round(performance.now() - started);
    timings.push({ scenario, ms, outcome: 'resolved' });
    return { ms };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const err = error as Error;
    timings.push({ scenario, ms, outcome: `${err.name}: ${err.message}` });
    return { ms, error: err };
  }
}

describe('IMDSv2 loopback server', () => {
  let server: ImdsServer;
  let files: AwsFiles;
  let restoreEnv: () => void;

  beforeAll(async () => {
    // No shared files exist: the developer's ~/.aws cannot influence the client.
    files = await writeAwsFiles();
  });

  afterAll(async () => {
    await files.cleanup();
    console.log(
      `IMDS client (timeout 300 ms, maxRetries 0), time to settle:\n${timings
        .map((t) => `  ${t.scenario.padEnd(48)} ${String(t.ms).padStart(5)} ms  ${t.outcome}`)
        .join('\n')}`,
    );
  });

  beforeEach(async () => {
    server = await startImdsServer();
    restoreEnv = setEnv({
      ...AWS_ISOLATION,
      ...files.env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url,
    });
  });

  afterEach(async () => {
    restoreEnv();
    await server.stop();
  });

  it('binds 127.0.0.1 on an ephemeral port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves credentials to the SDK client over IMDSv2', async () => {
    const provider = fromInstanceMetadata({ timeout: 300, maxRetries: 0, logger: quietLogger() });
    const creds = await provider();
    expect(creds).toMatchObject({
      accessKeyId: FAKE_IMDS_CREDENTIALS.accessKeyId,
      secretAccessKey: FAKE_IMDS_CREDENTIALS.secretAccessKey,
      sessionToken: FAKE_IMDS_CREDENTIALS.sessionToken,
    });
    expect(creds.expiration?.getTime()).toBeGreaterThan(Date.now() + 5 * 60 * 60 * 1000);
    // The exact conversation of @smithy/credential-provider-imds 4.5.x:
    expect(server.requests).toEqual([
      { method: 'PUT', path: IMDS_TOKEN_PATH, token: 'missing', ttl: '21600', status: 200 },
      { method: 'GET', path: IMDS_CREDENTIALS_PATH, token: 'valid', status: 200 },
      {
        method: 'GET',
        path: `${IMDS_CREDENTIALS_PATH}${server.roleName}`,
        token: 'valid',
        status: 200,
      },
    ]);
    expect(server.count(IMDS_EXTENDED_CREDENTIALS_PATH)).toBe(0);
  });

  it('speaks the IMDSv2 protocol on the wire', async () => {
    const put = await raw(server.url, 'PUT', IMDS_TOKEN_PATH, { [IMDS_TTL_HEADER]: '60' });
    expect(put.status).toBe(200);
    expect(put.headers[IMDS_TTL_HEADER]).toBe('60');
    const token = put.body;
    expect(token.length).toBeGreaterThan(10);

    expect((await raw(server.url, 'PUT', IMDS_TOKEN_PATH)).status).toBe(400);
    expect((await raw(server.url, 'PUT', IMDS_TOKEN_PATH, { [IMDS_TTL_HEADER]: '0' })).status).toBe(
      400,
    );
    expect(
      (await raw(server.url, 'PUT', IMDS_TOKEN_PATH, { [IMDS_TTL_HEADER]: '21601' })).status,
    ).toBe(400);
    expect((await raw(server.url, 'GET', IMDS_TOKEN_PATH)).status).toBe(405);

    expect((await raw(server.url, 'GET', IMDS_CREDENTIALS_PATH)).status).toBe(401);
    expect(
      (await raw(server.url, 'GET', IMDS_CREDENTIALS_PATH, { [IMDS_TOKEN_HEADER]: 'bogus' }))
        .status,
    ).toBe(401);

    const list = await raw(server.url, 'GET', IMDS_CREDENTIALS_PATH, {
      [IMDS_TOKEN_HEADER]: token,
    });
    expect(list).toMatchObject({ status: 200, body: server.roleName });

    const doc = await raw(server.url, 'GET', `${IMDS_CREDENTIALS_PATH}${server.roleName}`, {
      [IMDS_TOKEN_HEADER]: token,
    });
    expect(doc.status).toBe(200);
    const parsed = JSON.parse(doc.body) as Record<string, string>;
    expect(parsed).toEqual({
      Code: 'Success',
      LastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      Type: 'AWS-HMAC',
      AccessKeyId: FAKE_IMDS_CREDENTIALS.accessKeyId,
      SecretAccessKey: FAKE_IMDS_CREDENTIALS.secretAccessKey,
      Token: FAKE_IMDS_CREDENTIALS.sessionToken,
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });

    const extended = await raw(server.url, 'GET', IMDS_EXTENDED_CREDENTIALS_PATH, {
      [IMDS_TOKEN_HEADER]: token,
    });
    expect(extended.status).toBe(404);
    const otherRole = await raw(server.url, 'GET', `${IMDS_CREDENTIALS_PATH}other`, {
      [IMDS_TOKEN_HEADER]: token,
    });
    expect(otherRole.status).toBe(404);
  });

  it('serves IMDSv1 only when allowed', async () => {
    const v1 = await startImdsServer({ allowImdsV1: true, roleName: 'v1-role' });
    try {
      const list = await raw(v1.url, 'GET', IMDS_CREDENTIALS_PATH);
      expect(list).toMatchObject({ status: 200, body: 'v1-role' });
      // A bad token is still refused, as on EC2.
      expect(
        (await raw(v1.url, 'GET', IMDS_CREDENTIALS_PATH, { [IMDS_TOKEN_HEADER]: 'bogus' })).status,
      ).toBe(401);
      // The SDK falls back to IMDSv1 when the token PUT fails (here: 500 on the token only).
      await v1.setFault('500', 'token');
      v1.reset();
      restoreEnv();
      restoreEnv = setEnv({
        ...AWS_ISOLATION,
        ...files.env,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: v1.url,
      });
      const { error } = await timed('500 on token PUT, IMDSv1 allowed', {});
      expect(error).toBeUndefined();
      expect(v1.requests.map((r) => `${r.method} ${r.path} ${r.token} ${r.status}`)).toEqual([
        `PUT ${IMDS_TOKEN_PATH} missing 500`,
        `GET ${IMDS_CREDENTIALS_PATH} missing 200`,
        `GET ${IMDS_CREDENTIALS_PATH}v1-role missing 200`,
      ]);
    } finally {
      await v1.stop();
    }
  });

  it('serves the credentials it is told to', async () => {
    const expiration = new Date(Date.now() + 30 * 60 * 1000);
    server.setCredentials({ accessKeyId: 'AKIAFAKEIMDS00000002' }, expiration);
    const creds = await fromInstanceMetadata({ timeout: 300, logger: quietLogger() })();
    expect(creds.accessKeyId).toBe('AKIAFAKEIMDS00000002');
    expect(creds.expiration?.toISOString()).toBe(
      expiration.toISOString().replace(/\.\d{3}Z$/, '.000Z'),
    );
  });

  describe('faults (timeout 300 ms, maxRetries 0)', () => {
    it('refused: a closed port', async () => {
      restoreEnv();
      restoreEnv = setEnv({
        ...AWS_ISOLATION,
        ...files.env,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: await refusedEndpoint(),
      });
      const { error, ms } = await timed('refuse (refusedEndpoint())');
      expect(error?.message).toBe('Unable to connect to instance metadata service');
      expect((error as unknown as { code?: string }).code).toBe('ECONNREFUSED');
      expect(ms).toBeLessThan(300);
    });

    it('refused: setFault("refuse") closes the port, "none" reopens it', async () => {
      await server.setFault('refuse');
      const { error } = await timed('refuse (server.setFault)');
      expect((error as unknown as { code?: string }).code).toBe('ECONNREFUSED');
      await server.setFault('none');
      const { error: after } = await timed('after setFault("none")');
      expect(after).toBeUndefined();
    });

    it('reset: the connection is dropped', async () => {
      await server.setFault('reset');
      const { error, ms } = await timed('reset');
      expect(error?.message).toBe('Unable to connect to instance metadata service');
      expect(ms).toBeLessThan(300);
    });

    it('hang: costs two timeouts (token PUT, then the IMDSv1 GET)', async () => {
      await server.setFault('hang');
      const { error, ms } = await timed('hang');
      expect(error?.message).toBe('TimeoutError from instance metadata service');
      expect(ms).toBeGreaterThanOrEqual(550);
      expect(ms).toBeLessThan(1000);
      expect(server.requests.map((r) => `${r.method} ${r.token}`)).toEqual([
        'PUT missing',
        'GET missing',
      ]);
    });

    it('hang on the token only: one timeout, then 401 on the IMDSv1 GET', async () => {
      await server.setFault('hang', 'token');
      const { error, ms } = await timed('hang (token PUT only), IMDSv2-only server');
      expect(error?.message).toBe('Error response received from instance metadata service');
      expect(error?.statusCode).toBe(401);
      expect(ms).toBeGreaterThanOrEqual(280);
      expect(ms).toBeLessThan(550);
    });

    it('hang with ec2MetadataV1Disabled: one timeout, no IMDSv1 attempt', async () => {
      await server.setFault('hang');
      const { error, ms } = await timed('hang, ec2MetadataV1Disabled: true', {
        ec2MetadataV1Disabled: true,
      });
      expect(error?.name).toBe('InstanceMetadataV1FallbackError');
      expect(ms).toBeGreaterThanOrEqual(280);
      expect(ms).toBeLessThan(550);
      expect(server.requests.map((r) => r.method)).toEqual(['PUT']);
    });

    it('500', async () => {
      await server.setFault('500');
      const { error, ms } = await timed('500');
      expect(error?.statusCode).toBe(500);
      expect(ms).toBeLessThan(300);
      expect(server.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 500', 'GET 500']);
    });

    it('429 (throttling)', async () => {
      await server.setFault('429');
      const { error, ms } = await timed('429');
      expect(error?.statusCode).toBe(429);
      expect(ms).toBeLessThan(300);
    });

    it('malformed JSON', async () => {
      await server.setFault('malformed-json');
      const { error, ms } = await timed('malformed-json');
      expect(error).toBeInstanceOf(SyntaxError);
      expect(ms).toBeLessThan(300);
    });

    it('expired credentials are NOT an error for the SDK: it extends them and warns', async () => {
      await server.setFault('expired');
      const logger = quietLogger();
      const started = performance.now();
      const creds = (await fromInstanceMetadata({ timeout: 300, maxRetries: 0, logger })()) as {
        accessKeyId: string;
        expiration?: Date;
        originalExpiration?: Date;
      };
      const ms = Math.round(performance.now() - started);
      timings.push({ scenario: 'expired', ms, outcome: 'resolved (expiration extended, warned)' });
      expect(creds.accessKeyId).toBe(FAKE_IMDS_CREDENTIALS.accessKeyId);
      expect(creds.originalExpiration?.getTime()).toBeLessThan(Date.now());
      expect(creds.expiration?.getTime()).toBeGreaterThan(Date.now());
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('Attempting credential expiration extension'),
      );
    });
  });
});

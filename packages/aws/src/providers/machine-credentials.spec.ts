/**
 * Machine credentials through the default chain (`createCredentialChain`),
 * with the credentials check skipped, against real loopback servers: the
 * IMDSv2 server (EC2 instance metadata, with its fault modes), a tiny ECS
 * container-credentials server, and the STS server for web identity.
 *
 * The chain reads a plain environment object. The STS client nested in the
 * web-identity provider reads its endpoint and region from `process.env`
 * only, so those are set there too (and restored), as is the IMDS endpoint
 * (credchain reads it from the plain object; see credential-source-metadata).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createCredentialChain } from '@credchain/aws';
import {
  type Attempt,
  type AttemptOutcome,
  ChainExhaustedError,
  type Credentials,
  ProviderFailedError,
} from '@credchain/core';
import { AWS_ISOLATION, setEnv } from '../../../../test/support/env';
import {
  FAKE_IMDS_CREDENTIALS,
  IMDS_CREDENTIALS_PATH,
  IMDS_TOKEN_PATH,
  type ImdsFault,
  type ImdsServer,
  refusedEndpoint,
  startImdsServer,
} from '../../../../test/support/imds-server';
import {
  closeServer,
  LOOPBACK,
  listenOnLoopback,
  SocketTracker,
} from '../../../../test/support/loopback';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';

type Env = Record<string, string | undefined>;

/** The budget for a machine link that cannot give credentials. */
const BUDGET_MS = 1500;
const SKIP = 'REMOTION_SKIP_AWS_CREDENTIALS_CHECK';
const ENDPOINT_VAR = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';

const PREFIXED_KEYS = {
  accessKeyId: 'AKIAFAKEPREFIXED0001',
  secretAccessKey: 'fake-prefixed-secret-key-not-a-real-secret-1',
};
const CONTAINER_CREDENTIALS = {
  AccessKeyId: 'ASIAFAKECONTAINER001',
  SecretAccessKey: 'fake-container-secret-key-not-a-real-secret',
  Token: 'fake-container-session-token-0001',
};
const CONTAINER_AUTH_TOKEN = 'fake-container-authorization-token-0001';
const WEB_IDENTITY_TOKEN = 'fake-web-identity-token-not-a-real-jwt-0001';
const WEB_IDENTITY_ROLE = 'arn:aws:iam::123456789012:role/credchain-machine-test';

/** Measured failure times, printed at the end for the lead's closing note. */
const timings: Array<{ mode: string; ms: number; outcome: string; message: string }> = [];

// ---------------------------------------------------------------------------
// A tiny ECS/EKS container credentials endpoint on 127.0.0.1.

interface ContainerRequest {
  method: string;
  path: string;
  authorization?: string;
}

interface ContainerServer {
  readonly url: string;
  readonly requests: ContainerRequest[];
  hang: boolean;
  stop(): Promise<void>;
}

async function startContainerServer(path: string): Promise<ContainerServer> {
  const requests: ContainerRequest[] = [];
  const state = { hang: false };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const record: ContainerRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', `http://${LOOPBACK}`).pathname,
    };
    if (typeof req.headers.authorization === 'string') {
      record.authorization = req.headers.authorization;
    }
    requests.push(record);
    req.resume();
    if (state.hang) return; // never answer; the socket is destroyed at stop()
    if (record.path !== path || record.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"Code":"NotFound","Message":"no such path"}');
      return;
    }
    const body = JSON.stringify({
      ...CONTAINER_CREDENTIALS,
      Expiration: new Date(Date.now() + 60 * 60 * 1000).toISOString(),
      RoleArn: 'arn:aws:iam::123456789012:role/credchain-container-test',
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);
  return {
    url: `http://${LOOPBACK}:${port}${path}`,
    requests,
    get hang() {
      return state.hang;
    },
    set hang(value: boolean) {
      state.hang = value;
    },
    stop: () => closeServer(server, tracker),
  };
}

// ---------------------------------------------------------------------------

function outcomes(attempts: readonly Attempt[]): Record<string, AttemptOutcome> {
  return Object.fromEntries(attempts.map((a) => [a.provider, a.outcome]));
}

function attemptOf(attempts: readonly Attempt[], provider: string): Attempt {
  const attempt = attempts.find((a) => a.provider === provider);
  if (attempt === undefined) throw new Error(`no attempt for ${provider}`);
  return attempt;
}

/** Runs `resolve()`, expecting a rejection; returns the error and the time it took. */
async function timedFailure(
  run: () => Promise<Credentials>,
): Promise<{ error: Error; ms: number }> {
  const started = performance.now();
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  const ms = performance.now() - started;
  if (!(error instanceof Error)) throw new Error('expected resolve() to reject, but it resolved');
  return { error, ms };
}

describe('machine credentials through the default chain (check skipped)', () => {
  let home: string;
  let imds: ImdsServer;
  let sts: StsServer;
  let restoreEnv: (() => void) | undefined;

  /** Points the SDK's IMDS client (process.env only) at `endpoint`. */
  function useImdsEndpoint(endpoint: string): void {
    restoreEnv?.();
    restoreEnv = setEnv({
      ...AWS_ISOLATION,
      // Keep the developer's ~/.aws files away from the SDK's own config lookups.
      AWS_CONFIG_FILE: join(home, 'process-env-config-not-there'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'process-env-credentials-not-there'),
      [ENDPOINT_VAR]: endpoint,
      // Anything that reaches for STS goes to the loopback server.
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
    });
  }

  /** The plain environment the chain reads: check skipped, empty HOME, the IMDS endpoint. */
  function machineEnv(extra: Env = {}, endpoint = imds.endpoint): Env {
    return { HOME: home, [SKIP]: '1', [ENDPOINT_VAR]: endpoint, ...extra };
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'credchain-home-'));
    imds = await startImdsServer();
    sts = await startStsServer();
  });

  afterAll(async () => {
    await imds.stop();
    await sts.stop();
    await rm(home, { recursive: true, force: true });
    if (timings.length > 0) {
      const header = '| mode | resolve() ms | outcome | message (first line) |';
      const rows = timings.map(
        (t) =>
          `| ${t.mode} | ${t.ms.toFixed(0)} | ${t.outcome} | ${t.message.replace(/\|/g, '\\|')} |`,
      );
      console.log(
        [
          `Machine-link failure times (budget ${BUDGET_MS} ms, default options):`,
          header,
          '|---|---:|---|---|',
          ...rows,
        ].join('\n'),
      );
    }
  });

  beforeEach(async () => {
    await imds.setFault('none');
    imds.reset();
    sts.calls.length = 0;
    sts.setFault('none');
    useImdsEndpoint(imds.endpoint);
  });

  afterEach(() => {
    restoreEnv?.();
    restoreEnv = undefined;
  });

  describe('EC2 instance metadata (IMDSv2)', () => {
    it('resolves the instance credentials, token first, and explain() names instance-metadata', async () => {
      const chain = createCredentialChain({ env: machineEnv() });

      const credentials = await chain.resolve();

      expect(credentials.accessKeyId).toBe('AKIAFAKEIMDS00000001');
      expect(credentials.secretAccessKey).toBe(FAKE_IMDS_CREDENTIALS.secretAccessKey);
      expect(credentials.sessionToken).toBe(FAKE_IMDS_CREDENTIALS.sessionToken);
      expect(credentials.expiration).toBeInstanceOf(Date);
      expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now() + 60 * 60 * 1000);

      // IMDSv2: the token PUT comes first, every GET carries the token.
      expect(imds.requests.length).toBeGreaterThanOrEqual(3);
      expect(imds.requests[0]).toMatchObject({ method: 'PUT', path: IMDS_TOKEN_PATH });
      expect(imds.requests[0]?.ttl).toBeDefined();
      expect(imds.requests[0]?.status).toBe(200);
      const gets = imds.requests.slice(1);
      expect(gets.every((r) => r.method === 'GET' && r.token === 'valid')).toBe(true);
      expect(gets.map((r) => r.path)).toEqual([
        IMDS_CREDENTIALS_PATH,
        `${IMDS_CREDENTIALS_PATH}${imds.roleName}`,
      ]);
      expect(imds.requests.some((r) => r.token === 'missing' && r.method === 'GET')).toBe(false);

      const report = await chain.explain();
      expect(report.resolvedBy).toBe('instance-metadata');
      expect(outcomes(report.attempts)).toEqual({
        'prefixed-profile': 'unavailable',
        'prefixed-env': 'unavailable',
        profile: 'unavailable',
        env: 'unavailable',
        'web-identity': 'unavailable',
        'container-metadata': 'unavailable',
        'instance-metadata': 'resolved',
      });
    });

    it('without the skip flag: the credentials check fails and IMDS gets zero requests', async () => {
      const env = machineEnv();
      delete env[SKIP];
      const chain = createCredentialChain({ env });

      const error = await chain.resolve().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ChainExhaustedError);
      const message = (error as Error).message;
      expect(message).toContain('The credentials check found no AWS credentials');
      for (const variable of [
        'REMOTION_AWS_PROFILE',
        'AWS_PROFILE',
        'REMOTION_AWS_ACCESS_KEY_ID',
        'REMOTION_AWS_SECRET_ACCESS_KEY',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        SKIP,
      ]) {
        expect(message).toContain(variable);
      }
      expect(message).toContain(join(home, '.aws', 'credentials'));
      expect(message).toContain(join(home, '.aws', 'config'));
      expect(message).toContain('.env');

      const report = await chain.explain();
      expect(report.resolvedBy).toBeNull();
      expect(attemptOf(report.attempts, 'instance-metadata')).toMatchObject({
        outcome: 'unavailable',
      });
      expect(attemptOf(report.attempts, 'instance-metadata').reason).toContain(SKIP);
      expect(imds.requests).toHaveLength(0);
    });

    type FaultRow = [mode: string, fault: ImdsFault | 'refused', outcome: 'unavailable' | 'failed'];
    const faultRows: FaultRow[] = [
      ['refused', 'refused', 'unavailable'],
      ['hang', 'hang', 'unavailable'],
      ['500', '500', 'failed'],
      ['429', '429', 'failed'],
      ['malformed-json', 'malformed-json', 'failed'],
      ['expired', 'expired', 'failed'],
      ['no-token', 'no-token', 'failed'],
    ];

    it.each(faultRows)(
      'fault %s: resolve() rejects naming instance metadata and the endpoint within budget (%s -> %s)',
      async (mode, fault, expectedOutcome) => {
        let endpoint = imds.endpoint;
        if (fault === 'refused') {
          endpoint = await refusedEndpoint();
          useImdsEndpoint(endpoint);
        } else {
          await imds.setFault(fault);
        }
        const chain = createCredentialChain({ env: machineEnv({}, endpoint) });

        const { error, ms } = await timedFailure(() => chain.resolve());
        timings.push({
          mode: `instance-metadata: ${mode}`,
          ms,
          outcome: expectedOutcome,
          message: attemptReason(error, 'instance-metadata'),
        });

        expect(ms).toBeLessThan(BUDGET_MS);
        expect(error.message).toContain('instance metadata');
        expect(error.message).toContain(endpoint);
        if (expectedOutcome === 'failed') {
          expect(error).toBeInstanceOf(ProviderFailedError);
          expect((error as ProviderFailedError).provider).toBe('instance-metadata');
        } else {
          expect(error).toBeInstanceOf(ChainExhaustedError);
        }

        const report = await chain.explain();
        expect(report.resolvedBy).toBeNull();
        const attempt = attemptOf(report.attempts, 'instance-metadata');
        expect(attempt.outcome).toBe(expectedOutcome);
        expect(attempt.reason).toContain('instance metadata');
        expect(attempt.reason).toContain(endpoint);
        expect(attempt.durationMs).toBeLessThan(BUDGET_MS);

        // The fault really was played (a refused endpoint has nobody to record it).
        if (fault === 'refused') {
          expect(imds.requests).toHaveLength(0);
        } else {
          expect(imds.requests.length).toBeGreaterThan(0);
          expect(imds.requests[0]).toMatchObject({ method: 'PUT', path: IMDS_TOKEN_PATH });
        }
        if (fault === '429') expect(error.message).toContain('answered HTTP 429 (throttled)');
        if (fault === '500') {
          expect(error.message).toContain('answered HTTP 500');
          expect(error.message).not.toContain('throttled');
        }
        if (fault === 'expired') expect(error.message).toMatch(/expired/);
        if (fault === 'no-token') {
          expect(error.message).toContain(
            'failed: Invalid response received from instance metadata service.',
          );
        }
        if (fault === 'malformed-json') {
          // The served body reached the parser...
          expect(
            imds.requests.some(
              (r) => r.path === `${IMDS_CREDENTIALS_PATH}${imds.roleName}` && r.status === 200,
            ),
          ).toBe(true);
          // ...but nothing of it (nor any secret) leaks into the error, its causes or the report.
          for (const text of [inspect(error, { depth: 10 }), String(attempt.reason)]) {
            expect(text).not.toContain(FAKE_IMDS_CREDENTIALS.secretAccessKey);
            expect(text).not.toContain('<html>');
            expect(text).not.toContain('"AccessKeyId"');
          }
          expect(error.message).toMatch(/malformed/);
        }
      },
    );

    it('AWS_EC2_METADATA_DISABLED=true: instance-metadata is unavailable and IMDS gets zero requests', async () => {
      const chain = createCredentialChain({
        env: machineEnv({ AWS_EC2_METADATA_DISABLED: 'true' }),
      });

      const error = await chain.resolve().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChainExhaustedError);
      expect((error as Error).message).toContain('AWS_EC2_METADATA_DISABLED');

      const report = await chain.explain();
      expect(attemptOf(report.attempts, 'instance-metadata')).toMatchObject({
        outcome: 'unavailable',
        reason: 'AWS_EC2_METADATA_DISABLED is set',
      });
      expect(imds.requests).toHaveLength(0);
    });

    it('AWS_EC2_METADATA_V1_DISABLED: a failing token request is an error, with no token-less GET', async () => {
      await imds.setFault('500', 'token');
      const chain = createCredentialChain({
        env: machineEnv({ AWS_EC2_METADATA_V1_DISABLED: 'true' }),
      });

      const { error, ms } = await timedFailure(() => chain.resolve());
      timings.push({
        mode: 'instance-metadata: token 500, IMDSv1 disabled',
        ms,
        outcome: 'failed',
        message: attemptReason(error, 'instance-metadata'),
      });

      expect(ms).toBeLessThan(BUDGET_MS);
      expect(error).toBeInstanceOf(ProviderFailedError);
      expect(error.message).toContain('instance metadata');
      expect(error.message).toContain(imds.endpoint);
      expect(error.message).toMatch(/v1 fallback has been blocked/i);
      expect(imds.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${IMDS_TOKEN_PATH}`]);
      expect(imds.requests.some((r) => r.method === 'GET' && r.token === 'missing')).toBe(false);
    });

    it('control: without AWS_EC2_METADATA_V1_DISABLED the same token failure falls back to a token-less GET', async () => {
      await imds.setFault('500', 'token');
      const chain = createCredentialChain({ env: machineEnv() });

      const error = await chain.resolve().catch((e: unknown) => e);

      // The server is IMDSv2-only, so the IMDSv1 GET is refused with 401.
      expect(error).toBeInstanceOf(ProviderFailedError);
      expect((error as Error).message).toContain('instance metadata');
      expect(imds.requests[0]).toMatchObject({ method: 'PUT', path: IMDS_TOKEN_PATH, status: 500 });
      expect(imds.requests.some((r) => r.method === 'GET' && r.token === 'missing')).toBe(true);
    });

    it('explicitly configured prefixed keys win over machine credentials, even with the check skipped', async () => {
      const chain = createCredentialChain({
        env: machineEnv({
          REMOTION_AWS_ACCESS_KEY_ID: PREFIXED_KEYS.accessKeyId,
          REMOTION_AWS_SECRET_ACCESS_KEY: PREFIXED_KEYS.secretAccessKey,
        }),
      });

      const credentials = await chain.resolve();
      expect(credentials.accessKeyId).toBe(PREFIXED_KEYS.accessKeyId);
      expect(credentials.secretAccessKey).toBe(PREFIXED_KEYS.secretAccessKey);

      const report = await chain.explain();
      expect(report.resolvedBy).toBe('prefixed-env');
      expect(attemptOf(report.attempts, 'instance-metadata').outcome).toBe('not-reached');
      expect(attemptOf(report.attempts, 'web-identity').outcome).toBe('not-reached');
      expect(attemptOf(report.attempts, 'container-metadata').outcome).toBe('not-reached');
      expect(imds.requests).toHaveLength(0);
    });
  });

  describe('ECS/EKS container metadata', () => {
    const CREDS_PATH = '/creds';
    let container: ContainerServer;

    beforeEach(async () => {
      container = await startContainerServer(CREDS_PATH);
    });

    afterEach(async () => {
      await container.stop();
    });

    it('sends the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, its line break trimmed, over the plain variable', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'credchain-container-token-'));
      try {
        const file = join(dir, 'token');
        await writeFile(file, `${CONTAINER_AUTH_TOKEN}-from-file\n`);
        const chain = createCredentialChain({
          env: machineEnv({
            AWS_CONTAINER_CREDENTIALS_FULL_URI: container.url,
            AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_AUTH_TOKEN,
            AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
          }),
        });
        await chain.resolve();
        expect(container.requests).toEqual([
          { method: 'GET', path: CREDS_PATH, authorization: `${CONTAINER_AUTH_TOKEN}-from-file` },
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('resolves the container credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI, sending the authorization token', async () => {
      const chain = createCredentialChain({
        env: machineEnv({
          AWS_CONTAINER_CREDENTIALS_FULL_URI: container.url,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_AUTH_TOKEN,
        }),
      });

      const credentials = await chain.resolve();

      expect(credentials.accessKeyId).toBe(CONTAINER_CREDENTIALS.AccessKeyId);
      expect(credentials.secretAccessKey).toBe(CONTAINER_CREDENTIALS.SecretAccessKey);
      expect(credentials.sessionToken).toBe(CONTAINER_CREDENTIALS.Token);
      expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now());
      expect(container.requests).toEqual([
        { method: 'GET', path: CREDS_PATH, authorization: CONTAINER_AUTH_TOKEN },
      ]);

      const report = await chain.explain();
      expect(report.resolvedBy).toBe('container-metadata');
      expect(attemptOf(report.attempts, 'web-identity').outcome).toBe('unavailable');
      expect(attemptOf(report.attempts, 'instance-metadata').outcome).toBe('not-reached');
      // The container link won: EC2 instance metadata was never asked.
      expect(imds.requests).toHaveLength(0);
    });

    it('a container endpoint that never answers gives a clear error within budget', async () => {
      container.hang = true;
      const chain = createCredentialChain({
        env: machineEnv({
          AWS_CONTAINER_CREDENTIALS_FULL_URI: container.url,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_AUTH_TOKEN,
        }),
      });

      const { error, ms } = await timedFailure(() => chain.resolve());
      timings.push({
        mode: 'container-metadata: hang',
        ms,
        outcome: 'failed',
        message: attemptReason(error, 'container-metadata'),
      });

      expect(ms).toBeLessThan(BUDGET_MS);
      expect(error).toBeInstanceOf(ProviderFailedError);
      expect((error as ProviderFailedError).provider).toBe('container-metadata');
      expect(error.message).toContain('container metadata');
      expect(error.message).toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI');
      expect(container.requests.length).toBeGreaterThan(0);
      expect(error.message).not.toContain(CONTAINER_AUTH_TOKEN);
      // A failed link stops the chain: no fall-through to EC2 instance metadata.
      expect(imds.requests).toHaveLength(0);
    });
  });

  describe('web identity (EKS IRSA)', () => {
    let tokenDir: string;

    beforeEach(async () => {
      tokenDir = await mkdtemp(join(tmpdir(), 'credchain-web-identity-'));
    });

    afterEach(async () => {
      await rm(tokenDir, { recursive: true, force: true });
    });

    it('exchanges the token file for STS credentials through AssumeRoleWithWebIdentity', async () => {
      const tokenFile = join(tokenDir, 'token');
      await writeFile(tokenFile, WEB_IDENTITY_TOKEN);
      const chain = createCredentialChain({
        env: machineEnv({
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_ROLE_ARN: WEB_IDENTITY_ROLE,
          AWS_ROLE_SESSION_NAME: 'credchain-machine-test',
        }),
      });

      const credentials = await chain.resolve();

      const calls = sts.callsOf('AssumeRoleWithWebIdentity');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        status: 200,
        webIdentityToken: WEB_IDENTITY_TOKEN,
        roleArn: WEB_IDENTITY_ROLE,
        roleSessionName: 'credchain-machine-test',
      });
      const issued = calls[0]?.issued;
      expect(issued?.accessKeyId).toMatch(/^ASIAFAKESTS\d{9}$/);
      expect(credentials.accessKeyId).toBe(issued?.accessKeyId);
      expect(credentials.secretAccessKey).toBe(issued?.secretAccessKey);
      expect(credentials.sessionToken).toBe(issued?.sessionToken);
      expect(credentials.expiration?.getTime()).toBe(issued?.expiration.getTime());
      expect(sts.calls).toHaveLength(1);

      const report = await chain.explain();
      expect(report.resolvedBy).toBe('web-identity');
      expect(attemptOf(report.attempts, 'container-metadata').outcome).toBe('not-reached');
      expect(attemptOf(report.attempts, 'instance-metadata').outcome).toBe('not-reached');
      expect(imds.requests).toHaveLength(0);
    });
  });
});

/** The reason the report gives for `provider`, or the error's first line. */
function attemptReason(error: Error, provider: string): string {
  if (error instanceof ChainExhaustedError) {
    const attempt = error.attempts.find((a) => a.provider === provider);
    if (attempt?.reason) return attempt.reason;
  }
  return error.message.split('\n')[0] ?? '';
}

/**
 * A `login_session` profile (`aws login`) is the SDK's own path, but its
 * token refresh must not hang on a silent sign-in service: every request has
 * a timeout and the whole call the role deadline. The token is a real file
 * in the SDK's login cache; the sign-in endpoint is a loopback server that
 * accepts and never answers.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentialChain } from '@credchain/aws';
import { AWS_ISOLATION, setEnv } from '../../../../test/support/env';
import { closeServer, listenOnLoopback, SocketTracker } from '../../../../test/support/loopback';
import { type AwsFiles, writeAwsFiles } from '../../../../test/support/temp-aws-files';

const LOGIN_SESSION = 'arn:aws:iam::123456789012:user/credchain-console';

describe('a login_session profile against a silent sign-in service', () => {
  let server: Server;
  let tracker: SocketTracker;
  let requests: number;
  let files: AwsFiles;
  let cacheDir: string;
  let restoreEnv: () => void;

  beforeAll(async () => {
    requests = 0;
    server = createServer(() => {
      requests += 1; // and never answer
    });
    tracker = new SocketTracker(server);
    const port = await listenOnLoopback(server);
    files = await writeAwsFiles({
      config: `
        [profile console]
        login_session = ${LOGIN_SESSION}
        region = us-east-1
      `,
    });
    cacheDir = await mkdtemp(join(tmpdir(), 'credchain-login-cache-'));
    await mkdir(cacheDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await writeFile(
      join(cacheDir, `${createHash('sha256').update(LOGIN_SESSION).digest('hex')}.json`),
      JSON.stringify({
        accessToken: {
          accessKeyId: 'ASIAEXAMPLELOGIN0001',
          secretAccessKey: 'secret-login-session-not-real',
          sessionToken: 'fake-login-session-token',
          accountId: '123456789012',
          // Within the SDK's 5-minute refresh window: it must call sign-in.
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
        },
        clientId: 'fake-login-client',
        refreshToken: 'fake-login-refresh-token',
        dpopKey: privateKey.export({ type: 'sec1', format: 'pem' }),
      }),
      { mode: 0o600 },
    );
    // This path is the SDK's: it reads its cache and endpoint from process.env.
    restoreEnv = setEnv({
      ...AWS_ISOLATION,
      AWS_LOGIN_CACHE_DIRECTORY: cacheDir,
      AWS_ENDPOINT_URL_SIGNIN: `http://127.0.0.1:${port}`,
    });
  });

  afterAll(async () => {
    restoreEnv();
    await closeServer(server, tracker);
    await files.cleanup();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('gives a clear error within the role deadline', async () => {
    const chain = createCredentialChain({
      env: { HOME: files.dir, ...files.env, AWS_PROFILE: 'console' },
      roleDeadlineMs: 800,
    });

    const started = performance.now();
    const error = await chain.resolve().then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    );
    const ms = performance.now() - started;

    expect(error.message).toMatch(
      /profile "console" \(from AWS_PROFILE\) \(login_session\) could not be loaded: the sign-in service did not answer within 800 ms/,
    );
    expect(ms).toBeLessThan(2_000);
    expect(requests).toBeGreaterThan(0);
    expect(error.message).not.toContain('fake-login-refresh-token');
  });
});

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const IMDS_TOKEN_PATH = '/latest/api/token';
export const IMDS_CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
export const IMDS_TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
export const IMDS_TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const MAX_TTL_SECONDS = 21_600;

/** The role credentials the fake instance serves. */
export interface InstanceRoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface FakeImdsOptions {
  readonly roleName: string;
  readonly credentials: InstanceRoleCredentials;
  /** How long served credentials live. @default 6 hours */
  readonly lifetimeMs?: number;
}

/** Status, body and extra headers of a response. */
type Answer = [status: number, body: string, headers?: Record<string, string>];

/** One request the server answered. */
export interface ImdsRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface FakeImds {
  /** `http://127.0.0.1:<port>`: the value for `AWS_EC2_METADATA_SERVICE_ENDPOINT`. */
  readonly endpoint: string;
  readonly requests: readonly ImdsRequest[];
  stop(): Promise<void>;
}

/**
 * A minimal EC2 instance metadata service (IMDSv2 only) on 127.0.0.1:
 *
 * - `PUT /latest/api/token` with a TTL header (1..21600 s): 200 and a session
 *   token; no or a bad TTL: 400.
 * - `GET /latest/meta-data/iam/security-credentials/`: the role name.
 * - `GET /latest/meta-data/iam/security-credentials/<role>`: the credentials
 *   document (`Code`, `Type`, `AccessKeyId`, `SecretAccessKey`, `Token`,
 *   `Expiration`, `LastUpdated`).
 * - Any GET without a valid `x-aws-ec2-metadata-token`: 401.
 */
export async function startFakeImds(options: FakeImdsOptions): Promise<FakeImds> {
  const lifetimeMs = options.lifetimeMs ?? MAX_TTL_SECONDS * 1000;
  const tokens = new Map<string, number>(); // token -> expiry (epoch ms)
  const requests: ImdsRequest[] = [];

  /** The answer to one request (a pure decision; `handle` sends it). */
  const answer = (method: string, path: string, req: IncomingMessage): Answer => {
    if (path === IMDS_TOKEN_PATH) {
      if (method !== 'PUT') return [405, 'Method Not Allowed'];
      const ttl = Number(req.headers[IMDS_TTL_HEADER]);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) return [400, 'Bad Request'];
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, Date.now() + ttl * 1000);
      return [200, token, { [IMDS_TTL_HEADER]: String(ttl) }];
    }
    if (method !== 'GET') return [405, 'Method Not Allowed'];
    const token = req.headers[IMDS_TOKEN_HEADER];
    if (typeof token !== 'string' || (tokens.get(token) ?? 0) <= Date.now()) {
      return [401, 'Unauthorized'];
    }
    if (path === IMDS_CREDENTIALS_PATH) return [200, options.roleName];
    if (path !== `${IMDS_CREDENTIALS_PATH}${options.roleName}`) return [404, 'Not Found'];
    const now = Date.now();
    const document = {
      Code: 'Success',
      LastUpdated: isoSeconds(new Date(now)),
      Type: 'AWS-HMAC',
      AccessKeyId: options.credentials.accessKeyId,
      SecretAccessKey: options.credentials.secretAccessKey,
      Token: options.credentials.sessionToken,
      Expiration: isoSeconds(new Date(now + lifetimeMs)),
    };
    return [200, JSON.stringify(document), { 'content-type': 'application/json' }];
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume(); // bodies are ignored
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const [status, body, headers = {}] = answer(method, path, req);
    requests.push({ method, path, status });
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps its connection alive; do not wait for it to time out.
        server.closeAllConnections();
      }),
  };
}

/** EC2 writes timestamps without milliseconds: 2024-01-01T00:00:00Z. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

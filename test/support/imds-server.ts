/**
 * A real EC2 instance metadata service (IMDSv2) on 127.0.0.1, for the SDK's own
 * client (`@smithy/credential-provider-imds`) reached through
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
 *
 * What that client (4.5.x) sends, and what this server answers:
 * - `PUT /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds: 21600`
 *   -> 200, a token, and the TTL echoed in the same header. A missing or
 *   out-of-range TTL (1..21600) -> 400; `x-forwarded-for` -> 403 (as EC2 does).
 * - `GET /latest/meta-data/iam/security-credentials/` -> the role name.
 * - `GET /latest/meta-data/iam/security-credentials/<role>` -> the JSON document.
 * - `GET /latest/meta-data/placement/region` -> the instance's region (`region`).
 * The GETs carry `x-aws-ec2-metadata-token`; a missing token gets 401 unless
 * `allowImdsV1` is set, an unknown or expired token always gets 401.
 * The client falls back to IMDSv1 (the same GETs without a token) when the
 * token PUT fails for any reason other than a 400. Any other path (including
 * `/latest/meta-data/iam/security-credentials-extended/`, which 4.5.2 never
 * asks for) gets 404.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, LOOPBACK, listenOnLoopback, SocketTracker } from './loopback';

export { refusedEndpoint } from './loopback';

export const IMDS_TOKEN_PATH = '/latest/api/token';
export const IMDS_CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
export const IMDS_EXTENDED_CREDENTIALS_PATH =
  '/latest/meta-data/iam/security-credentials-extended/';
export const IMDS_REGION_PATH = '/latest/meta-data/placement/region';
export const IMDS_TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
export const IMDS_TOKEN_HEADER = 'x-aws-ec2-metadata-token';

/**
 * - `none`: behave.
 * - `refuse`: stop listening on the port (connections are refused); switching
 *   to another mode listens on the same port again.
 * - `reset`: accept the connection, then destroy it when a request arrives.
 * - `hang`: accept the request and never answer.
 * - `500` / `429`: answer with that status (429 is how IMDS throttles).
 * - `malformed-json`: the credentials document is not JSON.
 * - `expired`: the credentials document's `Expiration` is in the past.
 * - `no-token`: the credentials document has no `Token`.
 */
export type ImdsFault =
  | 'none'
  | 'refuse'
  | 'reset'
  | 'hang'
  | '500'
  | '429'
  | 'malformed-json'
  | 'expired'
  | 'no-token';

/** Which requests a `reset` / `hang` / `500` / `429` fault applies to. */
export type ImdsFaultScope = 'all' | 'token' | 'metadata';

export interface ImdsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface ImdsServerOptions {
  /** Role name served by the role listing. Default `credchain-test-role`. */
  roleName?: string;
  /** Credentials served (obviously fake defaults). */
  credentials?: Partial<ImdsCredentials>;
  /** Expiration of the served credentials. Default: 6 hours from each request. */
  expiration?: Date;
  /** Fields that replace or join the credentials document's (`undefined` leaves one out). */
  document?: Readonly<Record<string, unknown>>;
  /** Answer GETs that carry no token (IMDSv1). Default false (IMDSv2 only). */
  allowImdsV1?: boolean;
  /** The region `GET /latest/meta-data/placement/region` answers. Default `eu-west-3`. */
  region?: string;
  /** Initial fault. Default `none`. */
  fault?: ImdsFault;
  faultScope?: ImdsFaultScope;
}

export interface ImdsRequestRecord {
  method: string;
  path: string;
  /** State of the `x-aws-ec2-metadata-token` header on the request. */
  token: 'missing' | 'valid' | 'invalid';
  /** TTL header of a token PUT, if any. */
  ttl?: string;
  /** Status sent; undefined when the request was hung or reset. */
  status?: number;
}

export interface ImdsServer {
  /** `http://127.0.0.1:<port>` — the value for `AWS_EC2_METADATA_SERVICE_ENDPOINT`. */
  readonly url: string;
  /** Same as `url`. */
  readonly endpoint: string;
  readonly port: number;
  readonly roleName: string;
  /** Every request received, in order. */
  readonly requests: ImdsRequestRecord[];
  readonly fault: ImdsFault;
  /** The credentials currently served. */
  readonly credentials: ImdsCredentials;
  /** Switch the fault mode; await it for `refuse` (it stops/restarts listening). */
  setFault(mode: ImdsFault, scope?: ImdsFaultScope): Promise<void>;
  setCredentials(credentials: Partial<ImdsCredentials>, expiration?: Date): void;
  /** How many requests hit `path` (optionally with this method). */
  count(path: string, method?: string): number;
  /** Forget recorded requests and issued tokens. */
  reset(): void;
  stop(): Promise<void>;
}

export const FAKE_IMDS_CREDENTIALS: ImdsCredentials = {
  accessKeyId: 'AKIAFAKEIMDS00000001',
  secretAccessKey: 'fake-imds-secret-key-not-a-real-secret-0001',
  sessionToken: 'fake-imds-session-token-0001',
};

const MAX_TTL_SECONDS = 21600;

export async function startImdsServer(options: ImdsServerOptions = {}): Promise<ImdsServer> {
  const roleName = options.roleName ?? 'credchain-test-role';
  let credentials: ImdsCredentials = { ...FAKE_IMDS_CREDENTIALS, ...options.credentials };
  let expiration = options.expiration;
  let fault: ImdsFault = options.fault ?? 'none';
  let faultScope: ImdsFaultScope = options.faultScope ?? 'all';
  const allowImdsV1 = options.allowImdsV1 ?? false;
  const tokens = new Map<string, number>(); // token -> expiry (ms epoch)
  const requests: ImdsRequestRecord[] = [];

  const server = createServer((req, res) => handle(req, res));
  server.keepAliveTimeout = 1000;
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);
  const url = `http://${LOOPBACK}:${port}`;
  let stopped = false;

  function faultApplies(isTokenRequest: boolean): boolean {
    if (faultScope === 'all') return true;
    return faultScope === 'token' ? isTokenRequest : !isTokenRequest;
  }

  function send(
    res: ServerResponse,
    record: ImdsRequestRecord,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    res.writeHead(status, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', url).pathname;
    const tokenValue = req.headers[IMDS_TOKEN_HEADER];
    const token: ImdsRequestRecord['token'] =
      tokenValue === undefined
        ? 'missing'
        : typeof tokenValue === 'string' && (tokens.get(tokenValue) ?? 0) > Date.now()
          ? 'valid'
          : 'invalid';
    const ttlValue = req.headers[IMDS_TTL_HEADER];
    const record: ImdsRequestRecord = { method, path, token };
    if (typeof ttlValue === 'string') record.ttl = ttlValue;
    requests.push(record);
    req.resume(); // bodies are ignored; drain them

    const isTokenRequest = path === IMDS_TOKEN_PATH;
    if (faultApplies(isTokenRequest)) {
      switch (fault) {
        case 'hang':
          return; // never answer; the socket is destroyed at stop()
        case 'reset':
          req.socket.destroy();
          return;
        case '500':
          send(res, record, 500, 'Internal Server Error');
          return;
        case '429':
          send(res, record, 429, 'Too Many Requests');
          return;
        default:
          break;
      }
    }

    if (isTokenRequest) {
      if (method !== 'PUT') {
        send(res, record, 405, 'Method Not Allowed', { allow: 'OPTIONS, PUT' });
        return;
      }
      if (req.headers['x-forwarded-for'] !== undefined) {
        send(res, record, 403, 'Forbidden');
        return;
      }
      const ttl = Number(ttlValue);
      if (
        typeof ttlValue !== 'string' ||
        !Number.isInteger(ttl) ||
        ttl < 1 ||
        ttl > MAX_TTL_SECONDS
      ) {
        send(res, record, 400, 'Bad Request');
        return;
      }
      const issued = `AQAEA${randomBytes(24).toString('base64url')}==`;
      tokens.set(issued, Date.now() + ttl * 1000);
      send(res, record, 200, issued, { [IMDS_TTL_HEADER]: String(ttl) });
      return;
    }

    if (method !== 'GET') {
      send(res, record, 405, 'Method Not Allowed', { allow: 'GET' });
      return;
    }
    if (token === 'invalid' || (token === 'missing' && !allowImdsV1)) {
      send(res, record, 401, 'Unauthorized');
      return;
    }

    if (path === IMDS_CREDENTIALS_PATH || path === IMDS_CREDENTIALS_PATH.slice(0, -1)) {
      send(res, record, 200, roleName);
      return;
    }
    if (path === IMDS_REGION_PATH) {
      send(res, record, 200, options.region ?? 'eu-west-3');
      return;
    }
    if (path === `${IMDS_CREDENTIALS_PATH}${roleName}`) {
      if (fault === 'malformed-json') {
        send(res, record, 200, '{"Code":"Success","AccessKeyId":"AKIA<html>not json');
        return;
      }
      const now = Date.now();
      const expires =
        fault === 'expired'
          ? new Date(now - 60 * 60 * 1000)
          : (expiration ?? new Date(now + MAX_TTL_SECONDS * 1000));
      const lastUpdated = new Date(Math.min(now, expires.getTime() - MAX_TTL_SECONDS * 1000));
      const document = {
        Code: 'Success',
        LastUpdated: isoSeconds(lastUpdated),
        Type: 'AWS-HMAC',
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        ...(fault !== 'no-token' && { Token: credentials.sessionToken }),
        Expiration: isoSeconds(expires),
        ...options.document,
      };
      send(res, record, 200, JSON.stringify(document, null, 2));
      return;
    }
    send(res, record, 404, 'Not Found');
  }

  async function setFault(mode: ImdsFault, scope: ImdsFaultScope = 'all'): Promise<void> {
    const wasRefusing = fault === 'refuse';
    fault = mode;
    faultScope = scope;
    if (stopped) return;
    if (mode === 'refuse' && !wasRefusing) {
      await closeServer(server, tracker);
    } else if (mode !== 'refuse' && wasRefusing) {
      await listenOnLoopback(server, port);
    }
  }

  if (fault === 'refuse') {
    fault = 'none';
    await setFault('refuse', faultScope);
  }

  return {
    url,
    endpoint: url,
    port,
    roleName,
    requests,
    get fault() {
      return fault;
    },
    get credentials() {
      return { ...credentials };
    },
    setFault,
    setCredentials(next, nextExpiration) {
      credentials = { ...credentials, ...next };
      if (nextExpiration !== undefined) expiration = nextExpiration;
    },
    count(path, method) {
      return requests.filter(
        (r) => r.path === path && (method === undefined || r.method === method),
      ).length;
    },
    reset() {
      requests.length = 0;
      tokens.clear();
    },
    async stop() {
      stopped = true;
      await closeServer(server, tracker);
    },
  };
}

/** EC2 writes timestamps without milliseconds: 2024-01-01T00:00:00Z. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

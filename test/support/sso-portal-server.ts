/**
 * A loopback AWS IAM Identity Center portal (the `sso` service the SDK's
 * SSO client calls: `GET /federation/credentials?account_id=&role_name=`
 * with the `x-amz-sso_bearer_token` header). It accepts the access tokens it
 * is told about, issues obviously fake role credentials, records every call,
 * and answers `401 UnauthorizedException` to any other token.
 *
 * Faults (`setFault`), for accepted tokens: `no-credentials` (200 without
 * a session token), `forbidden` (403 ForbiddenException), `hang` (never
 * answers).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, LOOPBACK, listenOnLoopback, SocketTracker } from './loopback';

export interface SsoPortalCall {
  accountId: string | null;
  roleName: string | null;
  /** The bearer token as received (tests compare it; never print it). */
  accessToken: string | undefined;
  status: number;
  issued?: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export type SsoPortalFault = 'none' | 'no-credentials' | 'forbidden' | 'hang';

export interface SsoPortalServer {
  /** Use as `AWS_ENDPOINT_URL_SSO`. */
  readonly url: string;
  readonly calls: SsoPortalCall[];
  /** Access tokens the portal accepts (add a refreshed one to accept it). */
  readonly validTokens: Set<string>;
  setFault(fault: SsoPortalFault): void;
  stop(): Promise<void>;
}

export async function startSsoPortalServer(
  options: { validTokens?: Iterable<string> } = {},
): Promise<SsoPortalServer> {
  const calls: SsoPortalCall[] = [];
  const validTokens = new Set(options.validTokens ?? []);
  let serial = 0;
  let fault: SsoPortalFault = 'none';

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const header = req.headers['x-amz-sso_bearer_token'];
    const call: SsoPortalCall = {
      accountId: url.searchParams.get('account_id'),
      roleName: url.searchParams.get('role_name'),
      accessToken: Array.isArray(header) ? header[0] : header,
      status: 0,
    };
    calls.push(call);
    const send = (status: number, body: object, errorType?: string) => {
      call.status = status;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...(errorType && { 'x-amzn-errortype': errorType }),
      });
      res.end(text);
    };
    if (req.method !== 'GET' || url.pathname !== '/federation/credentials') {
      send(404, { message: 'not found' }, 'ResourceNotFoundException');
      return;
    }
    if (call.accessToken === undefined || !validTokens.has(call.accessToken)) {
      send(401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
      return;
    }
    if (fault === 'hang') return;
    if (fault === 'forbidden') {
      send(403, { message: 'No access' }, 'ForbiddenException');
      return;
    }
    serial += 1;
    const n = String(serial).padStart(9, '0');
    call.issued = {
      accessKeyId: `ASIAFAKESSO${n}`,
      secretAccessKey: `fake-sso-secret-key-not-a-real-secret-${n}`,
      sessionToken: `fake-sso-session-token-${n}`,
    };
    const { sessionToken: _, ...withoutToken } = call.issued;
    send(200, {
      roleCredentials: {
        ...(fault === 'no-credentials' ? withoutToken : call.issued),
        expiration: Date.now() + 3_600_000,
      },
    });
  });
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);
  return {
    url: `http://${LOOPBACK}:${port}`,
    calls,
    validTokens,
    setFault: (next) => {
      fault = next;
    },
    stop: () => closeServer(server, tracker),
  };
}

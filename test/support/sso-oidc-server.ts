/**
 * A loopback AWS SSO OIDC endpoint (`POST /token`, the refresh-token grant
 * of `CreateToken`, JSON in and out) for the SDK's SSO OIDC client. It checks
 * the client id, secret and refresh token it was given, issues obviously
 * fake access tokens, records every call, and answers `invalid_grant`
 * otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, LOOPBACK, listenOnLoopback, readBody, SocketTracker } from './loopback';

export interface SsoOidcRegistration {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface SsoOidcCall {
  grantType?: string;
  clientId?: string;
  status: number;
  /** The access token issued by this call. */
  issuedAccessToken?: string;
}

export interface SsoOidcServer {
  /** Use as `AWS_ENDPOINT_URL_SSO_OIDC`. */
  readonly url: string;
  readonly calls: SsoOidcCall[];
  stop(): Promise<void>;
}

export async function startSsoOidcServer(options: {
  registration: SsoOidcRegistration;
  /** Called with each access token issued (e.g. to make the portal accept it). */
  onIssue?: (accessToken: string) => void;
  expiresInSeconds?: number;
}): Promise<SsoOidcServer> {
  const calls: SsoOidcCall[] = [];
  let serial = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void readBody(req).then((raw) => {
      const call: SsoOidcCall = { status: 0 };
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
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        send(400, { error: 'invalid_request' }, 'InvalidRequestException');
        return;
      }
      call.grantType = String(body.grantType);
      call.clientId = String(body.clientId);
      const { registration } = options;
      if (
        req.method !== 'POST' ||
        new URL(req.url ?? '/', `http://${LOOPBACK}`).pathname !== '/token' ||
        body.grantType !== 'refresh_token' ||
        body.clientId !== registration.clientId ||
        body.clientSecret !== registration.clientSecret ||
        body.refreshToken !== registration.refreshToken
      ) {
        send(400, { error: 'invalid_grant' }, 'InvalidGrantException');
        return;
      }
      serial += 1;
      const accessToken = `fake-sso-refreshed-access-token-${serial}`;
      call.issuedAccessToken = accessToken;
      options.onIssue?.(accessToken);
      send(200, {
        accessToken,
        expiresIn: options.expiresInSeconds ?? 3600,
        refreshToken: registration.refreshToken,
        tokenType: 'Bearer',
      });
    });
  });
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);
  return {
    url: `http://${LOOPBACK}:${port}`,
    calls,
    stop: () => closeServer(server, tracker),
  };
}

/**
 * A loopback "vault": an HTTP endpoint answering the container-credentials
 * JSON (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`) that
 * `HttpCredentialsProvider` and the container link read. It checks a bearer
 * token when given one, records every request's path and headers, and plays
 * the faults a real broker has: an HTTP error, a body that is not JSON, a
 * document without keys, expired credentials, no answer at all.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, LOOPBACK, listenOnLoopback, SocketTracker } from './loopback';

/** The keys the vault hands out. */
export interface VaultKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** @default one hour from the request */
  readonly expiration?: Date;
}

/** How the vault answers. */
export type VaultMode = 'ok' | 'error-500' | 'not-json' | 'no-keys' | 'expired' | 'hang';

export interface VaultServer {
  /** `http://127.0.0.1:<port>/v1/aws/creds`. */
  readonly url: string;
  /** Every request seen, oldest first. */
  readonly requests: { readonly path: string; readonly headers: IncomingHttpHeaders }[];
  /** Changes how the next requests are answered. */
  mode: VaultMode;
  stop(): Promise<void>;
}

export interface VaultServerOptions {
  readonly keys: VaultKeys;
  /** When set, requests without `Authorization: Bearer <token>` get 403. */
  readonly token?: string;
  /** Fields that replace or join the document's (e.g. a numeric `Expiration`). */
  readonly document?: Readonly<Record<string, unknown>>;
}

/** A body that must never reach an error message (it quotes a secret). */
export const VAULT_GARBAGE_BODY = 'not json: SENTINEL-VAULT-BODY-SECRET';

export async function startVaultServer(options: VaultServerOptions): Promise<VaultServer> {
  const requests: VaultServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
      return;
    }
    const { keys } = options;
    const expiration = keys.expiration ?? new Date(Date.now() + 3_600_000);
    const document = {
      AccessKeyId: keys.accessKeyId,
      SecretAccessKey: keys.secretAccessKey,
      ...(keys.sessionToken !== undefined && { Token: keys.sessionToken }),
      Expiration: expiration.toISOString(),
      ...options.document,
    };
    switch (vault.mode) {
      case 'hang':
        return; // never answers; stop() destroys the socket
      case 'error-500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end(VAULT_GARBAGE_BODY);
        return;
      case 'not-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end(VAULT_GARBAGE_BODY);
        return;
      case 'no-keys':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ Token: 'x' }));
        return;
      case 'expired':
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            ...document,
            Expiration: new Date(Date.now() - 60_000).toISOString(),
          }),
        );
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
    }
  });
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);
  const vault: VaultServer = {
    url: `http://${LOOPBACK}:${port}/v1/aws/creds`,
    requests,
    mode: 'ok',
    stop: () => closeServer(server, tracker),
  };
  return vault;
}

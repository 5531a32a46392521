// Two tiny servers on 127.0.0.1 for the wrapper's checks: an S3-like
// endpoint that records which access key id signed each request (the SigV4
// `Credential=AKIA…/` of its Authorization header) and answers every PUT with
// 200, and Acme's vault, answering the container-credentials JSON to a
// bearer token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** One request as the recorder saw it. */
export interface SignedRequest {
  readonly keyId: string | null;
  readonly path: string;
}

export interface Recorder {
  readonly url: string;
  readonly requests: SignedRequest[];
  stop(): Promise<void>;
}

const CREDENTIAL = /Credential=([A-Z0-9]+)\//;

export async function startRecorder(): Promise<Recorder> {
  const requests: SignedRequest[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const keyId = CREDENTIAL.exec(req.headers.authorization ?? '')?.[1] ?? null;
      requests.push({ keyId, path: (req.url ?? '').split('?')[0] ?? '' });
      res.writeHead(200, { etag: '"0"', 'content-length': '0' }).end();
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, requests, stop: () => close(server) };
}

export interface VaultKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface Vault {
  readonly url: string;
  /** `true`: hand out credentials that expired a minute ago. */
  expired: boolean;
  stop(): Promise<void>;
}

export async function startVault(keys: VaultKeys, token: string): Promise<Vault> {
  const server = createServer((req, res) => {
    req.resume();
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const expiration = new Date(Date.now() + (vault.expired ? -60_000 : 3_600_000));
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        AccessKeyId: keys.accessKeyId,
        SecretAccessKey: keys.secretAccessKey,
        Token: keys.sessionToken,
        Expiration: expiration.toISOString(),
      }),
    );
  });
  const port = await listen(server);
  const vault: Vault = {
    url: `http://127.0.0.1:${port}/v1/aws/creds`,
    expired: false,
    stop: () => close(server),
  };
  return vault;
}

/**
 * Acme's internal credentials vault, played on 127.0.0.1 for the example:
 * `GET /v1/aws/creds` with `Authorization: Bearer <token>` answers the
 * container-credentials JSON (`AccessKeyId`, `SecretAccessKey`, `Token`,
 * `Expiration`) that `HttpCredentialsProvider` reads; a wrong or missing
 * token gets 403. `expired = true` makes it hand out credentials that
 * expired a minute ago, as a misbehaving broker does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVaultKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface FakeVault {
  /** `http://127.0.0.1:<port>/v1/aws/creds` */
  readonly url: string;
  /** Requests answered with keys, and those refused (bad token). */
  readonly served: { ok: number; refused: number };
  /** Hand out expired credentials from now on. */
  expired: boolean;
  stop(): Promise<void>;
}

export async function startFakeVault(keys: FakeVaultKeys, token: string): Promise<FakeVault> {
  const server = createServer((req, res) => {
    req.resume();
    if (req.url !== '/v1/aws/creds' || req.headers.authorization !== `Bearer ${token}`) {
      vault.served.refused++;
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
      return;
    }
    vault.served.ok++;
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const vault: FakeVault = {
    url: `http://127.0.0.1:${port}/v1/aws/creds`,
    served: { ok: 0, refused: 0 },
    expired: false,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return vault;
}

/**
 * A Lambda-like endpoint on 127.0.0.1 for the example: it answers `Invoke`
 * for the key ids it knows (403 `UnrecognizedClientException` otherwise) and
 * records, for every request, the access key id that signed it — read from
 * the SigV4 `Authorization` header's `Credential=AKIA…/` — and the `call`
 * number of its JSON payload. Knowing every key in play (the pool's, the
 * vault's, the laptop's), it would accept and count a request signed with
 * the wrong one. (It reads key ids only; the repository's own tests also
 * verify every signature.)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the endpoint saw it. */
export interface SignedRequest {
  /** The key id in the request's `Authorization` header (`null`: unsigned). */
  readonly keyId: string | null;
  /** The payload's `call` number (`null`: none). */
  readonly call: number | null;
  /** Whether the key id was one the endpoint knows (else it answered 403). */
  readonly accepted: boolean;
}

export interface FakeLambda {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every request, oldest first. */
  readonly requests: readonly SignedRequest[];
  stop(): Promise<void>;
}

const CREDENTIAL = /Credential=([A-Z0-9]+)\//;

export async function startFakeLambda(knownKeyIds: readonly string[]): Promise<FakeLambda> {
  const requests: SignedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const keyId = CREDENTIAL.exec(req.headers.authorization ?? '')?.[1] ?? null;
      let call: number | null = null;
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { call?: unknown };
        if (typeof payload.call === 'number') call = payload.call;
      } catch {
        // not JSON: no call number
      }
      const accepted = keyId !== null && knownKeyIds.includes(keyId);
      requests.push({ keyId, call, accepted });
      if (!accepted) {
        res
          .writeHead(403, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'UnrecognizedClientException',
          })
          .end(
            JSON.stringify({ message: 'The security token included in the request is invalid.' }),
          );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ call }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { Credentials, type Logger, messageOf } from '@credchain/core';
import { CredentialSourceError } from '../errors/credential-source-error';
import { createRequestHandler } from '../sdk/create-request-handler';

/** One GET of a container-credentials document. */
export interface CredentialsDocumentRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** Per connection and request. */
  readonly timeoutMs: number;
  /** The whole exchange, body included. */
  readonly deadlineMs: number;
  /** How errors name the source, e.g. `container metadata at http://… (from AWS_…)`. */
  readonly where: string;
  readonly logger: Logger;
  /** Aborts the request early (the chain's deadline). */
  readonly signal?: AbortSignal | undefined;
}

/** The JSON document a container credentials endpoint answers. */
interface CredentialsDocument {
  AccessKeyId?: unknown;
  SecretAccessKey?: unknown;
  Token?: unknown;
  Expiration?: unknown;
  AccountId?: unknown;
}

/**
 * Credentials from an endpoint that answers the container-credentials JSON
 * (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`, `AccountId`) —
 * the ECS/EKS agent, or any internal vault that speaks it. The request goes
 * through the SDK's own `NodeHttpHandler`, with one abort for the whole
 * deadline (the SDK's `fromHttp` only warns when a request outlives its
 * timeout and keeps the socket open). Every failure is a
 * {@link CredentialSourceError} naming `where`, never the body: a non-200
 * status, a body that is not JSON, a document without the key pair, an
 * invalid or past `Expiration`, no answer in time.
 */
export async function fetchCredentialsDocument(
  request: CredentialsDocumentRequest,
): Promise<Credentials> {
  const { url, where, deadlineMs } = request;
  const { HttpRequest } =
    require('@smithy/core/protocols') as typeof import('@smithy/core/protocols');
  const handler = createRequestHandler(request.timeoutMs, request.logger);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadlineMs);
  timer.unref();
  const outer = request.signal;
  const onOuterAbort = () => abort.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  if (outer?.aborted) abort.abort();
  let body: string;
  try {
    const { response } = await handler.handle(
      new HttpRequest({
        method: 'GET',
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.+)\]$/, '$1'),
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { host: url.host, ...request.headers },
      }),
      { abortSignal: abort.signal },
    );
    body = await readBody(response.body as AsyncIterable<Uint8Array>);
    if (response.statusCode !== 200) {
      throw new CredentialSourceError(`${where} answered HTTP ${response.statusCode}`);
    }
  } catch (error) {
    if (CredentialSourceError.is(error)) throw error;
    if (outer?.aborted) {
      throw new CredentialSourceError(`${where}: stopped, the caller's deadline passed`);
    }
    if (abort.signal.aborted) {
      throw new CredentialSourceError(`${where}: no answer within ${deadlineMs} ms`);
    }
    throw new CredentialSourceError(`${where} failed: ${messageOf(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    handler.destroy();
  }
  let document: CredentialsDocument;
  try {
    document = JSON.parse(body) as CredentialsDocument;
  } catch {
    // Never keep the parser's message: it quotes the body, which may hold a secret.
    throw new CredentialSourceError(`${where} returned malformed credentials (not JSON)`);
  }
  return toCredentials(document ?? {}, where);
}

async function readBody(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function toCredentials(document: CredentialsDocument, where: string): Credentials {
  const { AccessKeyId, SecretAccessKey, Token, Expiration, AccountId } = document;
  if (
    typeof AccessKeyId !== 'string' ||
    AccessKeyId === '' ||
    typeof SecretAccessKey !== 'string' ||
    SecretAccessKey === ''
  ) {
    throw new CredentialSourceError(
      `${where} returned a document without AccessKeyId and SecretAccessKey`,
    );
  }
  // Present but not text: never dropped (a dropped Expiration would keep the
  // credentials for ever, a dropped Token sign without the session).
  for (const [field, value] of [
    ['Token', Token],
    ['Expiration', Expiration],
    ['AccountId', AccountId],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new CredentialSourceError(`${where} returned a ${field} that is not a string`);
    }
  }
  const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined;
  if (expiration !== undefined && Number.isNaN(expiration.getTime())) {
    throw new CredentialSourceError(`${where} returned an invalid Expiration`);
  }
  if (expiration !== undefined && expiration.getTime() <= Date.now()) {
    throw new CredentialSourceError(
      `${where} returned credentials that expired at ${expiration.toISOString()}`,
    );
  }
  return new Credentials({
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: typeof Token === 'string' ? Token : undefined,
    expiration,
    accountId: typeof AccountId === 'string' ? AccountId : undefined,
  });
}

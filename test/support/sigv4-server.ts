/**
 * A loopback HTTP server that really verifies AWS Signature Version 4.
 *
 * s3rver only checks that an access key id exists; this server knows the
 * secret of each key id, re-signs every incoming request with
 * `@smithy/signature-v4` (SHA-256 from node:crypto) using the same date,
 * region, service and signed headers, and compares the signatures. It also
 * checks the payload hash (`x-amz-content-sha256`, or the body itself when
 * that header is absent, as for STS/query services) and the clock skew.
 *
 * Valid requests get 200 (ListBuckets / GetCallerIdentity shaped answers where
 * recognisable, a small JSON body otherwise); invalid ones get 403 with an
 * S3-style `<Error>` (service `s3`) or a query-style `<ErrorResponse>` body.
 */
import {
  createHash,
  createHmac,
  type Hash,
  type Hmac,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { closeServer, LOOPBACK, listenOnLoopback, readBody, SocketTracker } from './loopback';

type SignerInit = ConstructorParameters<typeof SignatureV4>[0];
type Sha256Constructor = NonNullable<SignerInit['sha256']>;
type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 / HMAC-SHA-256 for @smithy/signature-v4, backed by node:crypto. */
export const NodeSha256: Sha256Constructor = class NodeSha256 {
  private readonly secret: Buffer | undefined;
  private hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }
};

export type SecretLookup =
  | Record<string, string>
  | Map<string, string>
  | ((accessKeyId: string) => string | undefined);

export interface SigV4Request {
  method: string;
  /** Raw request target: path plus optional `?query`, exactly as received. */
  url: string;
  /** Node's lower-cased incoming headers. */
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface SigV4Verdict {
  valid: boolean;
  /** AWS-style error code when invalid. */
  code?: string;
  reason?: string;
  accessKeyId?: string;
  region?: string;
  service?: string;
  signedHeaders?: string[];
  /** `x-amz-security-token`, when the request carried one. */
  sessionToken?: string;
}

export interface VerifyOptions {
  /** Maximum allowed difference between x-amz-date and now. Default 15 minutes. */
  maxSkewMs?: number;
  now?: () => number;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

function lookupSecret(secrets: SecretLookup, accessKeyId: string): string | undefined {
  if (typeof secrets === 'function') return secrets(accessKeyId);
  if (secrets instanceof Map) return secrets.get(accessKeyId);
  return Object.hasOwn(secrets, accessKeyId) ? secrets[accessKeyId] : undefined;
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value);
  if (!m) return undefined;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (search === '') return query;
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Verifies the SigV4 `Authorization` header of one request against known secrets. */
export async function verifySigV4(
  request: SigV4Request,
  secrets: SecretLookup,
  options: VerifyOptions = {},
): Promise<SigV4Verdict> {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined) {
    return { valid: false, code: 'MissingAuthenticationToken', reason: 'no Authorization header' };
  }
  const match = AUTH_PATTERN.exec(authorization.trim());
  if (!match) {
    return { valid: false, code: 'IncompleteSignature', reason: 'malformed Authorization header' };
  }
  const [
    ,
    accessKeyId = '',
    scopeDate = '',
    region = '',
    service = '',
    signedList = '',
    given = '',
  ] = match;
  const signedHeaders = signedList.split(';');
  const base: SigV4Verdict = { valid: false, accessKeyId, region, service, signedHeaders };
  const sessionToken = header(request.headers, 'x-amz-security-token');
  if (sessionToken !== undefined) base.sessionToken = sessionToken;

  const secret = lookupSecret(secrets, accessKeyId);
  if (secret === undefined) {
    return {
      ...base,
      code: service === 's3' ? 'InvalidAccessKeyId' : 'InvalidClientTokenId',
      reason: `unknown access key id ${accessKeyId}`,
    };
  }

  if (!signedHeaders.includes('host')) {
    return { ...base, code: 'SignatureDoesNotMatch', reason: 'host is not a signed header' };
  }
  for (const name of signedHeaders) {
    if (request.headers[name] === undefined) {
      return { ...base, code: 'SignatureDoesNotMatch', reason: `signed header ${name} is missing` };
    }
  }

  const amzDate = header(request.headers, 'x-amz-date');
  const signingDate = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (signingDate === undefined || Number.isNaN(signingDate.getTime())) {
    return { ...base, code: 'IncompleteSignature', reason: 'missing or invalid x-amz-date' };
  }
  if (amzDate?.slice(0, 8) !== scopeDate) {
    return {
      ...base,
      code: 'SignatureDoesNotMatch',
      reason: 'credential scope date != x-amz-date',
    };
  }
  const now = options.now?.() ?? Date.now();
  if (Math.abs(now - signingDate.getTime()) > (options.maxSkewMs ?? 15 * 60 * 1000)) {
    return { ...base, code: 'RequestTimeTooSkewed', reason: 'x-amz-date is too far from now' };
  }

  const contentSha = header(request.headers, 'x-amz-content-sha256');
  if (contentSha !== undefined && /^[0-9a-f]{64}$/i.test(contentSha)) {
    const actual = createHash('sha256').update(request.body).digest('hex');
    if (actual !== contentSha.toLowerCase()) {
      return {
        ...base,
        code: 'XAmzContentSHA256Mismatch',
        reason: 'x-amz-content-sha256 does not match the body',
      };
    }
  } else if (contentSha?.startsWith('STREAMING-AWS4-HMAC-SHA256')) {
    return {
      ...base,
      code: 'NotImplemented',
      reason: 'signed streaming payloads are not verified',
    };
  }

  const q = request.url.indexOf('?');
  const path = q === -1 ? request.url : request.url.slice(0, q);
  const query = parseQuery(q === -1 ? '' : request.url.slice(q + 1));
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = header(request.headers, name) ?? '';
  const hostHeader = headers.host ?? '';
  const colon = hostHeader.lastIndexOf(':');

  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret },
    region,
    service,
    sha256: NodeSha256,
    uriEscapePath: service !== 's3',
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: colon === -1 ? hostHeader : hostHeader.slice(0, colon),
      path,
      query,
      headers,
      body: request.body.length === 0 ? undefined : request.body,
    },
    {
      signingDate,
      signingRegion: region,
      signingService: service,
      signableHeaders: new Set(signedHeaders),
    },
  );
  const expectedAuth = String(signed.headers.authorization ?? '');
  const expected = /Signature=([0-9a-f]{64})$/.exec(expectedAuth)?.[1] ?? '';
  const expectedList = /SignedHeaders=([^,]+),/.exec(expectedAuth)?.[1] ?? '';
  const same =
    expected.length === given.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(given)) &&
    expectedList === signedList;
  if (!same) {
    return {
      ...base,
      code: 'SignatureDoesNotMatch',
      reason: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return { ...base, valid: true };
}

export interface SigV4RequestRecord extends SigV4Verdict {
  method: string;
  path: string;
  query: string;
  /** The form `Action` of a query-protocol request, if any. */
  action?: string;
  status: number;
}

export interface SigV4Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SigV4ServerOptions {
  /** accessKeyId -> secretAccessKey (or a lookup function). */
  keys: SecretLookup;
  /** Answer a correctly signed request yourself; return undefined for the default answer. */
  respond?: (request: SigV4Request, verdict: SigV4Verdict) => SigV4Reply | undefined;
  verify?: VerifyOptions;
}

export interface SigV4Server {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly endpoint: string;
  readonly port: number;
  /** Every request with its verdict, in order. */
  readonly requests: SigV4RequestRecord[];
  /** Add or replace a known key pair while running. */
  setKey(accessKeyId: string, secretAccessKey: string): void;
  stop(): Promise<void>;
}

export const FAKE_SIGV4_ACCOUNT_ID = '111122223333';

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorReply(verdict: SigV4Verdict, requestId: string): SigV4Reply {
  const code = verdict.code ?? 'AccessDenied';
  const message = xmlEscape(verdict.reason ?? 'Access denied');
  const status = code === 'NotImplemented' ? 501 : 403;
  const body =
    verdict.service === 's3' || verdict.service === undefined
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`
      : `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

function defaultReply(
  request: SigV4Request,
  verdict: SigV4Verdict,
  action: string | undefined,
  requestId: string,
): SigV4Reply {
  const accessKeyId = verdict.accessKeyId ?? '';
  if (action === 'GetCallerIdentity') {
    return {
      headers: { 'content-type': 'text/xml' },
      body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${FAKE_SIGV4_ACCOUNT_ID}:user/${xmlEscape(accessKeyId)}</Arn><UserId>${xmlEscape(accessKeyId)}</UserId><Account>${FAKE_SIGV4_ACCOUNT_ID}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    };
  }
  if (verdict.service === 's3' && request.method === 'GET' && request.url.split('?')[0] === '/') {
    return {
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${FAKE_SIGV4_ACCOUNT_ID}</ID><DisplayName>${xmlEscape(accessKeyId)}</DisplayName></Owner><Buckets><Bucket><Name>sigv4-verified</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>`,
    };
  }
  const segments = request.url.split('?')[0]?.split('/').filter(Boolean) ?? [];
  if (
    verdict.service === 's3' &&
    request.method === 'POST' &&
    /(^|[?&])uploads(=|&|$)/.test(request.url)
  ) {
    return {
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xmlEscape(segments[0] ?? '')}</Bucket><Key>${xmlEscape(decodeURIComponent(segments.slice(1).join('/')))}</Key><UploadId>sigv4-verified-upload</UploadId></InitiateMultipartUploadResult>`,
    };
  }
  if (verdict.service === 's3' && !(request.method === 'GET' && segments.length >= 2)) {
    // Other S3 operations: an empty 200 (PutObject, HeadObject, bucket listings...).
    return { headers: { etag: '"sigv4-verified"' }, body: '' };
  }
  // An object read, or any other service: a small JSON document naming the verified key.
  return {
    headers: { 'content-type': 'application/json', etag: '"sigv4-verified"' },
    body: JSON.stringify({ ok: true, accessKeyId }),
  };
}

export async function startSigV4Server(options: SigV4ServerOptions): Promise<SigV4Server> {
  const extra = new Map<string, string>();
  const secrets: SecretLookup = (id) => extra.get(id) ?? lookupSecret(options.keys, id);
  const requests: SigV4RequestRecord[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);
  const url = `http://${LOOPBACK}:${port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const request: SigV4Request = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    };
    const verdict = await verifySigV4(request, secrets, options.verify);
    const contentType = header(req.headers, 'content-type') ?? '';
    const action = contentType.startsWith('application/x-www-form-urlencoded')
      ? (new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined)
      : undefined;
    const requestId = randomUUID();
    const reply = verdict.valid
      ? (options.respond?.(request, verdict) ?? defaultReply(request, verdict, action, requestId))
      : errorReply(verdict, requestId);
    const status = reply.status ?? 200;
    const q = request.url.indexOf('?');
    const record: SigV4RequestRecord = {
      ...verdict,
      method: request.method,
      path: q === -1 ? request.url : request.url.slice(0, q),
      query: q === -1 ? '' : request.url.slice(q + 1),
      status,
    };
    if (action !== undefined) record.action = action;
    requests.push(record);
    const payload = request.method === 'HEAD' ? '' : (reply.body ?? '');
    res.writeHead(status, {
      'x-amzn-requestid': requestId,
      'x-amz-request-id': requestId,
      'content-length': Buffer.byteLength(reply.body ?? ''),
      ...reply.headers,
    });
    res.end(payload);
  }

  return {
    url,
    endpoint: url,
    port,
    requests,
    setKey(accessKeyId, secretAccessKey) {
      extra.set(accessKeyId, secretAccessKey);
    },
    stop: () => closeServer(server, tracker),
  };
}

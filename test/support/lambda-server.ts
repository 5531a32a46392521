/**
 * A loopback Lambda-like server for rotation tests, the demo, the example and
 * the benchmarks.
 *
 * - Verifies every request's SigV4 signature (see `verifySigV4`), so it knows
 *   which account signed; a wrong signature or unknown key gets Lambda's 403.
 * - Answers `Invoke` (`POST /2015-03-31/functions/{name}/invocations`) as
 *   `@aws-sdk/client-lambda` expects: 200, the function's JSON result as the
 *   payload, `X-Amz-Executed-Version: $LATEST`.
 * - Enforces a per-account concurrency limit: an invocation arriving while
 *   `limit` are running for the same account gets Lambda's real throttle,
 *   429 with `x-amzn-ErrorType: TooManyRequestsException` and
 *   `{"message":"Rate Exceeded.","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}`.
 *   Accounts listed in `alwaysThrottle` get it every time.
 * - Records, per access key id, invocations, throttles, refusals and the
 *   highest concurrency it saw; `GET /__stats` returns the same as JSON
 *   (unsigned), so other processes can read it.
 *
 * From plain Node (a child process, the demo, a benchmark), load it through
 * `test/support/load-support.js`:
 * `const { startLambdaServer } = require('./test/support/load-support')('lambda-server');`
 * Several processes then share one server by its `url`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, LOOPBACK, listenOnLoopback, readBody, SocketTracker } from './loopback';
import { type SigV4Request, verifySigV4 } from './sigv4-server';

/** Lambda's answer to an invocation over the concurrency limit. */
export const RATE_EXCEEDED_BODY = {
  message: 'Rate Exceeded.',
  Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
} as const;

export interface LambdaServerAccount {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What the function sees of one invocation. */
export interface LambdaInvocation {
  readonly functionName: string;
  /** The access key id that signed it. */
  readonly accessKeyId: string;
  /** The parsed JSON payload (`null` when empty or not JSON). */
  readonly event: unknown;
}

export interface LambdaServerOptions {
  /** The accounts whose signatures it accepts. */
  readonly accounts: readonly LambdaServerAccount[];
  /**
   * Concurrent invocations allowed per account: one number for all, or per
   * access key id (missing ones: unlimited). @default unlimited
   */
  readonly concurrencyLimit?: number | Readonly<Record<string, number>>;
  /** How long an invocation runs, ms; an event's numeric `durationMs` wins. @default 0 */
  readonly durationMs?: number;
  /** Access key ids that are always throttled (a bad account). */
  readonly alwaysThrottle?: readonly string[];
  /** The function: its (JSON-able) result is the payload. @default echoes `{ ok, event }` */
  readonly handler?: (invocation: LambdaInvocation) => unknown | Promise<unknown>;
}

/** Per access key id. */
export interface LambdaAccountStats {
  /** Invocations that ran (200). */
  invocations: number;
  /** Invocations refused with 429. */
  throttled: number;
  /** Requests refused with 403 are not counted here (no account is known for sure). */
  inFlight: number;
  /** The highest number of invocations running at once. */
  maxConcurrent: number;
}

export interface LambdaServer {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** Stats per access key id (a fresh copy). */
  stats(): Record<string, LambdaAccountStats>;
  /** Requests refused for a bad signature or unknown key. */
  readonly rejected: number;
  /** Replaces the set of accounts that are always throttled. */
  throttleAlways(accessKeyIds: readonly string[]): void;
  /** Forgets every count (in-flight invocations keep being tracked). */
  reset(): void;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

function limitFor(options: LambdaServerOptions, accessKeyId: string): number {
  const limit = options.concurrencyLimit;
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (typeof limit === 'number') return limit;
  return limit[accessKeyId] ?? Number.POSITIVE_INFINITY;
}

function parseEvent(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts the server on an ephemeral 127.0.0.1 port. */
export async function startLambdaServer(options: LambdaServerOptions): Promise<LambdaServer> {
  const secrets = new Map(options.accounts.map((a) => [a.accessKeyId, a.secretAccessKey]));
  let always = new Set(options.alwaysThrottle ?? []);
  let perAccount = new Map<string, LambdaAccountStats>();
  const inFlight = new Map<string, number>();
  let rejected = 0;

  const statsOf = (accessKeyId: string): LambdaAccountStats => {
    let stats = perAccount.get(accessKeyId);
    if (!stats) {
      stats = { invocations: 0, throttled: 0, inFlight: 0, maxConcurrent: 0 };
      perAccount.set(accessKeyId, stats);
    }
    stats.inFlight = inFlight.get(accessKeyId) ?? 0;
    return stats;
  };
  const snapshot = () =>
    Object.fromEntries([...perAccount.keys()].map((id) => [id, { ...statsOf(id) }]));

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);

  function reply(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ) {
    res.writeHead(status, {
      'x-amzn-requestid': randomUUID(),
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  }

  function error(res: ServerResponse, status: number, type: string, message: string, extra = {}) {
    reply(res, status, { 'x-amzn-errortype': type }, JSON.stringify({ message, ...extra }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    if (req.method === 'GET' && url === '/__stats') {
      reply(res, 200, {}, JSON.stringify({ accounts: snapshot(), rejected }));
      return;
    }
    const request: SigV4Request = { method: req.method ?? 'GET', url, headers: req.headers, body };
    const verdict = await verifySigV4(request, (id) => secrets.get(id));
    if (!verdict.valid) {
      rejected++;
      const unknownKey = verdict.code === 'InvalidClientTokenId';
      error(
        res,
        403,
        unknownKey ? 'UnrecognizedClientException' : 'InvalidSignatureException',
        unknownKey
          ? 'The security token included in the request is invalid.'
          : (verdict.reason ?? 'Signature mismatch'),
      );
      return;
    }
    const match = INVOKE_PATH.exec(url.split('?')[0] ?? '');
    if (req.method !== 'POST' || !match) {
      error(
        res,
        404,
        'ResourceNotFoundException',
        `not a Lambda Invoke request: ${req.method} ${url}`,
      );
      return;
    }
    const accessKeyId = verdict.accessKeyId as string;
    const stats = statsOf(accessKeyId);
    const running = inFlight.get(accessKeyId) ?? 0;
    if (always.has(accessKeyId) || running >= limitFor(options, accessKeyId)) {
      stats.throttled++;
      // Lambda's real throttle answer; the SDK reads the type from the header.
      error(res, 429, 'TooManyRequestsException', RATE_EXCEEDED_BODY.message, {
        Reason: RATE_EXCEEDED_BODY.Reason,
      });
      return;
    }
    inFlight.set(accessKeyId, running + 1);
    stats.maxConcurrent = Math.max(stats.maxConcurrent, running + 1);
    try {
      const invocation: LambdaInvocation = {
        functionName: decodeURIComponent(match[1] as string),
        accessKeyId,
        event: parseEvent(body),
      };
      const event = invocation.event as { durationMs?: unknown } | null;
      const duration =
        typeof event?.durationMs === 'number' ? event.durationMs : (options.durationMs ?? 0);
      if (duration > 0) await sleep(duration);
      const result = options.handler
        ? await options.handler(invocation)
        : { ok: true, event: invocation.event };
      statsOf(accessKeyId).invocations++;
      reply(res, 200, { 'x-amz-executed-version': '$LATEST' }, JSON.stringify(result ?? null));
    } finally {
      inFlight.set(accessKeyId, (inFlight.get(accessKeyId) ?? 1) - 1);
    }
  }

  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    stats: snapshot,
    get rejected() {
      return rejected;
    },
    throttleAlways(accessKeyIds) {
      always = new Set(accessKeyIds);
    },
    reset() {
      perAccount = new Map();
      rejected = 0;
    },
    stop: () => closeServer(server, tracker),
  };
}

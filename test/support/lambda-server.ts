/**
 * A loopback Lambda-like server for rotation tests, the demo, the example and
 * the benchmarks.
 *
 * - Verifies every request's SigV4 signature (see `verifySigV4`), so it knows
 *   which account signed, and in which Region (the credential scope); a wrong
 *   signature or unknown key gets Lambda's 403.
 * - Answers `Invoke` (`POST /2015-03-31/functions/{name}/invocations`) as
 *   `@aws-sdk/client-lambda` expects: 200, the function's JSON result as the
 *   payload, `X-Amz-Executed-Version: $LATEST`.
 * - Enforces a concurrency limit per cell — an account in a Region, as Lambda
 *   counts it — in units: an invocation's event may say `units` (default 1,
 *   e.g. 3 for a render that starts three functions). An invocation that
 *   would go over `limit` gets Lambda's real throttle, 429 with
 *   `x-amzn-ErrorType: TooManyRequestsException` and
 *   `{"message":"Rate Exceeded.","Reason":…}` (`limitReason`, by default
 *   `ReservedFunctionConcurrentInvocationLimitExceeded`). Accounts listed in
 *   `alwaysThrottle` get it every time; `throttleNext(cell, …)` scripts any
 *   `Reason` with a `Retry-After` header for a cell's next requests.
 * - Answers `GetAccountSettings` (`GET /2016-08-19/account-settings`) with
 *   each cell's `AccountLimit` (`accountSettings`, by default its limit).
 * - Records, per access key id and per cell, invocations, throttles and the
 *   highest concurrency (and units) it saw, and the time of every request;
 *   `GET /__stats` returns the counts as JSON (unsigned), so other processes
 *   can read them.
 *
 * From plain Node (a child process, the demo, a benchmark), load it through
 * `test/support/load-support.js`:
 * `const { startLambdaServer } = require('./test/support/load-support')('lambda-server');`
 * Several processes then share one server by its `url`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type LambdaCell, LambdaCells, type LambdaThrottleReason } from './lambda-cells';
import {
  type LambdaInvocation,
  type LambdaServer,
  type LambdaServerOptions,
  RATE_EXCEEDED_BODY,
} from './lambda-server-options';
import { closeServer, LOOPBACK, listenOnLoopback, readBody, SocketTracker } from './loopback';
import { type SigV4Request, verifySigV4 } from './sigv4-server';

export type {
  LambdaAccountStats,
  LambdaCell,
  LambdaCellStats,
  LambdaRequestRecord,
  LambdaThrottleReason,
  ScriptedThrottle,
} from './lambda-cells';
export { cellName } from './lambda-cells';
export {
  type LambdaAccountLimit,
  type LambdaInvocation,
  type LambdaServer,
  type LambdaServerAccount,
  type LambdaServerOptions,
  RATE_EXCEEDED_BODY,
} from './lambda-server-options';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const ACCOUNT_SETTINGS_PATH = '/2016-08-19/account-settings';

function limitFor(options: LambdaServerOptions, cell: LambdaCell): number {
  const limit = options.concurrencyLimit;
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (typeof limit === 'number') return limit;
  if (typeof limit === 'function') return limit(cell) ?? Number.POSITIVE_INFINITY;
  return limit[cell.accessKeyId] ?? Number.POSITIVE_INFINITY;
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
  const books = new LambdaCells();
  let rejected = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  // Keep idle connections as AWS's endpoints do (minutes), not Node's 5 s:
  // a client reusing a socket the server closes at that very moment gets
  // "socket hang up" — e.g. after a Redis failover left the fleet idle 5 s.
  server.keepAliveTimeout = 60_000;
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

  function error(
    res: ServerResponse,
    status: number,
    type: string,
    message: string,
    extra = {},
    headers: Record<string, string> = {},
  ) {
    reply(
      res,
      status,
      { 'x-amzn-errortype': type, ...headers },
      JSON.stringify({ message, ...extra }),
    );
  }

  function throttle(
    res: ServerResponse,
    cell: LambdaCell,
    reason: LambdaThrottleReason,
    retryAfter?: number,
  ) {
    books.throttled(cell, reason);
    // Lambda's real throttle answer; the SDK reads the type from the header.
    error(
      res,
      429,
      'TooManyRequestsException',
      RATE_EXCEEDED_BODY.message,
      { Reason: reason },
      retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    if (req.method === 'GET' && url === '/__stats') {
      const stats = { accounts: books.accountSnapshot(), cells: books.cellSnapshot(), rejected };
      reply(res, 200, {}, JSON.stringify(stats));
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
    const cell: LambdaCell = {
      accessKeyId: verdict.accessKeyId as string,
      region: verdict.region as string,
    };
    const path = url.split('?')[0] ?? '';
    if (req.method === 'GET' && path === ACCOUNT_SETTINGS_PATH) {
      accountSettings(res, cell);
      return;
    }
    const match = INVOKE_PATH.exec(path);
    if (req.method !== 'POST' || !match) {
      error(
        res,
        404,
        'ResourceNotFoundException',
        `not a Lambda request this server knows: ${req.method} ${url}`,
      );
      return;
    }
    const event = parseEvent(body) as { durationMs?: unknown; units?: unknown } | null;
    const units = typeof event?.units === 'number' ? event.units : 1;
    const scripted = books.takeScripted(cell);
    if (scripted) {
      throttle(res, cell, scripted.reason, scripted.retryAfterSeconds);
      return;
    }
    const running = books.cell(cell).units;
    if (always.has(cell.accessKeyId) || running + units > limitFor(options, cell)) {
      throttle(res, cell, options.limitReason ?? RATE_EXCEEDED_BODY.Reason);
      return;
    }
    books.start(cell, units);
    let ran = false;
    try {
      const invocation: LambdaInvocation = {
        functionName: decodeURIComponent(match[1] as string),
        ...cell,
        event,
      };
      const duration =
        typeof event?.durationMs === 'number' ? event.durationMs : (options.durationMs ?? 0);
      if (duration > 0) await sleep(duration);
      const result = options.handler ? await options.handler(invocation) : { ok: true, event };
      ran = true;
      reply(res, 200, { 'x-amz-executed-version': '$LATEST' }, JSON.stringify(result ?? null));
    } finally {
      books.end(cell, units, ran);
    }
  }

  function accountSettings(res: ServerResponse, cell: LambdaCell): void {
    const limit = limitFor(options, cell);
    const fallback = Number.isFinite(limit) ? limit : 1000;
    const settings = options.accountSettings
      ? options.accountSettings(cell)
      : { ConcurrentExecutions: fallback, UnreservedConcurrentExecutions: fallback };
    if (settings === undefined) {
      error(
        res,
        403,
        'AccessDeniedException',
        `not authorized to perform lambda:GetAccountSettings in ${cell.region}`,
      );
      return;
    }
    const document = {
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: 262_144_000,
        CodeSizeZipped: 52_428_800,
        ...settings,
      },
      AccountUsage: { TotalCodeSize: 0, FunctionCount: 1 },
    };
    reply(res, 200, {}, JSON.stringify(document));
  }

  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    stats: () => books.accountSnapshot(),
    cellStats: () => books.cellSnapshot(),
    requests: () => books.log(),
    get rejected() {
      return rejected;
    },
    throttleAlways(accessKeyIds) {
      always = new Set(accessKeyIds);
    },
    throttleNext(cell, scripted) {
      books.script(cell, scripted);
    },
    reset() {
      books.reset();
      rejected = 0;
    },
    stop: () => closeServer(server, tracker),
  };
}

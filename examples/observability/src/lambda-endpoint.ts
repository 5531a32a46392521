/**
 * The Lambda this example renders on: a minimal Invoke endpoint on
 * 127.0.0.1, just enough to throttle the way Lambda does.
 *
 * - The account of a call is the access key id of its SigV4 signature,
 *   read from the `Authorization` header (`Credential=AKIA…/date/region/lambda/aws4_request`);
 *   a key it does not know gets Lambda's 403. (It checks no signature: the
 *   repository's tests do that elsewhere.)
 * - Each account runs at most `limit` invocations at once — Lambda's
 *   concurrency limit, per account. One more is refused with Lambda's own
 *   429: `x-amzn-ErrorType: TooManyRequestsException`, body
 *   `{"message":"Rate Exceeded.","Reason":"ConcurrentInvocationLimitExceeded"}`,
 *   and counted. Places another workload holds (`occupy`) count too.
 * - An invocation answers `{"rendered":true}` after `renderMs`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the endpoint counted for one account. */
export interface AccountCounts {
  /** Invocations it ran to the end. */
  readonly invoked: number;
  /** Invocations it refused with 429 `TooManyRequestsException`. */
  readonly throttled: number;
  /** The most invocations of this example it ran at once. */
  readonly peak: number;
}

export interface LambdaEndpointOptions {
  /** Account number by access key id. */
  readonly accounts: ReadonlyMap<string, number>;
  /** Concurrent invocations per account. */
  readonly limit: number;
  /** How long one invocation runs. */
  readonly renderMs: number;
}

export interface LambdaEndpoint {
  /** For the Lambda client's `endpoint`. */
  readonly url: string;
  /** Per account number, what it counted. */
  counts(): ReadonlyMap<number, AccountCounts>;
  /** Another workload takes `places` of `account`'s concurrency until the function returned is called. */
  occupy(account: number, places: number): () => void;
  stop(): Promise<void>;
}

const SIGNED_BY = /Credential=([A-Z0-9]+)\//;
const INVOKE = /^\/2015-03-31\/functions\/[^/]+\/invocations(\?.*)?$/;

function answer(res: ServerResponse, status: number, body: object, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  };
  if (errorType !== undefined) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

export async function startLambdaEndpoint(options: LambdaEndpointOptions): Promise<LambdaEndpoint> {
  const running = new Map<number, number>();
  const held = new Map<number, number>();
  const counts = new Map<number, { invoked: number; throttled: number; peak: number }>();
  const timers = new Set<NodeJS.Timeout>();
  const countsOf = (account: number) => {
    let entry = counts.get(account);
    if (entry === undefined) {
      entry = { invoked: 0, throttled: 0, peak: 0 };
      counts.set(account, entry);
    }
    return entry;
  };

  const server = createServer((req, res) => {
    // The payload is not needed: drain it, then answer.
    req.resume();
    req.on('end', () => {
      const keyId = SIGNED_BY.exec(req.headers.authorization ?? '')?.[1];
      const account = keyId === undefined ? undefined : options.accounts.get(keyId);
      if (account === undefined) {
        answer(
          res,
          403,
          { message: 'The security token included in the request is invalid.' },
          'UnrecognizedClientException',
        );
        return;
      }
      if (req.method !== 'POST' || !INVOKE.test(req.url ?? '')) {
        answer(
          res,
          404,
          { message: `no such route: ${req.method} ${req.url}` },
          'ResourceNotFoundException',
        );
        return;
      }
      const entry = countsOf(account);
      const busy = (running.get(account) ?? 0) + (held.get(account) ?? 0);
      if (busy >= options.limit) {
        entry.throttled++;
        answer(
          res,
          429,
          { message: 'Rate Exceeded.', Reason: 'ConcurrentInvocationLimitExceeded' },
          'TooManyRequestsException',
        );
        return;
      }
      const now = (running.get(account) ?? 0) + 1;
      running.set(account, now);
      entry.peak = Math.max(entry.peak, now);
      const timer = setTimeout(() => {
        timers.delete(timer);
        // The place is free before the answer leaves, as on Lambda: a caller
        // that starts its next invocation on the answer is not refused for it.
        running.set(account, (running.get(account) ?? 1) - 1);
        entry.invoked++;
        answer(res, 200, { rendered: true });
      }, options.renderMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => new Map([...counts].map(([account, entry]) => [account, { ...entry }])),
    occupy(account, places) {
      held.set(account, (held.get(account) ?? 0) + places);
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        held.set(account, (held.get(account) ?? places) - places);
      };
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

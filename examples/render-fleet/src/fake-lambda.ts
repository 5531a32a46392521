/**
 * A Lambda-like endpoint on 127.0.0.1 for the example: `Invoke` answers
 * after `durationMs`, and each account (told apart by the access key id in
 * the SigV4 `Authorization` header) may run at most `limit` invocations at
 * once — one more gets what AWS answers, HTTP 429
 * `TooManyRequestsException`. It counts, per account, the most invocations
 * that ran at once and the throttled attempts. (The repository's tests use
 * a server that also verifies every signature.)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLambdaOptions {
  /** Account number by access key id (unknown keys get 403). */
  readonly accounts: ReadonlyMap<string, number>;
  /** Concurrent invocations allowed per account. */
  readonly limit: number;
  /** How long one invocation runs. */
  readonly durationMs: number;
}

export interface AccountLoad {
  readonly account: number;
  /** Invocations that ran to completion. */
  readonly completed: number;
  /** The most invocations that ran at once (never above the limit: those are refused). */
  readonly maxConcurrent: number;
  /** Attempts refused with 429 because the account was at its limit. */
  readonly throttled: number;
}

export interface FakeLambda {
  readonly endpoint: string;
  /** Per account, ordered by account number. */
  load(): AccountLoad[];
  stop(): Promise<void>;
}

const KEY_ID = /Credential=([A-Z0-9]+)\//;

export async function startFakeLambda(options: FakeLambdaOptions): Promise<FakeLambda> {
  const running = new Map<number, number>();
  const stats = new Map<number, { completed: number; maxConcurrent: number; throttled: number }>();
  for (const account of options.accounts.values()) {
    stats.set(account, { completed: 0, maxConcurrent: 0, throttled: 0 });
  }
  const timers = new Set<NodeJS.Timeout>();

  const answer = (res: ServerResponse, status: number, body: unknown, type?: string) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(type ? { 'x-amzn-errortype': type } : {}),
    });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const keyId = KEY_ID.exec(req.headers.authorization ?? '')?.[1];
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
    const stat = stats.get(account) as {
      completed: number;
      maxConcurrent: number;
      throttled: number;
    };
    const now = (running.get(account) ?? 0) + 1;
    if (now > options.limit) {
      stat.throttled++;
      answer(
        res,
        429,
        {
          Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
          Type: 'User',
          message: 'Rate Exceeded.',
        },
        'TooManyRequestsException',
      );
      return;
    }
    running.set(account, now);
    stat.maxConcurrent = Math.max(stat.maxConcurrent, now);
    const timer = setTimeout(() => {
      timers.delete(timer);
      running.set(account, (running.get(account) ?? 1) - 1);
      stat.completed++;
      answer(res, 200, { rendered: true, account });
    }, options.durationMs);
    timers.add(timer);
    // A caller that goes away (a killed worker) ends its invocation too.
    res.on('close', () => {
      if (!res.writableFinished && timers.delete(timer)) {
        clearTimeout(timer);
        running.set(account, (running.get(account) ?? 1) - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    load: () => [...stats].sort(([a], [b]) => a - b).map(([account, s]) => ({ account, ...s })),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

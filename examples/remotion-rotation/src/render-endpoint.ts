/**
 * Remotion's render function as this example needs it: a Lambda-like
 * endpoint on 127.0.0.1 that `renderMediaOnLambda()` reaches through
 * `AWS_ENDPOINT_URL_LAMBDA`.
 *
 * - It tells accounts apart by the access key id in the SigV4
 *   `Authorization` header (`Credential=AKIA…/date/region/lambda/aws4_request`);
 *   an unknown key gets Lambda's 403. (It does not verify the signature
 *   itself: the repository's tests do that.)
 * - It reads the render's `inputProps`, which Remotion sends inline as
 *   `event.inputProps = { type: 'payload', payload: '<JSON>' }`, and logs
 *   which account signed each call.
 * - Each account runs at most `limit` renders at once, as Lambda's
 *   concurrency limit does: one more gets Lambda's 429
 *   `TooManyRequestsException` (`Reason: ConcurrentInvocationLimitExceeded`).
 * - A render takes `renderMs`, then answers what Remotion's start routine
 *   answers: `{"type":"success","renderId":…,"bucketName":…}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the example puts in each render's `inputProps`. */
export interface RenderProps {
  /** The job in the queue. */
  readonly render: number;
  /** This call of `renderMediaOnLambda()` (a retried render makes another). */
  readonly call: number;
}

/** One invocation as the endpoint saw it. */
export interface Invocation extends RenderProps {
  /** The account whose key signed it. */
  readonly account: number;
  readonly outcome: 'rendered' | 'throttled';
}

/** Per account: the most renders that ran at once. */
export type PeakConcurrency = ReadonlyMap<number, number>;

export interface RenderEndpointOptions {
  /** Account number by access key id. */
  readonly keyIds: ReadonlyMap<string, number>;
  /** Renders one account may run at once. */
  readonly limit: number;
  readonly renderMs: number;
}

export interface RenderEndpoint {
  /** For `AWS_ENDPOINT_URL_LAMBDA`. */
  readonly url: string;
  /** What it saw since the last `clear()`, in arrival order. */
  invocations(): readonly Invocation[];
  /** The most renders each account ran at once since the last `clear()`. */
  peaks(): PeakConcurrency;
  clear(): void;
  stop(): Promise<void>;
}

const SIGNED_BY = /Credential=(\w+)\//;
const INVOKE = /^\/2015-03-31\/functions\/[^/]+\/invocations$/;

/** The render's props, from Remotion's start payload (`undefined` when it is not one). */
function renderPropsOf(body: string): RenderProps | undefined {
  try {
    const event = JSON.parse(body) as { inputProps?: { type?: string; payload?: string } };
    if (event.inputProps?.type !== 'payload' || event.inputProps.payload === undefined) {
      return undefined;
    }
    const props = JSON.parse(event.inputProps.payload) as Partial<RenderProps>;
    return typeof props.render === 'number' && typeof props.call === 'number'
      ? { render: props.render, call: props.call }
      : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: object, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(errorType === undefined ? {} : { 'x-amzn-ErrorType': errorType }),
  });
  res.end(text);
}

export async function startRenderEndpoint(options: RenderEndpointOptions): Promise<RenderEndpoint> {
  let log: Invocation[] = [];
  let peaks = new Map<number, number>();
  const running = new Map<number, number>();
  const rendering = new Set<NodeJS.Timeout>();

  const invoke = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const keyId = SIGNED_BY.exec(req.headers.authorization ?? '')?.[1];
    const account = keyId === undefined ? undefined : options.keyIds.get(keyId);
    if (account === undefined) {
      send(
        res,
        403,
        { message: 'The security token included in the request is invalid.' },
        'UnrecognizedClientException',
      );
      return;
    }
    const props = req.method === 'POST' && INVOKE.test(req.url ?? '') && renderPropsOf(body);
    if (!props) {
      send(res, 400, { message: 'not a Remotion render' }, 'InvalidRequestContentException');
      return;
    }
    const now = running.get(account) ?? 0;
    if (now >= options.limit) {
      log.push({ ...props, account, outcome: 'throttled' });
      send(
        res,
        429,
        { message: 'Rate Exceeded.', Reason: 'ConcurrentInvocationLimitExceeded' },
        'TooManyRequestsException',
      );
      return;
    }
    running.set(account, now + 1);
    peaks.set(account, Math.max(peaks.get(account) ?? 0, now + 1));
    const done = setTimeout(() => {
      rendering.delete(done);
      // The place is free before the answer leaves: a caller that starts the
      // next render as soon as this one returns is never refused for it.
      running.set(account, (running.get(account) ?? 1) - 1);
      log.push({ ...props, account, outcome: 'rendered' });
      send(res, 200, {
        type: 'success',
        renderId: `render-${props.render}-${props.call}`,
        bucketName: 'remotionlambda-example',
      });
    }, options.renderMs);
    rendering.add(done);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => invoke(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    invocations: () => [...log],
    peaks: () => new Map(peaks),
    clear() {
      log = [];
      peaks = new Map();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of rendering) clearTimeout(timer);
        rendering.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

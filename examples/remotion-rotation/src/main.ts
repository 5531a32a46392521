/**
 * A render queue on Remotion's own client, `@remotion/lambda-client`, over
 * three AWS accounts whose Lambda concurrency limit is 2 each (a Lambda-like
 * endpoint on 127.0.0.1, `./render-endpoint`), two ways:
 *
 * 1. Remotion's documented recipe: set `REMOTION_AWS_ACCESS_KEY_ID` /
 *    `_SECRET_ACCESS_KEY` before each call — `pool.applyToEnv(pool.pick())`,
 *    then `await renderMediaOnLambda(…)` — with the renders queued at once.
 *    Remotion reads the variables when it sends the invocation, after it has
 *    built its payload (an `await`): by then every render of the queue has
 *    set them, so the last account picked signs them all, over its limit.
 * 2. `AccountPool.fromEnv(env, { capacity: 2, processEnv: 'scoped' })` and
 *    `pool.run(() => renderMediaOnLambda(…))`: inside `pool.run`,
 *    `process.env` answers with the leased account, so Remotion signs each
 *    render with the account leased for it, at most 2 at a time per account.
 *    A child process spawned inside `pool.run` inherits that account too.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AccountPool, isThrottlingError } from '@credchain/aws';
import { redactKeyId } from '@credchain/core';
import { renderMediaOnLambda } from '@remotion/lambda-client';
import { type Invocation, type RenderProps, startRenderEndpoint } from './render-endpoint';

/** Three obviously fake accounts. */
export const ACCOUNTS = [1, 2, 3].map((n) => ({
  accessKeyId: `AKIAFAKEQUEUEACCT00${n}`,
  secretAccessKey: `fake-remotion-queue-secret-${n}-not-real`,
}));
/** Lambda's concurrency limit per account at the endpoint, and the pool's capacity. */
export const LIMIT = 2;

/** The pool's numbered variables (in an app: `process.env`). */
const POOL_ENV: Record<string, string> = Object.fromEntries(
  ACCOUNTS.flatMap((a, i) => [
    [`AWS_KEY_${i + 1}`, a.accessKeyId],
    [`AWS_SECRET_${i + 1}`, a.secretAccessKey],
  ]),
);

const NOWHERE = '/nonexistent-credchain-remotion-example';

/** The variables Remotion's client signs with; `applyToEnv` writes them. */
const REMOTION_KEYS = {
  REMOTION_AWS_PROFILE: undefined,
  REMOTION_AWS_ACCESS_KEY_ID: undefined,
  REMOTION_AWS_SECRET_ACCESS_KEY: undefined,
  REMOTION_AWS_SESSION_TOKEN: undefined,
};

/**
 * What `main()` sets in `process.env` (`undefined`: removed) and restores
 * when it returns: Remotion's client reads the endpoint and the keys from
 * there. No profile file or key of the developer's reaches it.
 */
function exampleEnv(endpoint: string): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL_LAMBDA: endpoint,
    HOME: NOWHERE,
    AWS_SHARED_CREDENTIALS_FILE: `${NOWHERE}/credentials`,
    AWS_CONFIG_FILE: `${NOWHERE}/config`,
    ...REMOTION_KEYS,
    REMOTION_SKIP_AWS_CREDENTIALS_CHECK: undefined,
    REMOTION_DISABLE_AWS_CLIENT_CACHE: undefined,
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
  };
}

/** Sets `vars` in `process.env`; the function returned puts back what was there. */
function setProcessEnv(vars: Record<string, string | undefined>): () => void {
  const before = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  const apply = (entries: Iterable<readonly [string, string | undefined]>) => {
    for (const [name, value] of entries) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(Object.entries(vars));
  return () => apply(before);
}

export interface RemotionRotationOptions {
  /** Renders in the queue. @default 12 */
  readonly renders?: number;
  /** How long one render runs on the endpoint. @default 100 */
  readonly renderMs?: number;
  /**
   * Spawn a child process inside `pool.run` and report the key id it sees.
   * (Under jest, the test's `process` is a sandbox of its own that Node's
   * `child_process` does not read: the test checks the child through the
   * built program instead.) @default true
   */
  readonly childProcess?: boolean;
}

/** One account's figures in one run. */
export interface AccountFigures {
  readonly account: number;
  /** Its access key id, redacted. */
  readonly keyId: string;
  /** Calls made for it: picked by `pick()` (recipe 1), leased by `pool.run` (2). */
  readonly chosen: number;
  /** Calls its key signed. */
  readonly signed: number;
  /** Renders it ran to the end. */
  readonly rendered: number;
  /** The most renders it ran at once. */
  readonly maxConcurrent: number;
  /** Calls the endpoint refused with 429 (`Rate Exceeded.`). */
  readonly throttled: number;
}

export interface QueueReport {
  readonly renders: number;
  readonly rendered: number;
  /** Renders that ended in `TooManyRequestsException` (any other error is thrown). */
  readonly failed: number;
  /** `renderMediaOnLambda()` calls: `pool.run` retries a throttled render on another account. */
  readonly calls: number;
  /** Calls signed by another account than the one chosen for them. */
  readonly mismatches: number;
  readonly accounts: readonly AccountFigures[];
  readonly wallMs: number;
}

export interface ChildReport {
  /** The account `pool.run` leased. */
  readonly account: number;
  /** `REMOTION_AWS_ACCESS_KEY_ID` of a child spawned inside `pool.run`, redacted. */
  readonly inside: string;
  /** The same, spawned outside any scope. */
  readonly outside: string;
}

export interface RemotionRotationReport {
  readonly renders: number;
  readonly renderMs: number;
  readonly racy: QueueReport;
  readonly scoped: QueueReport;
  readonly child?: ChildReport;
}

/** The key id a child process spawned now (with the default environment) sees. */
async function keyIdSeenByAChild(): Promise<string | undefined> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-e', 'console.log(process.env.REMOTION_AWS_ACCESS_KEY_ID ?? "")'],
    { timeout: 10_000 },
  );
  return stdout.trim() || undefined;
}

/**
 * The queue's calls of Remotion's client: each call carries its render and
 * call number in `inputProps`, so the endpoint's log says which account
 * signed the call made for which account.
 */
class RenderCalls {
  #next = 0;
  /** The account each call was made for, by call number. */
  readonly chosen = new Map<number, number>();

  render(render: number, account: number) {
    const call = ++this.#next;
    this.chosen.set(call, account);
    const inputProps: RenderProps = { render, call };
    return renderMediaOnLambda({
      region: 'us-east-1',
      functionName: 'remotion-render-4-0-527-mem2048mb-disk2048mb-120sec',
      serveUrl: 'https://example.invalid/sites/render-queue',
      composition: 'Queue',
      codec: 'h264',
      inputProps: { ...inputProps },
      // At 'info' Remotion prints a hint for every throttled render; the
      // report counts them instead.
      logLevel: 'warn',
    });
  }

  /** This run's figures, from the endpoint's log of the calls since `since`. */
  figures(log: readonly Invocation[], peaks: ReadonlyMap<number, number>, since: number) {
    const chosen = [...this.chosen].filter(([call]) => call > since);
    const accounts = ACCOUNTS.map((a, i): AccountFigures => {
      const account = i + 1;
      const signed = log.filter((v) => v.account === account);
      return {
        account,
        keyId: redactKeyId(a.accessKeyId),
        chosen: chosen.filter(([, n]) => n === account).length,
        signed: signed.length,
        rendered: signed.filter((v) => v.outcome === 'rendered').length,
        maxConcurrent: peaks.get(account) ?? 0,
        throttled: signed.filter((v) => v.outcome === 'throttled').length,
      };
    });
    return {
      calls: chosen.length,
      mismatches: log.filter((v) => this.chosen.get(v.call) !== v.account).length,
      accounts,
    };
  }
}

/** Runs `renders` renders at once; counts the throttled ones, throws any other failure. */
async function queue(renders: number, one: (render: number) => Promise<unknown>) {
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: renders }, (_, r) => one(r + 1)));
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
  const unexpected = failures.find((reason) => !isThrottlingError(reason));
  if (unexpected !== undefined) throw unexpected;
  return {
    renders,
    rendered: renders - failures.length,
    failed: failures.length,
    wallMs: Math.round(performance.now() - started),
  };
}

/**
 * Starts the endpoint, runs the queue both ways, stops the endpoint and puts
 * `process.env` back (the scoped proxy the pool installed stays, for the
 * process: outside `pool.run` it reads as the real environment). Once per
 * process: Remotion caches its clients by credentials and region, not by
 * endpoint, so a second run would reach the first run's (stopped) endpoint.
 */
export async function main(options: RemotionRotationOptions = {}): Promise<RemotionRotationReport> {
  const renders = options.renders ?? 12;
  const renderMs = options.renderMs ?? 100;
  const endpoint = await startRenderEndpoint({
    keyIds: new Map(ACCOUNTS.map((a, i) => [a.accessKeyId, i + 1])),
    limit: LIMIT,
    renderMs,
  });
  const restoreEnv = setProcessEnv(exampleEnv(endpoint.url));
  const calls = new RenderCalls();
  const run = async (one: (render: number) => Promise<unknown>): Promise<QueueReport> => {
    endpoint.clear();
    const since = calls.chosen.size;
    const result = await queue(renders, one);
    return { ...result, ...calls.figures(endpoint.invocations(), endpoint.peaks(), since) };
  };
  try {
    // 1. Remotion's recipe: set the variables before each call.
    const picker = AccountPool.fromEnv(POOL_ENV, { strategy: 'round-robin' });
    const racy = await run(async (render) => {
      const account = picker.pick();
      picker.applyToEnv(account);
      await calls.render(render, account);
    });
    setProcessEnv(REMOTION_KEYS); // the scoped run starts with no keys in process.env

    // 2. pool.run, with process.env scoped to the leased account.
    const pool = AccountPool.fromEnv(POOL_ENV, { capacity: LIMIT, processEnv: 'scoped' });
    const scoped = await run((render) => pool.run(({ index }) => calls.render(render, index)));

    let child: ChildReport | undefined;
    if (options.childProcess ?? true) {
      const inside = await pool.run(async ({ index }) => ({
        account: index,
        inside: redactKeyId(await keyIdSeenByAChild()),
      }));
      child = { ...inside, outside: redactKeyId(await keyIdSeenByAChild()) };
    }
    return { renders, renderMs, racy, scoped, ...(child ? { child } : {}) };
  } finally {
    restoreEnv();
    await endpoint.stop();
  }
}

function section(report: QueueReport, chosen: 'picked' | 'leased'): string[] {
  return [
    `   ${report.rendered} of ${report.renders} rendered, ${report.failed} failed with TooManyRequestsException ("Rate Exceeded."), ${report.wallMs} ms`,
    `   ${report.mismatches} of ${report.calls} calls signed by another account than the one ${chosen} for them`,
    ...report.accounts.map(
      (a) =>
        `     account ${a.account} (${a.keyId}): ${chosen} for ${a.chosen}, signed ${a.signed}, ` +
        `rendered ${a.rendered}, at most ${a.maxConcurrent} at once, ${a.throttled} × 429`,
    ),
  ];
}

/** The human output. */
export function format(report: RemotionRotationReport): string {
  const child = report.child;
  return [
    `A render queue: ${report.renders} renderMediaOnLambda() calls at once, 3 accounts,`,
    `Lambda concurrency limit ${LIMIT} per account, ${report.renderMs} ms per render`,
    '',
    "1. Remotion's recipe: pool.applyToEnv(pool.pick()); await renderMediaOnLambda(…)",
    ...section(report.racy, 'picked'),
    '',
    `2. AccountPool.fromEnv(env, { capacity: ${LIMIT}, processEnv: 'scoped' });`,
    '   pool.run(() => renderMediaOnLambda(…))',
    ...section(report.scoped, 'leased'),
    ...(child
      ? [
          '',
          'A child process (node -e) sees REMOTION_AWS_ACCESS_KEY_ID:',
          `   spawned inside pool.run on account ${child.account}: ${child.inside}`,
          `   spawned outside pool.run: ${child.outside}`,
        ]
      : []),
  ].join('\n');
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main()
    .then((report) => console.log(format(report)))
    .catch((error: unknown) => {
      console.error(
        `remotion-rotation failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    });
}

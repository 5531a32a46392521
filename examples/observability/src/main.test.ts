import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { redactKeyId } from '@credchain/core';
import { AttributeNames, SpanNames } from '@credchain/opentelemetry';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  ACCOUNTS,
  BASE_KEYS,
  CAPACITY,
  format,
  main,
  type ObservabilityReport,
  RENDERS,
  ROLE_ARN,
  roleResolves,
  throttledRun,
} from './main';
import { type PrometheusSample, parsePrometheusText } from './prometheus-text';
import { spanTree } from './span-tree';

/** What Prometheus does: GET /metrics. */
function scrape(url: string): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Whether something accepts a TCP connection at `url`'s host and port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const SCOPE = { otel_scope_name: '@credchain/opentelemetry', otel_scope_version: '0.1.0' };

describe('examples/observability', () => {
  const envBefore = { ...process.env };
  let report: ObservabilityReport;
  let scraped: Awaited<ReturnType<typeof scrape>> | undefined;
  let samples: PrometheusSample[];
  /** The samples of `name`, as `[labels without the scope, value]`, sorted. */
  const series = (name: string) =>
    samples
      .filter((s) => s.name === name)
      .map((s) => {
        const { otel_scope_name, otel_scope_version, ...labels } = s.labels;
        expect({ otel_scope_name, otel_scope_version }).toEqual(SCOPE);
        return [labels, s.value] as const;
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  beforeAll(async () => {
    report = await main({
      // Long enough that account 1's three renders overlap at Lambda even on
      // a busy machine: the third is refused.
      renderMs: 800,
      scrape: async (url) => {
        scraped = await scrape(url);
        return scraped.text;
      },
    });
    samples = parsePrometheusText(report.metrics);
  }, 60_000);

  it('serves the metrics on 127.0.0.1 in the Prometheus text format, every credchain metric in it', () => {
    expect(report.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(scraped?.status).toBe(200);
    expect(scraped?.contentType).toMatch(/^text\/plain/);
    const types = report.metrics
      .split('\n')
      .filter((line) => line.startsWith('# TYPE credchain_'))
      .sort();
    // The Prometheus names: dots become underscores, counters get _total,
    // the units ('ms', '{lease}', …) add no suffix with this exporter.
    expect(types).toEqual([
      '# TYPE credchain_pool_capacity gauge',
      '# TYPE credchain_pool_exhausted_total counter',
      '# TYPE credchain_pool_leases_active gauge',
      '# TYPE credchain_pool_throttles_total counter',
      '# TYPE credchain_pool_wait_duration histogram',
      '# TYPE credchain_redis_fallbacks_total counter',
      '# TYPE credchain_resolve_duration histogram',
      '# TYPE credchain_role_cache_requests_total counter',
    ]);
  });

  it('counts exactly the 429s Lambda answered, per account and reason — one on each account', () => {
    const answered = [...report.lambda].map(([account, c]) => [account, c.throttled]);
    expect(answered.sort()).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(series('credchain_pool_throttles_total')).toEqual(
      answered.map(([account, throttled]) => [
        {
          credchain_prefix: 'REMOTION',
          credchain_pool_account: String(account),
          credchain_pool_throttle_reason: 'concurrency',
        },
        throttled,
      ]),
    );
    // Lambda never ran more than its limit at once on an account.
    for (const counts of report.lambda.values()) expect(counts.peak).toBeLessThanOrEqual(2);
  });

  it('counts the run that found every account throttled or cooling down', () => {
    expect(report.exhausted.name).toBe('AccountsExhaustedError');
    expect(report.exhausted.message).toMatch(
      /every account of the pool is throttled or cooling down/,
    );
    expect(series('credchain_pool_exhausted_total')).toEqual([
      [{ credchain_prefix: 'REMOTION' }, 1],
    ]);
    // Its span: throttled on the one account it could try, an error; every other run ok.
    const runs = report.spans.filter((s) => s.name === SpanNames.poolRun);
    expect(
      runs
        .map((s) => [s.attributes[AttributeNames.poolOutcome], s.status.code])
        .filter(([outcome]) => outcome !== 'ok'),
    ).toEqual([['throttled', 2]]);
    const exhausted = runs.find((s) => s.attributes[AttributeNames.poolOutcome] === 'throttled');
    expect(exhausted?.status.message).toMatch(/^AccountsExhaustedError: every account/);
    expect(exhausted?.events.map((e) => e.attributes?.[AttributeNames.poolAccount])).toEqual([2]);
  });

  it("brings the active leases back to 0 and reports each account's capacity", () => {
    expect(series('credchain_pool_leases_active')).toEqual([
      [{ credchain_prefix: 'REMOTION', credchain_pool_account: '1' }, 0],
      [{ credchain_prefix: 'REMOTION', credchain_pool_account: '2' }, 0],
    ]);
    expect(series('credchain_pool_capacity')).toEqual([
      [{ credchain_prefix: 'REMOTION', credchain_pool_account: '1' }, CAPACITY[0]],
      [{ credchain_prefix: 'REMOTION', credchain_pool_account: '2' }, CAPACITY[1]],
    ]);
  });

  it('records one lease wait per pool.run: the burst, the exhausted run, the two on Redis', () => {
    const runs = report.spans.filter((s) => s.name === SpanNames.poolRun);
    expect(runs).toHaveLength(RENDERS + 1 + 2);
    expect(series('credchain_pool_wait_duration_count')).toEqual([
      [{ credchain_prefix: 'REMOTION' }, runs.length],
    ]);
    const [[, waitedMs]] = series('credchain_pool_wait_duration_sum') as [[unknown, number]];
    // The throttled render waited for a place on account 2 (a render's time, about).
    expect(waitedMs).toBeGreaterThan(0);
    expect(waitedMs).toBe(
      runs.reduce((sum, s) => sum + Number(s.attributes[AttributeNames.poolWaitMs]), 0),
    );
  });

  it('records every resolve: the role profile twice, and each the SDK asked for in a Lambda call', () => {
    const counts = series('credchain_resolve_duration_count');
    expect(counts.filter(([l]) => l.credchain_link === 'profile')).toEqual([
      [{ credchain_link: 'profile', credchain_cache_outcome: 'miss' }, 2],
    ]);
    // Every other resolve is a pooled one, by the prefixed keys of the leased
    // account: as many as the credchain.resolve spans under the Lambda calls.
    const invokes = report.spans.filter((s) => s.name === 'Lambda.Invoke');
    const lambda = [...report.lambda.values()];
    expect(invokes).toHaveLength(lambda.reduce((n, c) => n + c.invoked + c.throttled, 0));
    const pooled = report.spans.filter(
      (s) =>
        s.name === SpanNames.resolve &&
        invokes.some((i) => i.spanContext().spanId === s.parentSpanContext?.spanId),
    );
    const others = counts.filter(([l]) => l.credchain_link !== 'profile');
    for (const [labels] of others) expect(labels.credchain_link).toBe('prefixed-env');
    expect(others.reduce((n, [, count]) => n + count, 0)).toBe(pooled.length);
    for (const outcome of ['miss', 'hit']) {
      expect(others.find(([l]) => l.credchain_cache_outcome === outcome)?.[1]).toBe(
        pooled.filter((s) => s.attributes[AttributeNames.cacheOutcome] === outcome).length,
      );
    }
    // Each account's links ran once at least (a cold cache), and each call resolved.
    expect(
      pooled.filter((s) => s.attributes[AttributeNames.cacheOutcome] === 'miss').length,
    ).toBeGreaterThanOrEqual(2);
    for (const invoke of invokes) {
      expect(pooled.some((s) => s.parentSpanContext?.spanId === invoke.spanContext().spanId)).toBe(
        true,
      );
    }
    // Histograms: a _sum, and buckets ending in +Inf = the count.
    for (const [labels, count] of counts) {
      const inf = samples.find(
        (s) =>
          s.name === 'credchain_resolve_duration_bucket' &&
          s.labels.le === '+Inf' &&
          s.labels.credchain_link === labels.credchain_link &&
          s.labels.credchain_cache_outcome === labels.credchain_cache_outcome,
      );
      expect(inf?.value).toBe(count);
    }
  });

  it('counts the role cache by outcome: a miss and a write (one AssumeRole), then a hit', () => {
    expect(report.role.stsCalls).toHaveLength(1);
    expect(report.role.stsCalls[0]).toMatchObject({
      roleArn: ROLE_ARN,
      signedBy: BASE_KEYS.accessKeyId,
    });
    expect(report.role.sameSession).toBe(true);
    expect(series('credchain_role_cache_requests_total')).toEqual([
      [{ credchain_role_cache_outcome: 'hit' }, 1],
      [{ credchain_role_cache_outcome: 'miss' }, 1],
      [{ credchain_role_cache_outcome: 'write' }, 1],
    ]);
  });

  it('counts the fall-back of the Redis pool state whose redis-server was killed', () => {
    expect(report.redis.mode).toBe('fallback');
    expect(report.redis.warnings).toHaveLength(1);
    expect(report.redis.warnings[0]).toMatch(
      /Redis cannot be used .*starts new ones only in the places of its own calls that end/,
    );
    expect(series('credchain_redis_fallbacks_total')).toEqual([
      [{ credchain_redis_namespace: 'observability-example' }, 1],
    ]);
  });

  it('traces the throttled pool.run that moved to another account, with the Lambda calls and their resolves under it', () => {
    const run = throttledRun(report.spans) as ReadableSpan;
    expect(run).toBeDefined();
    expect(run.attributes).toMatchObject({
      [AttributeNames.prefix]: 'REMOTION',
      [AttributeNames.poolAccount]: 2,
      [AttributeNames.poolAttempt]: 2,
      [AttributeNames.poolOutcome]: 'ok',
    });
    expect(run.attributes[AttributeNames.poolWaitMs]).toBeGreaterThan(0);
    expect(run.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'credchain.pool.throttle',
        { [AttributeNames.poolAccount]: 1, [AttributeNames.throttleReason]: 'concurrency' },
      ],
    ]);
    const childrenOf = (span: ReadableSpan) =>
      report.spans
        .filter((s) => s.parentSpanContext?.spanId === span.spanContext().spanId)
        .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    const attempts = childrenOf(run);
    expect(
      attempts.map((s) => [
        s.name,
        s.attributes['render.account'],
        s.attributes['http.response.status_code'],
        s.status.message,
      ]),
    ).toEqual([
      ['Lambda.Invoke', 1, 429, 'TooManyRequestsException: Rate Exceeded.'],
      ['Lambda.Invoke', 2, undefined, undefined],
    ]);
    expect(attempts[0]?.attributes['render.frame']).toBe(attempts[1]?.attributes['render.frame']);
    for (const attempt of attempts) {
      const account = attempt.attributes['render.account'] as number;
      const resolves = childrenOf(attempt);
      // The SDK asked the chain for credentials inside the app's span, in the
      // leased account's scope, and got that account's key.
      expect(resolves.length).toBeGreaterThanOrEqual(1);
      for (const resolve of resolves) {
        expect(resolve.name).toBe(SpanNames.resolve);
        expect(resolve.attributes).toMatchObject({
          [AttributeNames.prefix]: 'REMOTION',
          [AttributeNames.poolAccount]: account,
          [AttributeNames.link]: 'prefixed-env',
          [AttributeNames.keyId]: redactKeyId(ACCOUNTS[account - 1]?.accessKeyId),
        });
        // The links ran here, or in a concurrent call's resolve this one joined.
        const links = childrenOf(resolve).map(
          (s) => `${s.attributes[AttributeNames.link]} ${s.attributes[AttributeNames.linkOutcome]}`,
        );
        if (links.length > 0)
          expect(links).toEqual(['prefixed-profile unavailable', 'prefixed-env resolved']);
      }
    }
  });

  it('traces the role profile: the links under credchain.resolve, the STS call under the profile link, none from the cache', () => {
    const brief = {
      span: (s: ReadableSpan) => {
        const a = s.attributes;
        if (s.name === SpanNames.resolve)
          return `${s.name} ${a[AttributeNames.cacheOutcome]} → ${a[AttributeNames.link]} ${a[AttributeNames.keyId]}`;
        if (s.name === SpanNames.provider)
          return `${s.name} ${a[AttributeNames.link]} ${a[AttributeNames.linkOutcome]}`;
        if (s.name === SpanNames.assumeRole) return `${s.name} ${a[AttributeNames.roleArn]}`;
        return s.name;
      },
      event: (e: { name: string }) => e.name,
    };
    const session = redactKeyId(report.role.stsCalls[0]?.issued.accessKeyId);
    expect(spanTree(report.spans, roleResolves(report.spans), brief)).toEqual([
      `credchain.resolve miss → profile ${session}`,
      '├─ credchain.provider prefixed-profile unavailable',
      '├─ credchain.provider prefixed-env unavailable',
      '└─ credchain.provider profile resolved',
      `   └─ credchain.sts.assume_role ${ROLE_ARN}`,
      `credchain.resolve miss → profile ${session}`,
      '├─ credchain.provider prefixed-profile unavailable',
      '├─ credchain.provider prefixed-env unavailable',
      '└─ credchain.provider profile resolved',
    ]);
  });

  it('exports no secret, session token or full key id, in the metrics, the spans or the output', () => {
    const issued = report.role.stsCalls.map((c) => c.issued);
    const forbidden = [
      ...ACCOUNTS.flatMap((a) => [a.accessKeyId, a.secretAccessKey]),
      BASE_KEYS.accessKeyId,
      BASE_KEYS.secretAccessKey,
      ...issued.flatMap((c) => [c.accessKeyId, c.secretAccessKey, c.sessionToken]),
    ];
    expect(forbidden).toHaveLength(9);
    const exported = JSON.stringify(
      report.spans.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
        resource: s.resource.attributes,
      })),
    );
    for (const text of [report.metrics, exported, format(report)]) {
      for (const secret of forbidden) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/not-real|AKIAFAKE|ASIAFAKE/);
    }
    // What they do show: redacted key ids.
    expect(exported).toContain('AKIA…CT01');
    expect(exported).toContain('AKIA…CT02');
  });

  it('stops every server and process, removes its files and leaves process.env as it was', async () => {
    for (const url of report.started.urls) expect(await listening(url)).toBe(false);
    expect(() => process.kill(report.redis.pid, 0)).toThrow(/ESRCH/);
    expect(existsSync(report.started.home)).toBe(false);
    expect({ ...process.env }).toEqual(envBefore);
  });

  it("prints the trace trees and credchain's metric lines only", () => {
    const text = format(report);
    expect(text).toContain('The throttled pool.run that moved to another account:');
    expect(text).toMatch(
      /\ncredchain\.pool\.run {2}prefix=REMOTION pool\.account=2 pool\.attempt=2 pool\.wait_ms=\d+ pool\.outcome=ok {2}\d+ ms\n├─ • credchain\.pool\.throttle {2}pool\.account=1 pool\.throttle\.reason=concurrency\n/,
    );
    expect(text).toMatch(
      /└─ credchain\.sts\.assume_role {2}sts\.role_arn=arn:aws:iam::123456789012:role\/render-orchestrator {2}\d+ ms/,
    );
    expect(text).toMatch(
      /account 1 \(AKIA…CT01\): \d+ invoked, 1 × 429 TooManyRequestsException, at most 2 at once/,
    );
    const metricLines = text.slice(text.indexOf('Scraped from'));
    expect(metricLines).toContain(
      'credchain_pool_throttles_total{credchain_prefix="REMOTION",credchain_pool_account="1",credchain_pool_throttle_reason="concurrency",otel_scope_name="@credchain/opentelemetry",otel_scope_version="0.1.0"} 1',
    );
    expect(metricLines).not.toContain('target_info');
    expect(metricLines).not.toContain('_bucket{');
  });
});

describe('examples/observability as a program (pnpm start: node dist/main.js)', () => {
  it('prints the trees and the scraped credchain lines, nothing on stderr, and exits', async () => {
    const program = join(__dirname, '..', 'dist', 'main.js');
    if (!existsSync(program)) throw new Error(`${program} is missing: run pnpm build first`);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [program], {
      timeout: 60_000,
    });
    expect(stderr).toBe('');
    expect(stdout).toContain('The throttled pool.run that moved to another account:');
    expect(stdout).toContain('└─ credchain.sts.assume_role');
    expect(stdout).toMatch(
      /^credchain_pool_exhausted_total\{credchain_prefix="REMOTION",[^}]*\} 1$/m,
    );
    expect(stdout).not.toMatch(/^(target_info|# TYPE target_info)/m);
    expect(stdout).not.toMatch(/not-real|AKIAFAKE|ASIAFAKE/);
  }, 60_000);
});

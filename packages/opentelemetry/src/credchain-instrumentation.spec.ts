import diagnosticsChannel from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { AccountPool, createRegionChain } from '@credchain/aws';
import {
  CredchainChannels,
  Credentials,
  CredentialsUnavailableError,
  ExpiryAwareCache,
  ProviderChain,
} from '@credchain/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { type OtelSdk, startOtelSdk } from '../../../test/support/otel-sdk';
import { CredchainInstrumentation } from './credchain-instrumentation';
import { AttributeNames, MetricNames, SpanNames } from './names';

const KEY_ID = 'AKIAFAKEOTELCHAIN001';
const SECRET = 'SENTINEL-otel-secret-0123456789';
const unavailable = (name: string) => ({
  name,
  provide: async (): Promise<Credentials> => {
    throw new CredentialsUnavailableError(`${name.toUpperCase()}_KEY is not set`);
  },
});
const resolving = (name: string) => ({
  name,
  provide: async () => new Credentials({ accessKeyId: KEY_ID, secretAccessKey: SECRET }),
});

/** A fresh SDK and instrumentation for each test of the calling `describe`. */
function withInstrumentation() {
  const current: { sdk?: OtelSdk; instrumentation?: CredchainInstrumentation } = {};
  beforeEach(() => {
    current.sdk = startOtelSdk();
    current.instrumentation = new CredchainInstrumentation({
      tracerProvider: current.sdk.tracerProvider,
      meterProvider: current.sdk.meterProvider,
    });
  });
  afterEach(async () => {
    current.instrumentation?.disable();
    await current.sdk?.shutdown();
  });
  return current as Required<typeof current>;
}

describe(CredchainInstrumentation.name, () => {
  const setUp = withInstrumentation();
  let sdk: OtelSdk;
  let instrumentation: CredchainInstrumentation;
  beforeEach(() => {
    ({ sdk, instrumentation } = setUp);
  });

  const describeSpan = (span: { name: string; attributes: Record<string, unknown> }) => {
    const a = span.attributes;
    if (span.name === SpanNames.provider)
      return `${span.name} ${a[AttributeNames.link]} ${a[AttributeNames.linkOutcome]}`;
    if (span.name === SpanNames.resolve)
      return `${span.name} ${a[AttributeNames.prefix]} ${a[AttributeNames.cacheOutcome]} → ${a[AttributeNames.link]} ${a[AttributeNames.keyId]}`;
    return span.name;
  };

  it('traces a resolve as a span with one child per link tried, and records its duration', async () => {
    const chain = new ProviderChain([unavailable('first'), resolving('second')], {
      env: {},
      prefix: 'ACME',
      cache: new ExpiryAwareCache(),
    });
    await chain.resolve();
    await chain.resolve();
    expect(sdk.tree(describeSpan)).toEqual([
      `${SpanNames.resolve} ACME miss → second AKIA…N001`,
      `  ${SpanNames.provider} first unavailable`,
      `  ${SpanNames.provider} second resolved`,
      `${SpanNames.resolve} ACME hit → second AKIA…N001`,
    ]);
    const points = await sdk.points(MetricNames.resolveDuration);
    expect(points.map((p) => [p.attributes, (p.value as { count: number }).count])).toEqual([
      [{ [AttributeNames.link]: 'second', [AttributeNames.cacheOutcome]: 'miss' }, 1],
      [{ [AttributeNames.link]: 'second', [AttributeNames.cacheOutcome]: 'hit' }, 1],
    ]);
  });

  it('nests the resolve under the span the app has active', async () => {
    const chain = new ProviderChain([resolving('only')], { env: {} });
    const tracer = sdk.tracerProvider.getTracer('app');
    await tracer.startActiveSpan('app.request', async (span) => {
      await chain.resolve();
      span.end();
    });
    expect(sdk.tree()).toEqual([
      'app.request',
      `  ${SpanNames.resolve}`,
      `    ${SpanNames.provider}`,
    ]);
  });

  it('marks a failed resolve as an error with its message, holding no secret', async () => {
    const chain = new ProviderChain(
      [
        {
          name: 'vault',
          provide: async () => {
            throw new TypeError(`vault refused the token ${'x'.repeat(3)}`);
          },
        },
      ],
      { env: {} },
    );
    await expect(chain.resolve()).rejects.toThrow('vault refused');
    const [provider, resolve] = sdk.spans.getFinishedSpans();
    expect(resolve?.name).toBe(SpanNames.resolve);
    expect(resolve?.status).toMatchObject({ code: 2 });
    expect(resolve?.status.message).toMatch(
      /^ProviderFailedError: credential provider "vault" failed/,
    );
    expect(provider?.attributes[AttributeNames.linkOutcome]).toBe('failed');
    const exported = inspect(sdk.spans.getFinishedSpans(), { depth: 6 });
    expect(exported).not.toContain(SECRET);
  });

  it('never exports the secret or the full key id', async () => {
    const chain = new ProviderChain([resolving('only')], { env: {} });
    await chain.resolve();
    const exported = JSON.stringify(
      sdk.spans
        .getFinishedSpans()
        .map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })),
    );
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain(KEY_ID);
    expect(JSON.stringify(await sdk.points(MetricNames.resolveDuration))).not.toContain(KEY_ID);
  });

  it('leaves the channels without subscribers once disabled, and is enabled again by registerInstrumentations', async () => {
    const channel = diagnosticsChannel.tracingChannel(CredchainChannels.chainResolve);
    expect(channel.hasSubscribers).toBe(true);
    instrumentation.disable();
    expect(channel.hasSubscribers).toBe(false);
    const chain = new ProviderChain([resolving('only')], { env: {} });
    await chain.resolve();
    expect(sdk.spans.getFinishedSpans()).toEqual([]);
    const unregister = registerInstrumentations({
      instrumentations: [instrumentation],
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
    });
    expect(channel.hasSubscribers).toBe(true);
    chain.invalidate();
    await chain.resolve();
    expect(sdk.spans.getFinishedSpans().map((s) => s.name)).toEqual([
      SpanNames.provider,
      SpanNames.resolve,
    ]);
    unregister();
    expect(channel.hasSubscribers).toBe(false);
  });

  it('is harmless to enable twice, and follows a new tracer provider', async () => {
    instrumentation.enable();
    const chain = new ProviderChain([resolving('only')], { env: {} });
    await chain.resolve();
    expect(sdk.spans.getFinishedSpans()).toHaveLength(2);
    const other = startOtelSdk();
    instrumentation.setTracerProvider(other.tracerProvider);
    chain.invalidate();
    await chain.resolve();
    expect(other.spans.getFinishedSpans()).toHaveLength(2);
    expect(sdk.spans.getFinishedSpans()).toHaveLength(2);
    await other.shutdown();
    expect(instrumentation.getConfig().tracerProvider).toBe(other.tracerProvider);
  });
});

describe(`${CredchainInstrumentation.name} on pools`, () => {
  const setUp = withInstrumentation();
  let sdk: OtelSdk;
  beforeEach(() => {
    ({ sdk } = setUp);
  });

  const env = {
    AWS_KEY_1: 'AKIAFAKEOTELPOOL0001',
    AWS_SECRET_1: SECRET,
    AWS_KEY_2: 'AKIAFAKEOTELPOOL0002',
    AWS_SECRET_2: SECRET,
  };
  const throttle = () =>
    Object.assign(new Error('Rate Exceeded.'), {
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });

  it('traces a throttled pool.run that retried on another account, with the work nested under it', async () => {
    const pool = AccountPool.fromEnv(env, { capacity: 2, strategy: 'round-robin' });
    const tracer = sdk.tracerProvider.getTracer('app');
    const result = await pool.run(async ({ index }) => {
      if (index === 1) throw throttle();
      await tracer.startActiveSpan('app.lambda.invoke', async (span) => span.end());
      return index;
    });
    expect(result).toBe(2);
    const [run] = sdk.spans.getFinishedSpans().filter((s) => s.name === SpanNames.poolRun);
    expect(run?.attributes).toMatchObject({
      [AttributeNames.poolAccount]: 2,
      [AttributeNames.poolAttempt]: 2,
      [AttributeNames.poolOutcome]: 'ok',
    });
    expect(run?.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'credchain.pool.throttle',
        { [AttributeNames.poolAccount]: 1, [AttributeNames.throttleReason]: 'concurrency' },
      ],
    ]);
    expect(sdk.tree()).toEqual([SpanNames.poolRun, '  app.lambda.invoke']);
  });

  it('counts a lease held while enabled, and never one it did not count acquired', async () => {
    const pool = AccountPool.fromEnv(env, { capacity: 4 });
    let release: () => void = () => {};
    const held = pool.run(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const active = async () =>
      (await sdk.points(MetricNames.leasesActive)).reduce((sum, p) => sum + Number(p.value), 0);
    expect(await active()).toBe(1);
    // Off and on again while it is held: its release still counts.
    setUp.instrumentation.disable();
    setUp.instrumentation.enable();
    release();
    await held;
    expect(await active()).toBe(0);
    await pool.run(
      async () => {
        expect(await active()).toBe(2);
      },
      { weight: 2 },
    );
    expect(await active()).toBe(0);
    // Held while off, released while on: never counted, never below zero.
    setUp.instrumentation.disable();
    let late: () => void = () => {};
    const unseen = pool.run(() => new Promise<void>((resolve) => (late = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    setUp.instrumentation.enable();
    late();
    await unseen;
    expect(await active()).toBe(0);
  });

  it('leaves the region chain out of credential resolves', async () => {
    await createRegionChain({ env: { AWS_REGION: 'eu-west-1' } }).resolve();
    expect(sdk.spans.getFinishedSpans()).toEqual([]);
    expect(await sdk.points(MetricNames.resolveDuration)).toEqual([]);
  });

  it('does not count a cool-down set by hand as a throttle', async () => {
    const pool = AccountPool.fromEnv(env);
    await pool.markThrottled(1, 10_000);
    expect(await sdk.points(MetricNames.throttles)).toEqual([]);
  });

  it('measures leases, capacity, waits, throttles and exhaustion', async () => {
    const pool = AccountPool.fromEnv(env, { capacity: 2 });
    await Promise.all([1, 2, 3].map(() => pool.run(async () => 'ok')));
    await expect(
      pool.run(() => {
        throw throttle();
      }),
    ).rejects.toThrow(/every account of the pool is throttled or cooling down/);
    const value = async (name: string) =>
      (await sdk.points(name))
        .map((p) => [p.attributes, p.value])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const account = (n: number) => ({
      [AttributeNames.prefix]: 'REMOTION',
      [AttributeNames.poolAccount]: n,
    });
    expect(await value(MetricNames.leasesActive)).toEqual([
      [account(1), 0],
      [account(2), 0],
    ]);
    expect(await value(MetricNames.capacity)).toEqual([
      [account(1), 2],
      [account(2), 2],
    ]);
    const throttles = await value(MetricNames.throttles);
    expect(throttles).toHaveLength(2);
    for (const [attributes, count] of throttles) {
      expect(attributes).toMatchObject({ [AttributeNames.throttleReason]: 'concurrency' });
      expect(count).toBe(1);
    }
    expect(await value(MetricNames.exhausted)).toEqual([
      [{ [AttributeNames.prefix]: 'REMOTION' }, 1],
    ]);
    const [waits] = await sdk.points(MetricNames.waitDuration);
    expect((waits?.value as { count: number } | undefined)?.count).toBe(4);
    const exported = JSON.stringify(
      sdk.spans.getFinishedSpans().map((s) => ({ a: s.attributes, e: s.events })),
    );
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain('AKIAFAKEOTELPOOL0001');
  });
});

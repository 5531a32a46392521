import diagnosticsChannel from 'node:diagnostics_channel';
import { inspect } from 'node:util';
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

describe(CredchainInstrumentation.name, () => {
  let sdk: OtelSdk;
  let instrumentation: CredchainInstrumentation;
  beforeEach(() => {
    sdk = startOtelSdk();
    instrumentation = new CredchainInstrumentation({
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
    });
  });
  afterEach(async () => {
    instrumentation.disable();
    await sdk.shutdown();
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

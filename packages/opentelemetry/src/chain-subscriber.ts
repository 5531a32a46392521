import diagnosticsChannel from 'node:diagnostics_channel';
import {
  type ChainResolveMessage,
  CredchainChannels,
  type ProviderProvideMessage,
} from '@credchain/core';
import { type Attributes, SpanStatusCode } from '@opentelemetry/api';
import { AttributeNames, SpanNames } from './names';
import { defined, endSpan, openSpans, startBoundSpan, type Telemetry } from './telemetry';

/**
 * `credchain.resolve` spans (and the `credchain.resolve.duration` histogram)
 * from `credchain:chain.resolve`; `credchain.provider` child spans from
 * `credchain:provider.provide`. Returns the unsubscribe function.
 */
export function subscribeChain(telemetry: Telemetry): () => void {
  // The open span rides on the message itself (a symbol of this
  // subscription): cheaper than a WeakMap on the hot path.
  const resolves = openSpans();
  /** The histogram's attribute sets, built once per (link, cache outcome). */
  const metricAttributes = new Map<string, Attributes>();
  const resolve = diagnosticsChannel.tracingChannel<unknown, ChainResolveMessage>(
    CredchainChannels.chainResolve,
  );
  const resolveHandlers = {
    start(message: ChainResolveMessage) {
      // Credentials only: the region chain is no credential resolve.
      if (message.subject !== 'credentials') return;
      const attributes: Attributes = {
        [AttributeNames.cacheOutcome]: message.cache,
      };
      if (message.chain !== null) attributes[AttributeNames.prefix] = message.chain;
      if (message.account !== undefined) attributes[AttributeNames.poolAccount] = message.account;
      if (message.region !== undefined) attributes[AttributeNames.poolRegion] = message.region;
      resolves.set(
        message,
        startBoundSpan(telemetry, message, SpanNames.resolve, attributes, message.cache !== 'hit'),
      );
    },
    asyncEnd(message: ChainResolveMessage) {
      const open = resolves.take(message);
      if (open === undefined) return;
      const link = message.link ?? 'none';
      if (message.link) open.span.setAttribute(AttributeNames.link, message.link);
      if (message.keyId !== undefined) open.span.setAttribute(AttributeNames.keyId, message.keyId);
      const ms = endSpan(open, message.error);
      const key = `${link}\u0000${message.cache}`;
      let attributes = metricAttributes.get(key);
      if (attributes === undefined) {
        attributes = { [AttributeNames.link]: link, [AttributeNames.cacheOutcome]: message.cache };
        metricAttributes.set(key, attributes);
      }
      telemetry.instruments().resolveDuration.record(ms, attributes);
    },
  };
  // A rejection ends with `error`, then asyncStart/asyncEnd: the span ends there.
  const noop = () => {};
  const resolveAll = { ...resolveHandlers, end: noop, asyncStart: noop, error: noop };
  resolve.subscribe(resolveAll);

  const links = openSpans();
  const provide = diagnosticsChannel.tracingChannel<unknown, ProviderProvideMessage>(
    CredchainChannels.providerProvide,
  );
  const provideAll = {
    start(message: ProviderProvideMessage) {
      if (message.subject !== 'credentials') return;
      links.set(
        message,
        startBoundSpan(telemetry, message, SpanNames.provider, {
          [AttributeNames.link]: message.link,
          ...defined({ [AttributeNames.prefix]: message.chain }),
        }),
      );
    },
    asyncEnd(message: ProviderProvideMessage) {
      const open = links.take(message);
      if (open === undefined) return;
      open.span.setAttribute(AttributeNames.linkOutcome, message.outcome ?? 'failed');
      // "Not configured here" is the chain working, not an error.
      if (message.outcome === 'unavailable') {
        open.span.setStatus({ code: SpanStatusCode.UNSET });
        open.span.end();
        return;
      }
      endSpan(open, message.error);
    },
    end: noop,
    asyncStart: noop,
    error: noop,
  };
  provide.subscribe(provideAll);
  return () => {
    resolve.unsubscribe(resolveAll);
    provide.unsubscribe(provideAll);
  };
}

import diagnosticsChannel from 'node:diagnostics_channel';
import {
  type ChainResolveMessage,
  CredchainChannels,
  type ProviderProvideMessage,
} from '@credchain/core';
import { SpanStatusCode } from '@opentelemetry/api';
import { AttributeNames, SpanNames } from './names';
import { defined, endSpan, type OpenSpan, startBoundSpan, type Telemetry } from './telemetry';

/**
 * `credchain.resolve` spans (and the `credchain.resolve.duration` histogram)
 * from `credchain:chain.resolve`; `credchain.provider` child spans from
 * `credchain:provider.provide`. Returns the unsubscribe function.
 */
export function subscribeChain(telemetry: Telemetry): () => void {
  const resolves = new WeakMap<object, OpenSpan>();
  const resolve = diagnosticsChannel.tracingChannel<unknown, ChainResolveMessage>(
    CredchainChannels.chainResolve,
  );
  const resolveHandlers = {
    start(message: ChainResolveMessage) {
      resolves.set(
        message,
        startBoundSpan(
          telemetry,
          message,
          SpanNames.resolve,
          defined({
            [AttributeNames.prefix]: message.chain,
            [AttributeNames.cacheOutcome]: message.cache,
            [AttributeNames.poolAccount]: message.account,
            [AttributeNames.poolRegion]: message.region,
          }),
        ),
      );
    },
    asyncEnd(message: ChainResolveMessage) {
      const open = resolves.get(message);
      if (open === undefined) return;
      resolves.delete(message);
      const attributes = defined({
        [AttributeNames.link]: message.link,
        [AttributeNames.keyId]: message.keyId,
      });
      open.span.setAttributes(attributes);
      const ms = endSpan(open, message.error);
      telemetry.instruments().resolveDuration.record(
        ms,
        defined({
          [AttributeNames.link]: message.link ?? 'none',
          [AttributeNames.cacheOutcome]: message.cache,
        }),
      );
    },
  };
  // A rejection ends with `error`, then asyncStart/asyncEnd: the span ends there.
  const noop = () => {};
  const resolveAll = { ...resolveHandlers, end: noop, asyncStart: noop, error: noop };
  resolve.subscribe(resolveAll);

  const links = new WeakMap<object, OpenSpan>();
  const provide = diagnosticsChannel.tracingChannel<unknown, ProviderProvideMessage>(
    CredchainChannels.providerProvide,
  );
  const provideAll = {
    start(message: ProviderProvideMessage) {
      links.set(
        message,
        startBoundSpan(telemetry, message, SpanNames.provider, {
          [AttributeNames.link]: message.link,
          ...defined({ [AttributeNames.prefix]: message.chain }),
        }),
      );
    },
    asyncEnd(message: ProviderProvideMessage) {
      const open = links.get(message);
      if (open === undefined) return;
      links.delete(message);
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

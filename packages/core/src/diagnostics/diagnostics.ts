import diagnosticsChannel from 'node:diagnostics_channel';
import { CredchainChannels } from './channel-names';
import type { Bindable } from './messages';

/** A tracing channel, or `undefined` where the runtime has none. */
type Tracing = diagnosticsChannel.TracingChannel<unknown, object> | undefined;

const tracing = (name: string): Tracing =>
  typeof diagnosticsChannel.tracingChannel === 'function'
    ? diagnosticsChannel.tracingChannel(name)
    : undefined;

/** The channels, created once (as `node:diagnostics_channel` recommends). */
export const channels = {
  chainResolve: tracing(CredchainChannels.chainResolve),
  providerProvide: tracing(CredchainChannels.providerProvide),
  poolRun: tracing(CredchainChannels.poolRun),
  poolLease: diagnosticsChannel.channel(CredchainChannels.poolLease),
  poolCoolDown: diagnosticsChannel.channel(CredchainChannels.poolCoolDown),
  roleCache: diagnosticsChannel.channel(CredchainChannels.roleCache),
  sts: diagnosticsChannel.channel(CredchainChannels.sts),
  redisFallback: diagnosticsChannel.channel(CredchainChannels.redisFallback),
};

/**
 * Whether anyone listens on a tracing channel (cheap: checked on hot paths).
 * `TracingChannel.hasSubscribers` exists from Node 20.13; before, its five
 * channels are asked.
 */
export function isTraced(channel: Tracing): channel is NonNullable<Tracing> {
  if (channel === undefined) return false;
  const own = channel.hasSubscribers as boolean | undefined;
  if (own !== undefined) return own;
  return (
    channel.start.hasSubscribers ||
    channel.end.hasSubscribers ||
    channel.asyncStart.hasSubscribers ||
    channel.asyncEnd.hasSubscribers ||
    channel.error.hasSubscribers
  );
}

/**
 * Runs `work` as one trace on `channel` — `start`, `end`, then `asyncStart`
 * and `asyncEnd` (after `error` when it rejects), as `tracePromise` does,
 * bound stores included — through the `bind` a `start` subscriber may have
 * set on `message`; `settle` turns the work's value into the result
 * before `asyncEnd` (one promise step, not two). Unlike `tracePromise`, the
 * value is not put on the message (`result`): a value here is credentials. Callers check
 * {@link isTraced} first, so nothing is allocated when nobody listens.
 */
export function traced<W, R = W>(
  channel: Tracing,
  message: Bindable & { error?: unknown },
  work: () => Promise<W>,
  settle: (value: W) => R = (value) => value as unknown as R,
): Promise<R> {
  if (channel === undefined) return work().then(settle);
  const { start, end, asyncStart, asyncEnd, error } = channel;
  return start.runStores(message, () => {
    let promise: Promise<W>;
    try {
      promise = (message.bind ? message.bind(work) : work)();
    } catch (thrown) {
      // As without a subscriber: a rejection, never a throw — and the trace
      // still ends (asyncEnd), so a span opened at start is closed.
      message.error = thrown;
      error.publish(message);
      end.publish(message);
      asyncStart.publish(message);
      asyncEnd.publish(message);
      return Promise.reject(thrown);
    }
    end.publish(message);
    return promise.then(
      (value) => {
        // `settle` may fail the trace (a pooled scope's check): an error then.
        let settled: R;
        try {
          settled = settle(value);
        } catch (thrown) {
          message.error = thrown;
          error.publish(message);
          asyncStart.publish(message);
          asyncEnd.publish(message);
          throw thrown;
        }
        asyncStart.publish(message);
        asyncEnd.publish(message);
        return settled;
      },
      (thrown: unknown) => {
        message.error = thrown;
        error.publish(message);
        asyncStart.publish(message);
        asyncEnd.publish(message);
        throw thrown;
      },
    );
  });
}

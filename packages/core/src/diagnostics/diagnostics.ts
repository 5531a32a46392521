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

/** Whether anyone listens on a tracing channel (cheap: checked on hot paths). */
export function isTraced(channel: Tracing): channel is NonNullable<Tracing> {
  return channel?.hasSubscribers === true;
}

/**
 * Runs `work` as one trace on `channel` (start, end, asyncStart, asyncEnd,
 * error), through the `bind` a `start` subscriber may have set on `message`.
 * The traced promise resolves to nothing: `tracePromise` would put the
 * value on `message.result`, and a value here is credentials. Callers check
 * {@link isTraced} first, so nothing is allocated when nobody listens.
 */
export async function traced<R>(
  channel: Tracing,
  message: Bindable & object,
  work: () => Promise<R>,
): Promise<R> {
  if (channel === undefined) return work();
  let value: R | undefined;
  const run = async () => {
    value = await work();
  };
  await channel.tracePromise(() => (message.bind ? message.bind(run) : run)(), message);
  return value as R;
}

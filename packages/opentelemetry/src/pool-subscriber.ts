import diagnosticsChannel from 'node:diagnostics_channel';
import {
  CredchainChannels,
  type PoolCoolDownMessage,
  type PoolLeaseMessage,
  type PoolRunMessage,
} from '@credchain/core';
import { AttributeNames, SpanNames } from './names';
import { defined, endSpan, openSpans, startBoundSpan, type Telemetry } from './telemetry';

/**
 * `credchain.pool.run` spans (with an event per throttle) and the pool
 * metrics: `credchain.pool.wait.duration` and `credchain.pool.exhausted`
 * from `credchain:pool.run`; `credchain.pool.leases.active` and the
 * `credchain.pool.capacity` gauge from `credchain:pool.lease`;
 * `credchain.pool.throttles` from `credchain:pool.cool-down`.
 */
export function subscribePool(telemetry: Telemetry): () => void {
  const runs = openSpans();
  const run = diagnosticsChannel.tracingChannel<unknown, PoolRunMessage>(CredchainChannels.poolRun);
  const noop = () => {};
  const runHandlers = {
    start(message: PoolRunMessage) {
      runs.set(
        message,
        startBoundSpan(telemetry, message, SpanNames.poolRun, {
          [AttributeNames.prefix]: message.prefix,
        }),
      );
    },
    asyncEnd(message: PoolRunMessage) {
      const open = runs.take(message);
      if (open === undefined) return;
      for (const throttle of message.throttles) {
        open.span.addEvent(
          'credchain.pool.throttle',
          defined({
            [AttributeNames.poolAccount]: throttle.account,
            [AttributeNames.poolRegion]: throttle.region,
            [AttributeNames.throttleReason]: throttle.reason,
          }),
          throttle.at,
        );
      }
      open.span.setAttributes(
        defined({
          [AttributeNames.poolAccount]: message.account,
          [AttributeNames.poolRegion]: message.region,
          [AttributeNames.poolAttempt]: message.attempt,
          [AttributeNames.poolWaitMs]: message.waitedMs,
          [AttributeNames.poolOutcome]: message.outcome,
        }),
      );
      endSpan(open, message.outcome === 'ok' ? undefined : message.error);
      const instruments = telemetry.instruments();
      instruments.waitDuration.record(message.waitedMs, {
        [AttributeNames.prefix]: message.prefix,
      });
      if (message.outcome === 'exhausted' || message.outcome === 'throttled') {
        instruments.exhausted.add(1, { [AttributeNames.prefix]: message.prefix });
      }
    },
    end: noop,
    asyncStart: noop,
    error: noop,
  };
  run.subscribe(runHandlers);

  const onLease = (raw: unknown) => {
    const message = raw as PoolLeaseMessage;
    const instruments = telemetry.instruments();
    instruments.setCapacity(message.prefix, message.account, message.region, message.capacity);
    if (!instruments.countLease(message)) return;
    instruments.leasesActive.add(
      message.event === 'acquired' ? message.weight : -message.weight,
      defined({
        [AttributeNames.prefix]: message.prefix,
        [AttributeNames.poolAccount]: message.account,
        [AttributeNames.poolRegion]: message.region,
      }),
    );
  };
  const onCoolDown = (raw: unknown) => {
    const message = raw as PoolCoolDownMessage;
    // A cool-down set by hand is no throttle the endpoint answered.
    if (message.reason === 'manual') return;
    telemetry.instruments().throttles.add(
      1,
      defined({
        [AttributeNames.prefix]: message.prefix,
        [AttributeNames.poolAccount]: message.account,
        [AttributeNames.poolRegion]: message.region,
        [AttributeNames.throttleReason]: message.reason,
      }),
    );
  };
  diagnosticsChannel.subscribe(CredchainChannels.poolLease, onLease);
  diagnosticsChannel.subscribe(CredchainChannels.poolCoolDown, onCoolDown);
  return () => {
    run.unsubscribe(runHandlers);
    diagnosticsChannel.unsubscribe(CredchainChannels.poolLease, onLease);
    diagnosticsChannel.unsubscribe(CredchainChannels.poolCoolDown, onCoolDown);
  };
}

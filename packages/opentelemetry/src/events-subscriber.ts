import diagnosticsChannel from 'node:diagnostics_channel';
import {
  CredchainChannels,
  type RedisFallbackMessage,
  type RoleCacheMessage,
  type StsMessage,
} from '@credchain/core';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { AttributeNames, SpanNames } from './names';
import type { Telemetry } from './telemetry';

/**
 * `credchain.sts.assume_role` spans (timed from the message's duration,
 * under the active span: the profile link that assumed the role),
 * `credchain.role_cache.requests` and `credchain.redis.fallbacks`.
 */
export function subscribeEvents(telemetry: Telemetry): () => void {
  const onSts = (raw: unknown) => {
    const message = raw as StsMessage;
    const now = Date.now();
    const span = telemetry.tracer().startSpan(
      SpanNames.assumeRole,
      {
        startTime: now - message.durationMs,
        attributes: { [AttributeNames.roleArn]: message.roleArn },
      },
      context.active(),
    );
    if (message.outcome === 'error') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: message.error ?? 'STS refused' });
    }
    span.end(now);
  };
  const onRoleCache = (raw: unknown) => {
    const message = raw as RoleCacheMessage;
    telemetry
      .instruments()
      .roleCacheRequests.add(1, { [AttributeNames.roleCacheOutcome]: message.outcome });
  };
  const onRedisFallback = (raw: unknown) => {
    const message = raw as RedisFallbackMessage;
    if (message.state !== 'entered') return;
    telemetry
      .instruments()
      .redisFallbacks.add(1, { [AttributeNames.redisNamespace]: message.namespace });
  };
  const subscriptions: [string, (message: unknown) => void][] = [
    [CredchainChannels.sts, onSts],
    [CredchainChannels.roleCache, onRoleCache],
    [CredchainChannels.redisFallback, onRedisFallback],
  ];
  for (const [name, fn] of subscriptions) diagnosticsChannel.subscribe(name, fn);
  return () => {
    for (const [name, fn] of subscriptions) diagnosticsChannel.unsubscribe(name, fn);
  };
}

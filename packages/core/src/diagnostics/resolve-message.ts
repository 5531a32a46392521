import type { CacheEntry } from '../cache/credential-cache';
import type { AccountLease } from '../environment/account-lease';
import { redactKeyId } from '../redaction/redact-key-id';
import type { ChainResolveMessage } from './messages';

/** The `start` payload of one traced `resolve()`. */
export function resolveMessage(
  prefix: string | undefined,
  entry: CacheEntry<unknown>,
  lease: AccountLease | undefined,
): ChainResolveMessage {
  const message: { -readonly [K in keyof ChainResolveMessage]: ChainResolveMessage[K] } = {
    chain: prefix ?? null,
    cache: entry.outcome?.() ?? 'miss',
  };
  if (lease !== undefined) message.account = lease.account;
  if (lease?.region !== undefined) message.region = lease.region;
  return message;
}

/** Adds what the resolution gave: the winning link and the redacted key id. */
export function completeResolveMessage(
  message: ChainResolveMessage,
  value: unknown,
  winners: WeakMap<object, string>,
): void {
  message.link = typeof value === 'object' && value !== null ? (winners.get(value) ?? null) : null;
  const accessKeyId = (value as { accessKeyId?: unknown } | null)?.accessKeyId;
  if (typeof accessKeyId === 'string') message.keyId = redactKeyId(accessKeyId);
}

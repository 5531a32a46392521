import type { CacheEntry } from '../cache/credential-cache';
import type { AccountLease } from '../environment/account-lease';
import { redactKeyId } from '../redaction/redact-key-id';
import type { ChainResolveMessage } from './messages';

/** The `start` payload of one traced `resolve()`. */
export function resolveMessage(
  prefix: string | undefined,
  subject: string,
  entry: CacheEntry<unknown>,
  lease: AccountLease | undefined,
): ChainResolveMessage {
  const message: { -readonly [K in keyof ChainResolveMessage]: ChainResolveMessage[K] } = {
    chain: prefix ?? null,
    subject,
    cache: entry.outcome?.() ?? 'miss',
  };
  if (lease !== undefined) message.account = lease.account;
  if (lease?.region !== undefined) message.region = lease.region;
  return message;
}

/** Each credentials object's redacted key id, once computed. */
const redacted = new WeakMap<object, string>();

/** Adds what the resolution gave: the winning link and the redacted key id. */
export function completeResolveMessage(
  message: ChainResolveMessage,
  value: unknown,
  winners: WeakMap<object, string>,
): void {
  message.link = typeof value === 'object' && value !== null ? (winners.get(value) ?? null) : null;
  const accessKeyId = (value as { accessKeyId?: unknown } | null)?.accessKeyId;
  if (typeof accessKeyId !== 'string') return;
  // A warm chain answers the same object on every call: redact it once.
  let keyId = redacted.get(value as object);
  if (keyId === undefined) {
    keyId = redactKeyId(accessKeyId);
    redacted.set(value as object, keyId);
  }
  message.keyId = keyId;
}

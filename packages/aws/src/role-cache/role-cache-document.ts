import { Credentials } from '@credchain/core';
import { parseCacheExpiration } from './parse-cache-expiration';

/**
 * The top-level field that marks an entry credchain wrote. The AWS CLI reads
 * only `Credentials` and ignores it; it disappears when the AWS CLI rewrites
 * the entry, which then is no longer ours to delete (`credchain cache clear`).
 */
export const WRITTEN_BY_FIELD = 'WrittenBy';
/** The marker's value. */
export const WRITTEN_BY_CREDCHAIN = 'credchain';

/** A cache entry that could be read: its session and who wrote it. */
export interface RoleCacheDocument {
  readonly credentials: Credentials;
  /** `Credentials.Expiration`, in any form the AWS CLI writes. */
  readonly expiration: Date;
  /** Written by credchain (the marker is present). */
  readonly writtenByCredchain: boolean;
}

/** Why an entry's text is not a usable session (never a value from the file). */
export type RoleCacheDocumentProblem =
  | 'not JSON'
  | 'no Credentials object'
  | 'Credentials without AccessKeyId, SecretAccessKey and SessionToken'
  | 'unreadable Expiration';

/**
 * Reads an entry in the AWS CLI's format: `{"Credentials": {"AccessKeyId",
 * "SecretAccessKey", "SessionToken", "Expiration"}, …}` (the AssumeRole
 * response, or botocore's SSO shape). Anything else is a problem, never an
 * exception: the file may be damaged, half-written by an older tool, or not
 * a credential entry at all.
 */
export function parseRoleCacheDocument(
  text: string,
): { readonly document: RoleCacheDocument } | { readonly problem: RoleCacheDocumentProblem } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  if (!isRecord(parsed) || !isRecord(parsed.Credentials))
    return { problem: 'no Credentials object' };
  const c = parsed.Credentials;
  if (!isText(c.AccessKeyId) || !isText(c.SecretAccessKey) || !isText(c.SessionToken)) {
    return { problem: 'Credentials without AccessKeyId, SecretAccessKey and SessionToken' };
  }
  const expiration = parseCacheExpiration(c.Expiration);
  if (expiration === undefined) return { problem: 'unreadable Expiration' };
  return {
    document: {
      credentials: new Credentials({
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration,
        ...(isText(c.AccountId) && { accountId: c.AccountId }),
      }),
      expiration,
      writtenByCredchain: parsed[WRITTEN_BY_FIELD] === WRITTEN_BY_CREDCHAIN,
    },
  };
}

/**
 * The text credchain writes: the AWS CLI's shape with `Expiration` as
 * `…Z` (STS's own form, which botocore parses), `ProviderType` for SSO as
 * botocore writes it, and the {@link WRITTEN_BY_FIELD} marker.
 */
export function serializeRoleCacheDocument(
  credentials: Credentials,
  expiration: Date,
  providerType?: 'sso',
): string {
  return JSON.stringify({
    ...(providerType !== undefined && { ProviderType: providerType }),
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(credentials.accountId !== undefined && { AccountId: credentials.accountId }),
    },
    [WRITTEN_BY_FIELD]: WRITTEN_BY_CREDCHAIN,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

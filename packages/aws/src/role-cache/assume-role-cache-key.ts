import { cacheKeyDigest } from './cache-key-digest';
import { PYTHON_DEFAULT_SEPARATORS, pythonJsonDumps } from './python-json-dumps';

/**
 * A role profile as configured (not the parameters the SDK sends to STS: it
 * always adds `DurationSeconds` and a generated `RoleSessionName`, which
 * would give every run a new key).
 */
export interface AssumeRoleCacheKeyInput {
  /** `role_arn`. */
  readonly roleArn: string;
  /** `external_id`, when configured. */
  readonly externalId?: string;
  /** `mfa_serial`, when configured. */
  readonly mfaSerial?: string;
  /** `duration_seconds`, when configured (an integer, as botocore's `int(...)`). */
  readonly durationSeconds?: number;
  /** `role_session_name`, only when configured (a generated one is not part of the key). */
  readonly roleSessionName?: string;
}

/**
 * The AWS CLI's cache key of an assumed role, as botocore's
 * `BaseAssumeRoleCredentialFetcher._create_cache_key` computes it: SHA-1 hex
 * of `json.dumps(args, sort_keys=True)` (default separators `", "`, `": "`)
 * over `RoleArn` and, when configured, `ExternalId`, `SerialNumber`,
 * `DurationSeconds` and `RoleSessionName`. The file is
 * `~/.aws/cli/cache/<key>.json`.
 *
 * @example
 * ```ts
 * assumeRoleCacheKey({ roleArn: 'arn:aws:iam::123456789012:role/render' });
 * // the same 40 hex digits `aws sts get-caller-identity --profile …` uses
 * ```
 */
export function assumeRoleCacheKey(input: AssumeRoleCacheKeyInput): string {
  if (input.durationSeconds !== undefined && !Number.isSafeInteger(input.durationSeconds)) {
    throw new RangeError('durationSeconds must be an integer number of seconds');
  }
  const args = {
    RoleArn: input.roleArn,
    ExternalId: input.externalId,
    SerialNumber: input.mfaSerial,
    DurationSeconds: input.durationSeconds,
    RoleSessionName: input.roleSessionName,
  };
  return cacheKeyDigest(pythonJsonDumps(args, PYTHON_DEFAULT_SEPARATORS));
}

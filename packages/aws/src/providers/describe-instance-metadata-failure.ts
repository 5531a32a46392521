import { CredentialsUnavailableError } from '@credchain/core';
import { CredentialSourceError } from '../errors/credential-source-error';

/** Errors that mean "nothing listens here": not on EC2, so unavailable. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EADDRNOTAVAIL',
]);

/**
 * What a failed instance-metadata exchange means for a link: nothing
 * listening or no answer in time is "not on EC2" (unavailable, the chain goes
 * on); an HTTP status, a body that is not JSON or anything else is a
 * {@link CredentialSourceError} naming the endpoint and `what` was asked
 * (`credentials`, `the region`). Never the body: it may hold a secret.
 */
export function describeInstanceMetadataFailure(
  error: unknown,
  endpoint: string,
  what: 'credentials' | 'the region',
): Error {
  if (CredentialsUnavailableError.is(error)) return error;
  const { code, statusCode, message } = (error ?? {}) as {
    code?: string;
    statusCode?: number;
    message?: string;
  };
  if (code !== undefined && UNREACHABLE.has(code)) {
    return new CredentialsUnavailableError(
      `instance metadata at ${endpoint}: connection failed (${code})`,
    );
  }
  if (message?.startsWith('TimeoutError')) {
    return new CredentialsUnavailableError(`instance metadata at ${endpoint}: request timed out`);
  }
  if (statusCode !== undefined) {
    const hint = statusCode === 429 ? ' (throttled)' : '';
    const asked = what === 'credentials' ? '' : ` for ${what}`;
    return new CredentialSourceError(
      `instance metadata at ${endpoint} answered HTTP ${statusCode}${asked}${hint}`,
    );
  }
  if (error instanceof SyntaxError) {
    return new CredentialSourceError(
      `instance metadata at ${endpoint} returned malformed ${what} (not JSON)`,
    );
  }
  return new CredentialSourceError(
    `instance metadata at ${endpoint} failed: ${message ?? String(error)}`,
    { cause: error },
  );
}

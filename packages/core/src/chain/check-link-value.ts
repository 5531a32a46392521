import { InvalidCredentialsError } from '../errors/invalid-credentials-error';

/**
 * What every chain checks in a link's answer before using it, so that
 * `resolve()` and `explain()` fail the same link the same way: something was
 * returned; an `expiration` is a valid date still in the future; a key pair
 * (an object with `accessKeyId` or `secretAccessKey`) has both, as non-empty
 * strings. Throws an error saying what is wrong — never a value.
 */
export function checkLinkValue(value: unknown, now: number): void {
  if (value === undefined || value === null) {
    throw new InvalidCredentialsError(`it returned ${String(value)} instead of credentials`);
  }
  if (typeof value !== 'object') return;
  const { expiration, accessKeyId, secretAccessKey } = value as {
    expiration?: unknown;
    accessKeyId?: unknown;
    secretAccessKey?: unknown;
  };
  if ('accessKeyId' in value || 'secretAccessKey' in value) {
    if (typeof accessKeyId !== 'string' || accessKeyId === '') {
      throw new InvalidCredentialsError('it returned credentials without an access key id');
    }
    if (typeof secretAccessKey !== 'string' || secretAccessKey === '') {
      throw new InvalidCredentialsError('it returned credentials without a secret access key');
    }
  }
  if (expiration === undefined) return;
  if (!(expiration instanceof Date) || Number.isNaN(expiration.getTime())) {
    throw new InvalidCredentialsError(
      'it returned credentials whose expiration is not a valid Date',
    );
  }
  if (expiration.getTime() <= now) {
    throw new InvalidCredentialsError(
      `it returned credentials that expired at ${expiration.toISOString()}`,
    );
  }
}

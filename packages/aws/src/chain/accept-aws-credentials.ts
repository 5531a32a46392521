import { Credentials, InvalidCredentialsError } from '@credchain/core';

/**
 * What the AWS chain makes of a link's answer (after the chain's own checks:
 * not expired, both halves of a key pair non-empty): printable-safe
 * {@link Credentials}. A plain `{ accessKeyId, secretAccessKey, … }` from a
 * link of your own is wrapped, so no secret reaches a log through
 * `util.inspect` or `JSON.stringify`; anything without a key pair fails the
 * link.
 */
export function acceptAwsCredentials(value: Credentials): Credentials {
  if (value instanceof Credentials) return value;
  const init = value as Partial<Record<keyof Credentials, unknown>> | null;
  if (
    typeof init !== 'object' ||
    init === null ||
    typeof init.accessKeyId !== 'string' ||
    typeof init.secretAccessKey !== 'string'
  ) {
    throw new InvalidCredentialsError(
      'it returned no AWS credentials (an object with accessKeyId and secretAccessKey)',
    );
  }
  return new Credentials({
    accessKeyId: init.accessKeyId,
    secretAccessKey: init.secretAccessKey,
    sessionToken: typeof init.sessionToken === 'string' ? init.sessionToken : undefined,
    expiration: init.expiration instanceof Date ? init.expiration : undefined,
    accountId: typeof init.accountId === 'string' ? init.accountId : undefined,
    credentialScope: typeof init.credentialScope === 'string' ? init.credentialScope : undefined,
  });
}

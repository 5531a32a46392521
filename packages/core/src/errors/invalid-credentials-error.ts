/**
 * A link answered with credentials that cannot be used: expired, with an
 * invalid expiration, or without an access key id or secret. The chain fails
 * the link with it (as the cause of a {@link ProviderFailedError}), in
 * `resolve()` and `explain()` alike. The message never holds a value.
 */
export class InvalidCredentialsError extends Error {
  override readonly name = 'InvalidCredentialsError';
}

import { Credentials } from '@credchain/core';
import type { AwsCredentialIdentity } from '@smithy/types';

/** Wraps an SDK identity into printable-safe {@link Credentials}. */
export function toCredentials(identity: AwsCredentialIdentity): Credentials {
  return new Credentials({
    accessKeyId: identity.accessKeyId,
    secretAccessKey: identity.secretAccessKey,
    sessionToken: identity.sessionToken,
    expiration: identity.expiration,
    accountId: identity.accountId,
    credentialScope: identity.credentialScope,
  });
}

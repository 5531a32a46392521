import { fingerprint } from '@credchain/core';
import type { ClientKeyInput, ClientKeyStrategy } from './client-key-strategy';

/**
 * The default: one client per (credential source, region, service, config).
 * The key is a SHA-256 digest, so it never holds a raw secret; a rotated
 * account or a new session token gets a new client.
 */
export class CredentialKeyStrategy implements ClientKeyStrategy {
  readonly name = 'credential';

  key(input: ClientKeyInput): string {
    return fingerprint(
      'credential',
      input.credentialFingerprint(),
      input.region,
      input.service,
      input.config,
    );
  }
}

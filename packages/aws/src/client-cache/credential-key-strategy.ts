import type { ClientKeyInput, ClientKeyStrategy } from './client-key-strategy';

/**
 * The default: one client per (credential source, region, service, config).
 * The source enters the key as its SHA-256 fingerprint, so the key never
 * holds a raw secret; a rotated account or a new session token gets a new
 * client.
 */
export class CredentialKeyStrategy implements ClientKeyStrategy {
  readonly name = 'credential';

  key(input: ClientKeyInput): string {
    // One line per part, the service last: as AwsClientCache.get() makes
    // the input, no other part can hold a line break (hex digests, `{}`, a
    // region without whitespace), so no two inputs give one key.
    return `credential\n${input.credentialFingerprint()}\n${input.region}\n${input.config}\n${input.service}`;
  }
}

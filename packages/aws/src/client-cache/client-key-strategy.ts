/** What a {@link ClientKeyStrategy} may key a client on. */
export interface ClientKeyInput {
  /** The client class's name and identity, e.g. `S3Client#1`. */
  readonly service: string;
  /** The region, never empty and without whitespace. */
  readonly region: string;
  /**
   * The rest of the client config: `{}` when there is none, else a SHA-256
   * fingerprint of its deterministic text (equal configs, equal fingerprints).
   */
  readonly config: string;
  /** SHA-256 fingerprint of the configured credential source (read on demand). */
  credentialFingerprint(): string;
}

/**
 * Decides which cached client a request gets: a key (same key, same client)
 * or `undefined` (no caching: a new client every time).
 */
export interface ClientKeyStrategy {
  readonly name: string;
  key(input: ClientKeyInput): string | undefined;
}

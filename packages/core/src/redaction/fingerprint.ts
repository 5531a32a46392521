import { createHash } from 'node:crypto';

/**
 * A SHA-256 hex digest of the given parts, for cache keys that must tell
 * configurations apart without holding the secrets they contain.
 */
export function fingerprint(...parts: ReadonlyArray<string | undefined>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    // Length-prefix each part so ("ab", "c") and ("a", "bc") differ; an absent
    // part gets a marker no length prefix starts with, so no string equals it.
    hash.update(part === undefined ? 'u;' : `${part.length}:${part};`);
  }
  return hash.digest('hex');
}

import { createHash } from 'node:crypto';

/**
 * A SHA-256 hex digest of the given parts, for cache keys that must tell
 * configurations apart without holding the secrets they contain.
 */
export function fingerprint(...parts: ReadonlyArray<string | undefined>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    // Length-prefix each part so ("ab", "c") and ("a", "bc") differ.
    const text = part ?? '\u0000undefined';
    hash.update(`${text.length}:${text};`);
  }
  return hash.digest('hex');
}

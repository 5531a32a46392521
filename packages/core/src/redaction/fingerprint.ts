import { sha256Hex } from './sha256-hex';

type HashText = (text: string) => string;

/**
 * How many calls {@link sha256Hex} answers before `node:crypto` is loaded.
 * Loading it costs 3–16 ms (Node 20 to 24, Bun): a process that resolves a
 * chain once or twice never pays it; one that hashes on a hot path (the
 * client cache's memo, a pool switching accounts) switches to the native
 * digest, ~8× faster per call, after a few hundred microseconds in all.
 */
const CALLS_BEFORE_NATIVE = 32;

/** SHA-256 hex of a string: plain JavaScript for the first calls, then `node:crypto`'s. */
const sha256 = ((): HashText => {
  let calls = 0;
  let native: HashText | undefined;
  return (text) => {
    if (native !== undefined) return native(text);
    if (++calls <= CALLS_BEFORE_NATIVE) return sha256Hex(text);
    const crypto = require('node:crypto') as typeof import('node:crypto');
    // `crypto.hash` (Node ≥ 20.12): one-shot, several times faster than createHash for short input.
    native =
      typeof crypto.hash === 'function'
        ? (input) => crypto.hash('sha256', input, 'hex')
        : (input) => crypto.createHash('sha256').update(input).digest('hex');
    return native(text);
  };
})();

/**
 * A SHA-256 hex digest of the given parts, for cache keys that must tell
 * configurations apart without holding the secrets they contain.
 */
export function fingerprint(...parts: ReadonlyArray<string | undefined>): string {
  let text = '';
  for (const part of parts) {
    // Length-prefix each part so ("ab", "c") and ("a", "bc") differ; an absent
    // part gets a marker no length prefix starts with, so no string equals it.
    text += part === undefined ? 'u;' : `${part.length}:${part};`;
  }
  return sha256(text);
}

/**
 * botocore's last step of every credential cache key: the SHA-1 hex digest
 * of the serialized arguments (UTF-8, Node's default for a string). botocore
 * then replaces `:` and `/` (and the platform's path separator) by `_` so the
 * key is a file name (`_make_file_safe`); a hex digest has none of them, so
 * that step changes nothing and is left out.
 */
export function cacheKeyDigest(serializedArguments: string): string {
  // Loaded on first use: node:crypto costs 3–16 ms to load (Node 24, Bun),
  // and a chain that resolves from environment variables never needs it.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha1').update(serializedArguments).digest('hex');
}

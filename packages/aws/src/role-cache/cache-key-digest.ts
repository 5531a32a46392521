/**
 * botocore's last step of every credential cache key: the SHA-1 hex digest
 * of the serialized arguments (UTF-8), then `:` and `/` (and the platform's
 * path separator) replaced by `_` so the key is a file name. A hex digest has
 * neither; the replacement is kept so the function is botocore's
 * `_make_file_safe(sha1(...).hexdigest())`, step for step.
 */
export function cacheKeyDigest(serializedArguments: string): string {
  // Loaded on first use: node:crypto costs 3–16 ms to load (Node 24, Bun),
  // and a chain that resolves from environment variables never needs it.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const digest = createHash('sha1').update(serializedArguments, 'utf8').digest('hex');
  return digest.replace(/[:/\\]/g, '_');
}

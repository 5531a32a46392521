/**
 * Bundles `role-cache-child.ts` (and the role-cache sources it imports) into
 * one CommonJS file with esbuild, so the cross-process tests run real child
 * processes on today's sources without `pnpm build`.
 */
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

/** Writes the bundle into a new temp folder (readable by every user) and returns its path. */
export async function buildRoleCacheChild(): Promise<{ dir: string; script: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'credchain-role-cache-child-'));
  // A child may run as another user (the read-only cache test, when root).
  await chmod(dir, 0o755);
  const script = join(dir, 'role-cache-child.js');
  buildSync({
    entryPoints: [join(__dirname, 'role-cache-child.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { '@credchain/core': join(ROOT, 'packages/core/src/index.ts') },
    logLevel: 'warning',
  });
  await chmod(script, 0o644);
  return { dir, script };
}

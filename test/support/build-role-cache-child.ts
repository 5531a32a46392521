/**
 * Bundles `role-cache-child.ts` (and the role-cache sources it imports) into
 * one CommonJS file with esbuild, so the cross-process tests run real child
 * processes on today's sources without `pnpm build`. The bundle lives in a
 * folder of its own that every user can read, with its peer dependencies
 * (`reflect-metadata`, `tsyringe`) installed beside it the way an app has
 * them: a child may run as another user (the read-only cache test, when
 * root), who may not be able to enter the checkout (see child-folder.ts).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { copyPackages, makeReadableByAll } from './child-folder';

const ROOT = join(__dirname, '..', '..');
const PEERS = ['reflect-metadata', 'tsyringe'];

/** Writes the bundle and its node_modules into a new temp folder and returns their paths. */
export async function buildRoleCacheChild(): Promise<{ dir: string; script: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'credchain-role-cache-child-'));
  const script = join(dir, 'role-cache-child.js');
  buildSync({
    entryPoints: [join(__dirname, 'role-cache-child.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { '@credchain/core': join(ROOT, 'packages/core/src/index.ts') },
    // Loaded at run time from the folder's own node_modules, as in an app.
    external: PEERS,
    logLevel: 'warning',
  });
  // The copies @credchain/aws resolves (it has both installed beside it).
  await copyPackages(PEERS, join(ROOT, 'packages/aws/package.json'), dir);
  await makeReadableByAll(dir);
  return { dir, script };
}

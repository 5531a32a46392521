/**
 * A folder of its own for a child process that runs as another user (e.g.
 * `nobody` when the tests run as root): that user may not be able to enter
 * the checkout at all (a clone under a `0700` folder), so the child gets
 * everything it loads here — its script, the packages it requires, and a
 * copy of `node` when that user cannot run this one — and runs without
 * `NODE_PATH` (which pnpm's bin shims point into the checkout).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, cp, readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The directory of the package `name` as `from`'s `require` finds it (its real path). */
function packageDir(name: string, from: string): string {
  let dir = dirname(createRequire(from).resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    try {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
      };
      if (parsed.name === name) return dir;
    } catch {
      // Not the package root yet.
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json named ${name} above ${from}`);
    dir = parent;
  }
}

/**
 * Copies the packages `names` (as the package whose manifest is `from`
 * resolves them) and their dependencies, flat, into `<dir>/node_modules`.
 */
export async function copyPackages(
  names: readonly string[],
  from: string,
  dir: string,
): Promise<void> {
  const copied = new Set<string>();
  const queue = names.map((name) => ({ name, from }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (copied.has(next.name)) continue;
    copied.add(next.name);
    const source = packageDir(next.name, next.from);
    await cp(source, join(dir, 'node_modules', next.name), { recursive: true, dereference: true });
    const manifest = join(source, 'package.json');
    const { dependencies = {} } = JSON.parse(await readFile(manifest, 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(dependencies)) queue.push({ name, from: manifest });
  }
}

/** Opens `path` and everything under it to every user: folders 755, files 644 (755 if executable). */
export async function makeReadableByAll(path: string): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) {
    await chmod(path, 0o755);
    for (const entry of await readdir(path)) await makeReadableByAll(join(path, entry));
  } else {
    await chmod(path, info.mode & 0o111 ? 0o755 : 0o644);
  }
}

/**
 * A `node` that `uid` can run: this process's own, or, when that user cannot
 * reach it (e.g. nvm under a `0700` home), a copy in `dir`.
 */
export async function nodeFor(uid: number, dir: string): Promise<string> {
  const probe = spawnSync(process.execPath, ['-e', ''], { uid, gid: uid, cwd: dir });
  if (probe.status === 0) return process.execPath;
  const copy = join(dir, 'node');
  await copyFile(process.execPath, copy);
  await chmod(copy, 0o755);
  return copy;
}

/** This process's environment without `NODE_PATH`, so a child loads only what its folder has. */
export function envWithoutNodePath(): NodeJS.ProcessEnv {
  const { NODE_PATH: _ignored, ...env } = process.env;
  return env;
}

/**
 * The runtimes of the consumer test's matrix: Node 20, 22 and 24, Bun and
 * Deno, as users get them — from the npm registry (`node@22`, `bun@1.4.4`,
 * `deno@2.9`), installed once into a cache outside the repository
 * (`$CREDCHAIN_RUNTIMES_CACHE`, else `$XDG_CACHE_HOME/credchain-runtimes`,
 * else `~/.cache/credchain-runtimes`), one folder per package and version
 * range, and reused by every later run without the network. The machine's
 * own `node` stands for its line (no download).
 *
 * A runtime that cannot be had (no registry, an unsupported platform) is
 * returned as {@link UnavailableRuntime} with the reason: the matrix fails
 * on it, loudly. `CREDCHAIN_RUNTIMES=node20,bun` narrows the matrix on
 * purpose (the table says so).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './run-process';

export type RuntimeId = 'node20' | 'node22' | 'node24' | 'bun' | 'deno';
export type RuntimeKind = 'node' | 'bun' | 'deno';

interface RuntimeSpec {
  readonly id: RuntimeId;
  readonly kind: RuntimeKind;
  /** The npm package and range that installs it. */
  readonly npm: string;
  /** What `--version` must print (a prefix). */
  readonly versionPrefix: string;
}

export const RUNTIME_SPECS: readonly RuntimeSpec[] = [
  { id: 'node20', kind: 'node', npm: 'node@20', versionPrefix: 'v20.' },
  { id: 'node22', kind: 'node', npm: 'node@22', versionPrefix: 'v22.' },
  { id: 'node24', kind: 'node', npm: 'node@24', versionPrefix: 'v24.' },
  { id: 'bun', kind: 'bun', npm: 'bun@1.4.4', versionPrefix: '1.4.4' },
  { id: 'deno', kind: 'deno', npm: 'deno@2.9', versionPrefix: 'deno 2.9.' },
];

export interface AvailableRuntime {
  readonly id: RuntimeId;
  readonly kind: RuntimeKind;
  readonly available: true;
  /** The executable (`node`, `bun` or `deno`). */
  readonly bin: string;
  /** A folder holding `node` / `bun` + `bunx` / `deno` links, to put first in PATH. */
  readonly binDir: string;
  /** As the runtime prints it: `v22.23.3`, `1.4.4`, `2.9.6`. */
  readonly version: string;
  /** Where it came from: `the machine's node`, or the cache folder. */
  readonly source: string;
}

export interface UnavailableRuntime {
  readonly id: RuntimeId;
  readonly kind: RuntimeKind;
  readonly available: false;
  readonly reason: string;
}

export type Runtime = AvailableRuntime | UnavailableRuntime;

/** The runtimes `CREDCHAIN_RUNTIMES` asks for (all of them when unset). */
export function selectedRuntimes(value = process.env.CREDCHAIN_RUNTIMES): readonly RuntimeSpec[] {
  if (value === undefined || value.trim() === '') return RUNTIME_SPECS;
  const wanted = value.split(',').map((id) => id.trim());
  const unknown = wanted.filter((id) => !RUNTIME_SPECS.some((spec) => spec.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `CREDCHAIN_RUNTIMES: unknown runtime(s) ${unknown.join(', ')}; known: ${RUNTIME_SPECS.map((s) => s.id).join(', ')}`,
    );
  }
  return RUNTIME_SPECS.filter((spec) => wanted.includes(spec.id));
}

export function runtimeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CREDCHAIN_RUNTIMES_CACHE) return env.CREDCHAIN_RUNTIMES_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'credchain-runtimes');
}

/** The executable inside an installed package folder (the postinstall's, else the platform package's). */
function findBinary(root: string, spec: RuntimeSpec): string | undefined {
  const modules = join(root, 'node_modules');
  const platformDirs = (scope: string, prefix: string) => {
    const dir = join(modules, scope);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.startsWith(prefix))
      .map((name) => join(dir, name));
  };
  const candidates: string[] = [];
  if (spec.kind === 'node') {
    candidates.push(join(modules, 'node', 'bin', 'node'));
    for (const dir of [
      ...platformDirs(join('node', 'node_modules'), `node-${process.platform}-`),
      // Installed directly when install scripts are blocked (see provide()).
      ...platformDirs('', `node-${process.platform}-${process.arch}`),
    ]) {
      candidates.push(join(dir, 'bin', 'node'));
    }
  } else if (spec.kind === 'bun') {
    // Bun's postinstall moves the platform package's binary to bun/bin/bun.exe;
    // without install scripts bun.exe is a stub that only says so.
    for (const dir of platformDirs('@oven', `bun-${process.platform}-${process.arch}`)) {
      candidates.push(join(dir, 'bin', 'bun'));
    }
    candidates.push(join(modules, 'bun', 'bin', 'bun.exe'));
  } else {
    candidates.push(join(modules, 'deno', 'deno'));
    for (const dir of platformDirs('@deno', `${process.platform}-${process.arch}`)) {
      candidates.push(join(dir, 'deno'));
    }
  }
  return candidates.find((file) => existsSync(file));
}

/** `node`, `bun` + `bunx`, or `deno` links to `bin`, in `<root>/bin` (for PATH). */
function linkBinDir(root: string, kind: RuntimeKind, bin: string): string {
  const binDir = join(root, 'bin');
  mkdirSync(binDir, { recursive: true });
  for (const name of kind === 'bun' ? ['bun', 'bunx'] : [kind]) {
    const link = join(binDir, name);
    try {
      symlinkSync(bin, link);
    } catch (error) {
      // Made by an earlier (or a concurrent) run.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return binDir;
}

async function versionOf(spec: RuntimeSpec, bin: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runProcess(bin, ['--version'], { env, timeoutMs: 30_000 });
  const line = result.stdout.trim().split('\n')[0] ?? '';
  if (result.code !== 0 || !line.startsWith(spec.versionPrefix)) {
    throw new Error(
      `${bin} --version printed "${line}" (exit ${result.code ?? result.signal}), not ${spec.versionPrefix}…: ${result.stderr.trim().slice(0, 300)}`,
    );
  }
  return spec.kind === 'deno' ? (line.slice('deno '.length).split(' ')[0] ?? line) : line;
}

/**
 * Installs `spec` into the cache when it is not there yet (into a temp folder
 * renamed into place, so concurrent runs never see half an install) and
 * returns it, or why it cannot be had.
 */
async function provide(
  spec: RuntimeSpec,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<Runtime> {
  const line = /^node@(\d+)$/.exec(spec.npm)?.[1];
  if (line !== undefined && process.versions.node.split('.')[0] === line) {
    const binDir = join(cacheDir, `machine-node-${process.version}`);
    mkdirSync(cacheDir, { recursive: true });
    return {
      id: spec.id,
      kind: spec.kind,
      available: true,
      bin: process.execPath,
      binDir: linkBinDir(binDir, 'node', process.execPath),
      version: process.version,
      source: "the machine's node",
    };
  }
  const root = join(cacheDir, spec.npm);
  try {
    if (findBinary(root, spec) === undefined) {
      mkdirSync(cacheDir, { recursive: true });
      const temp = `${root}.tmp-${process.pid}-${Date.now()}`;
      mkdirSync(temp, { recursive: true });
      const npmInstall = async (what: string) => {
        const install = await runProcess(
          'npm',
          [
            'install',
            '--no-audit',
            '--no-fund',
            '--no-save',
            '--loglevel=error',
            '--prefix',
            temp,
            what,
          ],
          { env, timeoutMs: 240_000 },
        );
        if (install.code !== 0) {
          rmSync(temp, { recursive: true, force: true });
          throw new Error(
            `npm install ${what} exited ${install.code ?? install.signal}: ${install.stderr.trim().split('\n').slice(-3).join(' ')}`,
          );
        }
      };
      await npmInstall(spec.kind === 'node' ? `node@npm:${spec.npm}` : spec.npm);
      // `node@22` fetches its binary in a preinstall script; where npm blocks
      // install scripts, take the platform package itself. (Bun's and Deno's
      // binaries come as optional dependencies, scripts or not.)
      if (findBinary(temp, spec) === undefined && line !== undefined) {
        await npmInstall(`node-${process.platform}-${process.arch}@${line}`);
      }
      if (findBinary(temp, spec) === undefined) {
        rmSync(temp, { recursive: true, force: true });
        throw new Error(`npm install ${spec.npm} left no ${spec.kind} executable`);
      }
      // Another run may have finished first: keep its copy.
      await rename(temp, root).catch(() => rmSync(temp, { recursive: true, force: true }));
    }
    const bin = findBinary(root, spec) as string;
    return {
      id: spec.id,
      kind: spec.kind,
      available: true,
      bin,
      binDir: linkBinDir(root, spec.kind, bin),
      version: await versionOf(spec, bin, env),
      source: root,
    };
  } catch (error) {
    return {
      id: spec.id,
      kind: spec.kind,
      available: false,
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Every selected runtime, installed or cached, downloads in parallel. */
export function provideRuntimes(
  specs: readonly RuntimeSpec[],
  env: NodeJS.ProcessEnv,
  cacheDir = runtimeCacheDir(),
): Promise<Runtime[]> {
  return Promise.all(specs.map((spec) => provide(spec, cacheDir, env)));
}

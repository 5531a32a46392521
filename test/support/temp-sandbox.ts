/**
 * A temporary folder with an empty `home/` and a `work/` folder, an
 * environment built on it (PATH, HOME and what the caller adds; nothing else
 * of this process), and a writer of `0600` files inside it: what the CLI
 * tests run the CLI in, as a child process or in-process.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dedent } from './dedent';

export interface TempSandbox {
  readonly dir: string;
  readonly home: string;
  readonly work: string;
  /** Writes a (dedented) file under the sandbox, `0600` unless told. */
  write(path: string, content: string, mode?: number): Promise<string>;
  /** The base environment plus `extra` (an `undefined` value removes a variable). */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
}

/**
 * Creates a sandbox under the system's temporary folder (`prefix`), runs
 * `fn` with it and removes it afterwards. `base` adds to PATH, HOME and the
 * AWS SDK's Node-version notice turned off.
 */
export async function withTempSandbox<R>(
  prefix: string,
  base: Record<string, string>,
  fn: (sandbox: TempSandbox) => Promise<R>,
): Promise<R> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const home = join(dir, 'home');
  const work = join(dir, 'work');
  await Promise.all([mkdir(home), mkdir(work)]);
  const env = (extra: Record<string, string | undefined> = {}) => {
    const all: Record<string, string | undefined> = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      ...base,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...extra,
    };
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(all)) if (value !== undefined) result[name] = value;
    return result;
  };
  const sandbox: TempSandbox = {
    dir,
    home,
    work,
    async write(path, content, mode = 0o600) {
      const file = join(dir, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, dedent(content), { mode });
      return file;
    },
    env,
  };
  try {
    return await fn(sandbox);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

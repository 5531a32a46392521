/**
 * Runs the built `credchain` command (packages/cli/bin/credchain.js) as a
 * child process, in a sandbox: a fresh temporary folder with its own HOME
 * and working directory, and an environment built from scratch — never the
 * developer's own AWS variables.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TempSandbox, withTempSandbox } from '../support/temp-sandbox';

export const REPO = resolve(__dirname, '../..');
export const BIN = join(REPO, 'packages/cli/bin/credchain.js');
const BUILT = join(REPO, 'packages/cli/dist/run.js');

/** Fake keys only. The sentinels must never appear in anything the CLI prints. */
export const SENTINEL_SECRET = 'FAKE/SENTINEL+SECRET/do-not-print-0000000';
export const SENTINEL_TOKEN = 'FAKE-SENTINEL-SESSION-TOKEN/do-not-print+0000000';
export const KEY = {
  prefixedProfile: 'AKIAFAKEPREFPROF0001',
  prefixedEnv: 'AKIAFAKEPREFIXENV002',
  profile: 'AKIAFAKEPLAINPROF003',
  env: 'AKIAFAKEPLAINENV0004',
  custom: 'AKIAFAKECUSTOMPFX005',
} as const;
/** `AKIA…WXYZ`: what the CLI shows of a key id. */
export const redacted = (keyId: string) => `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Variables on top of the sandbox's base environment; `undefined` removes one. */
  readonly env?: Record<string, string | undefined>;
  /** Working directory, relative to the sandbox. @default 'work' */
  readonly cwd?: string;
  /** Node arguments before the script. @default ['--'] (see nodejs/node#54232) */
  readonly nodeArgs?: readonly string[];
  /** Called once the process is started (to send it signals). */
  readonly onSpawn?: (child: ChildProcess) => void;
  readonly timeoutMs?: number;
}

export interface Sandbox extends TempSandbox {
  /** Runs `credchain ...args` in the sandbox. */
  run(args: readonly string[], options?: RunOptions): Promise<CliRun>;
}

/**
 * Creates a sandbox, runs `fn` with it and removes it afterwards. The base
 * environment: PATH, HOME (empty temp folder), NO_COLOR and the AWS SDK's
 * Node-version notice turned off. Nothing else is inherited.
 */
export async function withSandbox<R>(fn: (sandbox: Sandbox) => Promise<R>): Promise<R> {
  if (!existsSync(BUILT)) {
    throw new Error(`${BUILT} is missing: build first (npx tsc -b packages/cli, or pnpm build)`);
  }
  return withTempSandbox('credchain-cli-', { NO_COLOR: '1' }, (base) =>
    fn({
      ...base,
      run: (args, options = {}) =>
        spawnProcess(process.execPath, [...(options.nodeArgs ?? ['--']), BIN, ...args], {
          env: base.env(options.env),
          cwd: join(base.dir, options.cwd ?? 'work'),
          onSpawn: options.onSpawn,
          timeoutMs: options.timeoutMs,
        }),
    }),
  );
}

/**
 * At most this many CLI processes at once per test file: jest runs the
 * tables concurrently, and each process costs ~150 ms of CPU.
 */
const MAX_PROCESSES = 6;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PROCESSES) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs any program (the bin itself, pnpm, …) and collects its output. */
export function spawnProcess(
  file: string,
  argv: readonly string[],
  options: {
    env: Record<string, string>;
    cwd: string;
    onSpawn?: (child: ChildProcess) => void;
    timeoutMs?: number;
  },
): Promise<CliRun> {
  return limited(
    () =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(file, argv, {
          cwd: options.cwd,
          env: options.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
        });
        const timeoutMs = options.timeoutMs ?? 15_000;
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`${file} ${argv.join(' ')} did not finish in ${timeoutMs} ms`));
        }, timeoutMs);
        child.once('error', reject);
        child.once('close', (code, signal) => {
          clearTimeout(timer);
          resolvePromise({ code, signal, stdout, stderr });
        });
        options.onSpawn?.(child);
      }),
  );
}

/** Parses stdout as exactly one JSON document (throws otherwise). */
export function json<T = Record<string, unknown>>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}

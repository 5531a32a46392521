/**
 * Runs the `credchain` command in this process — `main(argv, io)` from the
 * CLI's sources, with its output in buffers — in a sandbox: a fresh
 * temporary folder with its own HOME and working directory, and an
 * environment built from scratch (never the developer's AWS variables).
 *
 * The CLI's specs use it instead of spawning the built bin (test/cli), so
 * that what they check is reached by `pnpm mutate cli` (Stryker's mutants
 * live in the sources it runs in-process, not in the bundle a child loads).
 */
import { join } from 'node:path';
import type { CliIo, PromptInput } from '../../packages/cli/src/cli-io';
import { main } from '../../packages/cli/src/main';
import { type TempSandbox, withTempSandbox } from './temp-sandbox';

/** Fake keys only: none of these may appear in what the CLI prints. */
export const FAKE = {
  prefixedKey: 'AKIAFAKEPREFIXENV002',
  prefixedSecret: 'fake-secret-prefixed-env-0000',
  plainKey: 'AKIAFAKEPLAINENV0004',
  plainSecret: 'fake-secret-plain-env-00000000',
  token: 'FAKE-SESSION-TOKEN/do-not-print+0000',
} as const;

/** `AKIA…WXYZ`: what the CLI shows of a key id. */
export const redacted = (keyId: string): string => `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InProcessOptions {
  /** Variables on top of the sandbox's base environment; `undefined` removes one. */
  readonly env?: Record<string, string | undefined>;
  /** Working directory, relative to the sandbox. @default 'work' */
  readonly cwd?: string;
  /** What prompts read (a fake terminal); none by default. */
  readonly stdin?: PromptInput;
  /** Whether stdout is a terminal (colour). @default false */
  readonly stdoutIsTTY?: boolean;
  /** Where `.env`'s AWS_ variables are copied for the SDK (`process.env` in the real command). */
  readonly sdkEnv?: Record<string, string | undefined>;
}

export interface CliSandbox extends TempSandbox {
  /** Runs `credchain ...args` in this process, in the sandbox. */
  run(args: readonly string[], options?: InProcessOptions): Promise<InProcessRun>;
}

/** Creates a sandbox, runs `fn` with it and removes it afterwards. */
export async function withCliSandbox<R>(fn: (sandbox: CliSandbox) => Promise<R>): Promise<R> {
  return withTempSandbox('credchain-cli-spec-', {}, (base) =>
    fn({
      ...base,
      run: (args, options = {}) =>
        runInProcess(args, {
          env: base.env(options.env),
          cwd: join(base.dir, options.cwd ?? 'work'),
          stdin: options.stdin,
          stdoutIsTTY: options.stdoutIsTTY ?? false,
          sdkEnv: options.sdkEnv ?? {},
        }),
    }),
  );
}

/** `main(args)` against buffers: its exit code and everything it printed. */
export async function runInProcess(
  args: readonly string[],
  io: Omit<CliIo, 'stdout' | 'stderr'>,
): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    ...io,
    stdout: {
      write: (text) => {
        stdout += text;
      },
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
    },
  });
  return { code, stdout, stderr };
}

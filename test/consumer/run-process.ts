/**
 * Child processes for the consumer test's runtime matrix: run one to its end
 * (asynchronously, so that the test's loopback servers keep answering), and
 * run many with at most N at once.
 */
import { spawn } from 'node:child_process';

export interface ProcessRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
}

export interface ProcessOptions {
  /** @default this process's working directory */
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long. @default 60000 */
  readonly timeoutMs?: number;
}

/** Runs `command args…` to its end; never rejects (a spawn failure is exit code null + its message). */
export function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions,
): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}`, ms });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Runs the tasks with at most `limit` of them at once; results in task order. */
export async function runLimited<T>(
  tasks: readonly (() => Promise<T>)[],
  limit: number,
): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) {
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** The last line of a run's stdout, parsed as JSON (what every check script prints). */
export function lastJson(run: ProcessRun): unknown {
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(
      `expected a JSON line; exit ${run.code ?? run.signal}, stdout: ${run.stdout.slice(-500)}, stderr: ${run.stderr.slice(-1500)}`,
    );
  }
}

import { processIo } from './process-io';
import { run } from './run';

/** Runs `work` with process.stdout and stderr writing into strings (callbacks called). */
async function capturing(work: () => Promise<void>): Promise<{ stdout: string; stderr: string }> {
  const seen = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      seen[name] += String(chunk);
      (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
      return true;
    }) as typeof process.stdout.write;
  }
  try {
    await work();
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
  return seen;
}

describe(run.name, () => {
  it('runs the command and exits with its code once stdout and stderr are flushed', async () => {
    const codes: number[] = [];
    const seen = await capturing(async () => {
      await run(['--version'], (code) => codes.push(code));
      await run(['--no-such-option'], (code) => codes.push(code));
    });
    expect(codes).toEqual([0, 2]);
    expect(seen.stdout).toMatch(/^credchain \S+ \(node v[\d.]+\)\n$/);
    expect(seen.stderr).toBe(
      "credchain: unknown option '--no-such-option' (see credchain --help)\n",
    );
  });

  it('a closed pipe on stdout or stderr is not an error; any other stream error is', async () => {
    await capturing(() => run(['--version'], () => {}));
    for (const stream of [process.stdout, process.stderr]) {
      const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      expect(() => stream.emit('error', epipe)).not.toThrow();
      const eio = Object.assign(new Error('write EIO'), { code: 'EIO' });
      expect(() => stream.emit('error', eio)).toThrow(eio);
    }
  });
});

describe(processIo.name, () => {
  it("is the process's own streams, environment and working directory", () => {
    const io = processIo();
    expect(io.stdin).toBe(process.stdin);
    expect(io.stdout).toBe(process.stdout);
    expect(io.stderr).toBe(process.stderr);
    expect(io.env).toBe(process.env);
    expect(io.sdkEnv).toBe(process.env);
    expect(io.cwd).toBe(process.cwd());
    expect(io.stdoutIsTTY).toBe(process.stdout.isTTY === true);
    const tty = process.stdout.isTTY;
    try {
      process.stdout.isTTY = true;
      expect(processIo().stdoutIsTTY).toBe(true);
      (process.stdout as { isTTY?: boolean }).isTTY = undefined;
      expect(processIo().stdoutIsTTY).toBe(false);
    } finally {
      process.stdout.isTTY = tty;
    }
  });
});

/**
 * Starts a throw-away Redis for the example: Debian's `redis-server` on a
 * free 127.0.0.1 port, nothing written to disk (`--save '' --appendonly no`).
 * In production Redis is a service of its own; the workers only need its URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartedRedis {
  readonly port: number;
  readonly url: string;
  /** The server process (the bench pauses it). */
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
    socket.on('error', () => done(false));
  });
}

/** Starts `redis-server` (or `$REDIS_SERVER`) and resolves once it answers PING. */
export async function startRedis(
  bin = process.env.REDIS_SERVER ?? 'redis-server',
): Promise<StartedRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'credchain-fleet-redis-'));
  const child = spawn(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      failure = error;
      resolve();
    });
  });
  const stop = async () => {
    if (!failure && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; waited < 10_000; waited += 25) {
    if (failure) {
      await stop();
      throw new Error(`cannot start ${bin} (${failure.message}): apt-get install -y redis-server`);
    }
    if (await answersPing(port)) {
      return { port, url: `redis://127.0.0.1:${port}`, process: child, stop };
    }
    await sleep(25);
  }
  await stop();
  throw new Error(`${bin} did not answer on port ${port}`);
}

/**
 * A redis-server of the example's own, so that it can kill it: Debian's
 * `redis-server` (or `$REDIS_SERVER`) listening on a Unix socket in a fresh
 * temporary folder and on no TCP port at all (`--port 0`), nothing written
 * to disk. `kill()` is the outage: SIGKILL, as a crashed or fenced-off Redis.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RedisProcess {
  /** The Unix socket (ioredis: `new Redis({ path })`). */
  readonly socket: string;
  readonly pid: number;
  /** SIGKILL, and waits until the process is gone (reaped). */
  kill(): Promise<void>;
  /** Kills it if it still runs and removes its folder. */
  stop(): Promise<void>;
}

/** Whether a Redis answers `PING` on `socket` within 200 ms. */
function pong(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const client = connect({ path: socket });
    const settle = (answer: boolean) => {
      client.destroy();
      resolve(answer);
    };
    client.setTimeout(200, () => settle(false));
    client.once('connect', () => client.write('PING\r\n'));
    client.once('data', (data) => settle(data.toString('latin1').startsWith('+PONG')));
    client.once('error', () => settle(false));
  });
}

export async function startRedisProcess(
  command = process.env.REDIS_SERVER ?? 'redis-server',
): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'credchain-observability-redis-'));
  const socket = join(dir, 'redis.sock');
  const args = ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(command, [...args, '--dir', dir], { stdio: 'ignore' });
  let spawnError: Error | undefined;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const running = () =>
    spawnError === undefined && child.exitCode === null && child.signalCode === null;
  const kill = async () => {
    if (running()) child.kill('SIGKILL');
    await gone;
  };
  const stop = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (!running()) {
      await stop();
      throw new Error(
        `${command} did not start (${spawnError?.message ?? `exit ${child.exitCode ?? child.signalCode}`}): apt-get install -y redis-server`,
      );
    }
    if (await pong(socket)) return { socket, pid: child.pid as number, kill, stop };
    await sleep(20);
  }
  await stop();
  throw new Error(`${command} did not answer on ${socket} within 10 s`);
}

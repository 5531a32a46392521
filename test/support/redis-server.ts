/**
 * A real Redis for the tests: Debian's `redis-server` (installed when missing
 * by `pnpm test`'s pretest step, scripts/system-packages.sh) on a free
 * 127.0.0.1 port, with persistence off (`--save '' --appendonly no`) in a
 * temporary directory, so nothing outlives the test. `restart()` keeps the port and loses every key and every loaded
 * script (what a real restart without persistence does: the NOSCRIPT case);
 * `pause()` / `resume()` (SIGSTOP / SIGCONT) make it hang with its sockets
 * open, the "Redis answers nothing" case.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, LOOPBACK, listenOnLoopback } from './loopback';

/** Where the tests look for the server binary (`REDIS_SERVER` overrides). */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER ?? 'redis-server';

export interface RedisServerOptions {
  /** Extra command-line arguments, e.g. `['--replicaof', '127.0.0.1', '6379']`. */
  readonly args?: readonly string[];
  /** How long to wait for the first PONG. @default 10000 */
  readonly startTimeoutMs?: number;
}

/** Binds an ephemeral loopback port, closes it and returns its number. */
async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await closeServer(server);
  return port;
}

/** Sends one inline PING; resolves true on `+PONG` within `timeoutMs`. */
export function pingRedis(port: number, timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, LOOPBACK);
    let answer = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/**
 * The `process_id` a Redis on `port` reports (`INFO server`), or undefined
 * when nothing answers it within `timeoutMs`.
 */
export function redisProcessId(port: number, timeoutMs = 500): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, LOOPBACK);
    let answer = '';
    const done = (pid: number | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(pid);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.startsWith('-')) return done(undefined);
      const match = /\r\nprocess_id:(\d+)\r\n/.exec(answer);
      if (match) done(Number(match[1]));
    });
    socket.on('error', () => done(undefined));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisServer {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #stderr = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  /** Starts a server on a free loopback port and waits until it answers PING. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), 'credchain-redis-'));
    // A port can be taken between freePort() and the bind: try a few.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = new RedisServer(await freePort(), dir, options);
      try {
        await server.#launch();
        return server;
      } catch (error) {
        lastError = error;
        await server.#kill();
      }
    }
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://${LOOPBACK}:${this.port}`;
  }

  /** The server's process id (for SIGKILL / SIGSTOP tests). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Stops it (SIGKILL: no persistence to flush) and waits for the exit. */
  async stop(): Promise<void> {
    await this.#kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills the process and starts a fresh one on the same port: no keys, no scripts. */
  async restart(): Promise<void> {
    await this.#kill();
    await this.#launch();
  }

  /** Kills the process, leaving the port refused until {@link RedisServer.restart}. */
  async crash(): Promise<void> {
    await this.#kill();
  }

  /** SIGSTOP: connections stay open, nothing answers (a hanging Redis). */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** SIGCONT after {@link RedisServer.pause}. */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  async #launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      LOOPBACK,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      ...(this.options.args ?? []),
    ];
    this.#stderr = '';
    const child = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    child.stdout?.on('data', (c: Buffer) => {
      this.#stderr = (this.#stderr + c.toString()).slice(-2000);
    });
    child.stderr?.on('data', (c: Buffer) => {
      this.#stderr = (this.#stderr + c.toString()).slice(-2000);
    });
    let exitCode: number | null | undefined;
    let spawnError: Error | undefined;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      });
      child.once('error', (error) => {
        spawnError = error;
        resolve();
      });
    });
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      if (spawnError) {
        throw new Error(
          `cannot start ${REDIS_SERVER_BIN} (${spawnError.message}); install it with apt-get install -y redis-server`,
        );
      }
      if (exitCode !== undefined) {
        throw new Error(`redis-server exited (${exitCode}): ${this.#stderr.trim()}`);
      }
      if (await pingRedis(this.port)) {
        // The port may have been taken between freePort() and our bind by
        // another Redis (a parallel test): the PONG must be our child's.
        const pid = await redisProcessId(this.port);
        if (pid === child.pid) return;
        if (pid !== undefined) {
          throw new Error(
            `port ${this.port} answers as redis-server pid ${pid}, not ours (${String(child.pid)})`,
          );
        }
      }
      await sleep(20);
    }
    throw new Error(
      `redis-server on port ${this.port} did not answer PING: ${this.#stderr.trim()}`,
    );
  }

  async #kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT'); // a paused server must be able to die
    child.kill('SIGKILL');
    await this.#exited;
    this.#child = undefined;
  }
}

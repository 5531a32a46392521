/**
 * A real Redis for the tests: Debian's `redis-server` (installed when missing
 * by `pnpm test`'s pretest step, scripts/system-packages.sh) on a free
 * 127.0.0.1 port, with persistence off (`--save '' --appendonly no`) in a
 * temporary directory, so nothing outlives the test. `restart()` keeps the port and loses every key and every loaded
 * script (what a real restart without persistence does: the NOSCRIPT case);
 * `pause()` / `resume()` (SIGSTOP / SIGCONT) make it hang with its sockets
 * open, the "Redis answers nothing" case.
 *
 * The same class runs a Cluster node (`cluster`: its bus on a second free
 * port, its `nodes.conf` in its own directory, kept across `restart()` so a
 * restarted node rejoins) and a Sentinel (`sentinel`: Debian's
 * `redis-sentinel` with a config file it may rewrite). Every process started
 * is a child of this one: Node reaps it when it dies, so a SIGKILLed server
 * leaves no `<defunct>` entry behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, LOOPBACK, listenOnLoopback } from './loopback';

/** Where the tests look for the server binary (`REDIS_SERVER` overrides). */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER ?? 'redis-server';
/** Debian's `redis-sentinel` (`REDIS_SENTINEL` overrides). */
export const REDIS_SENTINEL_BIN = process.env.REDIS_SENTINEL ?? 'redis-sentinel';

/** What a Sentinel watches (one primary, by name). */
export interface SentinelMonitor {
  readonly name: string;
  readonly port: number;
  readonly quorum: number;
  /** `down-after-milliseconds`: how long the primary may not answer before it is "subjectively down". */
  readonly downAfterMs: number;
  /** `failover-timeout`. @default 10000 */
  readonly failoverTimeoutMs?: number;
}

export interface RedisServerOptions {
  /** Extra command-line arguments, e.g. `['--replicaof', '127.0.0.1', '6379']`. */
  readonly args?: readonly string[];
  /** How long to wait for the first PONG. @default 10000 */
  readonly startTimeoutMs?: number;
  /** A Redis Cluster node: `cluster-enabled yes` with this `cluster-node-timeout`, its bus on a free port. */
  readonly cluster?: { readonly nodeTimeoutMs: number };
  /** A Sentinel (`redis-sentinel`) watching this primary, instead of a redis-server. */
  readonly sentinel?: SentinelMonitor;
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
  #launched = false;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: RedisServerOptions,
    /** The Cluster bus port (a Cluster node only). */
    readonly busPort?: number,
  ) {}

  /** Starts a server on a free loopback port and waits until it answers PING. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), 'credchain-redis-'));
    // A port can be taken between freePort() and the bind: try a few.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      // The default bus port (port + 10000) may lie past 65535: a free one of its own.
      const busPort = options.cluster ? await freePort() : undefined;
      const server = new RedisServer(await freePort(), dir, options, busPort);
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

  /** Whether the process runs (neither killed nor exited). */
  get running(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** SIGSTOP: connections stay open, nothing answers (a hanging Redis). */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** SIGCONT after {@link RedisServer.pause}. */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** The command line: a redis-server, a Cluster node, or a Sentinel with its config file. */
  #commandLine(): [string, string[]] {
    const { sentinel, cluster } = this.options;
    if (sentinel) {
      const conf = join(this.dir, 'sentinel.conf');
      // Sentinel rewrites its file (the replicas and sentinels it found): written once.
      if (!this.#launched) {
        writeFileSync(
          conf,
          [
            `port ${this.port}`,
            `bind ${LOOPBACK}`,
            `dir ${this.dir}`,
            'daemonize no',
            'loglevel warning',
            'sentinel resolve-hostnames no',
            `sentinel monitor ${sentinel.name} ${LOOPBACK} ${sentinel.port} ${sentinel.quorum}`,
            `sentinel down-after-milliseconds ${sentinel.name} ${sentinel.downAfterMs}`,
            `sentinel failover-timeout ${sentinel.name} ${sentinel.failoverTimeoutMs ?? 10_000}`,
            `sentinel parallel-syncs ${sentinel.name} 1`,
            '',
          ].join('\n'),
        );
      }
      return [REDIS_SENTINEL_BIN, [conf]];
    }
    const clusterArgs = cluster
      ? [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          String(cluster.nodeTimeoutMs),
          '--cluster-port',
          String(this.busPort),
          // A replica syncs at once (Redis 7 waits 5 s for more replicas by default).
          '--repl-diskless-sync-delay',
          '0',
        ]
      : [];
    return [REDIS_SERVER_BIN, this.#serverArgs(clusterArgs)];
  }

  #serverArgs(clusterArgs: readonly string[]): string[] {
    return [
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
      ...clusterArgs,
      ...(this.options.args ?? []),
    ];
  }

  async #launch(): Promise<void> {
    const [bin, args] = this.#commandLine();
    this.#launched = true;
    this.#stderr = '';
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
          `cannot start ${bin} (${spawnError.message}); install it with apt-get install -y ${this.options.sentinel ? 'redis-sentinel' : 'redis-server'}`,
        );
      }
      if (exitCode !== undefined) {
        throw new Error(`${bin} exited (${exitCode}): ${this.#stderr.trim()}`);
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

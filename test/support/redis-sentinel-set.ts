/**
 * A real Sentinel set for the tests: a primary and a replica (Debian's
 * `redis-server`) and three Sentinels (Debian's `redis-sentinel`, quorum 2,
 * `down-after-milliseconds` as asked) on free 127.0.0.1 ports. `stop()`
 * stops every process it started, killed or not.
 */
import Redis from 'ioredis';
import { LOOPBACK } from './loopback';
import { askRedis } from './redis-admin';
import { RedisServer } from './redis-server';

export interface RedisSentinelSetOptions {
  /** `down-after-milliseconds`: how long the primary may not answer before it is down. */
  readonly downAfterMs: number;
  /** The name the Sentinels know the primary by. @default 'credchain' */
  readonly name?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisSentinelSet {
  readonly name: string;
  /** Both redis-servers: the first primary and its replica. */
  readonly servers: RedisServer[];

  private constructor(
    servers: RedisServer[],
    readonly sentinelServers: readonly RedisServer[],
    options: RedisSentinelSetOptions,
  ) {
    this.servers = servers;
    this.name = options.name ?? 'credchain';
  }

  static async start(options: RedisSentinelSetOptions): Promise<RedisSentinelSet> {
    const name = options.name ?? 'credchain';
    const servers: RedisServer[] = [];
    const sentinels: RedisServer[] = [];
    const set = new RedisSentinelSet(servers, sentinels, options);
    try {
      const primary = await RedisServer.start({ args: ['--repl-diskless-sync-delay', '0'] });
      servers.push(primary);
      servers.push(
        await RedisServer.start({
          args: ['--replicaof', LOOPBACK, String(primary.port), '--repl-diskless-sync-delay', '0'],
        }),
      );
      const started = await Promise.allSettled(
        [1, 2, 3].map(() =>
          RedisServer.start({
            sentinel: { name, port: primary.port, quorum: 2, downAfterMs: options.downAfterMs },
          }),
        ),
      );
      for (const s of started) if (s.status === 'fulfilled') sentinels.push(s.value);
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      await set.waitUntilReady();
      return set;
    } catch (error) {
      await set.stop();
      throw error;
    }
  }

  /** Where a Sentinel-aware client starts. */
  get sentinels(): { host: string; port: number }[] {
    return this.sentinelServers.map((s) => ({ host: LOOPBACK, port: s.port }));
  }

  /** The primary's port as the Sentinels answer it now. */
  async primaryPort(): Promise<number | undefined> {
    for (const sentinel of this.sentinelServers.filter((s) => s.running)) {
      const addr = await askRedis<[string, string]>(
        sentinel.port,
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        this.name,
      );
      if (addr) return Number(addr[1]);
    }
    return undefined;
  }

  /** The running redis-server on `port`. */
  server(port: number): RedisServer {
    const server = this.servers.find((s) => s.port === port && s.running);
    if (!server) throw new Error(`no running redis-server of this set on ${port}`);
    return server;
  }

  /**
   * Waits until the replica's link is up and every Sentinel knows the
   * primary, a replica and the two other Sentinels (a failover needs all).
   */
  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.#ready()) return;
      if (Date.now() > deadline) throw new Error('the Sentinel set did not become ready in time');
      await sleep(100);
    }
  }

  async #ready(): Promise<boolean> {
    const primary = await this.primaryPort();
    if (primary === undefined) return false;
    const replicas = this.servers.filter((s) => s.running && s.port !== primary);
    if (replicas.length === 0) return false;
    for (const replica of replicas) {
      const info = await askRedis<string>(replica.port, 'INFO', 'replication');
      if (!info?.includes(`master_port:${primary}`) || !info.includes('master_link_status:up')) {
        return false;
      }
    }
    for (const sentinel of this.sentinelServers) {
      const known = await askRedis<unknown[]>(sentinel.port, 'SENTINEL', 'REPLICAS', this.name);
      const others = await askRedis<unknown[]>(sentinel.port, 'SENTINEL', 'SENTINELS', this.name);
      const addr = await askRedis<[string, string]>(
        sentinel.port,
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        this.name,
      );
      if (Number(addr?.[1]) !== primary || !known?.length || others?.length !== 2) return false;
    }
    return true;
  }

  /**
   * Resolves `process.hrtime.bigint()` of the first `+switch-master` a
   * Sentinel announces after this call (the moment clients can find the new
   * primary), with the new primary's port.
   */
  async watchSwitch(): Promise<{ promoted: Promise<{ at: bigint; port: number }>; stop(): void }> {
    const first = this.sentinelServers[0] as RedisServer;
    const watcher = new Redis(first.port, LOOPBACK, { lazyConnect: true });
    watcher.on('error', () => undefined);
    await watcher.connect();
    const promoted = new Promise<{ at: bigint; port: number }>((resolve) => {
      watcher.on('message', (_channel: string, message: string) => {
        // "<name> <old-ip> <old-port> <new-ip> <new-port>"
        const [name, , , , port] = message.split(' ');
        if (name === this.name) resolve({ at: process.hrtime.bigint(), port: Number(port) });
      });
    });
    await watcher.subscribe('+switch-master');
    return { promoted, stop: () => watcher.disconnect() };
  }

  /** Stops every Sentinel and server (killed ones included). */
  async stop(): Promise<void> {
    await Promise.all([...this.sentinelServers, ...this.servers].map((s) => s.stop()));
  }
}

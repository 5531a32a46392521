/**
 * A real Redis Cluster for the tests: six Debian `redis-server` processes on
 * free 127.0.0.1 ports (`cluster-enabled yes`, `cluster-node-timeout` as
 * asked, each bus on a free port of its own), joined by `redis-cli --cluster
 * create … --cluster-replicas 1 --cluster-yes`: three masters, each with one
 * replica. `stop()` stops every node it started, killed or not.
 */
import { spawn } from 'node:child_process';
import { LOOPBACK } from './loopback';
import { askRedis } from './redis-admin';
import { RedisServer } from './redis-server';

/** `redis-cli` (`REDIS_CLI` overrides). */
export const REDIS_CLI_BIN = process.env.REDIS_CLI ?? 'redis-cli';

export interface RedisClusterOptions {
  /** `cluster-node-timeout`: how long a master may not answer before its replica takes over. */
  readonly nodeTimeoutMs: number;
  /** @default 3 */
  readonly masters?: number;
}

/** The master serving a key's slot and its replicas, as the cluster says now. */
export interface Shard {
  readonly slot: number;
  readonly master: RedisServer;
  readonly replicas: readonly RedisServer[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to its end; rejects with its output when it fails. */
function run(bin: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${bin} ${args.join(' ')} exited ${code ?? signal}: ${output.trim()}`));
    });
  });
}

/** `ROLE`'s first word: `master`, `slave`, or undefined when it does not answer. */
export async function roleOf(port: number): Promise<string | undefined> {
  const role = await askRedis<unknown[]>(port, 'ROLE');
  return role === undefined ? undefined : String(role[0]);
}

export class RedisCluster {
  private constructor(
    readonly nodes: readonly RedisServer[],
    private readonly options: RedisClusterOptions,
  ) {}

  static async start(options: RedisClusterOptions): Promise<RedisCluster> {
    const masters = options.masters ?? 3;
    const started = await Promise.allSettled(
      Array.from({ length: masters * 2 }, () =>
        RedisServer.start({ cluster: { nodeTimeoutMs: options.nodeTimeoutMs } }),
      ),
    );
    const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const cluster = new RedisCluster(nodes, options);
    try {
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      await run(
        REDIS_CLI_BIN,
        [
          '--cluster',
          'create',
          ...nodes.map((n) => `${LOOPBACK}:${n.port}`),
          '--cluster-replicas',
          '1',
          '--cluster-yes',
        ],
        30_000,
      );
      await cluster.waitUntilHealthy(masters);
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Where a client starts: every node's address. */
  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((n) => ({ host: LOOPBACK, port: n.port }));
  }

  /** The node on `port`. */
  node(port: number): RedisServer {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node of this cluster listens on ${port}`);
    return node;
  }

  /**
   * Waits until every running node says `cluster_state:ok` and `masters`
   * masters each have a replica whose link is up (a failover needs one).
   */
  async waitUntilHealthy(masters: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.#healthy(masters)) return;
      if (Date.now() > deadline) throw new Error('the cluster did not become healthy in time');
      await sleep(100);
    }
  }

  async #healthy(masters: number): Promise<boolean> {
    const running = this.nodes.filter((n) => n.running);
    const replicasOf = new Map<number, number>();
    for (const node of running) {
      const info = await askRedis<string>(node.port, 'CLUSTER', 'INFO');
      if (!info?.includes('cluster_state:ok')) return false;
      // A replica's own word (CLUSTER SLOTS lists a replica only once its
      // replication offset has moved, up to 10 s on an empty node).
      const role = await askRedis<unknown[]>(node.port, 'ROLE');
      if (role?.[0] === 'slave' && role[3] === 'connected') {
        const master = Number(role[2]);
        replicasOf.set(master, (replicasOf.get(master) ?? 0) + 1);
      }
    }
    const owners = new Set((await this.#slots()).map((s) => s.master));
    return owners.size === masters && [...owners].every((m) => (replicasOf.get(m) ?? 0) > 0);
  }

  /** `CLUSTER SLOTS` from the first node that answers: ranges, master and replica ports. */
  async #slots(): Promise<{ from: number; to: number; master: number }[]> {
    for (const node of this.nodes.filter((n) => n.running)) {
      const slots = await askRedis<[number, number, [string, number]][]>(
        node.port,
        'CLUSTER',
        'SLOTS',
      );
      if (slots === undefined) continue;
      return slots.map(([from, to, master]) => ({ from, to, master: Number(master[1]) }));
    }
    throw new Error('no node of the cluster answers CLUSTER SLOTS');
  }

  /** The shard serving `key` now (its hash tag decides the slot). */
  async shardOf(key: string): Promise<Shard> {
    const live = this.nodes.find((n) => n.running);
    const slot = live ? await askRedis<number>(live.port, 'CLUSTER', 'KEYSLOT', key) : undefined;
    if (slot === undefined) throw new Error('no node answers CLUSTER KEYSLOT');
    const range = (await this.#slots()).find((s) => s.from <= slot && slot <= s.to);
    if (!range) throw new Error(`slot ${slot} is not served`);
    const replicas: RedisServer[] = [];
    for (const node of this.nodes.filter((n) => n.running && n.port !== range.master)) {
      const role = await askRedis<unknown[]>(node.port, 'ROLE');
      if (role?.[0] === 'slave' && Number(role[2]) === range.master) replicas.push(node);
    }
    return { slot, master: this.node(range.master), replicas };
  }

  /**
   * Waits until one of `candidates` answers `ROLE` as master (polled every
   * 10 ms); resolves with it and `process.hrtime.bigint()` of that answer.
   */
  async waitForPromotion(
    candidates: readonly RedisServer[],
    timeoutMs = 30_000,
  ): Promise<{ node: RedisServer; at: bigint }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const node of candidates) {
        if ((await roleOf(node.port)) === 'master') {
          return { node, at: process.hrtime.bigint() };
        }
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no replica was promoted within ${timeoutMs} ms (cluster-node-timeout ${this.options.nodeTimeoutMs})`,
        );
      }
      await sleep(10);
    }
  }

  /** Stops every node (killed ones included): no process outlives the test. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}

import type { LuaScript } from '../lua-scripts';
import type { RedisScriptClient, RedisSubscriber } from './redis-script-client';

/**
 * A node-redis v4/v5 client (`createClient()`), cluster (`createCluster()`)
 * or v5 sentinel (`createSentinel()`), connected by the caller, as far as
 * `RedisPoolState` uses it; typed structurally so that this package's
 * declarations do not import node-redis.
 */
export interface NodeRedisClient {
  readonly isOpen: boolean;
  sendCommand(...args: never[]): unknown;
}

/** Which node-redis object it is: their `sendCommand`s differ. */
export type NodeRedisFlavor = 'client' | 'cluster' | 'sentinel';

type Listener = (message: string, channel: string) => void;

/** The members each flavor has beyond {@link NodeRedisClient} (checked at run time). */
interface NodeRedisMembers {
  readonly isReady?: boolean;
  sendCommand(...args: unknown[]): Promise<unknown>;
  duplicate(): NodeRedisMembers & { connect(): Promise<unknown> };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  subscribe(channel: string, listener: Listener): Promise<unknown>;
  unsubscribe(channel: string, listener: Listener): Promise<unknown>;
  destroy?(): unknown;
  disconnect?(): Promise<unknown>;
}

/** node-redis v5's cluster slots, as far as {@link NodeRedisScriptClient.refresh} uses them. */
interface ClusterSlots {
  readonly masters?: readonly { readonly client?: { readonly isReady?: boolean } }[];
  rediscover?(startWith: unknown): Promise<unknown>;
}

/**
 * Scripts through node-redis's `sendCommand` (the client's own routing:
 * a cluster sends them to the node serving the first key's slot): EVALSHA,
 * and EVAL when Redis answers NOSCRIPT, which also loads the script there.
 */
export class NodeRedisScriptClient implements RedisScriptClient {
  readonly kind: string;
  readonly #client: NodeRedisMembers & NodeRedisClient;
  readonly #flavor: NodeRedisFlavor;

  constructor(client: NodeRedisClient, flavor: NodeRedisFlavor) {
    this.#client = client as NodeRedisMembers & NodeRedisClient;
    this.#flavor = flavor;
    this.kind = `node-redis ${flavor}`;
  }

  unusable(): string | undefined {
    if (!this.#client.isOpen) return `the ${this.kind} is not open (connect() it first)`;
    // A cluster tells no readiness of its own: its nodes' failures show per command.
    if (this.#flavor !== 'cluster' && this.#client.isReady === false) {
      return `the ${this.kind} is reconnecting`;
    }
    return undefined;
  }

  async evalScript(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const rest = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.#send(keys[0], ['EVALSHA', script.sha1, ...rest]);
    } catch (error) {
      if (!(error instanceof Error && /^NOSCRIPT/.test(error.message))) throw error;
      return this.#send(keys[0], ['EVAL', script.source, ...rest]);
    }
  }

  subscriber(): RedisSubscriber {
    const listeners = new Map<string, Listener>();
    // A cluster and a sentinel keep a pub/sub connection of their own; a
    // client that subscribes can send nothing else: a duplicate does it.
    let connection: Promise<NodeRedisMembers | undefined> | undefined;
    let duplicate: NodeRedisMembers | undefined;
    const open = () => {
      if (this.#flavor !== 'client') return Promise.resolve(this.#client);
      connection ??= (async () => {
        duplicate = this.#client.duplicate();
        // node-redis throws an 'error' event nobody listens to (a crash).
        duplicate.on('error', () => undefined);
        await (duplicate as NodeRedisMembers & { connect(): Promise<unknown> }).connect();
        return duplicate;
      })().catch(() => {
        connection = undefined;
        return undefined;
      });
      return connection;
    };
    return {
      subscribe: async (channel, onMessage) => {
        const listener: Listener = (message) => onMessage(message);
        listeners.set(channel, listener);
        const target = await open();
        if (target === undefined || listeners.get(channel) !== listener) return false;
        return target.subscribe(channel, listener).then(
          () => true,
          () => false,
        );
      },
      unsubscribe: (channel) => {
        const listener = listeners.get(channel);
        listeners.delete(channel);
        if (listener === undefined) return;
        void open().then((target) => target?.unsubscribe(channel, listener).catch(() => undefined));
      },
      close: () => {
        if (this.#flavor !== 'client') {
          for (const [channel, listener] of listeners) {
            this.#client.unsubscribe(channel, listener).catch(() => undefined);
          }
        } else if (duplicate !== undefined) {
          // v5 destroy(), v4 disconnect(): both close at once, without QUIT.
          if (typeof duplicate.destroy === 'function') duplicate.destroy();
          else duplicate.disconnect?.().catch(() => undefined);
        }
        listeners.clear();
        connection = undefined;
        duplicate = undefined;
      },
    };
  }

  /**
   * A cluster: rediscover its slots from a node that answers. node-redis v5
   * does it only on MOVED/ASK, so a master that died keeps its slots (and
   * queues their commands) until then; its slots are reached through
   * `_slots`, which node-redis v5 keeps on the cluster object (v4 keeps them
   * private: a v4 cluster follows a failover only when a MOVED comes back).
   */
  refresh(): void {
    if (this.#flavor !== 'cluster') return;
    const slots = (this.#client as unknown as { _slots?: ClusterSlots })._slots;
    if (typeof slots?.rediscover !== 'function') return;
    const live = slots.masters?.find((m) => m.client?.isReady === true)?.client;
    if (live) slots.rediscover(live).catch(() => undefined);
  }

  #send(firstKey: string | undefined, args: string[]): Promise<unknown> {
    switch (this.#flavor) {
      case 'cluster':
        return this.#client.sendCommand(firstKey, false, args);
      case 'sentinel':
        return this.#client.sendCommand(false, args);
      default:
        return this.#client.sendCommand(args);
    }
  }
}

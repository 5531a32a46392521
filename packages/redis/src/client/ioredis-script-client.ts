import type { LuaScript } from '../lua-scripts';
import type { RedisScriptClient, RedisSubscriber } from './redis-script-client';

/**
 * An ioredis client (`Redis`, including one connected through Sentinels, or
 * `Cluster`), as far as `RedisPoolState` uses it; typed structurally so that
 * this package's declarations do not import ioredis.
 */
export interface IoRedisClient {
  readonly status: string;
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
  duplicate(...args: never[]): unknown;
}

/** The ioredis client of a subscription: events, subscribe, disconnect. */
interface IoRedisSubscriber {
  on(event: string, listener: (...args: never[]) => void): unknown;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  disconnect(): void;
}

type ScriptCommand = (
  numberOfKeys: number,
  ...keysThenArgs: (string | number)[]
) => Promise<unknown>;

// ioredis states in which a command would only wait in the offline queue.
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

/**
 * Scripts through ioredis's own `defineCommand`: each call is an EVALSHA,
 * and ioredis sends the script itself when Redis answers NOSCRIPT. The
 * command names carry the script's hash, so two versions of this package
 * sharing one client never call each other's scripts.
 */
export class IoRedisScriptClient implements RedisScriptClient {
  readonly kind: string;
  readonly #client: IoRedisClient;
  readonly #commands = new Map<string, ScriptCommand>();

  constructor(client: IoRedisClient, cluster: boolean) {
    this.#client = client;
    this.kind = cluster ? 'ioredis Cluster' : 'ioredis Redis';
  }

  unusable(): string | undefined {
    const { status } = this.#client;
    return DISCONNECTED.has(status) ? `the ${this.kind} connection is ${status}` : undefined;
  }

  evalScript(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    return this.#command(script)(keys.length, ...keys, ...args);
  }

  subscriber(): RedisSubscriber {
    const handlers = new Map<string, (message: string) => void>();
    let connection: IoRedisSubscriber | undefined;
    const open = () => {
      if (connection) return connection;
      // A connection of its own, with the caller's options (Sentinels, TLS, auth).
      connection = this.#client.duplicate() as IoRedisSubscriber;
      // Without a listener ioredis prints every reconnection error; the main
      // connection's failures are what decide the fall-back.
      connection.on('error', () => undefined);
      connection.on('message', (channel: never, message: never) =>
        handlers.get(channel)?.(message),
      );
      return connection;
    };
    return {
      subscribe: (channel, onMessage) => {
        handlers.set(channel, onMessage);
        return open()
          .subscribe(channel)
          .then(
            () => true,
            () => false,
          );
      },
      unsubscribe: (channel) => {
        handlers.delete(channel);
        connection?.unsubscribe(channel).catch(() => undefined);
      },
      close: () => {
        handlers.clear();
        connection?.disconnect();
        connection = undefined;
      },
    };
  }

  /** ioredis follows failovers itself (Sentinel's master, Cluster's slots). */
  refresh(): void {}

  #command(script: LuaScript): ScriptCommand {
    let command = this.#commands.get(script.name);
    if (command === undefined) {
      const name = `${script.name}_${script.sha1.slice(0, 12)}`;
      const target = this.#client as unknown as Record<string, ScriptCommand | undefined>;
      // Another pool on this client may have defined it already.
      if (typeof target[name] !== 'function') {
        this.#client.defineCommand(name, { lua: script.source });
      }
      const defined = target[name] as ScriptCommand;
      command = (...args) => defined.apply(this.#client, args);
      this.#commands.set(script.name, command);
    }
    return command;
  }
}

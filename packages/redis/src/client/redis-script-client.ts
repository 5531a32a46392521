import type { LuaScript } from '../lua-scripts';

/**
 * A connection that subscribes ({@link RedisScriptClient.subscriber}):
 * opened at the first subscription, kept while the state lives, so that
 * channels come and go without a new connection each time.
 */
export interface RedisSubscriber {
  /**
   * Calls `onMessage` with every message on `channel`. Resolves true once
   * Redis confirmed the subscription, false when it could not be made
   * (never rejects: a missed message only means a waiter is found by its
   * poll).
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<boolean>;
  /** Ends the subscription to `channel` (no more messages for it). */
  unsubscribe(channel: string): void;
  /** Closes the connection (or, for a client with its own pub/sub connection, every subscription). */
  close(): void;
}

/**
 * What `RedisPoolState` needs from a Redis client, whichever library made
 * it (ioredis `Redis` / `Cluster`, node-redis client / cluster / sentinel):
 * run a pool script on the namespace's slot, tell whether a command would
 * only wait in an offline queue, and subscribe to the pool's channel.
 */
export interface RedisScriptClient {
  /** The client, in words (`ioredis Cluster`, `node-redis client`, …). */
  readonly kind: string;
  /**
   * A reason when a command sent now could only wait (the connection is
   * down and the client queues meanwhile); undefined when it may be sent.
   */
  unusable(): string | undefined;
  /**
   * EVALSHA of `script` on the slot of `keys` (every key under one hash
   * tag), sending the script itself (EVAL) when Redis answers NOSCRIPT
   * (after a restart or a failover: a replica promoted has no script cache).
   */
  evalScript(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown>;
  /**
   * A subscriber on a connection of its own (a connection that subscribes
   * can send nothing else), with the caller's options; nothing is opened
   * before its first subscription.
   */
  subscriber(): RedisSubscriber;
  /**
   * After a failed command and before each probe: make the client look at
   * the topology again, for a client that would not by itself (node-redis
   * v5's cluster learns of a promoted replica only from a MOVED answer, and
   * keeps queueing for a dead master). A no-op for the others.
   */
  refresh(): void;
}

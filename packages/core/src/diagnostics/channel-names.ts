/**
 * The `node:diagnostics_channel` names credchain publishes on. A stable
 * contract: subscribe with `diagnostics_channel.tracingChannel(name)` (the
 * three tracing channels) or `diagnostics_channel.subscribe(name, fn)`.
 * Payloads are documented on their message types; none ever holds a
 * secret, a session token or a full access key id. Publishing costs nothing
 * measurable while nobody subscribes.
 */
export const CredchainChannels = Object.freeze({
  /** TracingChannel, one trace per `ProviderChain.resolve()`: {@link ChainResolveMessage}. */
  chainResolve: 'credchain:chain.resolve',
  /** TracingChannel, one trace per link attempt of a chain run: {@link ProviderProvideMessage}. */
  providerProvide: 'credchain:provider.provide',
  /** TracingChannel, one trace per `AccountPool.run()`: {@link PoolRunMessage}. */
  poolRun: 'credchain:pool.run',
  /** Channel: a lease granted or released by a pool: {@link PoolLeaseMessage}. */
  poolLease: 'credchain:pool.lease',
  /** Channel: a throttle seen by a pool, and the cool-down it caused: {@link PoolCoolDownMessage}. */
  poolCoolDown: 'credchain:pool.cool-down',
  /** Channel: the role cache answered or wrote: {@link RoleCacheMessage}. */
  roleCache: 'credchain:role-cache',
  /** Channel: one role assumption with STS ended: {@link StsMessage}. */
  sts: 'credchain:sts',
  /** Channel: a shared pool state fell back to local memory, or came back: {@link RedisFallbackMessage}. */
  redisFallback: 'credchain:redis.fallback',
});

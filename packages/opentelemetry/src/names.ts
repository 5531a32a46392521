/** The span names `CredchainInstrumentation` creates. */
export const SpanNames = Object.freeze({
  resolve: 'credchain.resolve',
  provider: 'credchain.provider',
  poolRun: 'credchain.pool.run',
  assumeRole: 'credchain.sts.assume_role',
});

/** The metric names `CredchainInstrumentation` records (OpenTelemetry units in the table of the README). */
export const MetricNames = Object.freeze({
  resolveDuration: 'credchain.resolve.duration',
  leasesActive: 'credchain.pool.leases.active',
  capacity: 'credchain.pool.capacity',
  waitDuration: 'credchain.pool.wait.duration',
  throttles: 'credchain.pool.throttles',
  exhausted: 'credchain.pool.exhausted',
  roleCacheRequests: 'credchain.role_cache.requests',
  redisFallbacks: 'credchain.redis.fallbacks',
});

/** The attribute names on spans and metrics. None ever holds a secret or a full key id. */
export const AttributeNames = Object.freeze({
  link: 'credchain.link',
  linkOutcome: 'credchain.link.outcome',
  cacheOutcome: 'credchain.cache.outcome',
  prefix: 'credchain.prefix',
  keyId: 'credchain.key_id',
  poolAccount: 'credchain.pool.account',
  poolRegion: 'credchain.pool.region',
  poolAttempt: 'credchain.pool.attempt',
  poolWaitMs: 'credchain.pool.wait_ms',
  poolOutcome: 'credchain.pool.outcome',
  throttleReason: 'credchain.pool.throttle.reason',
  roleArn: 'credchain.sts.role_arn',
  roleCacheOutcome: 'credchain.role_cache.outcome',
  redisNamespace: 'credchain.redis.namespace',
});

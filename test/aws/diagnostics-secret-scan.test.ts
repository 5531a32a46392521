/**
 * Every diagnostics channel credchain publishes on, subscribed at once while
 * the packages do everything that publishes: a prefixed-key chain (resolve
 * and explain), a role profile assumed through a loopback STS and cached in
 * the role cache, a pooled call throttled then retried, an exhausted pool,
 * a Redis-shared pool falling back when its Redis dies — and then every
 * payload scanned, as JSON and as `util.inspect` shows it: no secret access
 * key, no session token, no full access key id.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { AccountPool, AwsCliRoleSessionCache, createCredentialChain } from '@credchain/aws';
import { CredchainChannels, NoCache } from '@credchain/core';
import { RedisPoolState } from '@credchain/redis';
import Redis from 'ioredis';
import { RedisServer } from '../support/redis-server';
import { stsProfilesFixture } from '../support/sts-profiles-fixture';

const BASE = { accessKeyId: 'AKIAFAKESCANBASE0001', secretAccessKey: 'SENTINEL-scan-base-secret' };
const PREFIXED = {
  accessKeyId: 'AKIAFAKESCANPREFIX01',
  secretAccessKey: 'SENTINEL-scan-prefix-secret',
};
const POOL = [1, 2].map((n) => ({
  accessKeyId: `AKIAFAKESCANPOOL000${n}`,
  secretAccessKey: `SENTINEL-scan-pool-secret-${n}`,
}));
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-scan';

const TRACING = [
  CredchainChannels.chainResolve,
  CredchainChannels.providerProvide,
  CredchainChannels.poolRun,
];
const PLAIN = [
  CredchainChannels.poolLease,
  CredchainChannels.poolCoolDown,
  CredchainChannels.roleCache,
  CredchainChannels.sts,
  CredchainChannels.redisFallback,
];

describe('diagnostics channels', () => {
  const fixture = stsProfilesFixture({
    base: BASE,
    config: `[profile scan]\nrole_arn = ${ROLE_ARN}\nsource_profile = base\n`,
  });
  /** What each channel published, shown as JSON and as inspect shows it. */
  const seen = new Map<string, string[]>();
  const record = (name: string) => (message: unknown) => {
    const shown = `${JSON.stringify(message)}\n${inspect(message, { depth: 6, showHidden: true })}`;
    seen.set(name, [...(seen.get(name) ?? []), shown]);
  };
  const unsubscribe: (() => void)[] = [];

  beforeAll(() => {
    for (const name of TRACING) {
      const fn = record(name);
      const handlers = { start: fn, end: fn, asyncStart: fn, asyncEnd: fn, error: fn };
      diagnosticsChannel.tracingChannel(name).subscribe(handlers);
      unsubscribe.push(() => diagnosticsChannel.tracingChannel(name).unsubscribe(handlers));
    }
    for (const name of PLAIN) {
      const fn = record(name);
      diagnosticsChannel.subscribe(name, fn);
      unsubscribe.push(() => diagnosticsChannel.unsubscribe(name, fn));
    }
  });
  afterAll(() => {
    for (const fn of unsubscribe) fn();
  });

  it('carry no secret, session token or full key id, whatever publishes', async () => {
    // 1. Prefixed keys: resolve (miss, then hit) and explain.
    const chain = createCredentialChain({
      env: {
        ...fixture.chainEnv(),
        REMOTION_AWS_ACCESS_KEY_ID: PREFIXED.accessKeyId,
        REMOTION_AWS_SECRET_ACCESS_KEY: PREFIXED.secretAccessKey,
      },
    });
    await chain.resolve();
    await chain.resolve();
    await chain.explain();

    // 2. A role profile through STS, cached (miss, write), then read back (hit).
    const roleCache = new AwsCliRoleSessionCache();
    const role = () =>
      createCredentialChain({
        env: fixture.chainEnv({ AWS_PROFILE: 'scan' }),
        roleCache,
        cache: new NoCache(),
      });
    const assumed = await role().resolve();
    await role().resolve();
    const issued = fixture.sts.calls.flatMap((c) => (c.issued ? [c.issued] : []));
    expect(issued).toHaveLength(1);

    // 3. A pool: one call throttled on its first account, retried; then exhausted.
    const poolEnv = Object.fromEntries(
      POOL.flatMap((a, i) => [
        [`AWS_KEY_${i + 1}`, a.accessKeyId],
        [`AWS_SECRET_${i + 1}`, a.secretAccessKey],
      ]),
    );
    const throttle = () =>
      Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' });
    const pool = AccountPool.fromEnv(poolEnv, { strategy: 'round-robin', capacity: 1 });
    await pool.run(async ({ index }) => {
      if (index === 1) throw throttle();
    });
    await expect(
      pool.run(() => {
        throw throttle();
      }),
    ).rejects.toThrow();

    // 4. A Redis-shared pool whose Redis dies: the fall-back is published.
    const redisServer = await RedisServer.start();
    const redis = new Redis(redisServer.port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    const state = new RedisPoolState(redis, { namespace: 'scan', commandTimeoutMs: 300 });
    try {
      const shared = AccountPool.fromEnv(poolEnv, { state, logger: { debug: () => {} } });
      await shared.run(async () => 'before');
      await redisServer.crash();
      // The fall-back begins (this process held no place: a run would wait for Redis).
      await shared.stats();
    } finally {
      await state.close?.();
      redis.disconnect();
      await redisServer.stop();
    }

    // Every channel published something.
    expect([...seen.keys()].sort()).toEqual([...TRACING, ...PLAIN].sort());
    const secrets = [
      BASE.secretAccessKey,
      PREFIXED.secretAccessKey,
      ...POOL.map((a) => a.secretAccessKey),
      ...issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]),
      assumed.secretAccessKey,
    ];
    const keyIds = [BASE, PREFIXED, ...POOL, ...issued].map((k) => k.accessKeyId);
    for (const [name, payloads] of seen) {
      for (const shown of payloads) {
        for (const secret of [...secrets, ...keyIds]) {
          if (shown.includes(secret)) throw new Error(`${name} published ${secret}: ${shown}`);
        }
      }
    }
    // What they do show: redacted key ids, outcomes, the role ARN.
    const all = [...seen.values()].flat().join('\n');
    expect(all).toContain('AKIA…IX01');
    expect(all).toContain(ROLE_ARN);
    expect(all).toMatch(/"outcome":"hit"/);
    expect(all).toMatch(/"state":"entered"/);
  }, 30_000);
});

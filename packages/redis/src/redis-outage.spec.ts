/**
 * How a Redis outage is told and ended, on its own: the first outage of an
 * instance at warn, later ones at debug; the words for each failure policy;
 * `credchain:redis.fallback` messages; one probe at a time, repeated every
 * `probeIntervalMs` until this process checks in again; nothing after
 * `close()`. The check-in is a function the spec controls; the clock of the
 * outage's duration is injected.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CredchainChannels, type RedisFallbackMessage } from '@credchain/core';
import { type OutageLogger, type OutageParts, RedisOutage } from './redis-outage';

/** An outage whose check-in fails while `down` is set, with a clock moved by hand. */
function outageOf(parts: Partial<OutageParts> = {}) {
  const lines: string[] = [];
  const logger: OutageLogger = {
    debug: (line) => lines.push(`debug: ${line}`),
    warn: (line) => lines.push(`warn: ${line}`),
  };
  const state = { down: true, now: 1_000_000, checkIns: 0, recovered: 0, readopted: 2 };
  const outage = new RedisOutage({
    namespace: 'spec',
    policy: 'fallback',
    probeIntervalMs: 60_000,
    now: () => state.now,
    logger: () => logger,
    recover: async () => {
      state.checkIns++;
      if (state.down) throw new Error('ECONNREFUSED');
      return state.readopted;
    },
    recovered: () => {
      state.recovered++;
    },
    ...parts,
  });
  return { outage, lines, state };
}

/** Collects `credchain:redis.fallback` messages while `fn` runs. */
async function fallbackMessages(fn: () => Promise<void>): Promise<RedisFallbackMessage[]> {
  const seen: RedisFallbackMessage[] = [];
  const listener = (message: unknown) => seen.push(message as RedisFallbackMessage);
  subscribe(CredchainChannels.redisFallback, listener);
  try {
    await fn();
  } finally {
    unsubscribe(CredchainChannels.redisFallback, listener);
  }
  return seen;
}

const waitFor = async (condition: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe(RedisOutage.name, () => {
  it('before any failure: Redis is used, and a probe says so without checking in', async () => {
    const { outage, state } = outageOf();
    expect(outage.degraded).toBe(false);
    expect(outage.since).toBe(0);
    expect(outage.reason).toBeUndefined();
    await expect(outage.probe()).resolves.toBe(true);
    expect(state.checkIns).toBe(0);
    outage.close();
  });

  it('the first outage: warned once with its reason and what happens meanwhile, then ended at warn', async () => {
    const { outage, lines, state } = outageOf();
    const messages = await fallbackMessages(async () => {
      outage.enter('acquire', 'ECONNREFUSED');
      outage.enter('release', 'ETIMEDOUT');
      expect(outage.degraded).toBe(true);
      expect(outage.since).toBe(1_000_000);
      expect(outage.reason).toBe('acquire: ECONNREFUSED');
      await expect(outage.probe()).resolves.toBe(false);
      expect(outage.degraded).toBe(true);
      state.down = false;
      state.now += 2_500;
      await expect(outage.probe()).resolves.toBe(true);
    });
    expect(lines).toEqual([
      'warn: RedisPoolState "spec": Redis cannot be used (acquire: ECONNREFUSED); until it answers again this process keeps running its calls and starts new ones only in the places of its own calls that end, while Redis still counts those places for it (leaseTtlMs): the fleet stays within each account\'s capacity, and a process that held nothing waits.',
      'warn: RedisPoolState "spec": Redis answers again after 2.5 s; 2 running leases re-adopted, leases and cool-downs are shared again.',
    ]);
    expect(messages).toEqual([
      { namespace: 'spec', state: 'entered', reason: 'acquire: ECONNREFUSED' },
      { namespace: 'spec', state: 'left', durationMs: 2_500, readopted: 2 },
    ]);
    expect(state.recovered).toBe(1);
    expect(outage.degraded).toBe(false);
    expect(outage.since).toBe(0);
    expect(outage.reason).toBeUndefined();
    outage.close();
  });

  it('later outages of the same instance at debug; one lease is "lease"; long ones in whole seconds', async () => {
    const { outage, lines, state } = outageOf({ policy: 'fail' });
    state.down = false;
    outage.enter('heartbeat', 'first');
    await outage.probe();
    lines.length = 0;
    state.readopted = 1;
    outage.enter('usage', 'again');
    state.now += 12_400;
    await outage.probe();
    expect(lines).toEqual([
      'debug: RedisPoolState "spec": Redis cannot be used (usage: again); acquire, usage and coolDown reject until it answers again and the leases this process holds are written back.',
      'debug: RedisPoolState "spec": Redis answers again after 12 s; 1 running lease re-adopted, leases and cool-downs are shared again.',
    ]);
    outage.close();
  });

  it('under 9.95 s said with a tenth; from there on, whole seconds', async () => {
    for (const [ms, said] of [
      [9_949, '9.9 s'],
      [9_950, '10 s'],
      [10_000, '10 s'],
    ] as const) {
      const { outage, lines, state } = outageOf();
      state.down = false;
      outage.enter('acquire', 'x');
      state.now += ms;
      await outage.probe();
      expect(lines[1]).toContain(`after ${said};`);
      outage.close();
    }
  });

  it('without a logger: the first outage is a process warning; a logger without warn gets debug', async () => {
    const warnings: Array<[string, unknown]> = [];
    const emitWarning = process.emitWarning;
    process.emitWarning = ((message: string, options?: unknown) => {
      warnings.push([message, options]);
    }) as typeof process.emitWarning;
    try {
      const silent = outageOf({ logger: () => undefined });
      silent.outage.enter('acquire', 'ECONNREFUSED');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.[0]).toMatch(/^RedisPoolState "spec": Redis cannot be used/);
      expect(warnings[0]?.[1]).toEqual({ code: 'CREDCHAIN_REDIS_FALLBACK' });
      silent.outage.close();
    } finally {
      process.emitWarning = emitWarning;
    }
    const debugOnly: string[] = [];
    const plain = outageOf({ logger: () => ({ debug: (line) => debugOnly.push(line) }) });
    plain.outage.enter('acquire', 'ECONNREFUSED');
    expect(debugOnly).toHaveLength(1);
    plain.outage.close();
  });

  it('concurrent probes share one check-in', async () => {
    const { outage, state } = outageOf();
    outage.enter('acquire', 'x');
    state.down = false;
    const answers = await Promise.all([outage.probe(), outage.probe(), outage.probe()]);
    expect(answers).toEqual([true, true, true]);
    expect(state.checkIns).toBe(1);
    outage.close();
  });

  it('probes by itself every probeIntervalMs until the check-in succeeds', async () => {
    const { outage, state } = outageOf({ probeIntervalMs: 20 });
    outage.enter('acquire', 'x');
    const entered = Date.now();
    await waitFor(() => state.checkIns >= 2);
    expect(outage.degraded).toBe(true);
    // One check-in per period, not one after another.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.checkIns).toBeLessThanOrEqual(Math.ceil((Date.now() - entered) / 20) + 1);
    state.down = false;
    await waitFor(() => !outage.degraded);
    expect(state.recovered).toBe(1);
    const checkIns = state.checkIns;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(state.checkIns).toBe(checkIns);
    outage.close();
  });

  it('after close(): no probing, no outage, nothing told', async () => {
    const { outage, lines, state } = outageOf({ probeIntervalMs: 20 });
    outage.enter('acquire', 'x');
    outage.close();
    const before = state.checkIns;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(state.checkIns).toBe(before);
    state.down = false;
    await expect(outage.probe()).resolves.toBe(false);
    expect(state.checkIns).toBe(before);
    expect(outage.degraded).toBe(true);
    const closed = outageOf();
    closed.outage.close();
    closed.outage.enter('acquire', 'x');
    expect(closed.outage.degraded).toBe(false);
    expect(lines).toHaveLength(1);
    expect(closed.lines).toEqual([]);
  });

  it('closed while a failing check-in runs: no probe is scheduled after it', async () => {
    jest.useFakeTimers();
    try {
      let fail = (_: Error) => {};
      const { outage } = outageOf({
        recover: () =>
          new Promise<number>((_, reject) => {
            fail = reject;
          }),
      });
      outage.enter('acquire', 'x');
      const probing = outage.probe();
      outage.close();
      fail(new Error('ECONNREFUSED'));
      await expect(probing).resolves.toBe(false);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('closed while a check-in runs: the outage is not ended', async () => {
    let release = () => {};
    const { outage, lines } = outageOf({
      recover: () =>
        new Promise<number>((resolve) => {
          release = () => resolve(1);
        }),
    });
    outage.enter('acquire', 'x');
    const probing = outage.probe();
    outage.close();
    release();
    await expect(probing).resolves.toBe(false);
    expect(outage.degraded).toBe(true);
    expect(lines).toHaveLength(1);
  });
});

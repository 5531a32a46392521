import { getEventListeners } from 'node:events';
import type { Clock } from '@credchain/core';
import { type BrokerResult, LeaseBroker } from './lease-broker';
import { CapacityFacts } from './run/capacity-facts';
import { InMemoryPoolState } from './state/in-memory-pool-state';
import type { LeaseOutcome } from './state/lease-outcome';
import type { AcquireRequest, AcquireResult, PoolLease, WaitOptions } from './state/pool-lease';
import type { PoolState } from './state/pool-state';

const T0 = Date.UTC(2030, 0, 1);
const fixedClock: Clock = { now: () => T0 };
const silent = { debug: () => {} };
/** Lets queued promise callbacks (and a release's wake-up) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

/** Records when a broker promise settles, without awaiting it. */
function track(promise: Promise<BrokerResult>) {
  const seen: { result?: BrokerResult; error?: unknown } = {};
  promise.then(
    (result) => {
      seen.result = result;
    },
    (error: unknown) => {
      seen.error = error;
    },
  );
  return seen;
}

async function hold(state: InMemoryPoolState, index: number, capacity: number[]) {
  const answer = await state.acquire({ preference: [index], capacity, now: T0 });
  if (!answer.acquired) throw new Error(`account ${index} is not free`);
  return answer.lease;
}

/** Capacity facts over `capacity`, with the revision a test moves by hand. */
function factsOf(capacity: number[]) {
  const revision = { value: 0 };
  return { facts: new CapacityFacts(capacity, () => revision.value), revision };
}

describe(LeaseBroker.name, () => {
  it('tells a waiter whose cells are all cooling down at once, behind one waiting for a full cell', async () => {
    const state = new InMemoryPoolState();
    const capacity = [1, 1];
    await hold(state, 1, capacity);
    await state.coolDown(2, T0 + 60_000);
    // A long poll: only the pump itself may answer the second waiter.
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const first = track(broker.acquire([1, 2]));
    await settle();
    expect(broker.waiting).toBe(1);
    // Account 1 was tried by this call: only account 2 is left, cooling
    // down, not full — waiting would not help, so it must learn at once.
    const second = track(broker.acquire([2], undefined, { exclude: [1] }));
    await settle();
    expect(second.result).toEqual({ exhausted: await state.usage(2, T0) });
    expect(first.result).toBeUndefined();
    expect(broker.waiting).toBe(1);
  });

  it('answers a call that excluded every cell with exhausted, also behind waiters', async () => {
    const state = new InMemoryPoolState();
    const capacity = [1, 1];
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const usage = await state.usage(2, T0);
    await expect(broker.acquire([], undefined, { exclude: [1, 2] })).resolves.toEqual({
      exhausted: usage,
    });
    await hold(state, 1, capacity);
    await hold(state, 2, capacity);
    const waiter = track(broker.acquire([1, 2]));
    await settle();
    expect(broker.waiting).toBe(1);
    const empty = track(broker.acquire([], undefined, { exclude: [1, 2] }));
    await settle();
    expect(empty.result).toEqual({ exhausted: expect.any(Array) });
    expect(waiter.result).toBeUndefined();
    expect(broker.waiting).toBe(1);
  });

  it('after a wake-up during a pass, re-checks the earlier waiters first (FIFO)', async () => {
    const inner = new InMemoryPoolState();
    const capacity = [1, 1, 1];
    const held1 = await hold(inner, 1, capacity);
    await hold(inner, 2, capacity);
    const held3 = await hold(inner, 3, capacity);
    // A store through which account 1 is released right after it refused the
    // first waiter (as another process would), once armed.
    let armed = false;
    const state: PoolState = {
      acquire: async (request) => {
        const answer = await inner.acquire(request);
        if (armed && request.exclude?.join() === '2,3') {
          armed = false;
          await inner.release(held1, { kind: 'success' });
        }
        return answer;
      },
      release: (lease, outcome) => inner.release(lease, outcome),
      coolDown: (index, until) => inner.coolDown(index, until),
      renew: (lease, now) => inner.renew(lease, now),
      usage: (count, now) => inner.usage(count, now),
      onRelease: (listener) => inner.onRelease(listener),
    };
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    // The first may only use account 1 (it tried 2 and 3); the others any.
    const first = track(broker.acquire([1], undefined, { exclude: [2, 3] }));
    const second = track(broker.acquire([1]));
    const third = track(broker.acquire([1]));
    await settle();
    expect(broker.waiting).toBe(3);
    armed = true;
    // Freeing account 3 starts a pass; during the first waiter's refusal,
    // account 1 frees too. The pass starts again from the head: the first
    // gets 1, the second 3, the third still waits.
    await inner.release(held3, { kind: 'success' });
    await settle();
    expect(armed).toBe(false);
    expect(first.result).toEqual({ lease: expect.objectContaining({ index: 1 }) });
    expect(second.result).toEqual({ lease: expect.objectContaining({ index: 3 }) });
    expect(third.result).toBeUndefined();
    expect(broker.waiting).toBe(1);
  });

  it('keeps units a heavier waiter waits for from the lighter ones behind it', async () => {
    const state = new InMemoryPoolState();
    const capacity = [4];
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const running = await broker.acquire([1], undefined, { weight: 3 });
    if (!('lease' in running)) throw new Error('expected a lease');
    const heavy = track(broker.acquire([1], undefined, { weight: 2 }));
    await settle();
    const light = track(broker.acquire([1]));
    await settle();
    // One unit is free: the light call behind the heavy one does not take it.
    expect([heavy.result, light.result]).toEqual([undefined, undefined]);
    await state.release(running.lease, { kind: 'success' });
    await settle();
    expect(heavy.result).toMatchObject({ lease: { index: 1, weight: 2 } });
    expect(light.result).toMatchObject({ lease: { index: 1 } });
  });
});

describe(`${LeaseBroker.name} when capacity changes under its waiters`, () => {
  it('serves a light waiter a lowered capacity still fits, and tells a heavy one no cell can hold it', async () => {
    const state = new InMemoryPoolState();
    const capacity = [4];
    const { facts, revision } = factsOf(capacity);
    const broker = new LeaseBroker(state, facts, fixedClock, 60_000, silent);
    const running = await broker.acquire([1], undefined, { weight: 4 });
    if (!('lease' in running)) throw new Error('expected a lease');
    const heavy = track(broker.acquire([1], undefined, { weight: 3 }));
    const light = track(broker.acquire([1], undefined, { weight: 1 }));
    await settle();
    expect(broker.waiting).toBe(2);
    // discoverCapacity() lowers it to 2, then the running call ends.
    capacity[0] = 2;
    revision.value++;
    await state.release(running.lease, { kind: 'success' });
    await settle();
    expect(heavy.error).toBeInstanceOf(RangeError);
    expect((heavy.error as Error).message).toBe(
      'the weight option of run() is 3, above the capacity every cell it may use has now: no cell could ever run this call',
    );
    expect(light.result).toMatchObject({ lease: { index: 1 } });
    expect(broker.waiting).toBe(0);
  });

  it('wakes its waiters when told capacity changed, without waiting for a release or its poll', async () => {
    const state = new InMemoryPoolState();
    const capacity = [1];
    const { facts, revision } = factsOf(capacity);
    const broker = new LeaseBroker(state, facts, fixedClock, 60_000, silent);
    await broker.acquire([1]);
    const waiting = track(broker.acquire([1]));
    await settle();
    expect(waiting.result).toBeUndefined();
    capacity[0] = 2;
    revision.value++;
    broker.wake();
    await settle();
    expect(waiting.result).toMatchObject({ lease: { index: 1 } });
  });
});

/**
 * An in-memory state seen through what the broker asks of it: every
 * request, every release, every subscription; `onAcquire` runs while the
 * store is answering (another process releasing, a caller aborting, a
 * store failing).
 */
function observed(inner = new InMemoryPoolState()) {
  const seen = {
    asked: [] as AcquireRequest[],
    released: [] as Array<{ lease: PoolLease; outcome: LeaseOutcome }>,
    subscribed: 0,
    concurrent: 0,
    mostConcurrent: 0,
    onAcquire: undefined as ((request: AcquireRequest) => Promise<void> | void) | undefined,
  };
  const state: PoolState = {
    acquire: async (request) => {
      seen.asked.push(request);
      seen.concurrent += 1;
      seen.mostConcurrent = Math.max(seen.mostConcurrent, seen.concurrent);
      try {
        await seen.onAcquire?.(request);
        return await inner.acquire(request);
      } finally {
        seen.concurrent -= 1;
      }
    },
    release: (lease, outcome) => {
      seen.released.push({ lease, outcome });
      return inner.release(lease, outcome);
    },
    coolDown: (index, until, region) => inner.coolDown(index, until, region),
    renew: (lease, now) => inner.renew(lease, now),
    usage: (count, now, regions) => inner.usage(count, now, regions),
    onRelease: (listener) => {
      seen.subscribed += 1;
      return inner.onRelease(listener);
    },
  };
  return { inner, state, seen };
}

/** A broker over an observed store whose only cell (capacity 1) is held: calls wait. */
async function brokerOnFullCell() {
  const { inner, state, seen } = observed();
  const capacity = [1];
  await hold(inner, 1, capacity);
  const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
  return { inner, state, seen, capacity, broker };
}

/**
 * A signal for a call a spec may leave waiting: aborted after the spec, so
 * that no waiter (and no poll timer) outlives it.
 */
const leftWaiting: AbortController[] = [];
function untilDone(): AbortSignal {
  const controller = new AbortController();
  leftWaiting.push(controller);
  return controller.signal;
}
afterEach(() => {
  for (const controller of leftWaiting.splice(0)) controller.abort(new Error('spec over'));
});

describe(`${LeaseBroker.name}: what the store and the caller see`, () => {
  it('asks the store with the request as it is: weight only above 1, exclude only when not empty, regions only with regions', async () => {
    const { state, seen } = observed();
    await new LeaseBroker(state, factsOf([2]).facts, fixedClock, 60_000, silent).acquire([1]);
    await new LeaseBroker(state, factsOf([2, 2]).facts, fixedClock, 60_000, silent, [
      'us-east-1',
    ]).acquire([2], undefined, { weight: 1, exclude: [] });
    const { facts, revision } = factsOf([4, 4]);
    revision.value = 7;
    await new LeaseBroker(state, facts, fixedClock, 60_000, silent).acquire([1], undefined, {
      weight: 2,
      exclude: [2],
    });
    expect(seen.asked).toStrictEqual([
      { preference: [1], capacity: [2], capacityRevision: 0, now: T0 },
      {
        preference: [2],
        capacity: [2, 2],
        capacityRevision: 0,
        now: T0,
        regions: ['us-east-1'],
      },
      { preference: [1], capacity: [4, 4], capacityRevision: 7, now: T0, weight: 2, exclude: [2] },
    ]);
  });

  it('a call served at once never subscribes to the store’s releases; a waiting one does, until no one waits', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1];
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 60_000, silent);
    const served = await broker.acquire([1]);
    expect(served).toMatchObject({ lease: { index: 1 } });
    expect(seen.subscribed).toBe(0);
    const waiting = track(broker.acquire([1], untilDone()));
    await settle();
    expect(seen.subscribed).toBe(1);
    if (!('lease' in served)) throw new Error('expected a lease');
    await inner.release(served.lease, { kind: 'success' });
    await settle();
    expect(waiting.result).toMatchObject({ lease: { index: 1 } });
    expect(broker.waiting).toBe(0);
    // Nobody waits any more: the broker unsubscribed, so a new waiter subscribes again.
    const before = seen.subscribed;
    const next = track(broker.acquire([1], untilDone()));
    await settle();
    expect(seen.subscribed).toBe(before + 1);
    expect(next.result).toBeUndefined();
  });

  it('aborted while the store grants: the abort wins, and the place goes back as a failure', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1];
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 60_000, silent);
    const controller = new AbortController();
    const reason = new Error('render cancelled');
    seen.onAcquire = () => controller.abort(reason);
    await expect(broker.acquire([1], controller.signal)).rejects.toBe(reason);
    expect(seen.released).toEqual([
      { lease: expect.objectContaining({ index: 1 }), outcome: { kind: 'failure' } },
    ]);
    expect((await inner.usage(1, T0))[0]?.inFlight).toBe(0);
  });

  it('aborted while the store refuses: the abort wins, nothing is given back, nobody waits', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1];
    await hold(inner, 1, capacity);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 60_000, silent);
    const controller = new AbortController();
    const reason = new Error('render cancelled');
    seen.onAcquire = () => controller.abort(reason);
    await expect(broker.acquire([1], controller.signal)).rejects.toBe(reason);
    expect(seen.released).toEqual([]);
    expect(broker.waiting).toBe(0);
    expect(seen.subscribed).toBe(0);
  });

  it('a waiter aborted while the store grants it: the place goes back, and the next waiter gets it without waiting for a poll', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1];
    const held = await hold(inner, 1, capacity);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const controller = new AbortController();
    const reason = new Error('render cancelled');
    const first = track(broker.acquire([1], controller.signal));
    const second = track(broker.acquire([1], untilDone()));
    await settle();
    expect(broker.waiting).toBe(2);
    seen.onAcquire = () => {
      seen.onAcquire = undefined;
      controller.abort(reason);
    };
    await inner.release(held, { kind: 'success' });
    await settle();
    expect(first.error).toBe(reason);
    expect(seen.released).toEqual([
      { lease: expect.objectContaining({ index: 1 }), outcome: { kind: 'failure' } },
    ]);
    expect(second.result).toMatchObject({ lease: { index: 1 } });
    expect(broker.waiting).toBe(0);
  });

  it('a waiter aborted during a pass, while the store answers another, is not asked', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1, 1];
    await hold(inner, 1, capacity);
    const held2 = await hold(inner, 2, capacity);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const controller = new AbortController();
    const reason = new Error('render cancelled');
    // The first may only use account 1 (it tried 2): its refusal does not
    // speak for the second, which would be asked next.
    const first = track(broker.acquire([1], untilDone(), { exclude: [2] }));
    const second = track(broker.acquire([2], controller.signal));
    await settle();
    seen.asked.length = 0;
    seen.onAcquire = (request) => {
      if (request.preference.join() === '1') controller.abort(reason);
    };
    await inner.release(held2, { kind: 'success' });
    await settle();
    expect(second.error).toBe(reason);
    expect(first.result).toBeUndefined();
    expect(seen.asked.map((r) => r.preference)).toEqual([[1]]);
    expect(seen.released).toEqual([]);
    expect((await inner.usage(2, T0))[1]?.inFlight).toBe(0);
    expect(broker.waiting).toBe(1);
  });

  it('a waiter aborted while the store refuses it in a pass: nothing is given back', async () => {
    const { broker, seen } = await brokerOnFullCell();
    const controller = new AbortController();
    const reason = new Error('render cancelled');
    const waiting = track(broker.acquire([1], controller.signal));
    await settle();
    seen.onAcquire = () => controller.abort(reason);
    broker.wake();
    await settle();
    expect(waiting.error).toBe(reason);
    expect(seen.released).toEqual([]);
    expect(broker.waiting).toBe(0);
  });

  it('the second of three waiters aborts: the first and the third keep their places, in order', async () => {
    const { inner, state } = observed();
    const capacity = [1];
    const held = await hold(inner, 1, capacity);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const controller = new AbortController();
    const first = track(broker.acquire([1], untilDone()));
    const second = track(broker.acquire([1], controller.signal));
    const third = track(broker.acquire([1], untilDone()));
    await settle();
    controller.abort(new Error('cancelled'));
    await settle();
    expect(second.error).toEqual(new Error('cancelled'));
    expect(broker.waiting).toBe(2);
    await inner.release(held, { kind: 'success' });
    await settle();
    expect(first.result).toMatchObject({ lease: { index: 1 } });
    expect(third.result).toBeUndefined();
    if (!first.result || !('lease' in first.result)) throw new Error('expected a lease');
    await inner.release(first.result.lease, { kind: 'success' });
    await settle();
    expect(third.result).toMatchObject({ lease: { index: 1 } });
  });

  it('leaves no listener on the caller’s signal once its call is served or aborted', async () => {
    const { inner, state } = observed();
    const capacity = [1];
    const held = await hold(inner, 1, capacity);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const served = new AbortController();
    const aborted = new AbortController();
    const first = track(broker.acquire([1], served.signal));
    track(broker.acquire([1], aborted.signal));
    await settle();
    expect(getEventListeners(served.signal, 'abort')).toHaveLength(1);
    aborted.abort(new Error('cancelled'));
    await inner.release(held, { kind: 'success' });
    await settle();
    expect(first.result).toMatchObject({ lease: { index: 1 } });
    expect(getEventListeners(served.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(aborted.signal, 'abort')).toHaveLength(0);
  });

  it('a store failing while a call waits fails that call; the others keep waiting', async () => {
    const { broker, seen } = await brokerOnFullCell();
    const first = track(broker.acquire([1], untilDone()));
    const second = track(broker.acquire([1], untilDone()));
    await settle();
    const outage = new Error('store unreachable');
    seen.onAcquire = () => {
      seen.onAcquire = undefined;
      throw outage;
    };
    broker.wake();
    await settle();
    expect(first.error).toBe(outage);
    expect(second).toEqual({});
    expect(broker.waiting).toBe(1);
  });

  it('a waiter aborted while the store fails: it gets its abort, and the one behind it keeps waiting', async () => {
    const { broker, seen } = await brokerOnFullCell();
    const controller = new AbortController();
    const reason = new Error('render cancelled');
    const first = track(broker.acquire([1], controller.signal));
    const second = track(broker.acquire([1], untilDone()));
    await settle();
    seen.onAcquire = () => {
      seen.onAcquire = undefined;
      controller.abort(reason);
      throw new Error('store unreachable');
    };
    broker.wake();
    await settle();
    expect(first.error).toBe(reason);
    expect(second).toEqual({});
    expect(broker.waiting).toBe(1);
  });

  it('one store round trip per pass while every waiter’s cells stay full or cooling down', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1, 1, 1];
    await hold(inner, 1, capacity);
    await hold(inner, 3, capacity);
    await inner.coolDown(2, T0 + 60_000);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const waiters = [[1], [2, 3], [3]].map((preference) =>
      track(broker.acquire(preference, untilDone())),
    );
    await settle();
    expect(broker.waiting).toBe(3);
    seen.asked.length = 0;
    broker.wake();
    await settle();
    // The first waiter may use every cell and found none with room: the
    // others, already refused, are not asked again.
    expect(seen.asked.map((r) => r.preference)).toEqual([[1]]);
    expect(waiters.map((w) => w.result)).toEqual([undefined, undefined, undefined]);
  });

  it('only one pass at a time: a wake-up during a pass makes it start again, not run a second one alongside', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1, 1];
    await hold(inner, 1, capacity);
    await hold(inner, 2, capacity);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    track(broker.acquire([1], untilDone(), { exclude: [2] }));
    track(broker.acquire([2], untilDone(), { exclude: [1] }));
    await settle();
    seen.asked.length = 0;
    seen.mostConcurrent = 0;
    let wakes = 3;
    seen.onAcquire = async () => {
      if (wakes-- > 0) broker.wake();
      await new Promise((resolve) => setTimeout(resolve, 1));
    };
    broker.wake();
    await settle();
    await settle();
    await settle();
    expect(wakes).toBeLessThan(0);
    // Each wake-up during a pass starts it again from the head.
    expect(seen.asked.length).toBeGreaterThan(2);
    expect(seen.mostConcurrent).toBe(1);
  });

  it('wake() with nobody waiting asks nothing and says nothing', async () => {
    const { state, seen } = observed();
    const lines: string[] = [];
    const broker = new LeaseBroker(state, factsOf([1]).facts, fixedClock, 600_000, {
      debug: (line) => lines.push(line),
    });
    broker.wake();
    await settle();
    expect(seen.asked).toEqual([]);
    expect(lines).toEqual([]);
  });
});

describe(`${LeaseBroker.name}: a cool-down ending exactly now`, () => {
  it('a full cell whose cool-down ends now is full, not cooling down: the call waits', async () => {
    const state = new InMemoryPoolState();
    const capacity = [1];
    await hold(state, 1, capacity);
    await state.coolDown(1, T0);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 600_000, silent);
    const call = track(broker.acquire([1], untilDone()));
    await settle();
    expect(call.result).toBeUndefined();
    expect(broker.waiting).toBe(1);
  });

  it('a cool-down ending exactly at waitUntil is waited for; a millisecond later is not', async () => {
    const state = new InMemoryPoolState();
    await state.coolDown(1, T0 + 1_000);
    const broker = new LeaseBroker(state, factsOf([1]).facts, fixedClock, 600_000, silent);
    const waits = track(broker.acquire([1], untilDone(), { waitUntil: T0 + 1_000 }));
    await settle();
    expect(waits.result).toBeUndefined();
    expect(broker.waiting).toBe(1);
    await expect(broker.acquire([1], undefined, { waitUntil: T0 + 999 })).resolves.toEqual({
      exhausted: await state.usage(1, T0),
    });
    expect(broker.waiting).toBe(1);
  });

  it('a cell whose cool-down ended exactly now serves a waiter in the next pass', async () => {
    const state = new InMemoryPoolState();
    const capacity = [1, 1, 1];
    await hold(state, 1, capacity);
    await hold(state, 3, capacity);
    let now = T0;
    await state.coolDown(2, T0 + 1_000);
    const broker = new LeaseBroker(
      state,
      factsOf(capacity).facts,
      { now: () => now },
      600_000,
      silent,
    );
    const first = track(broker.acquire([1], untilDone(), { exclude: [2, 3] }));
    const second = track(broker.acquire([2, 3], untilDone()));
    await settle();
    expect(broker.waiting).toBe(2);
    now = T0 + 1_000;
    broker.wake();
    await settle();
    expect(second.result).toMatchObject({ lease: { index: 2 } });
    expect(first.result).toBeUndefined();
  });

  it('a light waiter does not take the units a heavier one ahead of it waits for, on a cell whose cool-down ended now', async () => {
    const state = new InMemoryPoolState();
    const capacity = [2];
    let now = T0;
    const one = await hold(state, 1, capacity);
    await hold(state, 1, capacity);
    await state.coolDown(1, T0 + 1_000);
    const broker = new LeaseBroker(
      state,
      factsOf(capacity).facts,
      { now: () => now },
      600_000,
      silent,
    );
    const waitUntil = T0 + 5_000;
    const heavy = track(broker.acquire([1], untilDone(), { weight: 2, waitUntil }));
    const light = track(broker.acquire([1], untilDone(), { waitUntil }));
    await settle();
    expect(broker.waiting).toBe(2);
    now = T0 + 1_000;
    await state.release(one, { kind: 'success' });
    await settle();
    expect(light.result).toBeUndefined();
    expect(heavy.result).toBeUndefined();
    expect(broker.waiting).toBe(2);
    expect((await state.usage(1, now))[0]?.inFlight).toBe(1);
  });

  it.each([
    ['the earliest seen first', 1, 2],
    ['the earliest seen second', 2, 1],
  ])(
    'waits until the earliest cool-down end among its waiters (%s), not the last one it saw, nor a poll',
    async (_label, early, later) => {
      const state = new InMemoryPoolState();
      const capacity = [1, 1, 1];
      await state.coolDown(early, T0 + 60);
      await state.coolDown(later, T0 + 9_000);
      await hold(state, 3, capacity);
      let now = T0;
      const broker = new LeaseBroker(
        state,
        factsOf(capacity).facts,
        { now: () => now },
        600_000,
        silent,
      );
      const waitUntil = T0 + 10_000;
      // Each pass sees account 1's waiter, then account 2's (cooling until
      // +60 ms and +9 s, in the order of the case), then a full one.
      const one = track(broker.acquire([1], untilDone(), { exclude: [2, 3], waitUntil }));
      const two = track(broker.acquire([2], untilDone(), { exclude: [1, 3], waitUntil }));
      const full = track(broker.acquire([3], untilDone(), { exclude: [1, 2], waitUntil }));
      await settle();
      expect(broker.waiting).toBe(3);
      // The broker's timer is due in 60 ms (real time); by then the clock says
      // the first cool-down has ended (were it already due, it runs again).
      now = T0 + 60;
      await new Promise((resolve) => setTimeout(resolve, 600));
      const [soon, late] = early === 1 ? [one, two] : [two, one];
      expect(soon.result).toMatchObject({ lease: { index: early } });
      expect(late.result).toBeUndefined();
      expect(full.result).toBeUndefined();
    },
  );

  it('waiting polls the store every pollMs, not sooner, even when a cool-down ends exactly now', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1];
    await hold(inner, 1, capacity);
    await inner.coolDown(1, T0);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 10_000, silent);
    track(broker.acquire([1], untilDone()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.asked.length).toBeLessThanOrEqual(2);
  });

  it('a wake-up replaces the poll timer rather than adding one', async () => {
    const { inner, state, seen } = observed();
    const capacity = [1];
    await hold(inner, 1, capacity);
    const broker = new LeaseBroker(state, factsOf(capacity).facts, fixedClock, 40, silent);
    track(broker.acquire([1], untilDone()));
    for (let i = 0; i < 6; i++) {
      await settle();
      broker.wake();
    }
    seen.asked.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 400));
    // About ten polls in 400 ms; six timers left running would make it sixty.
    expect(seen.asked.length).toBeLessThanOrEqual(20);
    expect(seen.asked.length).toBeGreaterThanOrEqual(1);
  });
});

/**
 * A store with its own line: the in-memory state plus `wait()`, which grants
 * what `acquire` grants, keeps a refused request until `hand()` answers it,
 * and records what it was asked.
 */
function withLine(state: InMemoryPoolState) {
  const asked: { request: AcquireRequest; options: WaitOptions }[] = [];
  const parked: ((answer: AcquireResult) => void)[] = [];
  const store: PoolState = {
    acquire: (request) => state.acquire(request),
    async wait(request, options) {
      asked.push({ request, options });
      const answer = await state.acquire(request);
      if (answer.acquired) return answer;
      return new Promise<AcquireResult>((resolve) => parked.push(resolve));
    },
    release: (lease, outcome) => state.release(lease, outcome),
    coolDown: (index, until, region) => state.coolDown(index, until, region),
    renew: (lease, now) => state.renew(lease, now),
    usage: (count, now, regions) => state.usage(count, now, regions),
    onRelease: (listener) => state.onRelease(listener),
  };
  return { store, asked, hand: (answer: AcquireResult) => parked.shift()?.(answer) };
}

describe(`${LeaseBroker.name} on a store with its own line (PoolState.wait)`, () => {
  it('hands the request to wait() with pollMs, the signal and waitUntil, counts the call as waiting meanwhile, and returns the lease it hands over', async () => {
    const state = new InMemoryPoolState();
    const capacity = [1];
    const held = await hold(state, 1, capacity);
    const { store, asked, hand } = withLine(state);
    const broker = new LeaseBroker(store, factsOf(capacity).facts, fixedClock, 1_234, silent);
    const signal = untilDone();
    const call = track(broker.acquire([1], signal, { waitUntil: T0 + 500 }));
    await settle();
    expect(asked).toHaveLength(1);
    expect(asked[0]?.request).toMatchObject({ preference: [1], capacity: [1] });
    expect(asked[0]?.options).toStrictEqual({ pollMs: 1_234, signal, waitUntil: T0 + 500 });
    expect(broker.waiting).toBe(1);
    expect(call.result).toBeUndefined();
    await state.release(held, { kind: 'success' });
    const lease = await state.acquire({ preference: [1], capacity, now: T0 });
    hand(lease);
    await settle();
    expect(call.result).toStrictEqual({ lease: (lease as { lease: PoolLease }).lease });
    expect(broker.waiting).toBe(0);
  });

  it('a call served at once by wait() never waits in the broker', async () => {
    const state = new InMemoryPoolState();
    const { store, asked } = withLine(state);
    const broker = new LeaseBroker(store, factsOf([1]).facts, fixedClock, 60_000, silent);
    const result = await broker.acquire([1]);
    expect('lease' in result && result.lease.index).toBe(1);
    expect(asked).toHaveLength(1);
    expect(broker.waiting).toBe(0);
  });

  it("wait() answering 'full' (the store could not keep it): the call waits in the broker and takes the place released next", async () => {
    const state = new InMemoryPoolState();
    const capacity = [1];
    const held = await hold(state, 1, capacity);
    const { store, hand } = withLine(state);
    const broker = new LeaseBroker(store, factsOf(capacity).facts, fixedClock, 60_000, silent);
    const call = track(broker.acquire([1], untilDone()));
    await settle();
    hand({ acquired: false, refusal: 'full', retryAt: 0 });
    await settle();
    expect(call.result).toBeUndefined();
    expect(broker.waiting).toBe(1);
    await state.release(held, { kind: 'success' });
    await settle();
    expect(call.result && 'lease' in call.result && call.result.lease.index).toBe(1);
    expect(broker.waiting).toBe(0);
  });

  it("wait() answering 'cooling' past waitUntil: the call is told exhausted at once, nothing waits", async () => {
    const state = new InMemoryPoolState();
    const { store, hand } = withLine(state);
    await state.coolDown(1, T0 + 60_000);
    const broker = new LeaseBroker(store, factsOf([1]).facts, fixedClock, 60_000, silent);
    const call = track(broker.acquire([1], undefined, { waitUntil: T0 + 100 }));
    await settle();
    hand({ acquired: false, refusal: 'cooling', retryAt: T0 + 60_000 });
    await settle();
    expect(call.result).toBeDefined();
    expect(call.result && 'lease' in call.result).toBe(false);
    expect(broker.waiting).toBe(0);
  });

  it('aborted while wait() hands over a lease: the abort wins and the place goes back', async () => {
    const state = new InMemoryPoolState();
    const capacity = [1];
    const held = await hold(state, 1, capacity);
    const { store, hand } = withLine(state);
    const broker = new LeaseBroker(store, factsOf(capacity).facts, fixedClock, 60_000, silent);
    const controller = new AbortController();
    const call = track(broker.acquire([1], controller.signal));
    await settle();
    await state.release(held, { kind: 'success' });
    const lease = await state.acquire({ preference: [1], capacity, now: T0 });
    controller.abort(new Error('cancelled'));
    hand(lease);
    await settle();
    expect(call.error).toEqual(new Error('cancelled'));
    const [usage] = await state.usage(1, T0);
    expect(usage?.inFlight).toBe(0);
  });
});

import type { Clock } from '@credchain/core';
import { type BrokerResult, LeaseBroker } from './lease-broker';
import { CapacityFacts } from './run/capacity-facts';
import { InMemoryPoolState } from './state/in-memory-pool-state';
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

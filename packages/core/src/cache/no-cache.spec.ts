import { NoCache } from './no-cache';

interface TestCreds {
  readonly id: string;
}

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A slow loader that counts its calls and can be told to fail. */
function counter(fail: (call: number) => boolean = () => false) {
  const state = {
    calls: 0,
    load: async (): Promise<TestCreds> => {
      const call = ++state.calls;
      await tick(1);
      if (fail(call)) throw new Error(`load #${call} failed`);
      return { id: `call-${call}` };
    },
  };
  return state;
}

describe(NoCache.name, () => {
  it('shares one load between concurrent calls', async () => {
    const loader = counter();
    const entry = new NoCache<TestCreds>().entry('k', loader.load);
    const results = await Promise.all(Array.from({ length: 10_000 }, () => entry.get()));
    expect(`${loader.calls} load(s) for ${results.length} calls`).toBe('1 load(s) for 10000 calls');
    expect(new Set(results).size).toBe(1);
  });

  it('keeps nothing once the load settles', async () => {
    const loader = counter();
    const entry = new NoCache<TestCreds>().entry('k', loader.load);
    await expect(entry.get()).resolves.toEqual({ id: 'call-1' });
    await expect(entry.get()).resolves.toEqual({ id: 'call-2' });
    await expect(entry.get()).resolves.toEqual({ id: 'call-3' });
  });

  it('never keeps a rejection', async () => {
    const loader = counter((call) => call === 1);
    const entry = new NoCache<TestCreds>().entry('k', loader.load);
    const first = Promise.all([entry.get(), entry.get(), entry.get()]);
    await expect(first).rejects.toThrow('load #1 failed');
    await expect(entry.get()).resolves.toEqual({ id: 'call-2' });
    expect(loader.calls).toBe(2);
  });

  it('returns the same entry for the same key, another for another key', () => {
    const cache = new NoCache<TestCreds>();
    const load = counter().load;
    expect(cache.entry('a', load)).toBe(cache.entry('a', load));
    expect(cache.entry('b', load)).not.toBe(cache.entry('a', load));
    expect(cache.size).toBe(2);
  });

  it('invalidate() empties it and drops an in-flight load', async () => {
    const loader = counter();
    const cache = new NoCache<TestCreds>();
    const entry = cache.entry('k', loader.load);
    const inflight = entry.get();
    cache.invalidate();
    expect(cache.size).toBe(0);
    const after = entry.get();
    expect(after).not.toBe(inflight);
    await expect(Promise.all([inflight, after])).resolves.toEqual([
      { id: 'call-1' },
      { id: 'call-2' },
    ]);
  });

  it('evicts the oldest key beyond maxEntries', () => {
    const cache = new NoCache<TestCreds>(2);
    const load = counter().load;
    const a = cache.entry('a', load);
    cache.entry('b', load);
    cache.entry('c', load);
    expect(cache.size).toBe(2);
    expect(cache.entry('a', load)).not.toBe(a);
  });
});

import { ProcessLifetimeCache } from './process-lifetime-cache';

interface TestCreds {
  readonly id: string;
  readonly expiration?: Date;
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
      // Already expired: this strategy keeps whatever it got.
      return { id: `call-${call}`, expiration: new Date(0) };
    },
  };
  return state;
}

describe(ProcessLifetimeCache.name, () => {
  it('shares one load between concurrent cold calls', async () => {
    const loader = counter();
    const entry = new ProcessLifetimeCache<TestCreds>().entry('k', loader.load);
    const results = await Promise.all(Array.from({ length: 10_000 }, () => entry.get()));
    expect(`${loader.calls} load(s) for ${results.length} calls`).toBe('1 load(s) for 10000 calls');
    expect(new Set(results).size).toBe(1);
  });

  it('keeps the first credentials, whatever their expiration, until invalidate()', async () => {
    const loader = counter();
    const cache = new ProcessLifetimeCache<TestCreds>();
    const entry = cache.entry('k', loader.load);
    const first = await entry.get();
    for (let i = 0; i < 100; i++) expect(await entry.get()).toBe(first);
    expect(loader.calls).toBe(1);

    cache.invalidate();
    expect(cache.size).toBe(0);
    await expect(entry.get()).resolves.toEqual(expect.objectContaining({ id: 'call-2' }));
    await expect(cache.entry('k', loader.load).get()).resolves.toEqual(
      expect.objectContaining({ id: 'call-3' }),
    );
  });

  it('never keeps a rejection', async () => {
    const loader = counter((call) => call === 1);
    const entry = new ProcessLifetimeCache<TestCreds>().entry('k', loader.load);
    const first = Promise.all([entry.get(), entry.get(), entry.get()]);
    await expect(first).rejects.toThrow('load #1 failed');
    await expect(entry.get()).resolves.toEqual(expect.objectContaining({ id: 'call-2' }));
    await expect(entry.get()).resolves.toEqual(expect.objectContaining({ id: 'call-2' }));
    expect(loader.calls).toBe(2);
  });

  it('does not keep a load that was in flight when it was invalidated', async () => {
    const loader = counter();
    const cache = new ProcessLifetimeCache<TestCreds>();
    const entry = cache.entry('k', loader.load);
    const stale = entry.get();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(loader.calls).toBe(1);
    cache.invalidate();
    await expect(stale).resolves.toEqual(expect.objectContaining({ id: 'call-1' }));
    await expect(entry.get()).resolves.toEqual(expect.objectContaining({ id: 'call-2' }));
    await expect(entry.get()).resolves.toEqual(expect.objectContaining({ id: 'call-2' }));
  });

  it('keeps one entry per key and evicts the oldest beyond maxEntries', async () => {
    const cache = new ProcessLifetimeCache<TestCreds>(2);
    const loads: string[] = [];
    const loader = (key: string) => async () => {
      loads.push(key);
      return { id: key };
    };
    for (const key of ['a', 'b', 'a', 'c', 'b', 'c', 'a'])
      await cache.entry(key, loader(key)).get();
    expect(loads).toEqual(['a', 'b', 'c', 'a']);
    expect(cache.size).toBe(2);
  });
});

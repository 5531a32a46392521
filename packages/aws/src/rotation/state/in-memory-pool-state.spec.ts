import { describePoolStateContract } from '../../../../../test/support/pool-state-contract';
import { InMemoryPoolState } from './in-memory-pool-state';

describePoolStateContract(InMemoryPoolState.name, () => ({ state: new InMemoryPoolState() }));

describe(InMemoryPoolState.name, () => {
  it('keeps each instance’s state apart', async () => {
    const a = new InMemoryPoolState();
    const b = new InMemoryPoolState();
    await a.acquire({ preference: [1], capacity: [1], now: 1 });
    expect((await b.usage(1, 1))[0]?.inFlight).toBe(0);
    expect((await b.acquire({ preference: [1], capacity: [1], now: 1 })).acquired).toBe(true);
  });

  it('holds numbers and lease ids only: nothing a key could hide in', async () => {
    const state = new InMemoryPoolState();
    const lease = await state.acquire({ preference: [1], capacity: [1], now: 1 });
    expect(JSON.stringify(await state.usage(1, 1))).toMatch(/^[[\]{}"a-zA-Z0-9:,]*$/);
    expect(lease).toEqual({
      acquired: true,
      lease: { index: 1, id: expect.stringMatching(/^\d+$/), grantedAt: 1 },
    });
  });
});

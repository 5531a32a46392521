import { SingleFlight } from './single-flight';

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe(SingleFlight.name, () => {
  it('shares one in-flight load and forgets it once it settles', async () => {
    let calls = 0;
    const flight = new SingleFlight(async () => {
      calls++;
      await tick(1);
      return calls;
    });
    expect(flight.running).toBe(false);
    const a = flight.run();
    const b = flight.run();
    expect(a).toBe(b);
    expect(flight.running).toBe(true);
    await expect(a).resolves.toBe(1);
    expect(flight.running).toBe(false);
    await expect(flight.run()).resolves.toBe(2);
  });

  it('forgets a rejection before callers see it', async () => {
    let calls = 0;
    const flight = new SingleFlight(async () => {
      calls++;
      throw new Error(`failure ${calls}`);
    });
    await expect(flight.run()).rejects.toThrow('failure 1');
    expect(flight.running).toBe(false);
    await expect(flight.run()).rejects.toThrow('failure 2');
  });

  it('turns a synchronous throw into a rejection', async () => {
    const flight = new SingleFlight<number>(() => {
      throw new Error('sync');
    });
    await expect(flight.run()).rejects.toThrow('sync');
  });

  it('reset() makes the next run start a new load, and the old one does not clear it', async () => {
    const releases: Array<(value: number) => void> = [];
    const flight = new SingleFlight(() => new Promise<number>((resolve) => releases.push(resolve)));
    const old = flight.run();
    flight.reset();
    const fresh = flight.run();
    expect(fresh).not.toBe(old);
    await tick();
    expect(releases).toHaveLength(2);
    releases[0]?.(1);
    await expect(old).resolves.toBe(1);
    // fresh is still in flight after old settled: old's settlement must not forget it.
    expect(flight.running).toBe(true);
    expect(flight.run()).toBe(fresh);
    releases[1]?.(2);
    await expect(fresh).resolves.toBe(2);
    expect(flight.running).toBe(false);
  });
});

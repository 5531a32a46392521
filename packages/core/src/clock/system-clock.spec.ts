import { SystemClock } from './system-clock';

describe(SystemClock.name, () => {
  it('tells the wall-clock time in milliseconds since the epoch', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    const after = Date.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });
});

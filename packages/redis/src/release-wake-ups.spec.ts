import { ReleaseWakeUps } from './release-wake-ups';

describe(ReleaseWakeUps.name, () => {
  it('tells every listener; one registered twice is told twice and unregistered separately', () => {
    const wakeUps = new ReleaseWakeUps();
    const calls: string[] = [];
    const listener = () => calls.push('a');
    const first = wakeUps.add(listener);
    wakeUps.add(listener);
    wakeUps.add(() => calls.push('b'));
    wakeUps.notify();
    expect(calls).toEqual(['a', 'a', 'b']);
    first();
    first();
    calls.length = 0;
    wakeUps.notify();
    expect(calls).toEqual(['a', 'b']);
  });

  it('a listener that throws does not keep the others from being told', () => {
    const wakeUps = new ReleaseWakeUps();
    const calls: string[] = [];
    wakeUps.add(() => {
      throw new Error('listener failed');
    });
    wakeUps.add(() => calls.push('after'));
    expect(() => wakeUps.notify()).not.toThrow();
    expect(calls).toEqual(['after']);
  });

  it('a listener that unregisters another while being told: the other is still told this time', () => {
    const wakeUps = new ReleaseWakeUps();
    const calls: string[] = [];
    let removeSecond = () => {};
    wakeUps.add(() => {
      calls.push('first');
      removeSecond();
    });
    removeSecond = wakeUps.add(() => calls.push('second'));
    wakeUps.notify();
    wakeUps.notify();
    expect(calls).toEqual(['first', 'second', 'first']);
  });

  it('close() forgets every listener', () => {
    const wakeUps = new ReleaseWakeUps();
    const calls: string[] = [];
    wakeUps.add(() => calls.push('a'));
    wakeUps.close();
    wakeUps.notify();
    expect(calls).toEqual([]);
  });
});

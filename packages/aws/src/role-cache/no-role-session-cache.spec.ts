import { Credentials, SilentLogger, SystemClock, toEnvironmentSource } from '@credchain/core';
import { NoRoleSessionCache } from './no-role-session-cache';

describe(NoRoleSessionCache.name, () => {
  it('assumes the role on every request, keeps nothing and names no entry', async () => {
    let calls = 0;
    const request = {
      key: 'a'.repeat(40),
      env: toEnvironmentSource({}),
      logger: new SilentLogger(),
      clock: new SystemClock(),
      startedAt: Date.now(),
      assume: async () => {
        calls += 1;
        return new Credentials({
          accessKeyId: `ASIAFAKENOCACHE0000${calls}`,
          secretAccessKey: 'fake-secret-no-cache',
        });
      },
    };
    const cache = new NoRoleSessionCache();
    const first = await cache.session(request);
    const second = await cache.session(request);
    expect(first).toEqual({
      credentials: expect.any(Credentials),
      source: 'assumed',
      key: undefined,
    });
    expect([first.credentials.accessKeyId, second.credentials.accessKeyId]).toEqual([
      'ASIAFAKENOCACHE00001',
      'ASIAFAKENOCACHE00002',
    ]);
  });
});

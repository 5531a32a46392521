import { RedisTimeoutError, withTimeout } from './with-timeout';

const later = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe(withTimeout.name, () => {
  it('an answer in time is the answer; a failure in time is that failure', async () => {
    await expect(withTimeout(later(5, 'OK'), 1_000, 'PING')).resolves.toBe('OK');
    const refused = new Error('NOPERM');
    await expect(withTimeout(Promise.reject(refused), 1_000, 'PING')).rejects.toBe(refused);
  });

  it('no answer in time: a RedisTimeoutError naming the command and the bound', async () => {
    const started = Date.now();
    const error = await withTimeout(later(500, 'late'), 30, 'acquire').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(400);
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect(error).toMatchObject({
      name: 'RedisTimeoutError',
      message: 'acquire: no answer from Redis within 30 ms',
    });
  });

  it('a failure after the bound is swallowed: no unhandled rejection', async () => {
    // Jest fails a test during which a promise rejection goes unhandled.
    const late = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('late failure')), 40),
    );
    await expect(withTimeout(late, 10, 'release')).rejects.toThrow(RedisTimeoutError);
    await later(80, undefined);
  });
});

import Redis from 'ioredis';
import { pingRedis, RedisServer } from './redis-server';

describe(RedisServer.name, () => {
  let server: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    server = await RedisServer.start();
    client = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true });
    await client.connect();
  });

  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  it('runs a real Redis on loopback without persistence', async () => {
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await client.set('k', 'v');
    await expect(client.get('k')).resolves.toBe('v');
    await expect(client.config('GET', 'save')).resolves.toEqual(['save', '']);
    await expect(client.config('GET', 'appendonly')).resolves.toEqual(['appendonly', 'no']);
  });

  it('pause() hangs it with its port open, resume() brings it back', async () => {
    server.pause();
    await expect(pingRedis(server.port, 150)).resolves.toBe(false);
    server.resume();
    await expect(pingRedis(server.port, 1000)).resolves.toBe(true);
  });

  it('restart() keeps the port and loses keys and scripts', async () => {
    await client.set('k', 'v');
    const sha = (await client.script('LOAD', 'return 1')) as string;
    await server.restart();
    await expect(client.get('k')).resolves.toBeNull();
    await expect(client.evalsha(sha, 0)).rejects.toThrow(/NOSCRIPT/);
  });

  it('crash() refuses connections until restart()', async () => {
    await server.crash();
    await expect(pingRedis(server.port)).resolves.toBe(false);
    await server.restart();
    await expect(pingRedis(server.port)).resolves.toBe(true);
  });
});

/**
 * Admin questions to one node of a test topology (a redis-server or a
 * sentinel): one short-lived connection per question, no retries, so a dead
 * process answers `undefined` quickly instead of an error.
 */
import Redis from 'ioredis';
import { LOOPBACK } from './loopback';

/** The node's answer to `command`, or undefined when it does not answer. */
export async function askRedis<T>(port: number, ...command: string[]): Promise<T | undefined> {
  const admin = new Redis(port, LOOPBACK, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 500,
    commandTimeout: 1_000,
    enableOfflineQueue: false,
  });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
    return (await admin.call(command[0] as string, ...command.slice(1))) as T;
  } catch {
    return undefined;
  } finally {
    admin.disconnect();
  }
}

import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The parts of s3rver 3.7.1 used here (the package ships no types). */
interface S3rverInstance {
  readonly httpServer?: Server;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
interface S3rverClass {
  new (options: {
    address: string;
    port: number;
    silent: boolean;
    directory: string;
    configureBuckets: { name: string }[];
  }): S3rverInstance;
}
interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  revokeAccessKey(accessKeyId: string): void;
}
interface S3rverAccountClass {
  new (accountId: number, displayName: string): S3rverAccount;
}

const S3rver = require('s3rver') as S3rverClass;
const S3rverAccountModel = require('s3rver/lib/models/account') as S3rverAccountClass;

/** A key pair the fake S3 accepts. */
export interface FakeS3Account {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface FakeS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Stops the server, unregisters the keys and removes the temporary folder. */
  stop(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 (an ephemeral port, a temporary folder) with
 * `accounts` registered: s3rver answers 403 InvalidAccessKeyId to any other
 * key id. (It does not verify SigV4 signatures, only key ids.)
 */
export async function startFakeS3(
  accounts: readonly FakeS3Account[],
  buckets: readonly string[],
): Promise<FakeS3> {
  const directory = await mkdtemp(join(tmpdir(), 'credchain-example-s3-'));
  // s3rver's key registry is module-global: remember what we add, remove it at stop.
  const registered = accounts.map((account, i) => {
    const owner = new S3rverAccountModel(300000000001 + i, `example-${i + 1}`);
    owner.createKeyPair(account.accessKeyId, account.secretAccessKey);
    return { owner, accessKeyId: account.accessKeyId };
  });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const cleanUp = async () => {
    for (const { owner, accessKeyId } of registered) owner.revokeAccessKey(accessKeyId);
    await rm(directory, { recursive: true, force: true });
  };
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    await cleanUp();
    throw error;
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      const closing = server.close();
      // Kept-alive SDK sockets would hold close() open.
      server.httpServer?.closeAllConnections();
      await closing;
      await cleanUp();
    },
  };
}

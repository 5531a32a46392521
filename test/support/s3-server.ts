/**
 * A fake S3 (s3rver 3.7.1) on 127.0.0.1 with its own temporary directory.
 *
 * s3rver looks the request's access key id up in its account registry and
 * answers 403 InvalidAccessKeyId for an unknown one, but it does NOT verify
 * SigV4 signatures (a wrong secret is accepted). Use sigv4-server.ts where a
 * test must prove the signature. Its built-in key pair `S3RVER`/`S3RVER` is
 * always registered.
 *
 * Client settings that work against it: `endpoint`, `forcePathStyle: true`,
 * `region: 'us-east-1'`, `requestChecksumCalculation: 'WHEN_REQUIRED'`,
 * `responseChecksumValidation: 'WHEN_REQUIRED'`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account';
import { closeServer, LOOPBACK, SocketTracker } from './loopback';

export interface S3Account {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3ServerOptions {
  /** Key pairs s3rver accepts (besides its own S3RVER/S3RVER). Default: FAKE_S3_ACCOUNT. */
  accounts?: S3Account[];
  /** Buckets created before the server starts. */
  buckets?: string[];
}

export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly url: string;
  readonly port: number;
  /** The temporary directory holding the buckets (removed by stop()). */
  readonly directory: string;
  readonly accounts: readonly S3Account[];
  createBucket(name: string): Promise<void>;
  /** Registers one more key pair while running. */
  addAccount(account: S3Account): void;
  stop(): Promise<void>;
}

export const FAKE_S3_ACCOUNT: S3Account = {
  accessKeyId: 'AKIAFAKES30000000001',
  secretAccessKey: 'fake-s3-secret-key-not-a-real-secret-0001',
};

let nextAccountId = 100000000001;

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'credchain-s3rver-'));
  const accounts: S3Account[] = [];
  // The registry is module-global inside s3rver: remember what we add to remove it at stop.
  const registered: string[] = [];

  function addAccount(account: S3Account): void {
    const owner = new AWSAccount(nextAccountId++, `credchain-${account.accessKeyId.slice(-4)}`);
    owner.createKeyPair(account.accessKeyId, account.secretAccessKey);
    registered.push(account.accessKeyId);
    accounts.push({ ...account });
  }

  for (const account of options.accounts ?? [FAKE_S3_ACCOUNT]) addAccount(account);

  const s3rver = new S3rver({
    address: LOOPBACK,
    port: 0,
    silent: true,
    directory,
    resetOnClose: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });

  let address: { port: number };
  try {
    address = await s3rver.run();
  } catch (error) {
    for (const id of registered) AWSAccount.registry.get(id)?.revokeAccessKey(id);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const httpServer = s3rver.httpServer;
  if (httpServer === undefined) throw new Error('s3rver did not start an HTTP server');
  const tracker = new SocketTracker(httpServer);
  const endpoint = `http://${LOOPBACK}:${address.port}`;
  let stopped = false;

  return {
    endpoint,
    url: endpoint,
    port: address.port,
    directory,
    accounts,
    addAccount,
    async createBucket(name) {
      await s3rver.store.putBucket(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await closeServer(httpServer, tracker);
      for (const id of registered) AWSAccount.registry.get(id)?.revokeAccessKey(id);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

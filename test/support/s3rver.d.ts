// Minimal declarations for the parts of s3rver 3.7.1 the test servers use
// (the package ships no types).
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverBucketConfig {
    name: string;
    configs?: Array<string | Buffer>;
  }

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    serviceEndpoint?: string;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: S3rverBucketConfig[];
  }

  interface S3rverStore {
    putBucket(name: string): Promise<unknown>;
    getBucket(name: string): Promise<unknown>;
    deleteBucket(name: string): Promise<void>;
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    readonly store: S3rverStore;
    httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    configureBuckets(): Promise<unknown>;
    reset(): void;
  }

  export = S3rver;
}

declare module 's3rver/lib/models/account' {
  class AWSAccount {
    constructor(accountId: number | string, displayName: string);
    readonly id: number | string;
    readonly displayName: string;
    readonly accessKeys: Map<string, string>;
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
    static registry: Map<string, AWSAccount>;
    static DUMMY_ACCOUNT: AWSAccount;
  }

  export = AWSAccount;
}

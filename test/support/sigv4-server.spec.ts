import { request as httpRequest } from 'node:http';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { AWS_ISOLATION, setEnv } from './env';
import { NodeSha256, type SigV4Server, startSigV4Server } from './sigv4-server';
import { type AwsFiles, writeAwsFiles } from './temp-aws-files';

const GOOD = {
  accessKeyId: 'AKIAFAKESIGV40000001',
  secretAccessKey: 'fake-sigv4-secret-key-not-a-real-secret-01',
};
const TEMP = {
  accessKeyId: 'ASIAFAKESIGV40000002',
  secretAccessKey: 'fake-sigv4-secret-key-not-a-real-secret-02',
  sessionToken: 'fake-session-token-02',
};

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

describe('SigV4-verifying loopback server', () => {
  let server: SigV4Server;
  let files: AwsFiles;
  let restoreEnv: () => void;
  const destroy: Array<{ destroy(): void }> = [];

  function s3(credentials: Creds): S3Client {
    const client = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1,
    });
    destroy.push(client);
    return client;
  }

  function sts(credentials: Creds): STSClient {
    const client = new STSClient({
      endpoint: server.endpoint,
      region: 'eu-central-1',
      credentials,
      maxAttempts: 1,
    });
    destroy.push(client);
    return client;
  }

  beforeAll(async () => {
    files = await writeAwsFiles();
    restoreEnv = setEnv({ ...AWS_ISOLATION, ...files.env });
    server = await startSigV4Server({
      keys: {
        [GOOD.accessKeyId]: GOOD.secretAccessKey,
        [TEMP.accessKeyId]: TEMP.secretAccessKey,
      },
    });
  });

  afterAll(async () => {
    for (const client of destroy) client.destroy();
    await server.stop();
    restoreEnv();
    await files.cleanup();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('accepts S3 requests signed with the right keys', async () => {
    const client = s3(GOOD);
    const list = await client.send(new ListBucketsCommand({}));
    expect(list.Buckets?.[0]?.Name).toBe('sigv4-verified');
    await client.send(
      new PutObjectCommand({ Bucket: 'b', Key: 'dir/a file+with=odd&chars.txt', Body: 'payload' }),
    );
    await client.send(
      new ListObjectsV2Command({ Bucket: 'b', Prefix: 'dir/a file+x=/é', MaxKeys: 5 }),
    );
    await client.send(new CreateMultipartUploadCommand({ Bucket: 'b', Key: 'k' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'ü/ key' }));
    expect(await got.Body?.transformToString()).toContain(GOOD.accessKeyId);
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));
    expect(server.requests.map((r) => [r.method, r.valid, r.code])).toEqual([
      ['GET', true, undefined],
      ['PUT', true, undefined],
      ['GET', true, undefined],
      ['POST', true, undefined],
      ['GET', true, undefined],
      ['HEAD', true, undefined],
    ]);
    expect(server.requests[0]).toMatchObject({
      accessKeyId: GOOD.accessKeyId,
      region: 'us-east-1',
      service: 's3',
    });
  });

  it('accepts temporary credentials and records the session token', async () => {
    await s3(TEMP).send(new ListBucketsCommand({}));
    expect(server.requests[0]).toMatchObject({
      valid: true,
      accessKeyId: TEMP.accessKeyId,
      sessionToken: TEMP.sessionToken,
    });
    expect(server.requests[0]?.signedHeaders).toContain('x-amz-security-token');
  });

  it('rejects a wrong secret with SignatureDoesNotMatch', async () => {
    const client = s3({ accessKeyId: GOOD.accessKeyId, secretAccessKey: 'not-the-secret' });
    await expect(client.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    expect(server.requests.every((r) => !r.valid && r.code === 'SignatureDoesNotMatch')).toBe(true);
  });

  it('rejects an unknown access key id with InvalidAccessKeyId', async () => {
    const client = s3({
      accessKeyId: 'AKIAFAKEUNKNOWN00001',
      secretAccessKey: GOOD.secretAccessKey,
    });
    await expect(client.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
  });

  it('verifies STS (query protocol) requests, body included', async () => {
    const ok = await sts(GOOD).send(new GetCallerIdentityCommand({}));
    expect(ok.Arn).toBe(`arn:aws:iam::111122223333:user/${GOOD.accessKeyId}`);
    expect(server.requests[0]).toMatchObject({
      valid: true,
      service: 'sts',
      region: 'eu-central-1',
      action: 'GetCallerIdentity',
    });
    await expect(
      sts({ ...GOOD, secretAccessKey: 'nope' }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(
      sts({ ...GOOD, accessKeyId: 'AKIAFAKEUNKNOWN00001' }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  describe('tampering (hand-signed raw requests)', () => {
    async function signedRaw(
      body: string,
      opts: { tamperBody?: string; contentSha?: boolean; date?: Date } = {},
    ): Promise<{ status: number; body: string }> {
      const signer = new SignatureV4({
        credentials: GOOD,
        region: 'us-east-1',
        service: 'sts',
        sha256: NodeSha256,
        applyChecksum: opts.contentSha ?? false,
      });
      const host = `127.0.0.1:${server.port}`;
      const signed = await signer.sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: '127.0.0.1',
          port: server.port,
          path: '/',
          query: {},
          headers: { host, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        },
        opts.date ? { signingDate: opts.date } : {},
      );
      const sent = opts.tamperBody ?? body;
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: '/',
            agent: false,
            headers: { ...signed.headers, 'content-length': Buffer.byteLength(sent) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
            );
          },
        );
        req.on('error', reject);
        req.end(sent);
      });
    }

    const form = 'Action=GetCallerIdentity&Version=2011-06-15';

    it('accepts the untampered request', async () => {
      expect((await signedRaw(form)).status).toBe(200);
    });

    it('rejects a changed body (no x-amz-content-sha256)', async () => {
      const res = await signedRaw(form, { tamperBody: `${form}&x=1` });
      expect(res.status).toBe(403);
      expect(res.body).toContain('SignatureDoesNotMatch');
    });

    it('rejects a body that does not match x-amz-content-sha256', async () => {
      const res = await signedRaw(form, { contentSha: true, tamperBody: `${form}&x=1` });
      expect(res.status).toBe(403);
      expect(res.body).toContain('XAmzContentSHA256Mismatch');
    });

    it('rejects a stale signature', async () => {
      const res = await signedRaw(form, { date: new Date(Date.now() - 20 * 60 * 1000) });
      expect(res.status).toBe(403);
      expect(res.body).toContain('RequestTimeTooSkewed');
    });
  });
});

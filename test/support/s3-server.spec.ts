import { existsSync } from 'node:fs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AWS_ISOLATION, setEnv } from './env';
import { FAKE_S3_ACCOUNT, type S3Account, type S3Server, startS3Server } from './s3-server';
import { type AwsFiles, writeAwsFiles } from './temp-aws-files';

function s3Client(endpoint: string, credentials: S3Account): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

describe('s3rver loopback server', () => {
  const second: S3Account = {
    accessKeyId: 'AKIAFAKES30000000002',
    secretAccessKey: 'fake-s3-secret-key-not-a-real-secret-0002',
  };
  let server: S3Server;
  let files: AwsFiles;
  let restoreEnv: () => void;
  const clients: S3Client[] = [];

  function client(credentials: S3Account): S3Client {
    const c = s3Client(server.endpoint, credentials);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    files = await writeAwsFiles();
    restoreEnv = setEnv({ ...AWS_ISOLATION, ...files.env });
    server = await startS3Server({ accounts: [FAKE_S3_ACCOUNT, second], buckets: ['preset'] });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
    restoreEnv();
    await files.cleanup();
  });

  it('binds 127.0.0.1 on an ephemeral port', () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).not.toBe(4568);
  });

  it('puts and gets an object with a registered key', async () => {
    await server.createBucket('renders');
    const s3 = client(FAKE_S3_ACCOUNT);
    await s3.send(
      new PutObjectCommand({ Bucket: 'renders', Key: 'out/video.txt', Body: 'frame data' }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'renders', Key: 'out/video.txt' }));
    expect(await got.Body?.transformToString()).toBe('frame data');

    const other = client(second);
    const again = await other.send(
      new GetObjectCommand({ Bucket: 'renders', Key: 'out/video.txt' }),
    );
    expect(await again.Body?.transformToString()).toBe('frame data');
  });

  it('has the buckets given at start and created through the API', async () => {
    const s3 = client(FAKE_S3_ACCOUNT);
    await s3.send(new CreateBucketCommand({ Bucket: 'via-api' }));
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(
      expect.arrayContaining(['preset', 'renders', 'via-api']),
    );
  });

  it('refuses an unregistered access key id', async () => {
    const s3 = client({
      accessKeyId: 'AKIAFAKEUNKNOWN00001',
      secretAccessKey: FAKE_S3_ACCOUNT.secretAccessKey,
    });
    await expect(s3.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('does NOT check the secret (s3rver skips SigV4 verification)', async () => {
    const s3 = client({ accessKeyId: FAKE_S3_ACCOUNT.accessKeyId, secretAccessKey: 'wrong' });
    await expect(s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
  });

  it('accepts keys added while running', async () => {
    const third = { accessKeyId: 'AKIAFAKES30000000003', secretAccessKey: 'third' };
    server.addAccount(third);
    await expect(client(third).send(new ListBucketsCommand({}))).resolves.toBeDefined();
  });

  it('removes its directory and its keys on stop', async () => {
    const own = await startS3Server({
      accounts: [{ accessKeyId: 'AKIAFAKES30000000009', secretAccessKey: 'nine' }],
    });
    expect(existsSync(own.directory)).toBe(true);
    await own.stop();
    expect(existsSync(own.directory)).toBe(false);
    // The keys of the other server are untouched.
    await expect(client(FAKE_S3_ACCOUNT).send(new ListBucketsCommand({}))).resolves.toBeDefined();
  });
});

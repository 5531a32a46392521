/**
 * An internal SDK wrapper embedding credchain, twice in one process.
 *
 * `AcmeAws` reads `ACME_AWS_…` variables through its own child container,
 * logger and cache strategy, and hands out S3 clients from its own
 * `AwsClientCache`. A second instance with the prefix `GLOBEX` and another
 * environment runs next to it. Both do a real signed Put/Get, concurrently,
 * against a fake S3 (s3rver) on 127.0.0.1 that knows both key pairs.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { redactKeyId } from '@credchain/core';
import { AcmeAws } from './acme-aws';
import { startFakeS3 } from './fake-s3';

/** Obviously fake keys, registered with the local S3 only. */
const ACME_KEYS = {
  accessKeyId: 'AKIAFAKEWRAPPERACME1',
  secretAccessKey: 'fake-acme-wrapper-secret-not-real',
};
const GLOBEX_KEYS = {
  accessKeyId: 'AKIAFAKEWRAPPERGLBX2',
  secretAccessKey: 'fake-globex-wrapper-secret-not-real',
};
const BUCKET = 'wrapper-example';
const REGION = 'us-east-1';

/** What one wrapper did. */
export interface WrapperRun {
  readonly prefix: string;
  /** The link that resolved this wrapper's credentials. */
  readonly resolvedBy: string | null;
  /** The key id its S3 client signed with, redacted. */
  readonly signedAs: string;
  /** The object key it wrote and the text it read back. */
  readonly objectKey: string;
  readonly readBack: string;
  /** `getS3Client(region)` twice gives the same client. */
  readonly sameClientForSameRegion: boolean;
  /** Another region gives another client. */
  readonly newClientForOtherRegion: boolean;
  readonly clientCount: number;
  readonly logs: readonly string[];
}

export interface EnterpriseWrapperReport {
  readonly s3Endpoint: string;
  readonly wrappers: WrapperRun[];
  /** Whether the two wrappers handed out the same client for the same region (they must not). */
  readonly sharedClient: boolean;
}

type RoundTrip = Omit<WrapperRun, 'clientCount' | 'logs'>;

async function roundTrip(wrapper: AcmeAws): Promise<RoundTrip> {
  const s3 = wrapper.getS3Client(REGION);
  const objectKey = `${wrapper.prefix.toLowerCase()}/hello.txt`;
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: objectKey, Body: `hello from ${wrapper.prefix}` }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey }));
  const readBack = (await got.Body?.transformToString()) ?? '';
  return {
    prefix: wrapper.prefix,
    resolvedBy: (await wrapper.explain()).resolvedBy,
    // The identity the client itself signs with (from the wrapper's chain).
    signedAs: redactKeyId((await s3.config.credentials()).accessKeyId),
    objectKey,
    readBack,
    sameClientForSameRegion: wrapper.getS3Client(REGION) === s3,
    newClientForOtherRegion: wrapper.getS3Client('eu-central-1') !== s3,
  };
}

/** Starts the fake S3, runs both wrappers concurrently, stops everything. */
export async function main(): Promise<EnterpriseWrapperReport> {
  const s3 = await startFakeS3([ACME_KEYS, GLOBEX_KEYS], [BUCKET]);
  // Two environments, as two teams' services would have: each holds only
  // its own prefix's variables. HOME points nowhere: no real profile files.
  const home = '/nonexistent-credchain-example-home';
  const acme = new AcmeAws({
    env: {
      HOME: home,
      ACME_AWS_ACCESS_KEY_ID: ACME_KEYS.accessKeyId,
      ACME_AWS_SECRET_ACCESS_KEY: ACME_KEYS.secretAccessKey,
    },
    s3Endpoint: s3.endpoint,
  });
  const globex = new AcmeAws({
    prefix: 'GLOBEX',
    env: {
      HOME: home,
      GLOBEX_AWS_ACCESS_KEY_ID: GLOBEX_KEYS.accessKeyId,
      GLOBEX_AWS_SECRET_ACCESS_KEY: GLOBEX_KEYS.secretAccessKey,
    },
    s3Endpoint: s3.endpoint,
  });
  const wrappers = [acme, globex];
  let runs: RoundTrip[];
  let clientCounts: number[];
  let sharedClient: boolean;
  try {
    runs = await Promise.all(wrappers.map(roundTrip));
    sharedClient = acme.getS3Client(REGION) === globex.getS3Client(REGION);
    clientCounts = wrappers.map((w) => w.clientCount);
  } finally {
    for (const w of wrappers) w.close();
    await s3.stop();
  }
  return {
    s3Endpoint: s3.endpoint,
    wrappers: runs.map((run, i) => ({
      ...run,
      clientCount: clientCounts[i] ?? 0,
      logs: [...(wrappers[i]?.logs ?? [])],
    })),
    sharedClient,
  };
}

/** The human output: per wrapper, who it signed as, what it read back, its own log. */
export function format(report: EnterpriseWrapperReport): string {
  const lines = [`Fake S3 on ${report.s3Endpoint} (stopped again)`];
  for (const w of report.wrappers) {
    lines.push(
      '',
      `${w.prefix}: resolved by ${w.resolvedBy}, signed as ${w.signedAs}`,
      `  Put/Get ${w.objectKey}: read back "${w.readBack}"`,
      `  same client for the same region: ${w.sameClientForSameRegion}; ` +
        `new client for another region: ${w.newClientForOtherRegion}; clients held: ${w.clientCount}`,
      `  its own log (${w.logs.length} lines):`,
      ...w.logs.map((line) => `    ${line}`),
    );
  }
  lines.push('', `The two wrappers share a client: ${report.sharedClient}`);
  return lines.join('\n');
}

function print(report: EnterpriseWrapperReport): void {
  console.log(format(report));
}

function fail(error: unknown): void {
  console.error(
    `enterprise-wrapper failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}

if (require.main === module) {
  // The AWS SDK warns about Node 20 on every run; the example is not about that.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().then(print, fail);
}

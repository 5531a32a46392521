/**
 * An internal SDK wrapper embedding credchain, as a platform team ships it.
 *
 * `AcmeAws` is built with `createAwsAuth({ prefix: 'ACME', … })`: one
 * prefix for the chain, the client cache and the account pool; Acme's vault
 * (`HttpCredentialsProvider`) placed after the prefixed links; Acme's own
 * "no credentials" advice; a `doctor` command.
 *
 * `node dist/main.js` runs the demo against fakes on 127.0.0.1 — a vault, an
 * S3 (s3rver) and a Lambda-like endpoint that records which key signed each
 * request — with a second wrapper (`GLOBEX`) beside it.
 * `node dist/main.js doctor` prints Acme's doctor report for this shell's
 * `ACME_…` variables (exit 1 when there are no credentials).
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { redactKeyId } from '@credchain/core';
import { AcmeAws } from './acme-aws';
import { type DoctorReport, formatDoctor } from './doctor';
import { startFakeLambda } from './fake-lambda';
import { startFakeS3 } from './fake-s3';
import { startFakeVault } from './fake-vault';

/** Obviously fake keys, known to the local fakes only. */
const key = (accessKeyId: string, name: string) => ({
  accessKeyId,
  secretAccessKey: `fake-${name}-secret-not-real`,
});
export const KEYS = {
  pool: [key('AKIAFAKEACMEPOOL0001', 'acme-pool-1'), key('AKIAFAKEACMEPOOL0002', 'acme-pool-2')],
  vault: {
    ...key('AKIAFAKEACMEVAULT777', 'acme-vault'),
    sessionToken: 'fake-acme-vault-session-not-real',
  },
  vaultToken: 'fake-acme-vault-token-not-real',
  /** The developer's own plain AWS keys, present as they are on a laptop. */
  laptop: key('AKIAFAKELAPTOPPLAIN9', 'laptop'),
  globex: key('AKIAFAKEWRAPPERGLBX2', 'globex'),
} as const;
const BUCKET = 'wrapper-example';
/** No real profile files. */
const HOME = '/nonexistent-credchain-example-home';

/** ACME's environment: its vault, two accounts to rotate, and the laptop's plain keys. */
export function acmeEnv(vaultUrl: string): Record<string, string> {
  return {
    HOME,
    ACME_AWS_REGION: 'eu-central-1',
    ACME_VAULT_URL: vaultUrl,
    ACME_VAULT_TOKEN: KEYS.vaultToken,
    ...Object.fromEntries(
      KEYS.pool.flatMap((k, i) => [
        [`ACME_AWS_KEY_${i + 1}`, k.accessKeyId],
        [`ACME_AWS_SECRET_${i + 1}`, k.secretAccessKey],
      ]),
    ),
    AWS_ACCESS_KEY_ID: KEYS.laptop.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.laptop.secretAccessKey,
  };
}

/** What one wrapper did with S3, outside any pool. */
export interface WrapperRun {
  readonly prefix: string;
  /** The link that resolved this wrapper's credentials. */
  readonly resolvedBy: string | null;
  /** The key id its S3 client signed with, redacted. */
  readonly signedAs: string;
  /** The object key it wrote and the text it read back. */
  readonly objectKey: string;
  readonly readBack: string;
  /** `s3()` twice gives the same client. */
  readonly sameClientForSameRegion: boolean;
  /** Another region gives another client. */
  readonly newClientForOtherRegion: boolean;
  readonly clientCount: number;
  readonly logs: readonly string[];
}

/** One `acme.run(…)` call: the account it leased and the key(s) that signed its request. */
export interface PooledCall {
  readonly call: number;
  readonly leased: number;
  /** The leased account's key id, redacted. */
  readonly leasedKeyId: string;
  /** Every key id the Lambda endpoint saw for this call, redacted. */
  readonly signedBy: readonly string[];
}

export interface EnterpriseWrapperReport {
  readonly endpoints: { readonly s3: string; readonly vault: string; readonly lambda: string };
  readonly wrappers: WrapperRun[];
  /** Whether the two wrappers handed out the same client for the same region (they must not). */
  readonly sharedClient: boolean;
  /** ACME's Lambda calls inside `acme.run(…)`. */
  readonly pooled: readonly PooledCall[];
  /** The key ids that signed ACME's Lambda call outside the pool, redacted. */
  readonly outsidePool: readonly string[];
  /** Requests the Lambda endpoint saw in all, and refused (unknown key). */
  readonly lambdaRequests: { readonly total: number; readonly refused: number };
  /** Vault requests answered with keys, and refused (bad token). */
  readonly vaultRequests: { readonly ok: number; readonly refused: number };
  /** `acme doctor` for ACME's environment. */
  readonly doctor: DoctorReport;
  /** A wrapper with nothing configured: its error, ending in Acme's advice. */
  readonly noCredentials: { readonly error: string; readonly doctor: DoctorReport };
}

type RoundTrip = Omit<WrapperRun, 'clientCount' | 'logs'>;

async function roundTrip(wrapper: AcmeAws): Promise<RoundTrip> {
  const s3 = wrapper.s3();
  const objectKey = `${wrapper.prefix.toLowerCase()}/hello.txt`;
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: objectKey, Body: `hello from ${wrapper.prefix}` }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey }));
  const readBack = (await got.Body?.transformToString()) ?? '';
  return {
    prefix: wrapper.prefix,
    resolvedBy: (await wrapper.doctor()).resolvedBy,
    // The identity the client itself signs with (from the wrapper's chain).
    signedAs: redactKeyId((await s3.config.credentials()).accessKeyId),
    objectKey,
    readBack,
    sameClientForSameRegion: wrapper.s3() === s3,
    newClientForOtherRegion: wrapper.s3('us-west-2') !== s3,
  };
}

const invoke = (acme: AcmeAws, call: number) =>
  acme
    .lambda()
    .send(new InvokeCommand({ FunctionName: 'render', Payload: JSON.stringify({ call }) }));

/**
 * Starts the fakes, runs ACME and GLOBEX side by side, ACME's pooled calls
 * and its doctor, then stops everything (also when something fails).
 */
export async function main(options: { calls?: number } = {}): Promise<EnterpriseWrapperReport> {
  const calls = options.calls ?? 6;
  const stops: (() => Promise<void>)[] = [];
  const wrappers: AcmeAws[] = [];
  try {
    const vault = await startFakeVault(KEYS.vault, KEYS.vaultToken);
    stops.push(() => vault.stop());
    const s3 = await startFakeS3([KEYS.vault, KEYS.globex], [BUCKET]);
    stops.push(() => s3.stop());
    const lambda = await startFakeLambda(
      [...KEYS.pool, KEYS.vault, KEYS.laptop].map((k) => k.accessKeyId),
    );
    stops.push(() => lambda.stop());
    const endpoints = { s3: s3.endpoint, lambda: lambda.endpoint };

    const acme = new AcmeAws({ env: acmeEnv(vault.url), endpoints });
    // Another team's wrapper: its own prefix and environment, no vault, no pool.
    const globex = new AcmeAws({
      prefix: 'GLOBEX',
      env: {
        HOME,
        GLOBEX_AWS_REGION: 'eu-central-1',
        GLOBEX_AWS_ACCESS_KEY_ID: KEYS.globex.accessKeyId,
        GLOBEX_AWS_SECRET_ACCESS_KEY: KEYS.globex.secretAccessKey,
      },
      endpoints,
    });
    const nobody = new AcmeAws({ env: { HOME }, region: 'eu-central-1' });
    wrappers.push(acme, globex, nobody);

    const runs = await Promise.all([acme, globex].map(roundTrip));
    const sharedClient = acme.s3() === globex.s3();

    // Pooled: each call leases an account; every client it takes signs with it.
    const leased = await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        acme.run(async ({ index }) => {
          await invoke(acme, i + 1);
          return index;
        }),
      ),
    );
    await invoke(acme, 0); // outside the pool: the vault's keys
    const signersOf = (call: number) =>
      lambda.requests.filter((r) => r.call === call).map((r) => redactKeyId(r.keyId));
    const pooled = leased.map((index, i) => ({
      call: i + 1,
      leased: index,
      leasedKeyId: redactKeyId(KEYS.pool[index - 1]?.accessKeyId),
      signedBy: signersOf(i + 1),
    }));

    const error = await nobody.credentials().then(
      () => 'resolved',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    return {
      endpoints: { ...endpoints, vault: vault.url },
      wrappers: runs.map((run, i) => ({
        ...run,
        clientCount: wrappers[i]?.clientCount ?? 0,
        logs: wrappers[i]?.logs ?? [],
      })),
      sharedClient,
      pooled,
      outsidePool: signersOf(0),
      lambdaRequests: {
        total: lambda.requests.length,
        refused: lambda.requests.filter((r) => !r.accepted).length,
      },
      vaultRequests: { ...vault.served },
      doctor: await acme.doctor(),
      noCredentials: { error, doctor: await nobody.doctor() },
    };
  } finally {
    for (const wrapper of wrappers) wrapper.close();
    for (const stop of stops.reverse()) await stop();
  }
}

/** The human output of the demo. Never a secret: key ids redacted. */
export function format(report: EnterpriseWrapperReport): string {
  const lines = [
    `Fakes on 127.0.0.1 (stopped again): S3 ${report.endpoints.s3}, vault ${report.endpoints.vault}, Lambda ${report.endpoints.lambda}`,
  ];
  for (const w of report.wrappers) {
    lines.push(
      '',
      `${w.prefix}: resolved by ${w.resolvedBy}, signed as ${w.signedAs}`,
      `  S3 Put/Get ${w.objectKey}: read back "${w.readBack}"`,
      `  same client for the same region: ${w.sameClientForSameRegion}; ` +
        `new client for another region: ${w.newClientForOtherRegion}; clients held: ${w.clientCount}`,
      `  its own log (${w.logs.length} lines):`,
      ...w.logs.map((line) => `    ${line}`),
    );
  }
  lines.push(
    '',
    `The two wrappers share a client: ${report.sharedClient}`,
    '',
    `ACME, Lambda inside acme.run(…) (${report.pooled.length} concurrent calls):`,
    ...report.pooled.map(
      (p) =>
        `  call ${p.call}: leased account ${p.leased} (${p.leasedKeyId}), signed by ${p.signedBy.join(', ')}`,
    ),
    `ACME, Lambda outside the pool: signed by ${report.outsidePool.join(', ')}`,
    '',
    '$ acme doctor',
    formatDoctor(report.doctor),
    '',
    '$ acme doctor   # nothing configured',
    formatDoctor(report.noCredentials.doctor),
  );
  return lines.join('\n');
}

/** `acme doctor` on this process's environment: the report, exit code 1 without credentials. */
export async function doctorCommand(env = process.env): Promise<number> {
  const acme = new AcmeAws({ env });
  try {
    const report = await acme.doctor();
    console.log(formatDoctor(report));
    return report.ok ? 0 : 1;
  } finally {
    acme.close();
  }
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
  if (process.argv[2] === 'doctor') {
    doctorCommand().then((code) => {
      process.exitCode = code;
    }, fail);
  } else {
    main().then((report) => console.log(format(report)), fail);
  }
}

/**
 * The credentials check skipped, on an "EC2 instance".
 *
 * With `REMOTION_SKIP_AWS_CREDENTIALS_CHECK` set and no key or profile
 * configured, the default chain reaches its machine links and takes the
 * instance role's credentials from instance metadata (IMDSv2). Here the
 * instance metadata service is a small fake on 127.0.0.1, reached by the AWS
 * SDK's own IMDS client through `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
 *
 * Shown too: without the flag the metadata service is never contacted, and
 * with the flag, configured keys still win over the instance role.
 */
import { AwsClientCache, createCredentialChain } from '@credchain/aws';
import type { Attempt } from '@credchain/core';
import { type ImdsRequest, startFakeImds } from './fake-imds';

/** Obviously fake instance role credentials. */
const ROLE_NAME = 'render-fleet-role';
const ROLE_CREDENTIALS = {
  accessKeyId: 'AKIAFAKEINSTANCE0001',
  secretAccessKey: 'fake-instance-role-secret-not-real',
  sessionToken: 'fake-instance-role-session-token-not-real',
};
const ENDPOINT_VARIABLE = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';
const SKIP_VARIABLE = 'REMOTION_SKIP_AWS_CREDENTIALS_CHECK';

export interface SkipCheckReport {
  readonly imdsEndpoint: string;
  /** The check not skipped, nothing configured. */
  readonly withoutSkip: {
    readonly attempts: readonly Attempt[];
    /** The credentials check's message. */
    readonly checkMessage: string;
    readonly imdsRequests: number;
  };
  /** The check skipped, nothing configured: the instance role. */
  readonly withSkip: {
    readonly resolvedBy: string | null;
    readonly attempts: readonly Attempt[];
    /** The resolved credentials as `Credentials` print them (redacted). */
    readonly credentials: string;
    readonly hasSessionToken: boolean;
    readonly expiresInMinutes: number;
    /** The requests the fake IMDS answered, in order. */
    readonly imdsRequests: readonly ImdsRequest[];
    /** The client cache's key strategy while the check is skipped. */
    readonly clientCacheStrategy: string;
  };
  /** The check skipped, but REMOTION_ keys set: they win; IMDS is not asked. */
  readonly keysWin: { readonly resolvedBy: string | null; readonly imdsRequests: number };
}

/**
 * Starts the fake IMDS, points the SDK at it through `process.env` (restored
 * before returning) and resolves three environments.
 */
export async function main(): Promise<SkipCheckReport> {
  const imds = await startFakeImds({ roleName: ROLE_NAME, credentials: ROLE_CREDENTIALS });
  const previous = process.env[ENDPOINT_VARIABLE];
  // The SDK's IMDS client reads its endpoint from process.env only; the chain
  // reads the plain object below (for its messages and cache key).
  process.env[ENDPOINT_VARIABLE] = imds.endpoint;
  try {
    const base = {
      HOME: '/nonexistent-credchain-example-home',
      [ENDPOINT_VARIABLE]: imds.endpoint,
    };

    const checked = createCredentialChain({ env: base });
    const checkedReport = await checked.explain();
    const checkMessage = await checked.resolve().then(
      () => '(resolved)',
      (error: Error) => error.message,
    );
    const withoutSkip = {
      attempts: checkedReport.attempts,
      checkMessage,
      imdsRequests: imds.requests.length,
    };

    const skipEnv = { ...base, [SKIP_VARIABLE]: '1' };
    const chain = createCredentialChain({ env: skipEnv });
    const { resolvedBy, attempts } = await chain.explain();
    const credentials = await chain.resolve();
    const withSkip = {
      resolvedBy,
      attempts,
      credentials: String(credentials),
      hasSessionToken: credentials.sessionToken !== undefined,
      expiresInMinutes: Math.round(
        ((credentials.expiration?.getTime() ?? 0) - Date.now()) / 60_000,
      ),
      imdsRequests: [...imds.requests],
      clientCacheStrategy: new AwsClientCache({ env: skipEnv, chain }).currentStrategy().name,
    };

    const before = imds.requests.length;
    const keysChain = createCredentialChain({
      env: {
        ...skipEnv,
        REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKECONFIGURED02',
        REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-configured-secret-not-real',
      },
    });
    const keysWin = {
      resolvedBy: (await keysChain.explain()).resolvedBy,
      imdsRequests: imds.requests.length - before,
    };

    return { imdsEndpoint: imds.endpoint, withoutSkip, withSkip, keysWin };
  } finally {
    if (previous === undefined) delete process.env[ENDPOINT_VARIABLE];
    else process.env[ENDPOINT_VARIABLE] = previous;
    await imds.stop();
  }
}

function table(attempts: readonly Attempt[]): string[] {
  return attempts.map((a) => {
    const reason = a.reason ? `  ${a.reason}` : '';
    return `    ${a.provider.padEnd(19)} ${a.outcome.padEnd(12)} ${String(a.durationMs).padStart(3)} ms${reason}`;
  });
}

/** The human output: the explain() tables and what the fake IMDS saw. */
export function format(report: SkipCheckReport): string {
  const { withoutSkip, withSkip, keysWin } = report;
  return [
    `Fake EC2 instance metadata (IMDSv2) on ${report.imdsEndpoint} (stopped again)`,
    '',
    `1. ${SKIP_VARIABLE} not set, nothing configured:`,
    ...table(withoutSkip.attempts),
    `  resolve() fails with the credentials check (${withoutSkip.imdsRequests} requests reached IMDS):`,
    // The message lists every link too (as above); show the check's own part.
    ...withoutSkip.checkMessage
      .slice(Math.max(0, withoutSkip.checkMessage.indexOf('The credentials check')))
      .split('\n')
      .map((line) => `    | ${line}`),
    '',
    `2. ${SKIP_VARIABLE}=1, nothing configured:`,
    ...table(withSkip.attempts),
    `  -> resolved by ${withSkip.resolvedBy}: ${withSkip.credentials}`,
    `     (role ${ROLE_NAME}, session token: ${withSkip.hasSessionToken}, expires in ${withSkip.expiresInMinutes} min)`,
    '  IMDS requests (explain() and the first resolve() each do one round):',
    ...withSkip.imdsRequests.map((r) => `    ${r.method.padEnd(4)} ${r.path} -> ${r.status}`),
    `  AwsClientCache key strategy: ${withSkip.clientCacheStrategy} (one client per region and service)`,
    '',
    `3. ${SKIP_VARIABLE}=1 and REMOTION_AWS_ACCESS_KEY_ID/SECRET set:`,
    `  -> resolved by ${keysWin.resolvedBy}; ${keysWin.imdsRequests} requests reached IMDS`,
  ].join('\n');
}

function print(report: SkipCheckReport): void {
  console.log(format(report));
}

function fail(error: unknown): void {
  console.error(
    `skip-check-on-ec2 failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}

if (require.main === module) {
  // The AWS SDK warns about Node 20 on every run; the example is not about that.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().then(print, fail);
}

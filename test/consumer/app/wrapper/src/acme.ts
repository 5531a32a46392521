// "Acme", an internal SDK wrapper as a user writes it from the packed
// tarballs: the prefix given once, the vault placed after the prefixed
// links, two rotated accounts, the client cache, Acme's own advice, doctor.
import { S3Client } from '@aws-sdk/client-s3';
import { type AwsAuth, createAwsAuth, HttpCredentialsProvider } from '@credchain/aws';
import { type Attempt, redactKeyId } from '@credchain/core';

export const ACME_HINT =
  'Acme found no AWS credentials: set ACME_VAULT_URL and ACME_VAULT_TOKEN, or ACME_AWS_ACCESS_KEY_ID and ACME_AWS_SECRET_ACCESS_KEY, then run "acme doctor".';

export interface AcmeOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The S3-like endpoint (a loopback recorder here). */
  readonly s3Endpoint?: string;
}

export interface Acme extends AwsAuth {
  s3(): S3Client;
  doctor(): Promise<DoctorReport>;
}

export interface DoctorReport {
  readonly links: readonly Pick<Attempt, 'provider' | 'outcome' | 'reason'>[];
  readonly resolvedBy: string | null;
  readonly accessKeyId: string | null;
  readonly warnings: readonly string[];
  readonly error: string | null;
}

export function createAcme(options: AcmeOptions): Acme {
  const { env } = options;
  const vault = new HttpCredentialsProvider({
    name: 'vault',
    urlVariable: 'ACME_VAULT_URL',
    headers: {
      Authorization: (source) => {
        const token = source.get('ACME_VAULT_TOKEN');
        return token === undefined ? undefined : `Bearer ${token}`;
      },
    },
    timeoutMs: 2_000,
  });
  const auth = createAwsAuth({
    prefix: 'ACME',
    env,
    links: [{ provider: vault, after: 'prefixed-env' }],
    exhaustedHint: ACME_HINT,
    // A conditional spread: under exactOptionalPropertyTypes, AwsAuthOptions'
    // `pool?:` does not take `undefined`.
    ...(env.ACME_AWS_KEY_1 !== undefined && {
      pool: {
        keyPattern: 'ACME_AWS_KEY_{n}',
        secretPattern: 'ACME_AWS_SECRET_{n}',
        strategy: 'round-robin',
      },
    }),
  });
  return {
    ...auth,
    s3: () =>
      auth.clients.get(S3Client, {
        region: 'eu-central-1',
        ...(options.s3Endpoint !== undefined && { endpoint: options.s3Endpoint }),
        forcePathStyle: true,
        maxAttempts: 1,
      }),
    async doctor() {
      const report = await auth.chain.explain();
      return {
        links: report.attempts.map(({ provider, outcome, reason }) => ({
          provider,
          outcome,
          ...(reason !== undefined && { reason }),
        })),
        resolvedBy: report.resolvedBy,
        accessKeyId: report.credentials ? redactKeyId(report.credentials.accessKeyId) : null,
        warnings: report.warnings,
        error: report.error?.message ?? null,
      };
    },
  };
}

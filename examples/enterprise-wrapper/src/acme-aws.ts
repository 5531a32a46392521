import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type AwsAuth,
  AwsTokens,
  createAwsAuth,
  HttpCredentialsProvider,
  type RunContext,
} from '@credchain/aws';
import {
  ChainExhaustedError,
  type Credentials,
  ExpiryAwareCache,
  redactKeyId,
} from '@credchain/core';
import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import { CollectingLogger } from './collecting-logger';
import type { DoctorReport } from './doctor';

/** Options of {@link AcmeAws}. */
export interface AcmeAwsOptions {
  /** The variable prefix: `ACME` reads `ACME_AWS_PROFILE`, `ACME_VAULT_URL`, … @default 'ACME' */
  readonly prefix?: string;
  /** The environment to read (the pool lists its accounts there too). @default `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The default region. @default `<PREFIX>_AWS_REGION`, else `AWS_REGION` */
  readonly region?: string;
  /** Other endpoints (local fakes in tests and demos). @default AWS */
  readonly endpoints?: { readonly s3?: string; readonly lambda?: string };
  /** The container to build in; a child of it is used. @default tsyringe's root container */
  readonly parent?: DependencyContainer;
}

/**
 * The link to Acme's credentials vault: `<PREFIX>_VAULT_URL` (unset: the
 * chain goes on), a bearer token from `<PREFIX>_VAULT_TOKEN`. The request,
 * its timeout, the document's validation (key pair, `Expiration`) and the
 * redaction of errors are credchain's.
 */
function vaultLink(prefix: string): HttpCredentialsProvider {
  return new HttpCredentialsProvider({
    name: 'vault',
    urlVariable: `${prefix}_VAULT_URL`,
    headers: {
      Authorization: (env) => {
        const token = env.get(`${prefix}_VAULT_TOKEN`);
        return token === undefined ? undefined : `Bearer ${token}`;
      },
    },
    timeoutMs: 2_000,
  });
}

/** The end of Acme's "no credentials" error: Acme's words, Acme's variables. */
export function acmeHint(prefix: string): string {
  return (
    `Acme found no AWS credentials. Either ask Acme's vault (set ${prefix}_VAULT_URL and ` +
    `${prefix}_VAULT_TOKEN: see https://wiki.acme.example/aws-vault) or set ` +
    `${prefix}_AWS_ACCESS_KEY_ID and ${prefix}_AWS_SECRET_ACCESS_KEY. ` +
    `Run "acme doctor" to see what each source said.`
  );
}

/**
 * ACME's internal AWS SDK wrapper: credchain embedded under ACME's own
 * prefix, given once (`createAwsAuth`) for the chain, the client cache and
 * the account pool. The chain is the default one with Acme's vault placed
 * right after the prefixed links: the vault beats the laptop's plain keys,
 * and inside `run()` the leased account (applied as the prefixed keys) still
 * beats the vault. Two instances in one process share nothing but tsyringe's
 * (empty) root container.
 *
 * @example
 * ```ts
 * const acme = new AcmeAws();                  // reads ACME_… from process.env
 * await acme.s3().send(new ListBucketsCommand({}));                  // the vault's keys
 * await acme.run(() => acme.lambda().send(new InvokeCommand(…)));    // a leased account's
 * ```
 */
export class AcmeAws {
  readonly prefix: string;
  /** The default region, when one is configured. */
  readonly region: string | undefined;
  /** This wrapper's container: its link options live here. */
  readonly container: DependencyContainer;
  private readonly logger: CollectingLogger;
  private readonly auth: AwsAuth;
  private readonly endpoints: NonNullable<AcmeAwsOptions['endpoints']>;

  constructor(options: AcmeAwsOptions = {}) {
    const prefix = options.prefix ?? 'ACME';
    const env = options.env ?? process.env;
    this.prefix = prefix;
    this.region = options.region ?? env[`${prefix}_AWS_REGION`] ?? env.AWS_REGION;
    this.endpoints = options.endpoints ?? {};
    this.logger = new CollectingLogger(prefix);
    this.container = (options.parent ?? rootContainer).createChildContainer();
    // ACME's own default for a link option: give up on EC2 metadata sooner.
    this.container.register(AwsTokens.InstanceMetadataProviderOptions, {
      useValue: { timeoutMs: 250, deadlineMs: 600 },
    });
    const rotates = env[`${prefix}_AWS_KEY_1`] !== undefined;
    this.auth = createAwsAuth({
      prefix,
      env,
      container: this.container,
      logger: this.logger,
      cache: new ExpiryAwareCache<Credentials>({
        advisoryRefreshMs: 10 * 60_000,
        mandatoryRefreshMs: 2 * 60_000,
        logger: this.logger,
      }),
      links: [{ provider: vaultLink(prefix), after: 'prefixed-env' }],
      exhaustedHint: acmeHint(prefix),
      ...(rotates && {
        pool: {
          keyPattern: `${prefix}_AWS_KEY_{n}`,
          secretPattern: `${prefix}_AWS_SECRET_{n}`,
          strategy: 'round-robin' as const,
        },
      }),
    });
  }

  /** What this wrapper (and its chain) logged, oldest first. Never a secret. */
  get logs(): readonly string[] {
    return this.logger.lines;
  }

  /** How many SDK clients this wrapper holds. */
  get clientCount(): number {
    return this.auth.clients.size;
  }

  /** An S3 client for `region`: one per region and credential source (inside `run()`: per account). */
  s3(region = this.defaultRegion()): S3Client {
    const local = this.endpoints.s3;
    return this.auth.clients.get(S3Client, {
      region,
      ...(local !== undefined && {
        endpoint: local,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED' as const,
        responseChecksumValidation: 'WHEN_REQUIRED' as const,
      }),
    });
  }

  /** A Lambda client for `region`; one attempt per call, so that `run()` sees a throttle and moves on. */
  lambda(region = this.defaultRegion()): LambdaClient {
    const local = this.endpoints.lambda;
    return this.auth.clients.get(LambdaClient, {
      region,
      maxAttempts: 1,
      ...(local !== undefined && { endpoint: local }),
    });
  }

  /**
   * Runs `fn` on one of the rotated accounts (`<PREFIX>_AWS_KEY_{n}` /
   * `<PREFIX>_AWS_SECRET_{n}`): every client `fn` takes from this wrapper
   * signs with that account; a throttled call moves to another account.
   */
  run<R>(fn: (account: RunContext) => Promise<R>): Promise<R> {
    const { pool } = this.auth;
    if (pool === undefined) {
      return Promise.reject(
        new Error(
          `Acme has no accounts to rotate: set ${this.prefix}_AWS_KEY_1 and ${this.prefix}_AWS_SECRET_1 (then _2, …)`,
        ),
      );
    }
    return pool.run(fn);
  }

  /** The credentials this wrapper signs with now (the chain's answer, cached). */
  credentials(): Promise<Credentials> {
    return this.auth.chain.resolve();
  }

  /** Every link, in order, with its outcome and reason; warnings; who would sign. No secret. */
  async doctor(): Promise<DoctorReport> {
    const report = await this.auth.chain.explain();
    const accessKeyId = report.credentials?.accessKeyId;
    return {
      prefix: this.prefix,
      ok: report.credentials !== undefined,
      resolvedBy: report.resolvedBy,
      accessKeyId: accessKeyId === undefined ? null : redactKeyId(accessKeyId),
      region: this.region ?? null,
      links: report.attempts,
      warnings: report.warnings,
      pool: this.auth.pool?.accounts.map((a) => `${a.index}: ${a.accessKeyId}`) ?? [],
      ...(report.error && { error: report.error.message }),
      ...(ChainExhaustedError.is(report.error) && { advice: report.error.hint }),
    };
  }

  /** Destroys the cached clients (they hold sockets). */
  close(): void {
    this.auth.clients.clear();
    this.logger.debug('closed: clients destroyed');
  }

  private defaultRegion(): string {
    if (this.region !== undefined) return this.region;
    throw new Error(`Acme needs a region: pass one, or set ${this.prefix}_AWS_REGION`);
  }
}

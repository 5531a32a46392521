import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { AwsClientCache, AwsTokens, createCredentialChain } from '@credchain/aws';
import {
  type ChainReport,
  type Credentials,
  type EnvironmentInput,
  ExpiryAwareCache,
  type ProviderChain,
  Tokens,
  toEnvironmentSource,
} from '@credchain/core';
import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import { CollectingLogger } from './collecting-logger';

/** Options of {@link AcmeAws}. */
export interface AcmeAwsOptions {
  /** The variable prefix: `ACME` reads `ACME_AWS_PROFILE`, `ACME_AWS_ACCESS_KEY_ID`, … @default 'ACME' */
  readonly prefix?: string;
  /** The environment to read. @default `process.env` */
  readonly env?: EnvironmentInput;
  /** Another S3 endpoint (a local S3 in tests and demos). @default AWS */
  readonly s3Endpoint?: string;
  /** The container to build in; a child of it is used. @default tsyringe's root container */
  readonly parent?: DependencyContainer;
}

/**
 * ACME's internal AWS SDK wrapper: credchain embedded under ACME's own
 * variable prefix, in ACME's own child container, with ACME's own logger and
 * cache strategy. Two instances in one process share nothing but tsyringe's
 * (empty) root container: their environments, credentials, cached clients
 * and logs stay apart.
 *
 * @example
 * ```ts
 * const acme = new AcmeAws();                 // reads ACME_AWS_… from process.env
 * await acme.getS3Client('eu-central-1').send(new ListBucketsCommand({}));
 * ```
 */
export class AcmeAws {
  readonly prefix: string;
  /** This wrapper's container: its logger, environment and link options live here. */
  readonly container: DependencyContainer;
  private readonly logger: CollectingLogger;
  private readonly chain: ProviderChain<Credentials>;
  private readonly clients: AwsClientCache;
  private readonly s3Config: Omit<S3ClientConfig, 'region'>;
  private readonly handedOut = new WeakSet<S3Client>();

  constructor(options: AcmeAwsOptions = {}) {
    this.prefix = options.prefix ?? 'ACME';
    this.logger = new CollectingLogger(this.prefix);
    const env = toEnvironmentSource(options.env);

    this.container = (options.parent ?? rootContainer).createChildContainer();
    this.container.register(Tokens.Logger, { useValue: this.logger });
    this.container.register(Tokens.EnvironmentSource, { useValue: env });
    // ACME's own default for a link option: give up on EC2 metadata sooner.
    this.container.register(AwsTokens.InstanceMetadataProviderOptions, {
      useValue: { timeoutMs: 250, deadlineMs: 600 },
    });

    // The chain is built in a child of this container, so it picks up the
    // logger, environment and options registered above.
    this.chain = createCredentialChain({
      prefix: this.prefix,
      container: this.container,
      cache: new ExpiryAwareCache<Credentials>({
        advisoryRefreshMs: 10 * 60_000,
        mandatoryRefreshMs: 2 * 60_000,
        logger: this.logger,
      }),
    });
    this.clients = new AwsClientCache({ prefix: this.prefix, env, chain: this.chain });
    this.s3Config =
      options.s3Endpoint === undefined
        ? {}
        : {
            endpoint: options.s3Endpoint,
            forcePathStyle: true,
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          };
  }

  /** What this wrapper logged (and its chain), oldest first. Never a secret. */
  get logs(): readonly string[] {
    return this.logger.lines;
  }

  /** How many SDK clients this wrapper holds. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** An S3 client for `region`, signed with this wrapper's credentials; one per region and source. */
  getS3Client(region: string): S3Client {
    const client = this.clients.get(S3Client, { region, ...this.s3Config });
    const reused = this.handedOut.has(client);
    this.handedOut.add(client);
    this.logger.debug(`getS3Client(${region}): ${reused ? 'cached' : 'new'} client`);
    return client;
  }

  /** Every link of this wrapper's chain and its outcome (no credentials). */
  async explain(): Promise<ChainReport> {
    this.logger.debug('explain(): running every link, without the cache');
    const { resolvedBy, attempts } = await this.chain.explain();
    return { resolvedBy, attempts };
  }

  /** Destroys the cached clients (they hold sockets). */
  close(): void {
    this.clients.clear();
    this.logger.debug('closed: clients destroyed');
  }
}

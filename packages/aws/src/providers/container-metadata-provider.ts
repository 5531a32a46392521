import {
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  type Logger,
  messageOf,
  Tokens,
} from '@credchain/core';
import { inject, injectable } from 'tsyringe';
import { AwsTokens } from '../di/aws-tokens';
import { describeVariables } from '../environment/describe-variables';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { createRequestHandler } from '../sdk/create-request-handler';
import { ECS_CONTAINER_BASE, isAllowedContainerEndpoint } from './container-endpoint';
import type { ContainerMetadataProviderOptions } from './container-metadata-provider-options';
import { resolveMachineLinkConfig } from './machine-link-options';

const RELATIVE_URI = 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
const FULL_URI = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const AUTH_TOKEN = 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
const AUTH_TOKEN_FILE = 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
const VARIABLES = [RELATIVE_URI, FULL_URI, AUTH_TOKEN, AUTH_TOKEN_FILE];

/** The JSON document a container credentials endpoint answers. */
interface ContainerCredentialsDocument {
  AccessKeyId?: unknown;
  SecretAccessKey?: unknown;
  Token?: unknown;
  Expiration?: unknown;
  AccountId?: unknown;
}

/**
 * ECS task roles and EKS Pod Identity: the container credentials endpoint
 * named by `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on the ECS agent) or
 * `…_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`. Neither URI
 * set: unavailable.
 *
 * The request goes through the SDK's own `NodeHttpHandler`, with one abort
 * signal for the whole deadline: the SDK's `fromHttp` only warns when a
 * request outlives its timeout and keeps the socket open afterwards, so a
 * silent endpoint would hold the process alive.
 */
@injectable()
export class ContainerMetadataProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;

  constructor(
    @inject(Tokens.EnvironmentSource) private readonly env: EnvironmentSource,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(AwsTokens.ContainerMetadataProviderOptions)
    options?: ContainerMetadataProviderOptions,
  ) {
    ({
      name: this.name,
      timeoutMs: this.timeoutMs,
      deadlineMs: this.deadlineMs,
    } = resolveMachineLinkConfig(options ?? {}, 'container-metadata'));
  }

  async provide(): Promise<Credentials> {
    const relative = readVariable(this.env, RELATIVE_URI);
    const full = readVariable(this.env, FULL_URI);
    if (relative === undefined && full === undefined) {
      throw new CredentialsUnavailableError(`${RELATIVE_URI} and ${FULL_URI} are not set`);
    }
    const variable = relative !== undefined ? RELATIVE_URI : FULL_URI;
    const url = this.endpoint(variable, relative ?? full ?? '');
    const authorization = await this.authorization();
    const document = await this.fetch(url, authorization, variable);
    return toContainerCredentials(document, url.origin);
  }

  configuration(): string {
    return describeVariables(this.env, VARIABLES);
  }

  private endpoint(variable: string, value: string): URL {
    let url: URL;
    try {
      url = variable === RELATIVE_URI ? new URL(value, ECS_CONTAINER_BASE) : new URL(value);
    } catch {
      throw new CredentialsConfigurationError(`${variable} is not a valid URL`);
    }
    if (!isAllowedContainerEndpoint(url)) {
      throw new CredentialsConfigurationError(
        `${variable} must be HTTPS, or HTTP to loopback or the ECS/EKS container host (got ${url.origin})`,
      );
    }
    return url;
  }

  private async authorization(): Promise<string | undefined> {
    const file = readVariable(this.env, AUTH_TOKEN_FILE);
    if (file === undefined) return readVariable(this.env, AUTH_TOKEN);
    try {
      // Loaded here, not at the top: node:fs/promises is not in Node's start-up
      // snapshot and costs milliseconds that an env-only chain never needs.
      const { readFile } = require('node:fs/promises') as typeof import('node:fs/promises');
      return (await readFile(file, 'utf8')).trim();
    } catch (error) {
      throw new CredentialsConfigurationError(
        `${AUTH_TOKEN_FILE} names a file that cannot be read: ${file}`,
        {
          cause: error,
        },
      );
    }
  }

  private async fetch(
    url: URL,
    authorization: string | undefined,
    variable: string,
  ): Promise<ContainerCredentialsDocument> {
    const where = `container metadata at ${url.origin} (from ${variable})`;
    const { HttpRequest } =
      require('@smithy/core/protocols') as typeof import('@smithy/core/protocols');
    const handler = createRequestHandler(this.timeoutMs, this.logger);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.deadlineMs);
    timer.unref();
    try {
      const { response } = await handler.handle(
        new HttpRequest({
          method: 'GET',
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.+)\]$/, '$1'),
          port: url.port ? Number(url.port) : undefined,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: authorization
            ? { host: url.host, Authorization: authorization }
            : { host: url.host },
        }),
        { abortSignal: abort.signal },
      );
      const body = await readBody(response.body as AsyncIterable<Uint8Array>);
      if (response.statusCode !== 200)
        throw new Error(`${where} answered HTTP ${response.statusCode}`);
      try {
        return JSON.parse(body) as ContainerCredentialsDocument;
      } catch {
        // Never keep the parser's message: it quotes the body, which may hold a secret.
        throw new Error(`${where} returned malformed credentials (not JSON)`);
      }
    } catch (error) {
      if (abort.signal.aborted) throw new Error(`${where}: no answer within ${this.deadlineMs} ms`);
      if (error instanceof Error && error.message.startsWith(where)) throw error;
      const reason = messageOf(error);
      throw new Error(`${where} failed: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
      handler.destroy();
    }
  }
}

async function readBody(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function toContainerCredentials(
  document: ContainerCredentialsDocument,
  origin: string,
): Credentials {
  const { AccessKeyId, SecretAccessKey, Token, Expiration, AccountId } = document;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string') {
    throw new Error(
      `container metadata at ${origin} returned a document without AccessKeyId and SecretAccessKey`,
    );
  }
  const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined;
  if (expiration !== undefined && Number.isNaN(expiration.getTime())) {
    throw new Error(`container metadata at ${origin} returned an invalid Expiration`);
  }
  return new Credentials({
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: typeof Token === 'string' ? Token : undefined,
    expiration,
    accountId: typeof AccountId === 'string' ? AccountId : undefined,
  });
}

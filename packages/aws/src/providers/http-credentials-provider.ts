import {
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
  checkTimeoutMs,
  type EnvironmentSource,
  type Logger,
  type ProvideContext,
  SilentLogger,
  toEnvironmentSource,
} from '@credchain/core';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { isAllowedContainerEndpoint } from './container-endpoint';
import { fetchCredentialsDocument } from './fetch-credentials-document';
import {
  DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS,
  type HttpCredentialsProviderOptions,
  type HttpHeaderValue,
} from './http-credentials-provider-options';

/**
 * A link that GETs credentials from an HTTP endpoint answering the
 * container-credentials JSON (`AccessKeyId`, `SecretAccessKey`, `Token`,
 * `Expiration`) — an internal vault or credentials broker. Shares its
 * request and validation with the container link: a timeout, the SDK's own
 * HTTP handler, HTTPS (or HTTP to loopback only), a document without the key
 * pair or with a past `Expiration` rejected, errors that name the link and
 * endpoint but never a header value or the body.
 *
 * A plain instance, no DI needed; it reads the chain's environment (an
 * injected one included) through the context the chain hands it.
 *
 * @example
 * ```ts
 * const vault = new HttpCredentialsProvider({
 *   name: 'vault',
 *   urlVariable: 'ACME_VAULT_URL',
 *   headers: { Authorization: (env) => env.get('ACME_VAULT_TOKEN') },
 * });
 * const auth = createAwsAuth({ prefix: 'ACME', links: [{ provider: vault, after: 'prefixed-env' }] });
 * ```
 */
export class HttpCredentialsProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  readonly #url: URL | undefined;
  readonly #urlVariable: string | undefined;
  readonly #headers: readonly (readonly [string, HttpHeaderValue])[];
  readonly #timeoutMs: number;
  readonly #logger: Logger;

  constructor(options: HttpCredentialsProviderOptions) {
    this.name = options.name ?? 'http';
    if ((options.url === undefined) === (options.urlVariable === undefined)) {
      throw new TypeError(
        `HttpCredentialsProvider "${this.name}": give exactly one of url and urlVariable`,
      );
    }
    this.#url = options.url === undefined ? undefined : this.#parse(String(options.url), 'url');
    this.#urlVariable = options.urlVariable;
    this.#headers = Object.entries(options.headers ?? {});
    this.#timeoutMs = checkTimeoutMs(
      options.timeoutMs ?? DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS,
      `the timeoutMs of HttpCredentialsProvider "${this.name}"`,
    );
    if (this.#timeoutMs === Number.POSITIVE_INFINITY) {
      throw new RangeError(
        `the timeoutMs of HttpCredentialsProvider "${this.name}" must be finite: a vault that never answers would hold the process`,
      );
    }
    this.#logger = options.logger ?? new SilentLogger();
  }

  async provide(context?: ProvideContext): Promise<Credentials> {
    // The chain always hands its environment; a direct call reads process.env.
    const env = context?.env ?? toEnvironmentSource();
    const url = this.#endpoint(env);
    return fetchCredentialsDocument({
      url,
      headers: this.#headersFor(env),
      timeoutMs: this.#timeoutMs,
      deadlineMs: this.#timeoutMs,
      where: `${this.name} at ${url.origin}`,
      logger: this.#logger,
      signal: context?.signal,
    });
  }

  isConfigured(env: EnvironmentSource): boolean {
    return this.#urlVariable === undefined || readVariable(env, this.#urlVariable) !== undefined;
  }

  /**
   * The URL and the header values (a token among them): the chain hashes
   * this into its cache key, so another vault or another token gets fresh
   * credentials.
   */
  configuration(env: EnvironmentSource): string {
    const url =
      this.#urlVariable === undefined ? String(this.#url) : (env.get(this.#urlVariable) ?? null);
    return JSON.stringify([url, this.#headersFor(env)]);
  }

  #headersFor(env: EnvironmentSource): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of this.#headers) {
      const text = typeof value === 'function' ? value(env) : value;
      if (text !== undefined) headers[name] = text;
    }
    return headers;
  }

  #endpoint(env: EnvironmentSource): URL {
    if (this.#url !== undefined) return this.#url;
    const variable = this.#urlVariable as string;
    const value = readVariable(env, variable);
    if (value === undefined) throw new CredentialsUnavailableError(`${variable} is not set`);
    return this.#parse(value, variable);
  }

  #parse(value: string, source: string): URL {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new CredentialsConfigurationError(
        `${source} of link "${this.name}" is not a valid URL`,
      );
    }
    if (!isAllowedContainerEndpoint(url)) {
      throw new CredentialsConfigurationError(
        `${source} of link "${this.name}" must be HTTPS, or HTTP to loopback (got ${url.origin})`,
      );
    }
    return url;
  }
}

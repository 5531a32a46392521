import {
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
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
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS;
    if (!(Number.isFinite(this.#timeoutMs) && this.#timeoutMs > 0)) {
      throw new RangeError(
        `HttpCredentialsProvider "${this.name}": timeoutMs must be a positive number (got ${String(options.timeoutMs)})`,
      );
    }
    this.#logger = options.logger ?? new SilentLogger();
  }

  async provide(context?: ProvideContext): Promise<Credentials> {
    // The chain always hands its environment; a direct call reads process.env.
    const env = context?.env ?? toEnvironmentSource();
    const url = this.#endpoint(env);
    const headers: Record<string, string> = {};
    for (const [name, value] of this.#headers) {
      const text = typeof value === 'function' ? await value(env) : value;
      if (text !== undefined) headers[name] = text;
    }
    return fetchCredentialsDocument({
      url,
      headers,
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

  configuration(env: EnvironmentSource): string {
    return this.#urlVariable === undefined
      ? String(this.#url)
      : JSON.stringify(env.get(this.#urlVariable) ?? null);
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

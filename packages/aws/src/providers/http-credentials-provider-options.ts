import type { EnvironmentSource, Logger } from '@credchain/core';

/** How long an {@link HttpCredentialsProvider} waits for its endpoint: 5 s. */
export const DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS = 5_000;

/**
 * A header value: text, or a function of the chain's environment
 * (`undefined`: not sent). A function is also called to key the chain's
 * cache (its value is hashed, never kept), so another token gets other
 * credentials: keep it cheap and synchronous.
 */
export type HttpHeaderValue = string | ((env: EnvironmentSource) => string | undefined);

/** Options of {@link HttpCredentialsProvider}. Give `url` or `urlVariable`. */
export interface HttpCredentialsProviderOptions {
  /** The link name, shown in `explain()` and errors. @default 'http' */
  readonly name?: string | undefined;
  /** The endpoint: HTTPS, or HTTP to loopback or the ECS/EKS container hosts. */
  readonly url?: string | URL | undefined;
  /**
   * A variable holding the endpoint, read from the chain's environment on
   * every call: unset, the link is unavailable (the chain goes on).
   */
  readonly urlVariable?: string | undefined;
  /**
   * Request headers, e.g. `{ Authorization: (env) => \`Bearer ${env.get('ACME_VAULT_TOKEN')}\` }`.
   * Values are never logged or shown in errors.
   */
  readonly headers?: Readonly<Record<string, HttpHeaderValue>> | undefined;
  /** The whole exchange. @default 5000 ({@link DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS}) */
  readonly timeoutMs?: number | undefined;
  /** Where the SDK's HTTP handler reports (never a secret). @default silent */
  readonly logger?: Logger | undefined;
}

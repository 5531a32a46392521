import type {
  Attempt,
  Clock,
  CredentialCache,
  Credentials,
  EnvironmentInput,
  Logger,
} from '@credchain/core';
import type { DependencyContainer } from 'tsyringe';
import type { ProfileSettings } from '../profiles/profile-settings';
import type { AwsLink, LinkSpec } from './link-placement';

/**
 * Options of {@link createCredentialChain}. The {@link ProfileSettings}
 * (`mfaCodeProvider`, `roleAssumer`, `roleCache`,
 * `credentialProcessTimeoutMs`, `roleDeadlineMs`) reach both profile links,
 * prefixed and plain.
 */
export interface CredentialChainOptions extends ProfileSettings {
  /**
   * The variable prefix: `REMOTION` reads `REMOTION_AWS_PROFILE`, … Letters,
   * digits and `_`, starting with a letter, without a trailing `_`.
   * @default 'REMOTION'
   */
  readonly prefix?: string | undefined;
  /** The environment to read. A plain object works. @default `process.env` */
  readonly env?: EnvironmentInput | undefined;
  /** The credential cache strategy. @default a new `ExpiryAwareCache` */
  readonly cache?: CredentialCache<Credentials> | undefined;
  /**
   * The container to build in: a child of it is used, so nothing is
   * registered in it. Register the logger, clock, environment or link
   * options (`AwsTokens.…Options`) there; links go in `links` — a container
   * holding links of its own on `Tokens.CredentialProvider` is refused (they
   * would be hidden by the chain's).
   * @default a new child of tsyringe's root container
   */
  readonly container?: DependencyContainer | undefined;
  /** @default silent */
  readonly logger?: Logger | undefined;
  /** @default the system clock */
  readonly clock?: Clock | undefined;
  /**
   * Links of your own, each placed by a default link's name —
   * `{ provider, after: 'prefixed-env' }` puts it between the prefixed and
   * the plain links, so that inside `AccountPool.run` the leased account
   * still wins — or bare (after every default link). Instances, plain
   * `{ name, provide() }` objects or injectable classes.
   */
  readonly links?: readonly LinkSpec[] | undefined;
  /** Links of your own tried before every default link. */
  readonly before?: readonly AwsLink[] | undefined;
  /** Links of your own tried after every default link. */
  readonly after?: readonly AwsLink[] | undefined;
  /**
   * Each link's deadline, unless it sets its own (`linkTimeoutMs` on the
   * link or its placement). The built-in profile links bound themselves
   * (role deadline, `credential_process` timeout) and are not cut by it.
   * @default 10 000
   */
  readonly linkTimeoutMs?: number | undefined;
  /**
   * The advice at the end of the "no credentials" error, instead of the
   * credentials check's (which lists every variable and file checked). A
   * function gets the links' attempts and that default text.
   */
  readonly exhaustedHint?:
    | string
    | ((attempts: readonly Attempt[], defaultHint: string) => string)
    | undefined;
}

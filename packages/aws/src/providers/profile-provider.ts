import {
  type Clock,
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  injectableClass,
  type Logger,
  Tokens,
} from '@credchain/core';
import { AwsTokens } from '../di/aws-tokens';
import { type AwsFileLocations, awsFileLocations } from '../environment/aws-file-locations';
import { PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { loadProfileFiles } from '../profiles/load-profile-files';
import { type ResolvedProfileSettings, resolveProfileSettings } from '../profiles/profile-settings';
import { resolveProfile } from '../profiles/resolve-profile';
import type { ProfileProviderOptions } from './profile-provider-options';

/**
 * A named profile from the shared credentials and config files, parsed by
 * the AWS SDK's own INI loader: static keys, role chains (`source_profile`,
 * `credential_source`, `mfa_serial`), `credential_process`, SSO (legacy and
 * `sso-session`) and web identity profiles, as in the AWS CLI.
 *
 * The injected environment is the only environment: the file locations,
 * `HOME` (the SSO token cache), `credential_source = Environment` keys and
 * the STS / SSO endpoints (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO`,
 * `AWS_ENDPOINT_URL_SSO_OIDC`) come from it, never from `process.env`.
 * Every role assumption goes through `options.roleAssumer` (see
 * {@link RoleAssumer}), under a total deadline (`roleDeadlineMs`).
 *
 * The variable not set: unavailable. A profile that is named but cannot be
 * loaded: a {@link CredentialsConfigurationError} naming the profile, the
 * variable and what went wrong (never a secret).
 */
export class ProfileProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  /**
   * Not cut by the chain's `linkTimeoutMs`: a profile link bounds itself
   * (the role deadline, the `credential_process` timeout of 60 s by
   * default, the SSO and STS request timeouts).
   */
  readonly linkTimeoutMs = Number.POSITIVE_INFINITY;
  private readonly variable: string;
  private readonly settings: ResolvedProfileSettings;
  private readonly clock: Clock;

  constructor(
    private readonly env: EnvironmentSource,
    private readonly logger: Logger,
    options?: ProfileProviderOptions,
    clock?: Clock,
  ) {
    this.name = options?.name ?? 'profile';
    this.variable = options?.profileVariable ?? PLAIN_AWS_VARIABLES.profile;
    this.settings = resolveProfileSettings(options ?? {});
    this.clock = clock ?? { now: () => Date.now() };
  }

  async provide(): Promise<Credentials> {
    const profile = readVariable(this.env, this.variable);
    if (profile === undefined) throw new CredentialsUnavailableError(`${this.variable} is not set`);
    const files = awsFileLocations(this.env);
    const loaded = await loadProfileFiles(files);
    try {
      return await resolveProfile(profile, loaded, {
        env: this.env,
        logger: this.logger,
        clock: this.clock,
        files,
        settings: this.settings,
      });
    } catch (error) {
      if (!CredentialsConfigurationError.is(error)) throw error;
      throw new CredentialsConfigurationError(this.describe(profile, files, error.message), {
        cause: error.cause,
      });
    }
  }

  /** Says which variable named the profile, and which files were read when the reason does not. */
  private describe(profile: string, files: AwsFileLocations, reason: string): string {
    const named = `profile "${profile}"`;
    const message = reason.includes(named)
      ? reason.replace(named, `${named} (from ${this.variable})`)
      : `${named} (from ${this.variable}): ${reason}`;
    return message.includes(files.config) && message.includes(files.credentials)
      ? message
      : `${message} [profile files: ${files.credentials}, ${files.config}]`;
  }

  configuration(): string {
    const profile = this.env.get(this.variable);
    // No profile named: the link gives nothing whatever the files, and not
    // reading their variables keeps each AwsClientCache.get() cheaper.
    if (profile === undefined) return 'null';
    const files = awsFileLocations(this.env);
    return JSON.stringify([profile, files.credentials, files.config]);
  }
}

// Buildable by dependency injection, without decorators (none run at load).
injectableClass(ProfileProvider, [
  Tokens.EnvironmentSource,
  Tokens.Logger,
  AwsTokens.ProfileProviderOptions,
  Tokens.Clock,
]);

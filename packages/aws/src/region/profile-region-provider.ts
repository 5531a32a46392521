import {
  type CredentialProvider,
  CredentialsUnavailableError,
  type EnvironmentSource,
  type ProvideContext,
} from '@credchain/core';
import { awsFileLocations } from '../environment/aws-file-locations';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { loadProfileFiles } from '../profiles/load-profile-files';
import { checkRegion } from './check-region';

/**
 * The `region` of the profile the credential chain would read:
 * `${prefix}_AWS_PROFILE`, else `AWS_PROFILE`, else `default` — from the
 * config file (then the credentials file), as the AWS SDKs read it, with
 * the file locations of the injected environment.
 *
 * No region there, or no `default` profile: unavailable. A profile named by
 * a variable that does not exist, or a region that is not a Region name: an
 * error naming the variable or profile (a misconfigured source never falls
 * through silently).
 */
export class ProfileRegionProvider implements CredentialProvider<string> {
  readonly name = 'profile';

  constructor(
    private readonly profileVariables: readonly string[],
    private readonly env: EnvironmentSource,
    private readonly allowed: readonly string[] | undefined,
  ) {}

  async provide(context?: ProvideContext): Promise<string> {
    const env = context?.env ?? this.env;
    const named = this.#named(env);
    const profile = named?.profile ?? 'default';
    const files = awsFileLocations(env);
    const loaded = await loadProfileFiles(files);
    const section = loaded.configFile[profile] ?? loaded.credentialsFile[profile];
    if (section === undefined) {
      if (named === undefined) {
        throw new CredentialsUnavailableError(`no default profile in ${files.config}`);
      }
      throw new CredentialsConfigurationError(
        `profile "${profile}" (from ${named.variable}) was not found in ${files.config} or ${files.credentials}`,
      );
    }
    const region = loaded.configFile[profile]?.region ?? loaded.credentialsFile[profile]?.region;
    if (region === undefined || region === '') {
      throw new CredentialsUnavailableError(`profile "${profile}" sets no region`);
    }
    return checkRegion(region.trim(), `the region of profile "${profile}"`, this.allowed);
  }

  configuration(env: EnvironmentSource): string {
    const files = awsFileLocations(env);
    const named = this.profileVariables.map((variable) => env.get(variable) ?? null);
    return JSON.stringify([named, files.config, files.credentials]);
  }

  /** The first profile variable set, and its value. */
  #named(env: EnvironmentSource): { variable: string; profile: string } | undefined {
    for (const variable of this.profileVariables) {
      const profile = readVariable(env, variable);
      if (profile !== undefined) return { variable, profile };
    }
    return undefined;
  }
}

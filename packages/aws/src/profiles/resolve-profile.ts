import { type Credentials, messageOf } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { assumeRoleCacheKey } from '../role-cache/assume-role-cache-key';
import { parsePythonInt } from '../role-cache/parse-python-int';
import { createRequestHandler } from '../sdk/create-request-handler';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import { assumeRoleWithSts } from './assume-role-with-sts';
import { cachedRoleSession } from './cached-role-session';
import type { LoadedProfiles } from './load-profile-files';
import type { ProfileContext, ProfileData } from './profile-context';
import { profileNotFoundMessage } from './profile-not-found-message';
import { resolveCredentialSource } from './resolve-credential-source';
import { resolveSsoCredentials } from './resolve-sso-credentials';
import { resolveWebIdentityProfile } from './resolve-web-identity-profile';
import type { ConfiguredRoleParameters } from './role-assumer';
import { runCredentialProcess } from './run-credential-process';

/**
 * Resolves a named profile in the order of the SDK's `fromIni`: a role
 * (`role_arn` with `source_profile` or `credential_source`), static keys, a
 * web identity role, `credential_process`, SSO. Every step reads the
 * injected environment only; every role assumption goes through the
 * configured {@link RoleAssumer}.
 *
 * `visited` holds the profiles entered through `source_profile` (cycle
 * detection, and — as in the SDK — static keys win in a source profile);
 * `root` is the profile the walk started from, named in the messages.
 */
export async function resolveProfile(
  name: string,
  loaded: LoadedProfiles,
  context: ProfileContext,
  visited: readonly string[] = [],
  root: string = name,
): Promise<Credentials> {
  const data = loaded.profiles[name];
  if (data === undefined) {
    if (visited.length === 0) {
      throw new CredentialsConfigurationError(
        await profileNotFoundMessage(name, context.files, loaded),
      );
    }
    throw new CredentialsConfigurationError(
      `profile "${[root, ...visited].at(-2)}" names source_profile = ${name}, which does not exist (${await profileNotFoundMessage(name, context.files, loaded)})`,
    );
  }
  if (visited.length > 0 && isStatic(data)) return staticCredentials(data);
  if (data.role_arn !== undefined && data.web_identity_token_file === undefined) {
    if (data.source_profile !== undefined && data.credential_source !== undefined) {
      throw new CredentialsConfigurationError(
        `profile "${name}" sets both source_profile and credential_source; a role profile takes one of them`,
      );
    }
    if (data.source_profile !== undefined || data.credential_source !== undefined) {
      return assumeRole(name, data, loaded, context, visited, root);
    }
  }
  if (isStatic(data)) return staticCredentials(data);
  if (data.role_arn !== undefined && data.web_identity_token_file !== undefined) {
    return resolveWebIdentityProfile(name, data, context);
  }
  if (data.credential_process !== undefined) {
    return runCredentialProcess(name, data.credential_process, context);
  }
  if (isSso(data)) return resolveSsoCredentials(name, data, loaded.ssoSessions, context);
  if (data.login_session !== undefined) return resolveLoginProfile(name, context);
  // Reached as a source profile: `credential_source` alone gives the source's own credentials.
  if (data.credential_source !== undefined && visited.length > 0) {
    return resolveCredentialSource(name, data.credential_source, context);
  }
  throw new CredentialsConfigurationError(noCredentialsMessage(name, data));
}

async function assumeRole(
  name: string,
  data: ProfileData,
  loaded: LoadedProfiles,
  context: ProfileContext,
  visited: readonly string[],
  root: string,
): Promise<Credentials> {
  const configured = configuredParameters(name, data, context);
  const sourceProfile = data.source_profile;
  // The walk so far, from the profile the user named. Coming back to one of
  // them is a cycle — unless it holds static keys, which a source profile
  // gives at once (as in the SDK: `source_profile` naming itself uses its keys).
  const path = [root, ...visited];
  if (
    sourceProfile !== undefined &&
    path.includes(sourceProfile) &&
    !isStatic(loaded.profiles[sourceProfile] ?? {})
  ) {
    throw new CredentialsConfigurationError(
      `profile "${name}" has a source_profile cycle: ${[...path, sourceProfile].join(' -> ')}`,
    );
  }
  const source = (inner: ProfileContext) =>
    sourceProfile === undefined
      ? resolveCredentialSource(name, data.credential_source as string, inner)
      : resolveProfile(sourceProfile, loaded, inner, [...visited, sourceProfile], root);
  const assume = async (inner: ProfileContext) => {
    const sourceCredentials = await source(inner);
    let tokenCode: string | undefined;
    if (configured.SerialNumber !== undefined) {
      const ask = context.settings.mfaCodeProvider;
      if (ask === undefined) {
        throw new CredentialsConfigurationError(
          `profile "${name}" has mfa_serial = ${configured.SerialNumber} and needs an MFA code, but none can be asked for: pass mfaCodeProvider (Node API), or run the credchain CLI with stdin on a terminal`,
        );
      }
      tokenCode = (await ask(configured.SerialNumber)).trim();
    }
    return assumeRoleWithSts(
      { profile: name, region: data.region, configured, tokenCode, source: sourceCredentials },
      context,
    );
  };
  // The AWS CLI's cache key, from the profile as configured (what is sent to
  // STS always carries a duration and a generated session name).
  const key = () =>
    assumeRoleCacheKey({
      roleArn: configured.RoleArn,
      externalId: configured.ExternalId,
      mfaSerial: configured.SerialNumber,
      durationSeconds: configured.DurationSeconds,
      roleSessionName: configured.RoleSessionName,
    });
  return cachedRoleSession(context, key, (inner) =>
    context.settings.roleAssumer({ profile: name, configured, assume: () => assume(inner) }),
  );
}

/**
 * A console-login profile (`login_session`, written by `aws login`): left to
 * the SDK's own provider, as before — it is the one kind credchain does not
 * resolve itself, so the SDK's own environment reads apply to it. Its token
 * refresh gets our request handler (a timeout on every request) and the
 * whole call the role deadline, so a silent sign-in service cannot hang it.
 */
async function resolveLoginProfile(name: string, context: ProfileContext): Promise<Credentials> {
  // Loaded on first use only: it is the heaviest SDK package on this path.
  const { fromIni } =
    require('@aws-sdk/credential-provider-ini') as typeof import('@aws-sdk/credential-provider-ini');
  const { requestTimeoutMs, roleDeadlineMs } = context.settings;
  const requestHandler = createRequestHandler(requestTimeoutMs, context.logger);
  try {
    return toCredentials(
      await withDeadline(
        fromIni({
          profile: name,
          filepath: context.files.credentials,
          configFilepath: context.files.config,
          ignoreCache: true,
          clientConfig: { requestHandler },
        })(),
        roleDeadlineMs,
        () =>
          new CredentialsConfigurationError(
            `profile "${name}" (login_session) could not be loaded: the sign-in service did not answer within ${roleDeadlineMs} ms`,
          ),
      ),
    );
  } catch (error) {
    if (CredentialsConfigurationError.is(error)) throw error;
    throw new CredentialsConfigurationError(
      `profile "${name}" (login_session) could not be loaded: ${messageOf(error)}`,
    );
  } finally {
    requestHandler.destroy();
  }
}

/** The role's parameters exactly as the profile writes them. */
function configuredParameters(
  name: string,
  data: ProfileData,
  context: ProfileContext,
): ConfiguredRoleParameters {
  let duration: number | undefined;
  if (data.duration_seconds !== undefined) {
    // As botocore: Python's int(); a value it refuses is left out — of the
    // cache key, and of the request, which then asks for the default 3600 s.
    duration = parsePythonInt(data.duration_seconds);
    if (duration === undefined) {
      context.logger.debug(
        `profile "${name}": duration_seconds = ${data.duration_seconds} is not an integer; ignored (as the AWS CLI does), the session lasts the default 3600 s`,
      );
    } else if (duration <= 0) {
      throw new CredentialsConfigurationError(
        `profile "${name}" has duration_seconds = ${data.duration_seconds}, which is not a positive number of seconds`,
      );
    }
  }
  return {
    RoleArn: data.role_arn as string,
    ...(data.external_id !== undefined && { ExternalId: data.external_id }),
    ...(data.mfa_serial !== undefined && { SerialNumber: data.mfa_serial }),
    ...(duration !== undefined && { DurationSeconds: duration }),
    ...(data.role_session_name !== undefined && { RoleSessionName: data.role_session_name }),
  };
}

function isStatic(data: ProfileData): boolean {
  return data.aws_access_key_id !== undefined && data.aws_secret_access_key !== undefined;
}

function staticCredentials(data: ProfileData): Promise<Credentials> {
  return Promise.resolve(
    toCredentials({
      accessKeyId: data.aws_access_key_id as string,
      secretAccessKey: data.aws_secret_access_key as string,
      sessionToken: data.aws_session_token,
      accountId: data.aws_account_id,
      credentialScope: data.aws_credential_scope,
    }),
  );
}

function isSso(data: ProfileData): boolean {
  return (
    data.sso_start_url !== undefined ||
    data.sso_account_id !== undefined ||
    data.sso_session !== undefined ||
    data.sso_region !== undefined ||
    data.sso_role_name !== undefined
  );
}

/** A profile that exists but gives nothing: its key names (never values) say what is there. */
function noCredentialsMessage(name: string, data: ProfileData): string {
  // Never empty: the SDK's loader leaves empty sections out (not found).
  const has = `it holds only ${Object.keys(data).join(', ')}`;
  const halfStatic =
    data.aws_access_key_id !== undefined
      ? ' (aws_access_key_id without aws_secret_access_key)'
      : data.aws_secret_access_key !== undefined
        ? ' (aws_secret_access_key without aws_access_key_id)'
        : '';
  return `profile "${name}" exists but holds no credentials: ${has}${halfStatic}; a profile needs aws_access_key_id + aws_secret_access_key, role_arn with source_profile or credential_source, credential_process, sso_session / sso_start_url, or web_identity_token_file`;
}

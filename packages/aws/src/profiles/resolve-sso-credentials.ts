import { join } from 'node:path';
import { type Credentials, messageOf } from '@credchain/core';
import { homeDirectory } from '../environment/aws-file-locations';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { ssoRoleCacheKey } from '../role-cache/sso-role-cache-key';
import { createRequestHandler } from '../sdk/create-request-handler';
import { toSdkLogger } from '../sdk/sdk-logger';
import { serviceClientConfig } from '../sdk/service-client-config';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import { cachedRoleSession } from './cached-role-session';
import type { ProfileContext, ProfileData } from './profile-context';
import { ssoTokenExpiry } from './sso-token-expiry';

// Loaded when an SSO profile resolves: a chain that resolves from environment
// variables never needs them (node:crypto alone costs 3–16 ms to load).
const crypto = () => require('node:crypto') as typeof import('node:crypto');
const fs = () => require('node:fs/promises') as typeof import('node:fs/promises');

/** A token the AWS CLI's `aws sso login` wrote to `~/.aws/sso/cache/`. */
interface SsoToken {
  accessToken?: string;
  expiresAt?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  [key: string]: unknown;
}

/** As the SDK: a session token is refreshed when it expires within 5 minutes. */
const REFRESH_WINDOW_MS = 5 * 60 * 1000;

/**
 * SSO role credentials of a profile (legacy `sso_start_url` or
 * `sso_session`), as the SDK does, but read from the injected environment's
 * `HOME`: the token the AWS CLI cached, refreshed through SSO OIDC when an
 * `sso-session` token is about to expire, then `GetRoleCredentials` from the
 * SSO portal. An expired, missing or rejected token is an error giving the
 * exact `aws sso login` command to run.
 */
export async function resolveSsoCredentials(
  profile: string,
  data: ProfileData,
  ssoSessions: Readonly<Record<string, ProfileData>>,
  context: ProfileContext,
): Promise<Credentials> {
  const sessionName = data.sso_session;
  const session = sessionName === undefined ? undefined : ssoSessions[sessionName];
  if (sessionName !== undefined && session === undefined) {
    throw new CredentialsConfigurationError(
      `profile "${profile}" names sso_session = ${sessionName}, but ${context.files.config} has no [sso-session ${sessionName}] section`,
    );
  }
  const settings = {
    sso_start_url: session?.sso_start_url ?? data.sso_start_url,
    sso_region: session?.sso_region ?? data.sso_region,
    sso_account_id: data.sso_account_id,
    sso_role_name: data.sso_role_name,
  };
  const missing = Object.entries(settings)
    .filter(([, value]) => !value)
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new CredentialsConfigurationError(
      `profile "${profile}" is an SSO profile without ${missing.join(', ')}`,
    );
  }
  const login =
    sessionName === undefined
      ? `aws sso login --profile ${profile}`
      : `aws sso login --profile ${profile} (or aws sso login --sso-session ${sessionName})`;
  const tokenFile = join(
    homeDirectory(context.env),
    '.aws',
    'sso',
    'cache',
    `${crypto()
      .createHash('sha1')
      .update(sessionName ?? (settings.sso_start_url as string))
      .digest('hex')}.json`,
  );
  // The session is looked up in the role cache before the token is even
  // read, as botocore does: a cached session outlives an expired login.
  const fetch = async (): Promise<Credentials> => {
    const token = await readToken(tokenFile);
    if (!token?.accessToken || !token.expiresAt) {
      throw new CredentialsConfigurationError(
        `profile "${profile}": no usable SSO token in ${tokenFile}; run ${login}`,
      );
    }
    let accessToken = token.accessToken;
    let expiresAt = ssoTokenExpiry(token.expiresAt) ?? unreadableToken(profile, tokenFile, login);
    if (sessionName !== undefined && expiresAt - context.clock.now() <= REFRESH_WINDOW_MS) {
      const refreshed = await refreshToken(
        token,
        tokenFile,
        settings.sso_region as string,
        context,
      );
      if (refreshed) ({ accessToken, expiresAt } = refreshed);
    }
    if (!(expiresAt > context.clock.now())) {
      throw new CredentialsConfigurationError(
        `profile "${profile}": the SSO session expired at ${new Date(expiresAt).toISOString()}; run ${login}`,
      );
    }
    return getRoleCredentials(
      profile,
      {
        accountId: settings.sso_account_id as string,
        roleName: settings.sso_role_name as string,
        region: settings.sso_region as string,
        accessToken,
        login,
      },
      context,
    );
  };
  const key = () =>
    ssoRoleCacheKey({
      accountId: settings.sso_account_id as string,
      roleName: settings.sso_role_name as string,
      startUrl: settings.sso_start_url as string,
      ssoSessionName: sessionName,
    });
  return cachedRoleSession(context, key, fetch, 'sso');
}

function unreadableToken(profile: string, file: string, login: string): never {
  throw new CredentialsConfigurationError(
    `profile "${profile}": the SSO token in ${file} cannot be read (its expiresAt is not a date); run ${login}`,
  );
}

async function readToken(file: string): Promise<SsoToken | undefined> {
  try {
    const token = JSON.parse(await fs().readFile(file, 'utf8')) as unknown;
    return token !== null && typeof token === 'object' ? (token as SsoToken) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A new access token from SSO OIDC (`CreateToken`, refresh grant), written
 * back to the token file as the SDK and the AWS CLI do. Any failure leaves
 * the old token in place: its own expiry then decides.
 */
async function refreshToken(
  token: SsoToken,
  file: string,
  region: string,
  context: ProfileContext,
): Promise<{ accessToken: string; expiresAt: number } | undefined> {
  if (!token.refreshToken || !token.clientId || !token.clientSecret) return undefined;
  const { SSOOIDCClient, CreateTokenCommand } =
    require('@aws-sdk/nested-clients/sso-oidc') as typeof import('@aws-sdk/nested-clients/sso-oidc');
  const timeoutMs = context.settings.requestTimeoutMs;
  const requestHandler = createRequestHandler(timeoutMs, context.logger);
  const client = new SSOOIDCClient({
    ...serviceClientConfig(context.env, 'SSO_OIDC', region),
    requestHandler,
    maxAttempts: 1,
    logger: toSdkLogger(context.logger),
  });
  try {
    const answer = await withDeadline(
      client.send(
        new CreateTokenCommand({
          clientId: token.clientId,
          clientSecret: token.clientSecret,
          refreshToken: token.refreshToken,
          grantType: 'refresh_token',
        }),
      ),
      timeoutMs,
      () => new Error('SSO OIDC did not answer'),
    );
    if (!answer.accessToken || answer.expiresIn === undefined) return undefined;
    const expiresAt = context.clock.now() + answer.expiresIn * 1000;
    const updated: SsoToken = {
      ...token,
      accessToken: answer.accessToken,
      expiresAt: new Date(expiresAt).toISOString(),
      ...(answer.refreshToken && { refreshToken: answer.refreshToken }),
    };
    // Replaced atomically, readable by its owner only: it is a bearer token.
    // A fresh name, created exclusively: a planted file or symlink at a
    // guessable name must not receive the token.
    const temporary = `${file}.${crypto().randomBytes(8).toString('hex')}.tmp`;
    try {
      await fs().writeFile(temporary, JSON.stringify(updated, null, 2), {
        mode: 0o600,
        flag: 'wx',
      });
      await fs().rename(temporary, file);
    } catch (error) {
      // Ours to delete unless the exclusive create itself found it there.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        await fs()
          .rm(temporary, { force: true })
          .catch(() => {});
      }
      context.logger.debug(`SSO token refreshed but not saved: ${messageOf(error)}`);
    }
    return { accessToken: answer.accessToken, expiresAt };
  } catch (error) {
    context.logger.debug(`SSO token refresh failed: ${messageOf(error)}`);
    return undefined;
  } finally {
    client.destroy();
    requestHandler.destroy();
  }
}

interface RoleRequest {
  readonly accountId: string;
  readonly roleName: string;
  readonly region: string;
  readonly accessToken: string;
  readonly login: string;
}

async function getRoleCredentials(
  profile: string,
  request: RoleRequest,
  context: ProfileContext,
): Promise<Credentials> {
  const { SSOClient, GetRoleCredentialsCommand } =
    require('@aws-sdk/nested-clients/sso') as typeof import('@aws-sdk/nested-clients/sso');
  const { requestTimeoutMs, roleDeadlineMs } = context.settings;
  const requestHandler = createRequestHandler(requestTimeoutMs, context.logger);
  const client = new SSOClient({
    ...serviceClientConfig(context.env, 'SSO', request.region),
    requestHandler,
    logger: toSdkLogger(context.logger),
  });
  const role = `role ${request.roleName} in account ${request.accountId} of profile "${profile}"`;
  const abort = new AbortController();
  try {
    const answer = await withDeadline(
      client.send(
        new GetRoleCredentialsCommand({
          accountId: request.accountId,
          roleName: request.roleName,
          accessToken: request.accessToken,
        }),
        { abortSignal: abort.signal },
      ),
      roleDeadlineMs,
      () => {
        abort.abort();
        return new CredentialsConfigurationError(
          `the SSO portal did not answer GetRoleCredentials for ${role} within ${roleDeadlineMs} ms`,
        );
      },
    );
    const issued = answer.roleCredentials;
    if (!issued?.accessKeyId || !issued.secretAccessKey || !issued.sessionToken) {
      throw new CredentialsConfigurationError(
        `the SSO portal answered GetRoleCredentials for ${role} without credentials`,
      );
    }
    return toCredentials({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: issued.expiration === undefined ? undefined : new Date(issued.expiration),
      accountId: request.accountId,
    });
  } catch (error) {
    if (CredentialsConfigurationError.is(error)) throw error;
    const name = (error as { name?: unknown } | null)?.name;
    const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
      ?.httpStatusCode;
    if (name === 'UnauthorizedException' || status === 401) {
      throw new CredentialsConfigurationError(
        `the SSO portal rejected the session token for ${role} (UnauthorizedException: the session expired or was signed out); run ${request.login}`,
      );
    }
    // The SDK's error is not kept: its request record carries the bearer token.
    throw new CredentialsConfigurationError(
      `the SSO portal refused GetRoleCredentials for ${role}: ${typeof name === 'string' ? `${name}: ` : ''}${messageOf(error)}`,
    );
  } finally {
    client.destroy();
    requestHandler.destroy();
  }
}

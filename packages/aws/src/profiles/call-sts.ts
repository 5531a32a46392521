import { type Credentials, diagnosticChannels, messageOf, type StsMessage } from '@credchain/core';
import type { AwsCredentialIdentity } from '@smithy/types';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { createRequestHandler } from '../sdk/create-request-handler';
import { toSdkLogger } from '../sdk/sdk-logger';
import { serviceClientConfig } from '../sdk/service-client-config';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import type { ProfileContext } from './profile-context';

type StsModule = typeof import('@aws-sdk/nested-clients/sts');

/** A role call to STS: which operation, for which role, and how. */
export interface StsRoleCall {
  readonly operation: 'AssumeRole' | 'AssumeRoleWithWebIdentity';
  /** How messages name the role, e.g. `role arn:… of profile "dev"`. */
  readonly role: string;
  /** The role's ARN, for the `credchain:sts` channel. */
  readonly roleArn: string;
  /** The region STS is called in (the profile's `region`, if any). */
  readonly region?: string;
  /** The credentials that sign the call (none for web identity). */
  readonly credentials?: AwsCredentialIdentity;
  /** Sends the operation's command with `client`. */
  send(
    sts: StsModule,
    client: InstanceType<StsModule['STSClient']>,
    abortSignal: AbortSignal,
  ): Promise<{ Credentials?: StsIssued }>;
}

interface StsIssued {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
  Expiration?: Date;
}

/**
 * One role call through the SDK's own STS client, its region and endpoint
 * from the injected environment. The whole call — the SDK's retries
 * included — has one deadline (`roleDeadlineMs`); its errors name STS, the
 * operation and the role, and never keep the SDK's error as their cause (its
 * request record carries the signed headers or the web identity token).
 */
export async function callSts(call: StsRoleCall, context: ProfileContext): Promise<Credentials> {
  const started = Date.now();
  try {
    const credentials = await send(call, context);
    publishSts(call, started, undefined);
    return credentials;
  } catch (error) {
    publishSts(call, started, error);
    throw error;
  }
}

/** `credchain:sts` (nothing happens when nobody listens: a role call is a network call anyway). */
function publishSts(call: StsRoleCall, started: number, error: unknown): void {
  const message: StsMessage = {
    roleArn: call.roleArn,
    durationMs: Date.now() - started,
    outcome: error === undefined ? 'ok' : 'error',
    ...(error !== undefined && { error: messageOf(error) }),
  };
  diagnosticChannels.sts.publish(message);
}

async function send(call: StsRoleCall, context: ProfileContext): Promise<Credentials> {
  const sts = require('@aws-sdk/nested-clients/sts') as StsModule;
  const { requestTimeoutMs, roleDeadlineMs } = context.settings;
  const requestHandler = createRequestHandler(
    Math.min(requestTimeoutMs, roleDeadlineMs),
    context.logger,
  );
  const client = new sts.STSClient({
    ...serviceClientConfig(context.env, 'STS', call.region),
    ...(call.credentials ? { credentials: call.credentials } : {}),
    requestHandler,
    logger: toSdkLogger(context.logger),
  });
  const abort = new AbortController();
  try {
    const answer = await withDeadline(call.send(sts, client, abort.signal), roleDeadlineMs, () => {
      abort.abort();
      return new CredentialsConfigurationError(
        `STS did not answer ${call.operation} for ${call.role} within ${roleDeadlineMs} ms (retries included)`,
      );
    });
    const issued = answer.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) {
      throw new CredentialsConfigurationError(
        `STS answered ${call.operation} for ${call.role} without credentials`,
      );
    }
    return toCredentials({
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      sessionToken: issued.SessionToken,
      expiration: issued.Expiration,
    });
  } catch (error) {
    if (CredentialsConfigurationError.is(error)) throw error;
    throw new CredentialsConfigurationError(
      `STS refused ${call.operation} for ${call.role}: ${errorName(error)}${messageOf(error)}`,
    );
  } finally {
    client.destroy();
    requestHandler.destroy();
  }
}

/** The SDK error's name as a prefix (`AccessDenied: `), unless it is the plain `Error`. */
function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== 'Error' ? `${name}: ` : '';
}

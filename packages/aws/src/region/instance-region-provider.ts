import {
  type CredentialProvider,
  CredentialsUnavailableError,
  type EnvironmentSource,
  type ProvideContext,
} from '@credchain/core';
import { describeVariables } from '../environment/describe-variables';
import { isAwsFlagEnabled, isFlagSet } from '../environment/read-variable';
import { describeInstanceMetadataFailure } from '../providers/describe-instance-metadata-failure';
import { openInstanceMetadata } from '../providers/fetch-instance-metadata';
import { instanceMetadataEndpoint } from '../providers/instance-metadata-endpoint';
import {
  DEFAULT_MACHINE_DEADLINE_MS,
  DEFAULT_MACHINE_TIMEOUT_MS,
} from '../providers/machine-provider-defaults';
import { withDeadline } from '../sdk/with-deadline';
import { checkRegion } from './check-region';

const DISABLED = 'AWS_EC2_METADATA_DISABLED';
const V1_DISABLED = 'AWS_EC2_METADATA_V1_DISABLED';
const REGION_PATH = '/latest/meta-data/placement/region';

/**
 * The EC2 instance's region (`/latest/meta-data/placement/region`), through
 * the same fail-fast exchange as the instance-metadata credentials link
 * (IMDSv2 token, IMDSv1 fallback unless disabled, 400 ms per request and 1 s
 * in all, the endpoint from the injected environment). Nothing listening or
 * no answer: unavailable; a wrong answer: an error naming instance metadata.
 * The region chain runs it only when the credentials check is skipped.
 */
export class InstanceRegionProvider implements CredentialProvider<string> {
  readonly name = 'instance-metadata';

  /**
   * @param skipVariable `${prefix}_SKIP_AWS_CREDENTIALS_CHECK`: the link
   *   runs only when it is set (any non-empty value), as the machine
   *   credentials links.
   */
  constructor(
    private readonly env: EnvironmentSource,
    private readonly skipVariable: string,
    private readonly allowed: readonly string[] | undefined,
    private readonly timeoutMs = DEFAULT_MACHINE_TIMEOUT_MS,
    private readonly deadlineMs = DEFAULT_MACHINE_DEADLINE_MS,
  ) {}

  async provide(context?: ProvideContext): Promise<string> {
    const env = context?.env ?? this.env;
    if (!isFlagSet(env, this.skipVariable)) {
      throw new CredentialsUnavailableError(
        `not tried: the instance's region is asked only when ${this.skipVariable} is set`,
      );
    }
    if (isAwsFlagEnabled(env, DISABLED))
      throw new CredentialsUnavailableError(`${DISABLED} is set`);
    const url = instanceMetadataEndpoint(env);
    const endpoint = url.origin;
    const work = (async () => {
      const get = await openInstanceMetadata({
        endpoint: url,
        timeoutMs: this.timeoutMs,
        v1Disabled: isAwsFlagEnabled(env, V1_DISABLED),
      });
      return (await get(REGION_PATH)).trim();
    })();
    let region: string;
    try {
      region = await withDeadline(
        work,
        this.deadlineMs,
        () =>
          new CredentialsUnavailableError(
            `instance metadata at ${endpoint}: no answer within ${this.deadlineMs} ms`,
          ),
      );
    } catch (error) {
      throw describeInstanceMetadataFailure(error, endpoint, 'the region');
    }
    return checkRegion(
      region,
      `the region instance metadata at ${endpoint} answered`,
      this.allowed,
    );
  }

  configuration(env: EnvironmentSource): string {
    // Without the flag the link never runs: what it would read cannot matter.
    if (!isFlagSet(env, this.skipVariable)) return 'false';
    return describeVariables(env, [
      DISABLED,
      V1_DISABLED,
      'AWS_EC2_METADATA_SERVICE_ENDPOINT',
      'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
    ]);
  }
}

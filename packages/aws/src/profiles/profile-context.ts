import type { Clock, EnvironmentSource, Logger } from '@credchain/core';
import type { AwsFileLocations } from '../environment/aws-file-locations';
import type { ResolvedProfileSettings } from './profile-settings';

/** A profile's settings as the SDK's INI parser reads them. */
export type ProfileData = Readonly<Record<string, string | undefined>>;

/** Everything one profile resolution reads: nothing comes from `process.env`. */
export interface ProfileContext {
  readonly env: EnvironmentSource;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly files: AwsFileLocations;
  readonly settings: ResolvedProfileSettings;
}

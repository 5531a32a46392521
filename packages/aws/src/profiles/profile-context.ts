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
  /** The role sessions this resolution is inside of (set by {@link cachedRoleSession}). */
  readonly roleResolution?: RoleResolution;
}

/**
 * The role cache keys a resolution is resolving, outermost first, and when it
 * asked for the first of them. A role chain resolves its source inside the
 * outer hop's `assume()`; a hop repeating a key already being resolved must
 * not wait for that key's own load (it would wait for itself).
 */
export interface RoleResolution {
  readonly keys: ReadonlySet<string>;
  /** `Date.now()` when the first role session was asked: lock waits of every hop share one deadline from it. */
  readonly startedAt: number;
}

import type { AwsFileLocations } from '../environment/aws-file-locations';
import type { ProfileData } from './profile-context';

/** The profiles of both files, as the SDK's INI loader reads them. */
export interface LoadedProfiles {
  /** Merged: a profile in both files takes the config file's keys, then the credentials file's. */
  readonly profiles: Readonly<Record<string, ProfileData>>;
  readonly configFile: Readonly<Record<string, ProfileData>>;
  readonly credentialsFile: Readonly<Record<string, ProfileData>>;
  /** `[sso-session name]` sections of the config file. */
  readonly ssoSessions: Readonly<Record<string, ProfileData>>;
}

/**
 * Reads the shared credentials and config files at `files` with the SDK's
 * own loader (`@smithy/core/config`), fresh on every call — the paths come
 * from the injected environment, never from `process.env`.
 */
export async function loadProfileFiles(files: AwsFileLocations): Promise<LoadedProfiles> {
  const { loadSharedConfigFiles, loadSsoSessionData } =
    require('@smithy/core/config') as typeof import('@smithy/core/config');
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    filepath: files.credentials,
    configFilepath: files.config,
    ignoreCache: true,
  });
  // Read right after the line above refreshed the loader's copy of the file.
  const ssoSessions = await loadSsoSessionData({ configFilepath: files.config });
  const profiles: Record<string, ProfileData> = {};
  for (const file of [configFile, credentialsFile]) {
    for (const [name, values] of Object.entries(file)) {
      profiles[name] = { ...profiles[name], ...values };
    }
  }
  return { profiles, configFile, credentialsFile, ssoSessions };
}

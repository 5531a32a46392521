import { readFile } from 'node:fs/promises';
import type { AwsFileLocations } from '../environment/aws-file-locations';
import type { LoadedProfiles } from './load-profile-files';

/** Sections of the config file that name profiles, as the SDK reads them. */
const KNOWN_CONFIG_SECTION = /^(default|(profile|sso-session|services) [\w\-@+.%:/]+)$/;

/**
 * Why `profile` is not among the loaded profiles, in words: a section the
 * SDK's parser skips (`[name]` in the config file, where it must be
 * `[profile name]`; a name with spaces), or simply absent — then the names
 * that exist (names are not secrets) and the files read.
 */
export async function profileNotFoundMessage(
  profile: string,
  files: AwsFileLocations,
  loaded: LoadedProfiles,
): Promise<string> {
  const config = await readFile(files.config, 'utf8').catch(() => undefined);
  const credentials = await readFile(files.credentials, 'utf8').catch(() => undefined);
  const sections = config === undefined ? [] : sectionNames(config);
  if (sections.includes(profile) && profile !== 'default') {
    return `profile "${profile}" is written [${profile}] in ${files.config}, which the AWS SDK skips: in the config file a profile section is [profile ${profile}]`;
  }
  const skipped = sections.filter(
    (section) =>
      !KNOWN_CONFIG_SECTION.test(section) && section.replace(/^profile\s+/, '') === profile,
  );
  if (skipped.length > 0) {
    return `profile "${profile}" cannot be read: the AWS SDK skips the section [${skipped[0]}] in ${files.config} (a profile name there cannot contain spaces or characters other than letters, digits and -_@+.%:/)`;
  }
  const names = Object.keys(loaded.profiles).sort();
  const existing =
    names.length === 0 ? 'no profiles exist there' : `existing profiles: ${names.join(', ')}`;
  const spaces = /\s/.test(profile)
    ? ' (a name with spaces can only come from the credentials file: the SDK skips it in the config file)'
    : '';
  return `profile "${profile}" was not found${spaces}; files read: ${files.credentials} (${credentials === undefined ? 'not found' : 'read'}), ${files.config} (${config === undefined ? 'not found' : 'read'}); ${existing}`;
}

/** The bracketed section names of an INI text, as the SDK's parser trims them. */
function sectionNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.split(/(^|\s)[;#]/)[0]?.trim() ?? '';
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) names.push(trimmed.slice(1, -1).trim());
  }
  return names;
}

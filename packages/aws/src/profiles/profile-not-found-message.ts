import type { AwsFileLocations } from '../environment/aws-file-locations';
import type { LoadedProfiles } from './load-profile-files';

/** Reads a file as text; the runtime's own `readFile` but in tests. */
export type ReadTextFile = (path: string) => Promise<string>;

/**
 * Why `profile` is not among the loaded profiles, in words: a section the
 * SDK's parser skips (`[name]` in the config file, where it must be
 * `[profile name]`; a name with spaces), or simply absent — then the names
 * that exist (names are not secrets) and the files read. `read` is there
 * for specs that play a runtime refusing the read (Deno's permissions).
 */
export async function profileNotFoundMessage(
  profile: string,
  files: AwsFileLocations,
  loaded: LoadedProfiles,
  read: ReadTextFile = readTextFile,
): Promise<string> {
  const [config, credentials] = await Promise.all([
    readProfileFile(files.config, read),
    readProfileFile(files.credentials, read),
  ]);
  // Deno without --allow-read: the SDK's loader swallowed the refusal and
  // found no profiles; that is the news, not "not found".
  const denied = credentials.denied ?? config.denied;
  if (denied !== undefined) return `profile "${profile}" cannot be read: ${denied}`;
  const sections = config.text === undefined ? [] : sectionNames(config.text);
  if (sections.includes(profile) && profile !== 'default') {
    return `profile "${profile}" is written [${profile}] in ${files.config}, which the AWS SDK skips: in the config file a profile section is [profile ${profile}]`;
  }
  // Sections of the config file that name profiles, as the SDK reads them
  // (here, not at module level: Stryker then runs a mutant's specs only).
  const known = /^(default|(profile|sso-session|services) [\w\-@+.%:/]+)$/;
  const skipped = sections.filter(
    (section) => !known.test(section) && section.replace(/^profile\s+/, '') === profile,
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
  return `profile "${profile}" was not found${spaces}; files read: ${files.credentials} (${credentials.outcome}), ${files.config} (${config.outcome}); ${existing}`;
}

/** A profile file's text, or what kept us from reading it. */
interface ProfileFileRead {
  readonly text?: string;
  /** `read`, `not found`, or the error's code (`EACCES`, `EISDIR`, …). */
  readonly outcome: string;
  /** Set when the runtime refused the read (Deno's permissions): the sentence to show. */
  readonly denied?: string;
}

function readTextFile(path: string): Promise<string> {
  // Loaded here: only a profile that is not found needs it.
  const { readFile } = require('node:fs/promises') as typeof import('node:fs/promises');
  return readFile(path, 'utf8');
}

async function readProfileFile(path: string, read: ReadTextFile): Promise<ProfileFileRead> {
  try {
    return { text: await read(path), outcome: 'read' };
  } catch (error) {
    const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
    if (name === 'NotCapable' || name === 'PermissionDenied') {
      return {
        outcome: String(name),
        denied: `Deno may not read ${path} (${name}): run deno with --allow-read (or --allow-read=${path})`,
      };
    }
    if (code === 'ENOENT') return { outcome: 'not found' };
    return { outcome: typeof code === 'string' ? `not readable: ${code}` : 'not readable' };
  }
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

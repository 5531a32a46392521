/**
 * Why a profile is not found, as the user reads it: a config section the
 * SDK skips (no `profile ` prefix, a name with spaces), comments that only
 * look like sections, an empty `[default]`, a file that cannot be read —
 * with real files read by the SDK's own loader.
 */
import { mkdir } from 'node:fs/promises';
import { type AwsFiles, writeAwsFiles } from '../../../../test/support/temp-aws-files';
import { loadProfileFiles } from './load-profile-files';
import { profileNotFoundMessage } from './profile-not-found-message';

describe(profileNotFoundMessage.name, () => {
  let files: AwsFiles | undefined;

  afterEach(async () => {
    await files?.cleanup();
    files = undefined;
  });

  /** The message for `profile`, with these files read as the SDK reads them. */
  async function messageFor(profile: string, input: { config?: string; credentials?: string }) {
    files = await writeAwsFiles(input);
    const locations = { credentials: files.credentialsFile, config: files.configFile };
    return profileNotFoundMessage(profile, locations, await loadProfileFiles(locations));
  }

  it('[name] in the config file: says the SDK skips it and how to write it', async () => {
    const message = await messageFor('app', { config: '[app] # old style\nregion = eu-west-1\n' });
    expect(message).toBe(
      `profile "app" is written [app] in ${files?.configFile}, which the AWS SDK skips: in the config file a profile section is [profile app]`,
    );
  });

  it('a name with a space in the config file: the section skipped, named as written', async () => {
    const message = await messageFor('my app', {
      config: '[profile   my app]\nregion = eu-west-1\n',
    });
    expect(message).toBe(
      `profile "my app" cannot be read: the AWS SDK skips the section [profile   my app] in ${files?.configFile} (a profile name there cannot contain spaces or characters other than letters, digits and -_@+.%:/)`,
    );
  });

  it('a name with a space found nowhere: not found, and where such a name can come from', async () => {
    const message = await messageFor('my app', { credentials: '[other]\naws_access_key_id = A\n' });
    expect(message).toContain(
      'profile "my app" was not found (a name with spaces can only come from the credentials file: the SDK skips it in the config file); files read: ',
    );
  });

  it('sections in comments are no sections; a comment after a section does not hide it', async () => {
    const message = await messageFor('app', {
      config: '# [app]\n; [profile app]\n[profile other] ; note\nregion = eu-west-1\n',
    });
    expect(message).toBe(
      `profile "app" was not found; files read: ${files?.credentialsFile} (not found), ${files?.configFile} (read); existing profiles: other`,
    );
  });

  it('an indented [name] is still seen as that section, as the SDK trims lines', async () => {
    const message = await messageFor('app', { config: '  [app]\nregion = eu-west-1\n' });
    expect(message).toContain(`profile "app" is written [app] in ${files?.configFile}`);
  });

  it('[profile my default]: a skipped section (a space in the name), not taken for [default]', async () => {
    const message = await messageFor('my default', {
      config: '[profile my default]\nregion = x\n',
    });
    expect(message).toContain(
      'profile "my default" cannot be read: the AWS SDK skips the section [profile my default]',
    );
  });

  it('an empty [profile app]: not found (the SDK drops empty sections), not a skipped one', async () => {
    const message = await messageFor('app', {
      config: '[profile app]\n\n[profile other]\nregion = x\n',
    });
    expect(message).toMatch(
      /^profile "app" was not found; files read: .*existing profiles: other$/,
    );
  });

  it('an empty [default] in the config file is not called a misspelt profile', async () => {
    const message = await messageFor('default', {
      config: '[default]\n\n[profile other]\nregion = x\n',
    });
    expect(message).toMatch(
      /^profile "default" was not found; files read: .*existing profiles: other$/,
    );
  });

  it('a config "file" that is a directory: not readable, with its code', async () => {
    files = await writeAwsFiles({ credentials: '[base]\naws_access_key_id = A\n' });
    await mkdir(files.configFile);
    const locations = { credentials: files.credentialsFile, config: files.configFile };
    const message = await profileNotFoundMessage(
      'app',
      locations,
      await loadProfileFiles(locations),
    );
    expect(message).toBe(
      `profile "app" was not found; files read: ${files.credentialsFile} (read), ${files.configFile} (not readable: EISDIR); existing profiles: base`,
    );
  });

  describe('a runtime that refuses the read (Deno without --allow-read)', () => {
    /** Deno's refusal, as its `readFile` rejects. */
    const refusal = (name: string) =>
      Object.assign(new Error(`Requires read access, run again with the --allow-read flag`), {
        name,
      });

    async function refused(refuses: (path: string) => string | undefined) {
      files = await writeAwsFiles({ config: '[profile base]\n' });
      const locations = { credentials: files.credentialsFile, config: files.configFile };
      const { readFile } = await import('node:fs/promises');
      const loaded = await loadProfileFiles(locations);
      return profileNotFoundMessage('app', locations, loaded, (path) => {
        const name = refuses(path);
        return name === undefined ? readFile(path, 'utf8') : Promise.reject(refusal(name));
      });
    }

    it.each(['NotCapable', 'PermissionDenied'])(
      '%s on the credentials file: cannot be read, and the flag that allows it',
      async (name) => {
        const message = await refused((path) =>
          path === files?.credentialsFile ? name : undefined,
        );
        const path = files?.credentialsFile;
        expect(message).toBe(
          `profile "app" cannot be read: Deno may not read ${path} (${name}): run deno with --allow-read (or --allow-read=${path})`,
        );
      },
    );

    it('on the config file only: that file is named', async () => {
      const message = await refused((path) =>
        path === files?.configFile ? 'NotCapable' : undefined,
      );
      expect(message).toContain(`Deno may not read ${files?.configFile} (NotCapable)`);
    });

    it('on both: the credentials file is named, as its keys win over the config file’s', async () => {
      const message = await refused(() => 'NotCapable');
      expect(message).toContain(`Deno may not read ${files?.credentialsFile} (NotCapable)`);
    });

    it('another error without a code: "not readable", not a refusal', async () => {
      const message = await refused((path) =>
        path === files?.configFile ? 'SomethingElse' : undefined,
      );
      expect(message).toMatch(/ \(not readable\); no profiles exist there$/);
    });
  });
});

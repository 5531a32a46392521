/**
 * The usual set-up of a profile test, registered as jest hooks of the
 * calling `describe`:
 * - beforeAll: a loopback STS (with `keys` or `base`, it verifies
 *   signatures), real credentials/config files (text as for writeAwsFiles)
 *   and `process.env` without the developer's own AWS settings
 *   (AWS_ISOLATION);
 * - beforeEach: the STS calls of the test before forgotten;
 * - afterAll: the environment put back, the STS stopped, the files removed.
 *
 * `sts` and `files` can be read once beforeAll has run.
 */
import { dedent } from './dedent';
import { AWS_ISOLATION, setEnv } from './env';
import { type StsServer, startStsServer } from './sts-server';
import { type AwsFiles, type AwsFilesInput, writeAwsFiles } from './temp-aws-files';

export interface StsProfilesOptions extends AwsFilesInput {
  /** accessKeyId -> secret: the keys the STS accepts; without any, it checks no signature. */
  keys?: Record<string, string>;
  /**
   * Static keys of a source profile: written as `[base]` at the top of the
   * credentials file, and accepted by the STS.
   */
  base?: { accessKeyId: string; secretAccessKey: string };
}

export interface StsProfilesFixture {
  readonly sts: StsServer;
  readonly files: AwsFiles;
  /**
   * The environment to inject into a chain: HOME (the files' folder), the two
   * files, AWS_ENDPOINT_URL_STS, then `extra`.
   */
  chainEnv(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
}

export function stsProfilesFixture(options: StsProfilesOptions = {}): StsProfilesFixture {
  const { base, keys, config } = options;
  const credentials =
    base === undefined
      ? options.credentials
      : `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n\n${dedent(options.credentials ?? '')}`;
  const stsKeys = base === undefined ? keys : { ...keys, [base.accessKeyId]: base.secretAccessKey };
  let sts: StsServer | undefined;
  let files: AwsFiles | undefined;
  let restoreEnv: (() => void) | undefined;

  beforeAll(async () => {
    sts = await startStsServer({ keys: stsKeys });
    files = await writeAwsFiles({ credentials, config });
    restoreEnv = setEnv(AWS_ISOLATION);
  });

  afterAll(async () => {
    restoreEnv?.();
    await sts?.stop();
    await files?.cleanup();
  });

  beforeEach(() => {
    if (sts) sts.calls.length = 0;
  });

  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`stsProfilesFixture: ${name} read before beforeAll`);
    return value;
  };

  return {
    get sts() {
      return started(sts, 'sts');
    },
    get files() {
      return started(files, 'files');
    },
    chainEnv(extra = {}) {
      const { dir, env } = started(files, 'files');
      return { HOME: dir, ...env, AWS_ENDPOINT_URL_STS: started(sts, 'sts').url, ...extra };
    },
  };
}

/** Where {@link loadCliEnvironment} reads variables from. */
export interface EnvFileOptions {
  /**
   * A file named with `--env-file` (must exist), `false` for `--no-env-file`,
   * or `undefined` for `.env` in `cwd` when there is one.
   */
  readonly envFile?: string | false;
  /** The working directory. */
  readonly cwd: string;
  /** The process environment, which wins over the file. */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /**
   * Where to copy the file's `AWS_*` variables that the process does not
   * set, because the AWS SDK reads some of them from `process.env` itself
   * (for example `AWS_EC2_METADATA_SERVICE_ENDPOINT`). Not copied when absent.
   */
  readonly sdkEnv?: Record<string, string | undefined>;
}

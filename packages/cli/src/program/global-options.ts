/** The options every command takes (commander's parsed values). */
export interface GlobalOptions {
  /** The variable prefix. @default 'REMOTION' */
  readonly prefix: string;
  /** `--env-file F` (a string), `--no-env-file` (`false`), or neither. */
  readonly envFile?: string | false;
  /** One JSON document on stdout instead of human text. */
  readonly json?: boolean;
  /** Stack traces and what was loaded, on stderr. */
  readonly debug?: boolean;
  /**
   * `--no-role-cache` gives `false`: the role cache shared with the AWS CLI
   * is neither read nor written. @default true
   */
  readonly roleCache?: boolean;
}

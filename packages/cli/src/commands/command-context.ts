import type { AwsVariables, MfaCodeProvider } from '@credchain/aws';
import type { CliEnvironment } from '../env/cli-environment';
import type { SecretScrubber } from '../output/secret-scrubber';
import type { Style } from '../output/style';
import type { RecordingRoleSessionCache } from '../role-cache/recording-role-session-cache';

/** What every command runs with, once the options are parsed and `.env` is read. */
export interface CommandContext {
  readonly prefix: string;
  readonly vars: AwsVariables;
  readonly environment: CliEnvironment;
  readonly json: boolean;
  readonly debug: boolean;
  /** Colours for stdout (identity when stdout is not a terminal or `NO_COLOR` is set). */
  readonly style: Style;
  readonly scrubber: SecretScrubber;
  /**
   * The role cache shared with the AWS CLI (`~/.aws/cli/cache`), or
   * `undefined` with `--no-role-cache`.
   */
  readonly roleCache?: RecordingRoleSessionCache;
  /** Asks for an MFA code on the terminal; undefined when stdin is not one. */
  readonly mfaCodeProvider?: MfaCodeProvider;
  /** Writes to stdout, through the scrubber. */
  out(text: string): void;
  /** Writes to stderr, through the scrubber. */
  err(text: string): void;
  /** Writes a `credchain: debug: …` line to stderr when `--debug` is on. */
  trace(message: string): void;
}

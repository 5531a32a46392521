/** The environment a command runs with: the process's, with `.env` values under it. */
export interface CliEnvironment {
  /** Process variables, plus the `.env` variables the process did not already set. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The `.env` file read, as an absolute path, or `undefined` when none was. */
  readonly file?: string;
  /** Names of the variables taken from the file. */
  readonly loaded: readonly string[];
  /** Names set in the file but already set in the environment, which wins. */
  readonly shadowed: readonly string[];
}

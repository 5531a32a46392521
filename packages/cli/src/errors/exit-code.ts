/**
 * The exit codes of the `credchain` command. A child's own code is passed
 * through by `credchain exec`.
 */
export const ExitCode = Object.freeze({
  /** Resolved, or the command did what was asked. */
  Ok: 0,
  /** No credentials, a failed source, or a broken rotation pool. */
  Failure: 1,
  /** A usage error: bad option or argument, unreadable or malformed `.env` file. */
  Usage: 2,
} as const);

/**
 * Why the shell running a `credential_process` could not be started, from
 * the error's code or name only — never its message, which Bun and Deno
 * fill with the command line (Deno: `Requires run access to "/bin/sh"`).
 * Under Deno without `--allow-run` the error is `NotCapable` (older Deno:
 * `PermissionDenied`) and has no code.
 */
export function describeSpawnFailure(
  error: unknown,
  platform: NodeJS.Platform = process.platform,
): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'NotCapable' || name === 'PermissionDenied') {
    // The shell Node's `shell: true` starts (Deno's permission names the program).
    const shell = platform === 'win32' ? '' : ' (or --allow-run=/bin/sh)';
    return `Deno may not run subprocesses (${name}): run deno with --allow-run${shell}`;
  }
  if (code === 'E2BIG') return 'the command line is too long for the system (E2BIG)';
  if (code === 'EACCES') return 'permission denied (EACCES) starting /bin/sh';
  if (code === 'ENOENT') return 'no /bin/sh, or the working directory is gone (ENOENT)';
  if (typeof code === 'string') return code;
  return typeof name === 'string' && name !== 'Error' ? name : 'unknown error';
}

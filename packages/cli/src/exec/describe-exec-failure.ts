/**
 * Why a command could not be started, in words and the shell's exit code.
 * Built from the error's code or name only: Bun and Node put the command in
 * the message, and a future runtime might put its arguments there too.
 */
export function describeExecFailure(error: unknown): { why: string; exitCode: number } {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (code === 'ENOENT') return { why: 'command not found (ENOENT)', exitCode: 127 };
  if (code === 'EACCES') {
    return { why: 'permission denied (EACCES: not executable, or not searchable)', exitCode: 126 };
  }
  if (name === 'NotCapable' || name === 'PermissionDenied') {
    return {
      why: `Deno may not run subprocesses (${name}): run deno with --allow-run (or --allow-run=<command>)`,
      exitCode: 126,
    };
  }
  if (code === 'E2BIG') return { why: 'its arguments are too long (E2BIG)', exitCode: 126 };
  const cause = typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown error';
  return { why: `it could not be started (${cause})`, exitCode: 126 };
}

import { describeExecFailure } from './describe-exec-failure';

/** An error as a runtime throws it: a message naming the command and its arguments. */
const failure = (fields: { code?: unknown; name?: string }) =>
  Object.assign(new Error('spawn terraform apply -var token=SECRET-never-shown'), fields);

describe(describeExecFailure.name, () => {
  it.each<[string, unknown, string, number]>([
    ['ENOENT', failure({ code: 'ENOENT' }), 'command not found (ENOENT)', 127],
    [
      'EACCES',
      failure({ code: 'EACCES' }),
      'permission denied (EACCES: not executable, or not searchable)',
      126,
    ],
    [
      'Deno without --allow-run',
      failure({ name: 'NotCapable' }),
      'Deno may not run subprocesses (NotCapable): run deno with --allow-run (or --allow-run=<command>)',
      126,
    ],
    [
      'an older Deno without --allow-run',
      failure({ name: 'PermissionDenied' }),
      'Deno may not run subprocesses (PermissionDenied): run deno with --allow-run (or --allow-run=<command>)',
      126,
    ],
    ['E2BIG', failure({ code: 'E2BIG' }), 'its arguments are too long (E2BIG)', 126],
    ['another code', failure({ code: 'EMFILE' }), 'it could not be started (EMFILE)', 126],
    [
      'a name without a code',
      failure({ name: 'SystemError' }),
      'it could not be started (SystemError)',
      126,
    ],
    [
      'a code that is not text',
      failure({ code: 13, name: 'SystemError' }),
      'it could not be started (SystemError)',
      126,
    ],
    [
      'no code, no name',
      { message: 'spawn failed' },
      'it could not be started (unknown error)',
      126,
    ],
    ['not an error at all', undefined, 'it could not be started (unknown error)', 126],
  ])('%s', (_label, error, why, exitCode) => {
    expect(describeExecFailure(error)).toEqual({ why, exitCode });
  });
});

import { describeSpawnFailure } from './describe-spawn-failure';

/** An error as a runtime throws it: a message holding the command line, a code, a name. */
const failure = (fields: { code?: unknown; name?: string }) =>
  Object.assign(new Error('spawn /bin/sh -c "helper --token SECRET-never-shown"'), fields);

describe(describeSpawnFailure.name, () => {
  it.each<[string, unknown, string]>([
    ['E2BIG', failure({ code: 'E2BIG' }), 'the command line is too long for the system (E2BIG)'],
    ['EACCES', failure({ code: 'EACCES' }), 'permission denied (EACCES) starting /bin/sh'],
    [
      'ENOENT',
      failure({ code: 'ENOENT' }),
      'no /bin/sh, or the working directory is gone (ENOENT)',
    ],
    ['another code', failure({ code: 'EMFILE' }), 'EMFILE'],
    [
      'Deno without --allow-run',
      failure({ name: 'NotCapable' }),
      'Deno may not run subprocesses (NotCapable): run deno with --allow-run (or --allow-run=/bin/sh)',
    ],
    [
      'an older Deno without --allow-run',
      failure({ name: 'PermissionDenied' }),
      'Deno may not run subprocesses (PermissionDenied): run deno with --allow-run (or --allow-run=/bin/sh)',
    ],
    ['a named error without a code', failure({ name: 'SystemError' }), 'SystemError'],
    ['a plain Error', failure({}), 'unknown error'],
    ['a code that is not text', failure({ code: 13 }), 'unknown error'],
    ['not an error at all', undefined, 'unknown error'],
  ])('%s', (_label, error, expected) => {
    expect(describeSpawnFailure(error, 'linux')).toBe(expected);
  });

  it('on Windows, Deno’s advice does not name /bin/sh', () => {
    expect(describeSpawnFailure(failure({ name: 'NotCapable' }), 'win32')).toBe(
      'Deno may not run subprocesses (NotCapable): run deno with --allow-run',
    );
  });

  it('the runtime’s own platform by default', () => {
    const expected = process.platform === 'win32' ? '' : ' (or --allow-run=/bin/sh)';
    expect(describeSpawnFailure(failure({ name: 'NotCapable' }))).toBe(
      `Deno may not run subprocesses (NotCapable): run deno with --allow-run${expected}`,
    );
  });
});

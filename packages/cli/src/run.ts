import { main } from './main';

/**
 * The entry point of `bin/credchain.js`: runs {@link main} with the
 * process's arguments, waits until stdout and stderr are flushed, and exits
 * with the command's code (so that no stray handle of an SDK can keep the
 * process alive). `exit` is `process.exit` but in tests.
 */
export async function run(
  argv: readonly string[] = process.argv.slice(2),
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<void> {
  // A closed pipe (`credchain explain | head -1`) is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  const code = await main(argv);
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  exit(code);
}

function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}

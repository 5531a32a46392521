import { AccountPool, AccountPoolError } from '@credchain/aws';
import type { CommandContext } from '../commands/command-context';
import { CliError } from '../errors/cli-error';
import { UsageError } from '../errors/usage-error';
import type { PoolOptions } from './pool-options';

/**
 * The rotation pool of the command's environment (of cells with
 * `options.regions`). A pattern without `{n}` or a wrong region is a
 * {@link UsageError} (exit 2); wrong or missing account variables are a
 * {@link CliError} (exit 1) with the pool's message, naming each variable.
 */
export function openPool(context: CommandContext, options: PoolOptions): AccountPool {
  const env = context.environment.env;
  for (const pattern of [options.secretPattern, options.sessionTokenPattern]) {
    if (pattern !== undefined) hideMatching(context, env, pattern);
  }
  try {
    return AccountPool.fromEnv(env, {
      prefix: context.prefix,
      keyPattern: options.keyPattern,
      secretPattern: options.secretPattern,
      sessionTokenPattern: options.sessionTokenPattern,
      ...(options.regions !== undefined && { regions: options.regions }),
    });
  } catch (error) {
    if (AccountPoolError.is(error)) {
      throw new CliError(error.message, undefined, { cause: error });
    }
    if (error instanceof TypeError) throw new UsageError(error.message, { cause: error });
    // A wrong --regions entry (the pool's own RangeError names it).
    if (error instanceof RangeError && options.regions !== undefined) {
      throw new UsageError(`--regions: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Custom secret patterns may not look secret by name: hide their values anyway. */
function hideMatching(
  context: CommandContext,
  env: Readonly<Record<string, string | undefined>>,
  pattern: string,
): void {
  const [head = '', tail = ''] = pattern.split('{n}');
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(head) && name.endsWith(tail)) context.scrubber.add(value);
  }
}

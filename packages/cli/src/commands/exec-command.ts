import type { StrategyName } from '@credchain/aws';
import { redactKeyId } from '@credchain/core';
import { printWarnings } from '../chain/print-warnings';
import { runChain } from '../chain/run-chain';
import { CliError } from '../errors/cli-error';
import { UsageError } from '../errors/usage-error';
import { type ChildAccount, childEnvironment } from '../exec/child-environment';
import { runChild } from '../exec/run-child';
import { openPool } from '../rotation/open-pool';
import type { PoolOptions } from '../rotation/pool-options';
import { RotationHistory } from '../rotation/rotation-history';
import type { CommandContext } from './command-context';

/** `exec`'s own options. */
export interface ExecOptions extends PoolOptions {
  /** A 1-based account of the rotation pool. */
  readonly account?: number;
  /** Pick the account with this strategy. */
  readonly rotate?: StrategyName;
}

/**
 * `credchain exec [--account N | --rotate STRATEGY] [--] CMD …`: resolves the
 * chain (inside `pool.withAccount` when an account is asked for) and runs
 * CMD with the credentials in its environment only; exits with CMD's code.
 */
export async function execCommand(
  context: CommandContext,
  command: readonly string[],
  options: ExecOptions,
): Promise<number> {
  const [program, ...args] = command;
  if (program === undefined) {
    throw new UsageError(
      'exec needs a command, e.g. credchain exec aws s3 ls (or credchain exec -- aws s3 ls)',
    );
  }
  const account =
    options.account === undefined && options.rotate === undefined
      ? undefined
      : chooseAccount(context, options);
  const outcome = await runChain(
    context,
    account === undefined ? undefined : (fn) => account.pool.withAccount(account.index, fn),
  );
  printWarnings(context, outcome.report.warnings);
  if (outcome.credentials === undefined) throw new CliError(outcome.error ?? 'not resolved');
  context.trace(
    `running ${program} with credentials from ${outcome.report.resolvedBy} (${redactKeyId(outcome.credentials.accessKeyId)})`,
  );
  const env = childEnvironment(context.environment.env, outcome.credentials, account);
  return runChild(program, args, env);
}

/** The pool account asked for with `--account N` or picked with `--rotate STRATEGY`. */
function chooseAccount(context: CommandContext, options: ExecOptions): ChildAccount {
  const pool = openPool(context, options);
  const index =
    options.account ??
    new RotationHistory(context.environment.env).pick(
      pool,
      options.rotate ?? 'random',
      context.prefix,
    );
  if (index > pool.count) {
    throw new UsageError(
      `--account ${index}: the rotation pool has accounts 1 to ${pool.count} (see credchain accounts)`,
    );
  }
  context.trace(`using account ${index} of ${pool.count}`);
  return { pool, index, prefix: context.prefix };
}

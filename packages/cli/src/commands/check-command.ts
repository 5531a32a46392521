import { redactKeyId } from '@credchain/core';
import { printWarnings } from '../chain/print-warnings';
import { runChain } from '../chain/run-chain';
import { ExitCode } from '../errors/exit-code';
import type { CommandContext } from './command-context';

/**
 * `credchain check`: the credentials check. Exit 0 with one line naming the
 * source and the redacted key id, or 1 with the chain's error message.
 * JSON: `{ "ok", "resolvedBy", "accessKeyId", "error"? }`.
 */
export async function checkCommand(context: CommandContext): Promise<number> {
  const { report, credentials, error } = await runChain(context);
  printWarnings(context, report.warnings);
  const accessKeyId = credentials === undefined ? null : redactKeyId(credentials.accessKeyId);
  if (context.json) {
    const document = { ok: credentials !== undefined, resolvedBy: report.resolvedBy, accessKeyId };
    context.out(
      `${JSON.stringify(error === undefined ? document : { ...document, error }, null, 2)}\n`,
    );
  } else if (credentials !== undefined) {
    context.out(`credentials found via ${report.resolvedBy} (${accessKeyId})\n`);
  } else {
    context.err(`credchain: ${error}\n`);
  }
  return credentials === undefined ? ExitCode.Failure : ExitCode.Ok;
}

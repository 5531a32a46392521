import { runChain } from '../chain/run-chain';
import { ExitCode } from '../errors/exit-code';
import { toExplainJson } from '../report/explain-json';
import { formatExplain } from '../report/format-explain';
import type { CommandContext } from './command-context';

/**
 * `credchain explain`: every link of the chain, its outcome, reason and
 * time, the winner and its redacted key id. Exit 0 when resolved, 1 when not.
 */
export async function explainCommand(context: CommandContext): Promise<number> {
  const outcome = await runChain(context);
  if (context.json) context.out(`${JSON.stringify(toExplainJson(outcome), null, 2)}\n`);
  else context.out(formatExplain(outcome, context));
  return outcome.credentials === undefined ? ExitCode.Failure : ExitCode.Ok;
}

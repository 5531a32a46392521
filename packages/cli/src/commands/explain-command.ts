import { runChain } from '../chain/run-chain';
import { runRegionChain } from '../chain/run-region-chain';
import { ExitCode } from '../errors/exit-code';
import { toExplainJson } from '../report/explain-json';
import { formatExplain } from '../report/format-explain';
import type { CommandContext } from './command-context';

/**
 * `credchain explain`: every link of the chain, its outcome, reason and
 * time, the winner and its redacted key id, and the region with the link
 * that gave it. Exit 0 when credentials resolve, 1 when not (the region
 * does not change the exit code; a wrong region variable is reported).
 */
export async function explainCommand(context: CommandContext): Promise<number> {
  const [outcome, region] = await Promise.all([runChain(context), runRegionChain(context)]);
  if (context.json) context.out(`${JSON.stringify(toExplainJson(outcome, region), null, 2)}\n`);
  else context.out(formatExplain(outcome, context, region));
  return outcome.credentials === undefined ? ExitCode.Failure : ExitCode.Ok;
}

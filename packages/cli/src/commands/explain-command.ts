import { runChain } from '../chain/run-chain';
import { runRegionChain } from '../chain/run-region-chain';
import { ExitCode } from '../errors/exit-code';
import { toExplainJson } from '../report/explain-json';
import { formatExplain } from '../report/format-explain';
import { formatTrace } from '../trace/format-trace';
import { TraceRecorder } from '../trace/trace-recorder';
import type { CommandContext } from './command-context';

/**
 * `credchain explain`: every link of the chain, its outcome, reason and
 * time, the winner and its redacted key id, and the region with the link
 * that gave it. Exit 0 when credentials resolve, 1 when not (the region
 * does not change the exit code; a wrong region variable is reported).
 * `--trace`: also the spans of this resolution as a tree (each link, the
 * role calls and role cache answers inside it, their outcome and time).
 */
export async function explainCommand(
  context: CommandContext,
  options: { trace?: boolean } = {},
): Promise<number> {
  const recorder = options.trace ? new TraceRecorder(`explain (${context.prefix})`) : undefined;
  const outcome = recorder
    ? await recorder.record(() => runChain(context))
    : await runChain(context);
  // After the recorded run: the trace shows the credential chain only.
  const region = await runRegionChain(context);
  if (context.json) context.out(`${JSON.stringify(toExplainJson(outcome, region), null, 2)}\n`);
  else context.out(formatExplain(outcome, context, region));
  // With --json, stdout stays one JSON document: the tree goes to stderr.
  if (recorder) (context.json ? context.err : context.out)(formatTrace(recorder.root));
  return outcome.credentials === undefined ? ExitCode.Failure : ExitCode.Ok;
}

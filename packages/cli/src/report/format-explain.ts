import { type Attempt, redactKeyId } from '@credchain/core';
import type { ChainOutcome } from '../chain/chain-outcome';
import type { RegionOutcome } from '../chain/region-outcome';
import type { CommandContext } from '../commands/command-context';
import { formatTable } from '../output/format-table';
import { plural } from '../output/plural';

/**
 * The human report of `credchain explain`: where variables came from, a
 * table of links (name, outcome, time, reason), then the winner and its
 * redacted key id, or why nothing was resolved; then the region and where
 * it came from.
 */
export function formatExplain(
  outcome: ChainOutcome,
  context: CommandContext,
  region: RegionOutcome,
): string {
  const { style, environment, prefix } = context;
  const source =
    environment.file === undefined
      ? 'no .env file'
      : `${plural(environment.loaded.length, 'variable')} from ${environment.file}`;
  const outcomeStyle: Record<Attempt['outcome'], (text: string) => string> = {
    resolved: style.green,
    unavailable: style.dim,
    failed: style.red,
    'not-reached': style.dim,
  };
  const table = formatTable<Attempt>(
    [
      {
        header: 'LINK',
        cell: (a) => a.provider,
        decorate: (t, a) => (a.outcome === 'resolved' ? style.bold(t) : t),
      },
      {
        header: 'OUTCOME',
        cell: (a) => a.outcome.replace('-', ' '),
        decorate: (t, a) => outcomeStyle[a.outcome](t),
      },
      { header: 'TIME', cell: (a) => (a.outcome === 'not-reached' ? '-' : `${a.durationMs} ms`) },
      { header: 'REASON', cell: (a) => a.reason ?? '' },
    ],
    outcome.report.attempts,
    { header: style.dim },
  );
  const lines = [`Credential chain for prefix ${prefix} (${source})`, '', table];
  lines.push(...formatRoleSessions(outcome.roleSessions, style));
  const { credentials, report, failed } = outcome;
  for (const warning of report.warnings) lines.push(`${style.yellow('Warning')}: ${warning}`);
  if (report.warnings.length > 0) lines.push('');
  if (report.resolvedBy !== null && credentials !== undefined) {
    const session = credentials.sessionToken === undefined ? '' : ' with a session token';
    lines.push(
      `${style.green('Resolved')} by ${style.bold(report.resolvedBy)}: ${redactKeyId(credentials.accessKeyId)}${session}\n`,
    );
  } else if (failed !== undefined) {
    lines.push(
      `${style.red('Not resolved')}: ${failed.provider} failed, and a failed source stops the chain.\n  ${failed.reason ?? ''}\n`,
    );
  } else {
    lines.push(`${style.red('Not resolved')}: no link is configured.\n${outcome.advice ?? ''}\n`);
  }
  lines.push(
    region.value === null
      ? `${style.red('Region')}: not resolved: ${region.error ?? ''}\n`
      : `Region: ${style.bold(region.value)}, from ${region.from} (${region.resolvedBy})\n`,
  );
  return lines.join('\n');
}

/**
 * Where each role session came from: the role cache's file (by key, never
 * its content), and that `explain` bypasses credchain's in-process cache
 * only, not the role cache.
 */
function formatRoleSessions(
  sessions: ChainOutcome['roleSessions'],
  style: CommandContext['style'],
): string[] {
  if (sessions.length === 0) return [];
  const lines = sessions.map((s) => {
    if (s.source === 'cache') {
      return `Role session ${style.bold('from the role cache')} (shared with the AWS CLI): ${s.file}`;
    }
    // An entry that could not be written does not exist: say so, not its path as if it did.
    return s.written === false
      ? `Role session assumed now; not cached: could not write ${s.file} (${s.notWrittenReason ?? 'unknown reason'})`
      : `Role session assumed now; role cache entry: ${s.file}`;
  });
  if (sessions.some((s) => s.source === 'cache')) {
    lines.push(
      style.dim(
        "explain bypasses credchain's in-process cache, not the role cache; --no-role-cache assumes the role again.",
      ),
    );
  }
  return [...lines, ''];
}

import type { CommandContext } from '../commands/command-context';

/**
 * The chain's warnings as `credchain: warning: …` lines on stderr, for the
 * commands whose stdout belongs to something else (`check`, `exec`'s child).
 */
export function printWarnings(context: CommandContext, warnings: readonly string[]): void {
  for (const warning of warnings) context.err(`credchain: warning: ${warning}\n`);
}

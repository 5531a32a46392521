import type { Command } from 'commander';
import type { GlobalOptions } from './global-options';

/**
 * The global options of a parsed `command`: for each, the value given
 * nearest to the command (`credchain --prefix A explain --prefix B` reads
 * B), else the program's default. Copies {@link addGlobalOptions} put on a
 * command have no defaults of their own that could hide a value given
 * before the command name (commander's `optsWithGlobals()` lets the
 * program's values win, defaults included, so it cannot be used here).
 */
export function readGlobalOptions(command: Command): GlobalOptions {
  const lineage: Command[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) {
    lineage.push(current);
  }
  const program = lineage[lineage.length - 1] as Command;
  const merged: Record<string, unknown> = { ...program.opts() };
  for (const key of Object.keys(merged).concat(program.options.map((o) => o.attributeName()))) {
    for (const owner of lineage) {
      const source = owner.getOptionValueSource(key);
      if (source !== undefined && source !== 'default') {
        merged[key] = owner.getOptionValue(key);
        break;
      }
    }
  }
  return merged as unknown as GlobalOptions;
}

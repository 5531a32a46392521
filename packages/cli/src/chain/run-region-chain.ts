import { createRegionChain, regionVariables } from '@credchain/aws';
import { NoCache } from '@credchain/core';
import type { CommandContext } from '../commands/command-context';
import type { RegionOutcome } from './region-outcome';

/**
 * Runs the region chain once over the command's environment (process
 * variables over `.env`) and says which region, from where. Never throws:
 * a failing link (a variable that is not a Region name) is the `error`.
 */
export async function runRegionChain(context: CommandContext): Promise<RegionOutcome> {
  const env = context.environment.env;
  const chain = createRegionChain({ prefix: context.prefix, env, cache: new NoCache() });
  const { resolvedBy, credentials: value, error } = await chain.explain();
  if (value === undefined || resolvedBy === null) {
    return { value: null, resolvedBy: null, from: null, error: error?.message ?? 'no region' };
  }
  const vars = regionVariables(context.prefix);
  const from: Record<string, string> = {
    'prefixed-env': vars.prefixed,
    env: vars.plain,
    'default-env': vars.cliDefault,
    profile: "the profile's region",
    'instance-metadata': "the instance's metadata",
    default: 'the default',
  };
  return { value, resolvedBy, from: from[resolvedBy] ?? resolvedBy };
}

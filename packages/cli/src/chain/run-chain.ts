import { createCredentialChain } from '@credchain/aws';
import { ChainExhaustedError, NoCache } from '@credchain/core';
import type { CommandContext } from '../commands/command-context';
import type { ChainOutcome } from './chain-outcome';

/**
 * Runs the default chain once over the command's environment (process
 * variables over `.env`) and reports every link. `within` wraps the run,
 * for example in `AccountPool.withAccount`. Never throws because a source
 * is missing or broken: that is reported in the outcome.
 */
export async function runChain(
  context: CommandContext,
  within: <R>(fn: () => R) => R = (fn) => fn(),
): Promise<ChainOutcome> {
  const env = context.environment.env;
  const chain = createCredentialChain({
    prefix: context.prefix,
    env,
    cache: new NoCache(),
    mfaCodeProvider: context.mfaCodeProvider,
    roleCache: context.roleCache,
  });
  const { resolvedBy, attempts, warnings, credentials, error } = await within(() =>
    chain.explain(),
  );
  const report = { resolvedBy, attempts, warnings };
  const roleSessions = context.roleCache?.records ?? [];
  if (resolvedBy !== null && credentials !== undefined) {
    context.scrubber.add(credentials.secretAccessKey, credentials.sessionToken);
    return { report, credentials, roleSessions };
  }
  // The same error resolve() would reject with: a failed link, or every link
  // and the credentials check's advice.
  return {
    report,
    failed: attempts.find((a) => a.outcome === 'failed'),
    error: error?.message,
    advice: ChainExhaustedError.is(error) ? error.hint : undefined,
    roleSessions,
  };
}

import { createCredentialChain, credentialsCheckMessage } from '@credchain/aws';
import {
  ChainExhaustedError,
  NoCache,
  ProviderFailedError,
  toEnvironmentSource,
} from '@credchain/core';
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
  const chain = createCredentialChain({ prefix: context.prefix, env, cache: new NoCache() });
  const { resolvedBy, attempts, credentials } = await within(() => chain.explain());
  const report = { resolvedBy, attempts };
  if (resolvedBy !== null && credentials !== undefined) {
    context.scrubber.add(credentials.secretAccessKey, credentials.sessionToken);
    return { report, credentials };
  }
  const failed = attempts.find((a) => a.outcome === 'failed');
  if (failed !== undefined) {
    // The same wording as the ProviderFailedError that resolve() rejects with.
    const cause = new Error(failed.reason ?? 'unknown error');
    return { report, failed, error: new ProviderFailedError(failed.provider, cause).message };
  }
  const advice = within(() => credentialsCheckMessage(toEnvironmentSource(env), context.vars));
  const error = new ChainExhaustedError(attempts, { hint: advice }).message;
  return { report, error, advice };
}

import type { ChainReport, EnvironmentSource } from '@credchain/core';
import { type AwsVariables, PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import { isFlagSet } from '../environment/read-variable';

/** A source of the default chain and the variables that configure it. */
interface Source {
  readonly link: string;
  readonly variables: readonly string[];
}

/**
 * More than one source configured — `AWS_PROFILE` and `AWS_ACCESS_KEY_ID`,
 * say — is legal (the first in chain order wins), but rarely meant: one
 * warning per ignored source, naming the link and variables that win and
 * those that are ignored. Only variable names, never values. The machine
 * links count only when the credentials check is skipped (otherwise they
 * never run); instance metadata needs no variable, so it is never named.
 */
export function sourceWarnings(
  env: EnvironmentSource,
  vars: AwsVariables,
  report: ChainReport,
): string[] {
  const sources: Source[] = [
    { link: 'prefixed-profile', variables: [vars.profile] },
    { link: 'prefixed-env', variables: [vars.accessKeyId, vars.secretAccessKey] },
    { link: 'profile', variables: [PLAIN_AWS_VARIABLES.profile] },
    {
      link: 'env',
      variables: [PLAIN_AWS_VARIABLES.accessKeyId, PLAIN_AWS_VARIABLES.secretAccessKey],
    },
  ];
  if (isFlagSet(env, vars.skipCredentialsCheck)) {
    sources.push(
      { link: 'web-identity', variables: ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'] },
      {
        link: 'container-metadata',
        variables: ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'],
      },
    );
  }
  const configured = sources
    .map((source) => ({
      link: source.link,
      set: source.variables.filter((name) => env.get(name) !== undefined),
    }))
    .filter((source) => source.set.length > 0);
  if (configured.length < 2) return [];
  // The winner: the link that resolved, or — when one failed and stopped the
  // chain — the first configured one, which is the one that ran.
  const winner = configured.find((s) => s.link === report.resolvedBy) ?? configured[0];
  if (winner === undefined) return [];
  const verb = report.resolvedBy === winner.link ? 'wins' : 'is used (and failed)';
  return configured
    .filter((source) => source !== winner)
    .map(
      (ignored) =>
        `more than one credential source is configured: ${winner.link} (${winner.set.join(', ')}) ${verb}; ${ignored.link} (${ignored.set.join(', ')}) is ignored`,
    );
}

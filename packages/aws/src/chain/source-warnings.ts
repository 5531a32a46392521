import type { ChainReport, EnvironmentSource } from '@credchain/core';
import { awsFileLocations } from '../environment/aws-file-locations';
import { type AwsVariables, PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import { isFlagSet } from '../environment/read-variable';
import { loadProfileFiles } from '../profiles/load-profile-files';
import type { ProfileData } from '../profiles/profile-context';

/** A source of the default chain and the variables that configure it. */
interface Source {
  readonly link: string;
  readonly variables: readonly string[];
}

/** The profile links and the variable naming their profile. */
const PROFILE_LINKS = new Set(['prefixed-profile', 'profile']);

/**
 * More than one source configured — `AWS_PROFILE` and `AWS_ACCESS_KEY_ID`,
 * say — is legal (the first in chain order wins), but rarely meant: one
 * warning per ignored source, naming the link and variables that win and
 * those that are ignored. Only variable names, never values. The machine
 * links count only when the credentials check is skipped (otherwise they
 * never run); instance metadata needs no variable, so it is never named.
 * When a link of your own wins, every configured built-in source is
 * reported as ignored (links of your own that are configured but ignored
 * are reported by the chain itself, through their `isConfigured()`).
 *
 * A variable counts as set as the links read it ({@link readVariable}): any
 * value, empty or padded ones included — those make the link fail, so it is
 * the one used. The plain keys are not ignored when the winning profile's
 * role takes them as its source (`credential_source = Environment`): they
 * sign the role assumption.
 */
export async function sourceWarnings(
  env: EnvironmentSource,
  vars: AwsVariables,
  report: ChainReport,
): Promise<string[]> {
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
      // As readVariable: set means defined; an empty value is set (and an error).
      set: source.variables.filter((name) => env.get(name) !== undefined),
    }))
    .filter((source) => source.set.length > 0);
  const { resolvedBy } = report;
  if (resolvedBy !== null && !sources.some((source) => source.link === resolvedBy)) {
    // A link of your own won: every configured built-in source comes after
    // it (one before it would have won, or failed and stopped the chain).
    return configured.map(
      (ignored) =>
        `more than one credential source is configured: ${resolvedBy} wins; ${ignored.link} (${ignored.set.join(', ')}) is ignored`,
    );
  }
  if (configured.length < 2) return [];
  // The winner: the link that resolved, or — when one failed and stopped the
  // chain — the first configured one, which is the one that ran.
  const winner = configured.find((s) => s.link === report.resolvedBy) ?? configured[0];
  if (winner === undefined) return [];
  const usesPlainKeys =
    PROFILE_LINKS.has(winner.link) &&
    configured.some((s) => s.link === 'env') &&
    (await profileUsesEnvironment(env, env.get(winner.set[0] as string) as string));
  const verb = report.resolvedBy === winner.link ? 'wins' : 'is used (and failed)';
  return configured
    .filter((source) => source !== winner && !(usesPlainKeys && source.link === 'env'))
    .map(
      (ignored) =>
        `more than one credential source is configured: ${winner.link} (${winner.set.join(', ')}) ${verb}; ${ignored.link} (${ignored.set.join(', ')}) is ignored`,
    );
}

/**
 * Whether resolving `profile` takes the plain `AWS_…` keys: its role, or a
 * role up its `source_profile` walk, has `credential_source = Environment`.
 * A profile with static keys ends the walk in source position, as in
 * {@link resolveProfile}. Unreadable files count as "no".
 */
async function profileUsesEnvironment(env: EnvironmentSource, profile: string): Promise<boolean> {
  let profiles: Awaited<ReturnType<typeof loadProfileFiles>>['profiles'];
  try {
    ({ profiles } = await loadProfileFiles(awsFileLocations(env)));
  } catch {
    return false;
  }
  const seen = new Set<string>();
  let name: string | undefined = profile;
  while (name !== undefined && !seen.has(name)) {
    const data: ProfileData | undefined = profiles[name];
    if (data === undefined) return false;
    const isSource = seen.size > 0;
    seen.add(name);
    if (
      isSource &&
      data.aws_access_key_id !== undefined &&
      data.aws_secret_access_key !== undefined
    )
      return false;
    if (data.credential_source !== undefined) return data.credential_source === 'Environment';
    name = data.role_arn === undefined ? undefined : data.source_profile;
  }
  return false;
}

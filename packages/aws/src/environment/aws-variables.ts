/** The variable names of one prefix (`REMOTION` by default). */
export interface AwsVariables {
  readonly profile: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly skipCredentialsCheck: string;
  readonly disableClientCache: string;
}

/** The default prefix, as in Remotion's scheme. */
export const DEFAULT_PREFIX = 'REMOTION';

/** The plain AWS variables, shared with the AWS CLI and SDKs. */
export const PLAIN_AWS_VARIABLES = Object.freeze({
  profile: 'AWS_PROFILE',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
});

/**
 * The prefixed variable names for `prefix` (`ACME` → `ACME_AWS_PROFILE`, …).
 * A prefix is letters, digits and underscores, starting with a letter and
 * not ending with `_` (the separator is added): anything else is a
 * `RangeError` that says what to write.
 */
export function awsVariables(prefix: string = DEFAULT_PREFIX): AwsVariables {
  checkPrefix(prefix);
  return {
    profile: `${prefix}_AWS_PROFILE`,
    accessKeyId: `${prefix}_AWS_ACCESS_KEY_ID`,
    secretAccessKey: `${prefix}_AWS_SECRET_ACCESS_KEY`,
    sessionToken: `${prefix}_AWS_SESSION_TOKEN`,
    skipCredentialsCheck: `${prefix}_SKIP_AWS_CREDENTIALS_CHECK`,
    disableClientCache: `${prefix}_DISABLE_AWS_CLIENT_CACHE`,
  };
}

/** Throws a `RangeError` saying what to write when `prefix` cannot start variable names. */
function checkPrefix(prefix: unknown): void {
  if (typeof prefix !== 'string') {
    throw new TypeError(
      `the variable prefix must be a string such as 'ACME' (got ${typeof prefix})`,
    );
  }
  if (prefix.endsWith('_') && /^[A-Za-z][A-Za-z0-9_]*$/.test(prefix)) {
    const trimmed = prefix.replace(/_+$/, '');
    throw new RangeError(
      `invalid variable prefix "${prefix}": write it without the trailing _ ('${trimmed}' reads ${trimmed}_AWS_ACCESS_KEY_ID; the _ is added)`,
    );
  }
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix)) {
    throw new RangeError(
      `invalid variable prefix "${prefix}": use letters, digits and _, starting with a letter (e.g. 'ACME', which reads ACME_AWS_ACCESS_KEY_ID)`,
    );
  }
}

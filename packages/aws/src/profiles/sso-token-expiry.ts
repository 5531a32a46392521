/**
 * The `expiresAt` of a cached SSO token, in epoch ms, or `undefined` when it
 * cannot be read. The forms found in `~/.aws/sso/cache/`: ISO 8601 with `Z`
 * (the SDKs, AWS CLI v2), with `+00:00`, and the older AWS CLI's `…UTC`
 * (`2026-12-01T01:00:00UTC`). Anything else — a number, another text — is
 * not guessed at.
 */
export function ssoTokenExpiry(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  // Date, time, optional fraction, then a zone: `Z`, `±hh:mm` or `UTC`.
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2}|UTC)$/.exec(
    value,
  );
  if (match === null) return undefined;
  const instant = match[2] === 'UTC' ? `${match[1]}Z` : value;
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `2026-01-01T00:00:00Z`, `…+00:00` (botocore's `isoformat()`, with or
 * without microseconds), `…UTC` (botocore's `JSONFileCache` writes
 * `strftime('%Y-%m-%dT%H:%M:%S%Z')`), any other `±hh:mm` offset.
 */
const EXPIRATION =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant an AWS CLI cache entry's `Credentials.Expiration` names, or
 * `undefined` when it is missing or not one of the forms the AWS CLI and
 * credchain write (a foreign or damaged entry, which the cache then ignores).
 */
export function parseCacheExpiration(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = EXPIRATION.exec(value.trim());
  if (!match) return undefined;
  const [, date, time, fraction, zone] = match as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const upper = zone.toUpperCase();
  const offset =
    upper === 'Z' || upper === 'UTC' || upper === 'GMT'
      ? 'Z'
      : zone.includes(':')
        ? zone
        : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const instant = Date.parse(`${date}T${time}.${millis}${offset}`);
  return Number.isNaN(instant) ? undefined : new Date(instant);
}

/** A short, secret-free description of a wrong argument, for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'undefined' ? 'undefined' : `${typeof value} ${String(value)}`;
}

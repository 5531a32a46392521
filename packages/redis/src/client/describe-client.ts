/** A value in a few words for a TypeError: its type or class, never its contents. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object'
    ? `an instance of ${name}`
    : 'a plain object';
}

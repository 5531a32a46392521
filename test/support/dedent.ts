/**
 * Removes the indentation common to all non-empty lines, so tests can write
 * INI and .env text as indented template literals. Indentation beyond the
 * common amount (INI sub-properties such as `sts =\n  endpoint_url = …`) is kept.
 */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return `${lines
    .map((line) => line.slice(common))
    .join('\n')
    .trimEnd()}\n`;
}

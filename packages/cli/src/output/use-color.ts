/**
 * Colour only on a terminal, and never when `NO_COLOR` is set to a
 * non-empty value (https://no-color.org). `TERM=dumb` turns it off too.
 */
export function useColor(
  isTTY: boolean,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (!isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

/** Text decorations for human output; all identity functions without colour. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const ansi =
  (open: number, close: number) =>
  (text: string): string =>
    text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string): string => text;

/** ANSI colours when `enabled`, plain text otherwise. */
export function createStyle(enabled: boolean): Style {
  if (!enabled) return { bold: plain, dim: plain, green: plain, red: plain, yellow: plain };
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    green: ansi(32, 39),
    red: ansi(31, 39),
    yellow: ansi(33, 39),
  };
}

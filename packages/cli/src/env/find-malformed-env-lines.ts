/** One line of a `.env` file that is not what dotenv can read. */
export interface MalformedEnvLine {
  /** 1-based line number. */
  readonly line: number;
  readonly problem: 'not-an-assignment' | 'unclosed-quote';
}

/**
 * `KEY=value`, `export KEY=value` and dotenv's `KEY: value`; keys as dotenv
 * reads them (letters, digits, `_`, `.`, `-`). Group 1 is the value; `s`, so
 * that a value holding U+2028 or U+2029 (which `.` does not match otherwise)
 * is still an assignment, as it is for dotenv.
 */
const ASSIGNMENT = /^\s*(?:export\s+)?[\w.-]+(?:\s*=|:(?=[ \t]))[ \t]*(.*)$/s;
const QUOTES = new Set(['"', "'", '`']);

/**
 * The lines of a `.env` text that dotenv would silently skip: neither blank,
 * nor a comment, nor an assignment. A quoted value may span lines, as in
 * dotenv; a quote that is never closed is reported on the line that opens it.
 *
 * dotenv's `parse` drops such lines without a word, so a typo can hide the
 * very key the user meant to set. Only line numbers are reported: a line's
 * text may be a secret.
 *
 * @example
 * ```ts
 * findMalformedEnvLines('A=1\noops\nB="x'); // [{ line: 2, problem: 'not-an-assignment' }, { line: 3, problem: 'unclosed-quote' }]
 * ```
 */
export function findMalformedEnvLines(text: string): MalformedEnvLine[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const problems: MalformedEnvLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const value = ASSIGNMENT.exec(line)?.[1];
    if (value === undefined) {
      problems.push({ line: i + 1, problem: 'not-an-assignment' });
      continue;
    }
    const quote = value[0];
    if (quote === undefined || !QUOTES.has(quote)) continue;
    const end = findClosingQuote(lines, i, line.length - value.length + 1, quote);
    if (end === undefined) {
      problems.push({ line: i + 1, problem: 'unclosed-quote' });
    } else if (end.line > i && isBlankOrComment(end.rest)) {
      // A multi-line value: its continuation lines are part of it.
      i = end.line;
    }
    // Otherwise dotenv reads this line as an unquoted value and the following
    // lines on their own, and so does this check.
  }
  return problems;
}

/**
 * Where dotenv's quoted value closes, from (line, column) on: at the first
 * unescaped `quote`; with none, at the last escaped one (dotenv's regular
 * expression backtracks and takes that quote as the closing one, so
 * `DIR="C:\\"` holds `C:\\`); with neither, nowhere.
 */
function findClosingQuote(
  lines: readonly string[],
  line: number,
  column: number,
  quote: string,
): { line: number; rest: string } | undefined {
  let lastEscaped: { line: number; rest: string } | undefined;
  for (let l = line, c = column; l < lines.length; l++, c = 0) {
    const text = lines[l] as string;
    for (; c < text.length; c++) {
      if (text[c] === '\\' && text[c + 1] === quote) {
        c++;
        lastEscaped = { line: l, rest: text.slice(c + 1) };
      } else if (text[c] === quote) return { line: l, rest: text.slice(c + 1) };
    }
  }
  return lastEscaped;
}

function isBlankOrComment(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

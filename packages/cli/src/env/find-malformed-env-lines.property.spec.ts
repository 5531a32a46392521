import { parse } from 'dotenv';
import fc from 'fast-check';
import { findMalformedEnvLines } from './find-malformed-env-lines';

/** One `.env` entry: the lines it takes, and what dotenv should read from it. */
interface Entry {
  readonly text: string;
  readonly key?: string;
  readonly value?: string;
}

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,11}$/);
const unquoted = fc.stringMatching(/^[A-Za-z0-9_./+=:-]{0,16}$/);
/** Quoted value text: anything but the quote and a backslash, across lines too. */
const quotedText = (quote: string) =>
  fc
    .array(
      fc.constantFrom(
        'a',
        'Z',
        '0',
        ' ',
        '=',
        '#',
        '\n',
        ...['"', "'", '`'].filter((q) => q !== quote),
      ),
      {
        maxLength: 16,
      },
    )
    .map((chars) => chars.join(''));

const assignment: fc.Arbitrary<Entry> = fc
  .tuple(
    key,
    fc.constantFrom('', 'export '),
    fc.constantFrom('=', ' = ', '= ', ': '),
    fc.oneof(
      unquoted.map((v) => ({ raw: v, value: v })),
      fc
        .constantFrom('"', "'", '`')
        .chain((q) => quotedText(q).map((v) => ({ raw: `${q}${v}${q}`, value: v }))),
    ),
    fc.constantFrom('', ' # a comment'),
  )
  .map(([k, exported, separator, { raw, value }, comment]) => ({
    text: `${exported}${k}${separator}${raw}${comment}`,
    key: k,
    value,
  }));
const comment: fc.Arbitrary<Entry> = fc.constantFrom(
  { text: '' },
  { text: '   ' },
  { text: '# note' },
  { text: '  # KEY=x' },
);

/** A file of well-formed entries with distinct keys. */
const wellFormed = fc.array(fc.oneof(assignment, comment), { maxLength: 12 }).map((entries) => {
  const seen = new Set<string>();
  return entries.filter((e) => e.key === undefined || (!seen.has(e.key) && seen.add(e.key)));
});

const lineEnd = fc.constantFrom('\n', '\r\n');

describe(`${findMalformedEnvLines.name} (properties)`, () => {
  it('finds nothing wrong in a well-formed file, and dotenv reads every entry of it', () => {
    fc.assert(
      fc.property(wellFormed, lineEnd, (entries, eol) => {
        const text = entries.map((e) => e.text.replace(/\n/g, eol)).join(eol);
        expect(findMalformedEnvLines(text)).toEqual([]);
        const expected = Object.fromEntries(
          entries.filter((e) => e.key !== undefined).map((e) => [e.key, e.value]),
        );
        // dotenv keeps a multi-line value's own line ends (CRLF included).
        const parsed = Object.fromEntries(
          Object.entries(parse(text)).map(([k, v]) => [k, v.replace(/\r\n/g, '\n')]),
        );
        expect(parsed).toEqual(expected);
      }),
    );
  });

  it('reports a stray line by its own number, wherever it is', () => {
    const stray = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,12}$/).filter((s) => !/[=:]/.test(s));
    fc.assert(
      fc.property(wellFormed, fc.nat(), stray, (entries, at, word) => {
        const position = at % (entries.length + 1);
        const before = entries.slice(0, position).flatMap((e) => e.text.split('\n'));
        const after = entries.slice(position).flatMap((e) => e.text.split('\n'));
        const text = [...before, word, ...after].join('\n');
        expect(findMalformedEnvLines(text)).toEqual([
          { line: before.length + 1, problem: 'not-an-assignment' },
        ]);
      }),
    );
  });

  it('never throws, and reports increasing line numbers within the file, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/).length;
        const numbers = findMalformedEnvLines(text).map((p) => p.line);
        for (const [i, n] of numbers.entries()) {
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(lines);
          if (i > 0) expect(n).toBeGreaterThan(numbers[i - 1] as number);
        }
      }),
    );
  });
});

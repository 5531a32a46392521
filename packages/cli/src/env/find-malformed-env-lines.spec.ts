import { findMalformedEnvLines, type MalformedEnvLine } from './find-malformed-env-lines';

const notAssignment = (line: number): MalformedEnvLine => ({ line, problem: 'not-an-assignment' });
const unclosed = (line: number): MalformedEnvLine => ({ line, problem: 'unclosed-quote' });

describe(findMalformedEnvLines.name, () => {
  it.each<[string, string]>([
    ['an empty file', ''],
    ['blank lines and comments', '\n   \n# comment\n  # indented comment\n'],
    ['KEY=VALUE', 'A=1\nB_2=two\nc.d-e=3'],
    ['export KEY=VALUE', 'export A=1\nexport   B=2'],
    ['spaces around =', 'A = 1\nB= 2\nC =3'],
    ['empty values', 'A=\nB=""\nC=\'\''],
    ["dotenv's KEY: VALUE", 'A: 1'],
    ['inline comments', 'A=1 # one\nB="2" # two'],
    // dotenv reads `C:\` here: with no unescaped quote left, its expression
    // takes the last escaped one as the closing quote.
    ['a quoted value ending in a backslash', 'DIR="C:\\"\nB=2'],
    ['the same before a quoted value', 'DIR="C:\\"\nB="x"'],
    ['a value holding U+2028 or U+2029', 'A=x\u2028y\nB=p\u2029q'],
    ['quoted values with = and #', 'A="x=y # not a comment"\nB=\'#\''],
    ['an escaped quote', 'A="say \\"hi\\""'],
    ['escaped quotes in a multi-line value', 'A="say \\"hi\nthere\\""\nB=1'],
    ['indented assignments', '  A=1\n\tB=2'],
    ['lone CR line ends', 'A=1\rB="x\ry"\rC=3'],
    ['a multi-line double-quoted value', 'A="line 1\nline 2\n  line 3"\nB=1'],
    ['a multi-line single-quoted value', "A='-----BEGIN-----\nabc\n-----END-----'"],
    ['a multi-line backtick value', 'A=`one\ntwo`'],
    ['CRLF line ends', 'A=1\r\nB="x\r\ny"\r\n'],
    ['a byte order mark', '\uFEFFA=1'],
    ['text after a closing quote on the same line (dotenv keeps it unquoted)', 'A="x" y'],
  ])('accepts %s', (_, text) => {
    expect(findMalformedEnvLines(text)).toEqual([]);
  });

  it.each<[string, string, MalformedEnvLine[]]>([
    ['a bare word', 'A=1\noops\nB=2', [notAssignment(2)]],
    ['a bare word after a lone CR line end', 'A=1\roops', [notAssignment(2)]],
    ['a pasted secret', 'FAKE/SECRET+value', [notAssignment(1)]],
    ['export without a value', 'export A', [notAssignment(1)]],
    ['a key with a space', 'MY KEY=1', [notAssignment(1)]],
    ['KEY:VALUE without a space', 'A:1', [notAssignment(1)]],
    ['an INI section', '[default]\nA=1', [notAssignment(1)]],
    ['a quote never closed', 'A=1\nB="open\nC=2', [unclosed(2)]],
    [
      'several problems, in order',
      "x\nA=1\ny\nB='z",
      [notAssignment(1), notAssignment(3), unclosed(4)],
    ],
    [
      'lines after a multi-line value whose closing quote is followed by text',
      'A="one\ntwo" junk\nthree',
      [notAssignment(2), notAssignment(3)],
    ],
  ])('reports %s by line number', (_, text, expected) => {
    expect(findMalformedEnvLines(text)).toEqual(expected);
  });
});

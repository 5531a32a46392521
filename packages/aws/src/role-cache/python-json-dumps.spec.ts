import { execFileSync } from 'node:child_process';
import {
  PYTHON_COMPACT_SEPARATORS,
  PYTHON_DEFAULT_SEPARATORS,
  type PythonJsonValue,
  pythonJsonDumps,
} from './python-json-dumps';

const VALUES: readonly PythonJsonValue[] = [
  { b: 1, a: 'x', c: [true, false, null, -7, 0] },
  { nested: { z: 'é', y: '\u{1F600}' }, list: ['"', '\\', '/', '\u007f', '\u0000'] },
  // Code-point order: U+FF5E sorts before U+1F600 in Python, after its high surrogate in JS.
  { '\uff5e': 1, '\u{1F600}': 2, A: 3, a: 4, '': 5 },
  // Keys that share a prefix: the order is decided further in, or by length.
  { ab: 1, aa: 2, a: 3, abc: 4, 'a\u{1F600}': 5, 'a\uff5e': 6 },
  'plain ascii ~ and space',
  '\t\n\r\b\f\u000b\u001f',
];

function python(values: readonly PythonJsonValue[], compact: boolean): string[] {
  const separators = compact ? ", separators=(',', ':')" : '';
  const script = `import json, sys\nfor v in json.load(sys.stdin): print(json.dumps(v, sort_keys=True${separators}))`;
  return execFileSync('python3', ['-c', script], {
    input: JSON.stringify(values),
    encoding: 'utf8',
  })
    .split('\n')
    .filter((line) => line !== '');
}

describe(pythonJsonDumps.name, () => {
  it.each([
    ['default', false, PYTHON_DEFAULT_SEPARATORS],
    ['compact', true, PYTHON_COMPACT_SEPARATORS],
  ])('writes what Python writes (%s separators)', (_name, compact, separators) => {
    expect(VALUES.map((value) => pythonJsonDumps(value, separators))).toEqual(
      python(VALUES, compact),
    );
  });

  it('prints -0 as 0, as Python prints the int', () => {
    expect(pythonJsonDumps({ DurationSeconds: -0 })).toBe('{"DurationSeconds": 0}');
  });

  it('leaves out undefined members, as if they were never set', () => {
    expect(pythonJsonDumps({ RoleArn: 'r', ExternalId: undefined })).toBe('{"RoleArn": "r"}');
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('refuses the number %p', (n) => {
    expect(() => pythonJsonDumps({ n })).toThrow(
      new RangeError(`only safe integers are serialized like Python does, not ${n}`),
    );
  });
});

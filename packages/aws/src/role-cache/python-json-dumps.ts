/** A value {@link pythonJsonDumps} can serialize: what botocore puts in its cache keys. */
export type PythonJsonValue =
  | string
  | number
  | boolean
  | null
  | readonly PythonJsonValue[]
  | { readonly [key: string]: PythonJsonValue | undefined };

/** Python's `json.dumps` separators: `(item, key)`. */
export interface PythonJsonSeparators {
  readonly item: string;
  readonly key: string;
}

/** `json.dumps` without `separators=`: `", "` and `": "`. */
export const PYTHON_DEFAULT_SEPARATORS: PythonJsonSeparators = Object.freeze({
  item: ', ',
  key: ': ',
});

/** `separators=(',', ':')`. */
export const PYTHON_COMPACT_SEPARATORS: PythonJsonSeparators = Object.freeze({
  item: ',',
  key: ':',
});

/**
 * The exact text of Python's `json.dumps(value, sort_keys=True,
 * separators=…)` with its default `ensure_ascii=True`, so a SHA-1 of it
 * matches the cache keys botocore (and so the AWS CLI) computes.
 *
 * It differs from `JSON.stringify` in three ways: the separators, keys
 * sorted by code point, and every character outside printable ASCII
 * (`0x20`–`0x7e`) escaped as lowercase `\uXXXX` — astral characters as their
 * UTF-16 surrogate pair, DEL (`0x7f`) too. Only integers are accepted:
 * Python prints floats its own way (`3600.0`), and botocore's keys hold none.
 * Object entries whose value is `undefined` are left out.
 */
export function pythonJsonDumps(
  value: PythonJsonValue,
  separators: PythonJsonSeparators = PYTHON_DEFAULT_SEPARATORS,
): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`only safe integers are serialized like Python does, not ${value}`);
    }
    // -0 prints as 0, as Python prints the int.
    return String(value);
  }
  if (typeof value === 'string') return pythonJsonString(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => pythonJsonDumps(item, separators)).join(separators.item)}]`;
  }
  const record = value as { readonly [key: string]: PythonJsonValue | undefined };
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(compareCodePoints)
    .map(
      (key) =>
        `${pythonJsonString(key)}${separators.key}${pythonJsonDumps(record[key] as PythonJsonValue, separators)}`,
    );
  return `{${members.join(separators.item)}}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** CPython's `encode_basestring_ascii`, over UTF-16 code units (which gives its surrogate pairs). */
function pythonJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    const char = text[i] as string;
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (unit >= 0x20 && unit <= 0x7e) out += char;
    else out += `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** Python compares `str` keys by code point; JavaScript's `<` compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0) as number);
  const right = Array.from(b, (c) => c.codePointAt(0) as number);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (left[i] as number) - (right[i] as number);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** What Python's `int(text)` accepts (ASCII digits): optional sign, digits with single `_` between, whitespace around. */
const PYTHON_INT = /^\s*[+-]?\d+(_\d+)*\s*$/;

/**
 * A profile value read the way botocore reads `duration_seconds`
 * (`int(value)`, and a value that fails is left out): `3600`, ` 3600 `,
 * `+3600`, `3_600` and `0900` are integers; `3600.0`, `1e3`, `0x10`, `` are
 * not. Unlike `Number(text)`, which takes the latter and turns `3_600` down.
 * A value beyond `Number.MAX_SAFE_INTEGER` is not one either (STS would
 * refuse it anyway). Python also takes non-ASCII digits (`٣٦٠٠`); those are
 * left out here.
 *
 * @returns the integer, or `undefined` when Python's `int()` would fail.
 */
export function parsePythonInt(text: string): number | undefined {
  if (!PYTHON_INT.test(text)) return undefined;
  // Number() ignores the whitespace around, as int() does.
  const value = Number(text.replaceAll('_', ''));
  return Number.isSafeInteger(value) ? value : undefined;
}

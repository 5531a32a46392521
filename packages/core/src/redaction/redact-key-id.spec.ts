import { redactKeyId } from './redact-key-id';

describe(redactKeyId.name, () => {
  it.each<[string, string | undefined | null, string]>([
    ['a 20-character key id', 'AKIAIOSFODNN7EXAMPLE', 'AKIA…MPLE'],
    ['a 16-character key id', 'ABCDEFGHIJKLMNOP', 'ABCD…MNOP'],
    ['a 15-character id', 'ABCDEFGHIJKLMNO', 'AB…'],
    ['an 8-character id', 'ABCDEFGH', 'AB…'],
    ['a 7-character id', 'ABCDEFG', '…'],
    ['a 1-character id', 'A', '…'],
    ['an empty string', '', '(none)'],
    ['undefined', undefined, '(none)'],
    ['null', null, '(none)'],
  ])('%s', (_, input, expected) => {
    expect(redactKeyId(input)).toBe(expected);
  });

  it.each(Array.from({ length: 64 }, (_, i) => i + 1))(
    'a %i-character id shows at most 4 + 4 characters and at most half of it',
    (length) => {
      const id = Array.from({ length }, (_, i) => String.fromCharCode(65 + (i % 26))).join('');
      const visible = redactKeyId(id).replace('…', '');
      expect(visible.length).toBeLessThanOrEqual(Math.min(8, Math.floor(length / 2)));
      expect(redactKeyId(id)).toContain('…');
    },
  );
});

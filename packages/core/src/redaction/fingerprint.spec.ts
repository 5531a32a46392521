import { createHash } from 'node:crypto';
import { fingerprint } from './fingerprint';

describe(fingerprint.name, () => {
  it('is 64 lowercase hex characters (SHA-256)', () => {
    expect(fingerprint('AKIAFAKE', 'secret')).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the SHA-256 of the length-prefixed parts (digests may outlive the process)', () => {
    const expected = createHash('sha256').update('2:ab;u;0:;3:\u00e9t\u00e9;').digest('hex');
    expect(fingerprint('ab', undefined, '', '\u00e9t\u00e9')).toBe(expected);
  });

  it('is stable for the same input', () => {
    expect(fingerprint('a', undefined, 'b')).toBe(fingerprint('a', undefined, 'b'));
  });

  it.each<[string, ReadonlyArray<string | undefined>, ReadonlyArray<string | undefined>]>([
    ['moved boundary', ['ab', 'c'], ['a', 'bc']],
    ['joined parts', ['a', 'b'], ['ab']],
    ['separator-like text', ['a;', 'b'], ['a', ';b']],
    ['length-prefix-like text', ['1:a;', ''], ['1:a;']],
    ['undefined vs empty', [undefined], ['']],
    ['undefined vs "undefined"', [undefined], ['undefined']],
    ['undefined vs its placeholder text', [undefined], ['\u0000undefined']],
    ['no part vs one empty part', [], ['']],
    ['an absent trailing part vs none', ['a', undefined], ['a']],
    ['an absent part in the middle vs none', ['a', undefined, 'b'], ['a', 'b']],
    ['order', ['a', 'b'], ['b', 'a']],
  ])('tells apart %s', (_, left, right) => {
    expect(fingerprint(...left)).not.toBe(fingerprint(...right));
  });

  it('gives the same digest before and after it switches to node:crypto (its first calls are plain JavaScript)', () => {
    const parts = ['AKIAFAKE', 'secret', undefined, '\u00e9t\u00e9'] as const;
    const expected = createHash('sha256')
      .update('8:AKIAFAKE;6:secret;u;3:\u00e9t\u00e9;')
      .digest('hex');
    for (let call = 0; call < 100; call++) expect(fingerprint(...parts)).toBe(expected);
  });

  it('does not contain its input', () => {
    const secret = 'FAKE/SENTINEL+SECRET0000000000000000000';
    expect(fingerprint(secret)).not.toContain('SENTINEL');
  });
});

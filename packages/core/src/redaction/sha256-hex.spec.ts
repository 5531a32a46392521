import { createHash } from 'node:crypto';
import { sha256Hex } from './sha256-hex';

describe(sha256Hex.name, () => {
  it.each([
    ['empty', ''],
    ['abc (FIPS 180-4 example)', 'abc'],
    ['55 bytes (padding fits one block)', 'x'.repeat(55)],
    ['56 bytes (padding needs a second block)', 'x'.repeat(56)],
    ['64 bytes (one full block)', 'x'.repeat(64)],
    ['multi-block', 'AKIAFAKE;'.repeat(300)],
    ['non-ASCII, as UTF-8', '\u00e9t\u00e9 \u2713 \u{1f511} '.repeat(20)],
  ])('is SHA-256, as node:crypto computes it: %s', (_case, text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('gives the FIPS 180-4 digest of "abc"', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

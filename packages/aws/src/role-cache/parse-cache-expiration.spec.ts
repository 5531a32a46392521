import { parseCacheExpiration } from './parse-cache-expiration';

const INSTANT = Date.UTC(2026, 0, 2, 3, 4, 5);

describe(parseCacheExpiration.name, () => {
  it.each([
    ['2026-01-02T03:04:05Z', INSTANT],
    ['2026-01-02T03:04:05+00:00', INSTANT],
    ['2026-01-02T03:04:05UTC', INSTANT],
    ['2026-01-02T03:04:05.123456+00:00', INSTANT + 123],
    ['2026-01-02T03:04:05.5Z', INSTANT + 500],
    ['2026-01-02T05:04:05+02:00', INSTANT],
    ['2026-01-02T01:04:05-0200', INSTANT],
    ['2026-01-02 03:04:05+00:00', INSTANT],
    ['2026-01-02T03:04:05GMT', INSTANT],
    ['2026-01-02t03:04:05z', INSTANT],
    ['2026-01-02T03:04:05.1239Z', INSTANT + 123],
    ['2026-01-02T03:04:05.9999999Z', INSTANT + 999],
    ['  2026-01-02T03:04:05Z\n', INSTANT],
    ['2026-01-02T05:04:05+0200', INSTANT],
  ])('reads %p', (text, expected) => {
    expect(parseCacheExpiration(text)?.getTime()).toBe(expected);
  });

  it.each([
    [undefined],
    [null],
    [1767322800],
    [''],
    ['tomorrow'],
    ['2026-01-02'],
    ['2026-01-02T03:04:05'],
    ['2026-13-45T03:04:05Z'],
    ['2026-01-02T03:04:05PST'],
    ['x2026-01-02T03:04:05Z'],
    ['2026-01-02T03:04:05Zx'],
    ['2026-01-02T03:04:05UTCx'],
  ])('rejects %p', (value) => {
    expect(parseCacheExpiration(value)).toBeUndefined();
  });

  it('reads a UTC expiration as UTC whatever the machine’s time zone', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      for (const text of [
        '2026-01-02T03:04:05Z',
        '2026-01-02T03:04:05UTC',
        '2026-01-02T03:04:05GMT',
      ]) {
        expect(parseCacheExpiration(text)?.getTime()).toBe(INSTANT);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

import { ssoTokenExpiry } from './sso-token-expiry';

describe(ssoTokenExpiry.name, () => {
  const instant = Date.UTC(2026, 11, 1, 1, 2, 3);

  it.each([
    ['2026-12-01T01:02:03Z', instant],
    ['2026-12-01T01:02:03.000Z', instant],
    ['2026-12-01T01:02:03+00:00', instant],
    ['2026-12-01T03:02:03+02:00', instant],
    ['2026-12-01T01:02:03UTC', instant],
  ])('reads %s', (value, expected) => {
    expect(ssoTokenExpiry(value)).toBe(expected);
  });

  it.each([
    ['not a date'],
    ['2026-12-01'],
    ['2026-12-01T01:02:03'],
    ['2026-13-45T01:02:03Z'],
    ['tomorrow UTC'],
    [''],
  ])('does not read %j', (value) => {
    expect(ssoTokenExpiry(value)).toBeUndefined();
  });

  it.each([[1_764_550_923_000], [null], [{}]])('does not read the non-string %j', (value) => {
    expect(ssoTokenExpiry(value)).toBeUndefined();
  });
});

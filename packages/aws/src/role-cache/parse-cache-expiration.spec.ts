import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
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

  it('reads a UTC expiration as UTC whatever the machine’s time zone (a process in New York)', () => {
    // The zone must be set before the process starts: a jest test file has
    // its own copy of process.env, so setting TZ here would change nothing.
    const loader = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'load-support.js');
    const texts = ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05UTC', '2026-01-02T03:04:05GMT'];
    const script = [
      `const { parseCacheExpiration } = require(${JSON.stringify(loader)})('../../packages/aws/src/role-cache/parse-cache-expiration');`,
      `const times = ${JSON.stringify(texts)}.map((text) => parseCacheExpiration(text)?.getTime());`,
      'console.log(JSON.stringify({ offset: new Date(2026, 0, 2).getTimezoneOffset(), times }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', TZ: 'America/New_York' },
      encoding: 'utf8',
    });
    const { offset, times } = JSON.parse(output) as { offset: number; times: number[] };
    expect(offset).toBe(300); // the child runs in New York: UTC−5 in January
    expect(times).toEqual([INSTANT, INSTANT, INSTANT]);
  });
});

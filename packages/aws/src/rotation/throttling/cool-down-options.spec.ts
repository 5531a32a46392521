import {
  DEFAULT_COOL_DOWN_INITIAL_MS,
  DEFAULT_COOL_DOWN_MAX_MS,
  resolveCoolDownConfig,
} from './cool-down-options';

describe(resolveCoolDownConfig.name, () => {
  it('defaults: 10 s first, doubling, at most 5 min, 20 % jitter', () => {
    expect(resolveCoolDownConfig()).toEqual({
      initialMs: 10_000,
      multiplier: 2,
      maxMs: 300_000,
      jitterRatio: 0.2,
    });
    expect([DEFAULT_COOL_DOWN_INITIAL_MS, DEFAULT_COOL_DOWN_MAX_MS]).toEqual([10_000, 300_000]);
  });

  it('keeps what it is given', () => {
    expect(
      resolveCoolDownConfig({ initialMs: 50, multiplier: 3, maxMs: 400, jitterRatio: 0 }),
    ).toEqual({ initialMs: 50, multiplier: 3, maxMs: 400, jitterRatio: 0 });
  });

  it.each([
    [{ initialMs: -1 }, /^coolDown\.initialMs must be a finite number ≥ 0 \(got -1\)$/],
    [{ initialMs: Number.NaN }, /coolDown\.initialMs/],
    [{ multiplier: 0.5 }, /^coolDown\.multiplier must be a finite number ≥ 1/],
    [{ maxMs: 5_000 }, /^coolDown\.maxMs must be a finite number ≥ coolDown\.initialMs/],
    [{ maxMs: Number.POSITIVE_INFINITY }, /coolDown\.maxMs/],
    [{ jitterRatio: 1 }, /^coolDown\.jitterRatio must be a number in \[0, 1\)/],
    [{ jitterRatio: -0.1 }, /coolDown\.jitterRatio/],
  ])('rejects %p with a RangeError naming the option', (options, message) => {
    expect(() => resolveCoolDownConfig(options)).toThrow(RangeError);
    expect(() => resolveCoolDownConfig(options)).toThrow(message);
  });
});

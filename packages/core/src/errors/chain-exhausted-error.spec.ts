import type { Attempt } from '../chain/chain-report';
import { ChainExhaustedError } from './chain-exhausted-error';

const attempts: Attempt[] = [
  {
    provider: 'prefixed-env',
    outcome: 'unavailable',
    reason: 'REMOTION_AWS_ACCESS_KEY_ID is not set',
    durationMs: 0,
  },
  { provider: 'profile', outcome: 'unavailable', reason: 'AWS_PROFILE is not set', durationMs: 1 },
  { provider: 'later', outcome: 'not-reached', durationMs: 0 },
];

describe(ChainExhaustedError.name, () => {
  it('lists every link and why it gave nothing, one per line', () => {
    const error = new ChainExhaustedError(attempts);
    expect(error.message.split('\n')).toEqual([
      'No credentials: every link of the chain was tried.',
      '  - prefixed-env: unavailable (REMOTION_AWS_ACCESS_KEY_ID is not set)',
      '  - profile: unavailable (AWS_PROFILE is not set)',
      '  - later: not-reached',
    ]);
  });

  it('appends the hint on its own line and keeps cause and attempts', () => {
    const cause = new Error('last');
    const error = new ChainExhaustedError(attempts, {
      hint: 'Set AWS_PROFILE.\nOr the keys.',
      cause,
    });
    expect(error.message.split('\n').slice(-2)).toEqual(['Set AWS_PROFILE.', 'Or the keys.']);
    expect(error.cause).toBe(cause);
    expect(error.attempts).toBe(attempts);
  });

  it('is an Error named ChainExhaustedError', () => {
    const error = new ChainExhaustedError([]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ChainExhaustedError');
    expect(String(error)).toMatch(/^ChainExhaustedError: No credentials/);
    expect(error.cause).toBeUndefined();
  });
});

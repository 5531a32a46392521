import { Tokens } from '@credchain/core';
import { AwsTokens } from './aws-tokens';

describe('AwsTokens', () => {
  it.each(Object.entries(AwsTokens))(
    '%s is the registered symbol credchain.<Name>, so another copy of the package agrees',
    (name, token) => {
      expect(token).toBe(Symbol.for(`credchain.${name}`));
    },
  );

  it('shares no token with core', () => {
    const core = new Set<unknown>(Object.values(Tokens));
    expect(Object.values(AwsTokens).filter((t) => core.has(t))).toEqual([]);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(AwsTokens)).toBe(true);
  });
});

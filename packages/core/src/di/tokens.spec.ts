import { Tokens } from './tokens';

describe('Tokens', () => {
  it('are distinct symbols named after credchain', () => {
    const values = Object.values(Tokens);
    expect(values.every((t) => typeof t === 'symbol')).toBe(true);
    expect(new Set(values).size).toBe(values.length);
    expect(values.map((t) => String(t))).toEqual([
      'Symbol(credchain.CredentialProvider)',
      'Symbol(credchain.CredentialCache)',
      'Symbol(credchain.EnvironmentSource)',
      'Symbol(credchain.Clock)',
      'Symbol(credchain.Logger)',
    ]);
  });

  it.each(Object.entries(Tokens))(
    '%s is the registered symbol credchain.<Name>, so another copy of the package agrees',
    (name, token) => {
      expect(token).toBe(Symbol.for(`credchain.${name}`));
    },
  );

  it('is frozen', () => {
    expect(Object.isFrozen(Tokens)).toBe(true);
  });
});

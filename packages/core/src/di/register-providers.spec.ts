import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import type { CredentialProvider } from '../provider/credential-provider';
import { registerProviders } from './register-providers';
import { Tokens } from './tokens';

interface TestCreds {
  readonly id: string;
}

@injectable()
class First implements CredentialProvider<TestCreds> {
  readonly name = 'first';
  async provide(): Promise<TestCreds> {
    return { id: 'first' };
  }
}

@injectable()
class Third implements CredentialProvider<TestCreds> {
  readonly name = 'third';
  async provide(): Promise<TestCreds> {
    return { id: 'third' };
  }
}

const second: CredentialProvider<TestCreds> = {
  name: 'second',
  provide: async () => ({ id: 'second' }),
};

describe(registerProviders.name, () => {
  it('appends classes and instances in order, after what is already registered', () => {
    const c = container.createChildContainer();
    registerProviders<TestCreds>(c, [First, second]);
    registerProviders<TestCreds>(c, [Third]);
    const names = c.resolveAll(Tokens.CredentialProvider).map((p) => p.name);
    expect(names).toEqual(['first', 'second', 'third']);
    expect(container.isRegistered(Tokens.CredentialProvider)).toBe(false);
  });

  it('registers an instance as is and builds a class when the chain is built', () => {
    const c = container.createChildContainer();
    registerProviders<TestCreds>(c, [second, First]);
    const [one, two] = c.resolveAll(Tokens.CredentialProvider);
    const [again] = c.resolveAll(Tokens.CredentialProvider);
    expect(one).toBe(second);
    expect(again).toBe(second);
    expect(two).toBeInstanceOf(First);
  });

  it('registers nothing for an empty list', () => {
    const c = container.createChildContainer();
    registerProviders<TestCreds>(c, []);
    expect(c.isRegistered(Tokens.CredentialProvider, true)).toBe(false);
  });

  it('resolves string and symbol tokens from the container when the chain is built', () => {
    const c = container.createChildContainer();
    const vault: CredentialProvider<TestCreds> = {
      name: 'vault',
      provide: async () => ({ id: 'vault' }),
    };
    const broker = Symbol('sso-broker');
    c.register('vault', { useValue: vault });
    c.register(broker, { useClass: Third });
    registerProviders<TestCreds>(c, ['vault', broker, second]);
    const links = c.resolveAll(Tokens.CredentialProvider);
    expect(links.map((p) => p.name)).toEqual(['vault', 'third', 'second']);
    expect(links[0]).toBe(vault);
  });
});

import 'reflect-metadata';
import { container, inject, injectable } from 'tsyringe';
import type { EnvironmentSource } from '../environment/environment-source';
import type { CredentialProvider } from '../provider/credential-provider';
import { createChainContainer } from './create-chain-container';
import { resolveChain } from './resolve-chain';
import { resolveLink } from './resolve-link';
import { Tokens } from './tokens';

interface TestCreds {
  readonly id: string;
}

/** Forgot @injectable(): tsyringe knows nothing of its parameter. */
class NoInjectableProvider implements CredentialProvider<TestCreds> {
  readonly name = 'no-injectable';
  constructor(readonly env: EnvironmentSource) {}
  async provide() {
    return { id: 'x' };
  }
}

/** @injectable(), but the parameter's type is an interface: erased to Object. */
@injectable()
class InterfaceParameterProvider implements CredentialProvider<TestCreds> {
  readonly name = 'interface-parameter';
  constructor(readonly env: EnvironmentSource) {}
  async provide() {
    return { id: 'x' };
  }
}

const VAULT_CLIENT = Symbol('VaultClient');
@injectable()
class UnregisteredTokenProvider implements CredentialProvider<TestCreds> {
  readonly name = 'unregistered';
  constructor(@inject(VAULT_CLIENT) readonly client: unknown) {}
  async provide() {
    return { id: 'x' };
  }
}

/** A dependency whose parameter is an interface without @inject. */
@injectable()
class BrokenClient {
  constructor(readonly env: EnvironmentSource) {}
}
@injectable()
class NeedsBrokenClient implements CredentialProvider<TestCreds> {
  readonly name = 'needs-broken-client';
  constructor(readonly client: BrokenClient) {}
  async provide() {
    return { id: 'x' };
  }
}
class UndecoratedHelper {
  constructor(readonly label: string) {}
}
@injectable()
class NeedsUndecoratedHelper implements CredentialProvider<TestCreds> {
  readonly name = 'needs-undecorated-helper';
  constructor(readonly helper: UndecoratedHelper) {}
  async provide() {
    return { id: 'x' };
  }
}
@injectable()
class StringParameterProvider implements CredentialProvider<TestCreds> {
  readonly name = 'string-parameter';
  constructor(readonly url: string) {}
  async provide() {
    return { id: 'x' };
  }
}

@injectable()
class ThrowingProvider implements CredentialProvider<TestCreds> {
  readonly name = 'throwing';
  constructor(@inject(Tokens.EnvironmentSource) env: EnvironmentSource) {
    if (env.get('VAULT') === undefined) throw new RangeError('VAULT must be set');
  }
  async provide() {
    return { id: 'x' };
  }
}

@injectable()
class GoodProvider implements CredentialProvider<TestCreds> {
  readonly name = 'good';
  constructor(@inject(Tokens.EnvironmentSource) readonly env: EnvironmentSource) {}
  async provide() {
    return { id: 'x' };
  }
}

const chainOf = (provider: unknown) =>
  resolveChain(
    createChainContainer<TestCreds>({
      env: {},
      providers: [provider as typeof GoodProvider],
    }),
  );

/** What `fn` throws (it must throw). */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe(resolveLink.name, () => {
  it('names a class without @injectable() and both fixes', () => {
    const error = thrownBy(() => chainOf(NoInjectableProvider));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'the link class NoInjectableProvider cannot be built: it takes constructor parameters but is not decorated with @injectable(), so tsyringe does not know them. Either decorate it with @injectable() (from tsyringe or @credchain/core; tsconfig.json needs "experimentalDecorators" and "emitDecoratorMetadata": on Bun the tsconfig.json of the current directory, on Deno the compilerOptions of deno.json), declare it with injectableClass(NoInjectableProvider, [tokens…]), or pass an instance (new NoInjectableProvider(…)) or a plain object { name, provide() } instead of the class.',
    );
  });

  it('names the class, the parameter position and the token to @inject for an interface-typed parameter', () => {
    const error = thrownBy(() => chainOf(InterfaceParameterProvider));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'the link class InterfaceParameterProvider cannot be built: tsyringe cannot resolve its constructor parameter #0 ("env"): its type has no runtime token (an interface or a type alias is erased to Object): name the token with @inject(token), e.g. @inject(Tokens.EnvironmentSource) for the environment or @inject(Tokens.Logger) for the logger.',
    );
    expect((error.cause as Error).message).toMatch(/^Cannot inject the dependency/);
  });

  it('names a token nothing is registered for', () => {
    expect(() => chainOf(UnregisteredTokenProvider)).toThrow(
      'the link class UnregisteredTokenProvider cannot be built: tsyringe cannot resolve its constructor parameter #0 ("client"): nothing is registered for its token Symbol(VaultClient) in the chain\'s container',
    );
  });

  it('names the dependency at fault, not the link, when a dependency of the link cannot be built', () => {
    expect(thrownBy(() => chainOf(NeedsBrokenClient)).message).toBe(
      'the link class NeedsBrokenClient cannot be built: tsyringe cannot resolve its dependency BrokenClient\'s constructor parameter #0 ("env"): its type has no runtime token (an interface or a type alias is erased to Object): name the token with @inject(token), e.g. @inject(Tokens.EnvironmentSource) for the environment or @inject(Tokens.Logger) for the logger.',
    );
    expect(thrownBy(() => chainOf(NeedsUndecoratedHelper)).message).toBe(
      'the link class NeedsUndecoratedHelper cannot be built: tsyringe cannot resolve its constructor parameter #0 ("helper"): its class UndecoratedHelper is not decorated with @injectable(). Either decorate it with @injectable() (from tsyringe or @credchain/core; tsconfig.json needs "experimentalDecorators" and "emitDecoratorMetadata": on Bun the tsconfig.json of the current directory, on Deno the compilerOptions of deno.json), declare it with injectableClass(UndecoratedHelper, [tokens…]), or pass an instance (new UndecoratedHelper(…)) or a plain object { name, provide() } instead of the class.',
    );
    expect(thrownBy(() => chainOf(StringParameterProvider)).message).toContain(
      'its constructor parameter #0 ("url"): its type, String, is a value tsyringe cannot build',
    );
  });

  it("lets the link's own constructor errors through unchanged", () => {
    const error = thrownBy(() => chainOf(ThrowingProvider));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('VAULT must be set');
  });

  it('builds a well-decorated class', () => {
    const c = createChainContainer({ env: {} });
    expect(resolveLink(c, GoodProvider).name).toBe('good');
  });
});

describe('createChainContainer({ parent })', () => {
  it('refuses a parent holding links it would hide, and says where they go', () => {
    const parent = container.createChildContainer();
    parent.register(Tokens.CredentialProvider, {
      useValue: { name: 'x', provide: async () => ({}) },
    });
    expect(() =>
      createChainContainer({ parent, providers: [{ name: 'y', provide: async () => ({}) }] }),
    ).toThrow(
      'createChainContainer({ parent }): the container holds links registered on Tokens.CredentialProvider; the chain is built in a child of it with its own links, which would hide them.',
    );
    // Without links of its own, the parent's links are the chain's: allowed.
    expect(resolveChain(createChainContainer({ parent, env: {} })).providers).toHaveLength(1);
  });
});

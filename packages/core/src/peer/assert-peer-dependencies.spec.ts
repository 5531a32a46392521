import { MissingPeerDependencyError } from '../errors/missing-peer-dependency-error';
import { assertPeerDependencies, PEER_DEPENDENCIES } from './assert-peer-dependencies';

/** A resolver that knows only `installed`, failing like Node for the rest. */
function resolverOf(...installed: string[]): (name: string) => string {
  return (name) => {
    if (installed.includes(name)) return `/app/node_modules/${name}/index.js`;
    throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
  };
}

describe(assertPeerDependencies.name, () => {
  it('is silent when every peer is installed', () => {
    expect(() =>
      assertPeerDependencies('@credchain/core', resolverOf('reflect-metadata', 'tsyringe')),
    ).not.toThrow();
  });

  it('checks reflect-metadata and tsyringe by default', () => {
    const asked: string[] = [];
    assertPeerDependencies('@credchain/core', (name) => {
      asked.push(name);
      return name;
    });
    expect(asked).toEqual([...PEER_DEPENDENCIES]);
    expect(asked).toEqual(['reflect-metadata', 'tsyringe']);
  });

  it('names the one missing package and the command that installs it', () => {
    const act = () => assertPeerDependencies('@credchain/aws', resolverOf('reflect-metadata'));
    expect(act).toThrow(MissingPeerDependencyError);
    expect(act).toThrow(
      '@credchain/aws needs "tsyringe" installed beside it (peer dependency, so your app and credchain share one copy). Install it: npm install tsyringe',
    );
  });

  it('names every missing package', () => {
    let error: unknown;
    try {
      assertPeerDependencies('@credchain/core', resolverOf());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingPeerDependencyError);
    const missing = error as MissingPeerDependencyError;
    expect(missing.missing).toEqual(['reflect-metadata', 'tsyringe']);
    expect(missing.dependent).toBe('@credchain/core');
    expect(missing.name).toBe('MissingPeerDependencyError');
    expect(missing.message).toBe(
      '@credchain/core needs "reflect-metadata" and "tsyringe" installed beside it (peer dependencies, so your app and credchain share one copy). Install them: npm install reflect-metadata tsyringe',
    );
    expect(String(missing)).toMatch(/^MissingPeerDependencyError: @credchain\/core needs/);
    expect(missing.cause).toBeUndefined();
  });

  it('rethrows even a thrown null as it is (not a TypeError of its own)', () => {
    let caught: unknown = 'nothing thrown';
    try {
      assertPeerDependencies('@credchain/core', () => {
        throw null;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeNull();
  });

  it('rethrows a failure that is not "not found" as it is', () => {
    const broken = new SyntaxError('Unexpected token in package.json');
    expect(() =>
      assertPeerDependencies('@credchain/core', () => {
        throw broken;
      }),
    ).toThrow(broken);
  });
});

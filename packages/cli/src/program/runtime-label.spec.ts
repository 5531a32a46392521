import { runtimeLabel } from './runtime-label';

describe(runtimeLabel.name, () => {
  it.each<[string, Record<string, string>, string]>([
    ['Node', { node: '22.12.0' }, 'node v22.12.0'],
    ['Bun (which claims a Node version too)', { node: '24.3.0', bun: '1.4.4' }, 'bun 1.4.4'],
    ['Deno (which claims a Node version too)', { node: '24.2.0', deno: '2.9.6' }, 'deno 2.9.6'],
  ])('%s', (_label, versions, label) => {
    expect(runtimeLabel(versions as unknown as NodeJS.ProcessVersions)).toBe(label);
  });

  it('is this process’s by default', () => {
    expect(runtimeLabel()).toBe(`node ${process.version}`);
  });
});

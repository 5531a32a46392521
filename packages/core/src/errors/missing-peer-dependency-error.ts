/**
 * A peer dependency of a credchain package is not installed where Node can
 * find it from that package. The message names what to install; thrown when
 * the package loads, instead of a stack from deep inside the DI library.
 */
export class MissingPeerDependencyError extends Error {
  override readonly name = 'MissingPeerDependencyError';

  constructor(
    /** The credchain package that needs them, e.g. `@credchain/core`. */
    readonly dependent: string,
    /** The peer packages that could not be found. */
    readonly missing: readonly string[],
  ) {
    const names = missing.map((name) => `"${name}"`).join(' and ');
    super(
      `${dependent} needs ${names} installed beside it (peer ${missing.length === 1 ? 'dependency' : 'dependencies'}, so your app and credchain share one copy). Install ${missing.length === 1 ? 'it' : 'them'}: npm install ${missing.join(' ')}`,
    );
  }
}

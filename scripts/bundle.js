// Writes each package's JavaScript: its own modules bundled into one CommonJS
// file (dist/index.js), after `tsc -b` has type-checked the sources and
// written the declarations (the packages' tsconfigs emit declarations only).
// Why: loading ~60 small modules costs more at start-up than the whole AWS
// SDK env provider chain (measured in `pnpm bench`, cold start). Every
// dependency stays external — tsyringe in particular must stay one shared
// instance, or classes decorated here would be unknown to the caller's
// containers — and the SDK packages are still loaded only when their link runs.
// esbuild emits no decorator metadata; every injected parameter here names
// its token with @inject, so none is needed.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entries = [
  ['packages/core/src/index.ts', 'packages/core/dist/index.js'],
  ['packages/aws/src/index.ts', 'packages/aws/dist/index.js'],
  ['packages/redis/src/index.ts', 'packages/redis/dist/index.js'],
  ['packages/cli/src/index.ts', 'packages/cli/dist/index.js'],
  ['packages/cli/src/run.ts', 'packages/cli/dist/run.js'],
];

for (const [entry, outfile] of entries) {
  buildSync({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

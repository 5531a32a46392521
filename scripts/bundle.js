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
//
// ESM: each package also gets dist/index.mjs, a thin wrapper that loads the
// CommonJS build through createRequire and re-exports its names, and
// dist/index.d.mts, which re-exports the CommonJS declarations. Why not a
// second (ESM) build: core keeps process-wide state (the AsyncLocalStorage
// of EnvironmentScope, its generation counter), and a dual build would give
// an app that mixes `import` and `require` two of each. Why not let Node
// import the CJS file directly: that runs its export detection over the
// whole bundle and measured ~2× slower than createRequire (bench, cold start).
const { buildSync } = require('esbuild');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entries = [
  { entry: 'packages/core/src/index.ts', outfile: 'packages/core/dist/index.js', esm: true },
  { entry: 'packages/aws/src/index.ts', outfile: 'packages/aws/dist/index.js', esm: true },
  { entry: 'packages/redis/src/index.ts', outfile: 'packages/redis/dist/index.js', esm: true },
  {
    entry: 'packages/opentelemetry/src/index.ts',
    outfile: 'packages/opentelemetry/dist/index.js',
    esm: true,
  },
  { entry: 'packages/cli/src/index.ts', outfile: 'packages/cli/dist/index.js', esm: true },
  { entry: 'packages/cli/src/run.ts', outfile: 'packages/cli/dist/run.js', esm: false },
];

/** The ESM wrapper over a CommonJS bundle exporting `names`. */
function esmWrapper(names) {
  return [
    '// ESM entry: the CommonJS build, loaded once per process (see scripts/bundle.js).',
    "import { createRequire } from 'node:module';",
    '',
    "const cjs = createRequire(import.meta.url)('./index.js');",
    '',
    `export const { ${names.join(', ')} } = cjs;`,
    // What Node's own import of a CommonJS file gives: module.exports as the
    // default, so `import aws from '@credchain/aws'` works either way.
    'export default cjs;',
    '',
  ].join('\n');
}

const ESM_TYPES = [
  '// ESM declarations: the same API as the CommonJS build this entry loads.',
  "export * from './index.js';",
  "declare const _default: typeof import('./index.js');",
  'export default _default;',
  '',
].join('\n');

for (const { entry, outfile, esm } of entries) {
  const out = join(root, outfile);
  buildSync({
    entryPoints: [join(root, entry)],
    outfile: out,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  if (!esm) continue;
  // The export names, read from the bundle itself, so the wrapper cannot drift.
  const names = Object.keys(require(out)).filter((name) => name !== '__esModule');
  if (names.length === 0) throw new Error(`${outfile} exports nothing`);
  writeFileSync(out.replace(/\.js$/, '.mjs'), esmWrapper(names));
  writeFileSync(out.replace(/\.js$/, '.d.mts'), ESM_TYPES);
}

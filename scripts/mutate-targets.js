// @ts-check
/**
 * What `pnpm mutate` mutates, per package: the folders and files where
 * behaviour lives. Shared by `scripts/mutate.js` (which picks the files of a
 * run, e.g. `--changed`) and `stryker.config.mjs` (which mutates them).
 * See docs/testing.md.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/**
 * Per package, the paths (folders or files, relative to the workspace) whose
 * `.ts` files are mutated. A package's mutants run against that package's
 * specs only (`jest.stryker.config.js`).
 */
const TARGETS = {
  core: ['packages/core/src'],
  aws: [
    'packages/aws/src/client-cache',
    'packages/aws/src/profiles',
    'packages/aws/src/providers',
    'packages/aws/src/role-cache',
    'packages/aws/src/rotation',
  ],
  // Its specs start a real redis-server (test/support/redis-server.ts).
  redis: ['packages/redis/src'],
  cli: ['packages/cli/src'],
};

/** @typedef {keyof typeof TARGETS} Target */

const PACKAGES = /** @type {Target[]} */ (Object.keys(TARGETS));

/**
 * A file with nothing to mutate: only types and imports (no `const`,
 * `function`, `class`, `enum` and no call at module level). Stryker finds no
 * mutant there; listing it would add an empty row to every report.
 */
function isTypesOnly(source) {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .split('\n')
    .filter((line) => /^\S/.test(line));
  const declaration =
    /^(export\s+)?(default\s+)?(declare\s+)?(abstract\s+)?(async\s+)?(const|let|var|function|class|enum)\b/;
  // A call at module level (e.g. a check the entry point runs on load).
  const statement = /^(?!import\b|export\b|type\b|interface\b)[A-Za-z_$][\w$.]*\s*\(/;
  return !code.some((line) => declaration.test(line) || statement.test(line));
}

/** Whether `file` (relative, `/`-separated) is one that can carry mutants. */
function isMutable(file) {
  const base = path.posix.basename(file);
  if (!base.endsWith('.ts') || base.endsWith('.d.ts')) return false;
  if (/\.(spec|test)\.ts$/.test(base) || base === 'index.ts') return false;
  return !isTypesOnly(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

/** Every file `pnpm mutate <target>` mutates, relative to the workspace, sorted. */
function filesOf(target) {
  const files = [];
  for (const entry of TARGETS[target]) {
    const full = path.join(ROOT, entry);
    if (!fs.existsSync(full)) continue;
    const found = fs.statSync(full).isDirectory()
      ? fs
          .readdirSync(full, { recursive: true, encoding: 'utf8' })
          .map((name) => path.posix.join(entry, name.split(path.sep).join('/')))
      : [entry];
    files.push(...found.filter(isMutable));
  }
  return [...new Set(files)].sort();
}

/** The target whose paths hold `file` (relative to the workspace), if any. */
function targetOf(file) {
  const clean = file.split(path.sep).join('/').replace(/\/$/, '');
  return PACKAGES.find((target) =>
    TARGETS[target].some(
      (entry) => clean === entry || clean.startsWith(`${entry}/`) || entry.startsWith(`${clean}/`),
    ),
  );
}

module.exports = { ROOT, TARGETS, PACKAGES, filesOf, targetOf, isMutable };

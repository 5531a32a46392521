// @ts-check
/**
 * Loads a TypeScript file of test/support from plain Node (a child process,
 * scripts/demo.js, a benchmark), where jest's transform is not there:
 * esbuild bundles the file in memory (node_modules stay external) and the
 * result is compiled as a CommonJS module.
 *
 *   const { startLambdaServer } = require('./test/support/load-support')('lambda-server');
 */
const Module = require('node:module');
const path = require('node:path');
const esbuild = require('esbuild');

/**
 * @param {string} name a file of test/support, without `.ts`
 * @returns {any} its exports
 */
module.exports = function loadSupport(name) {
  const file = path.join(__dirname, `${name}.ts`);
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const loaded = new Module(file, module);
  loaded.filename = file;
  // @ts-expect-error: _nodeModulePaths is Node's own (stable) resolution helper.
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  // @ts-expect-error: _compile is how Node itself compiles a CommonJS source.
  loaded._compile(outputFiles[0].text, file);
  return loaded.exports;
};

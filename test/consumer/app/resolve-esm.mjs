// ESM consumer: `import` resolves, and shares one instance of core's
// process-wide state with `require` (no dual-package hazard).
import { createRequire } from 'node:module';
import aws, { createCredentialChain } from '@credchain/aws';
import core, { EnvironmentScope, redactKeyId, Tokens } from '@credchain/core';

const require = createRequire(import.meta.url);
const fromRequire = require('@credchain/core');

const chain = createCredentialChain();
const credentials = await chain.resolve();
// A generation bump seen through the other entry: one counter, one module.
const before = fromRequire.EnvironmentScope.generation();
EnvironmentScope.bumpGeneration();
console.log(
  JSON.stringify({
    accessKeyId: redactKeyId(credentials.accessKeyId),
    sameScope: fromRequire.EnvironmentScope === EnvironmentScope,
    sameTokens: fromRequire.Tokens === Tokens,
    generationShared: fromRequire.EnvironmentScope.generation() === before + 1,
    // The default export is module.exports, as Node's own CommonJS import gives.
    defaultIsModuleExports: core === fromRequire && aws === require('@credchain/aws'),
  }),
);

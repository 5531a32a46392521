import { assertPeerDependencies } from '@credchain/core';

// Imported first by the package entry point: in the CommonJS bundle this runs
// before `require('reflect-metadata')` / `require('tsyringe')`.
assertPeerDependencies('@credchain/aws', require.resolve);

import { assertPeerDependencies } from './assert-peer-dependencies';

// Imported first by the package entry point: in the CommonJS bundle this runs
// before `require('reflect-metadata')` / `require('tsyringe')`.
assertPeerDependencies('@credchain/core', require.resolve);

#!/usr/bin/env node

// The `credchain` command: a launcher for the compiled code in ../dist.
//
// Node 20 reads `--env-file` even after the script name (nodejs/node#54232):
// `node bin/credchain.js explain --env-file missing.env` exits 9 before this
// file runs. `node -- bin/credchain.js …`, `credchain -- explain --env-file F`
// (a leading `--` is ignored) and `-f F` avoid it; see the package README.

let run;
try {
  ({ run } = require('../dist/run.js'));
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && error.requireStack?.[0] === __filename) {
    process.stderr.write('credchain: not built yet: run `pnpm build` in the workspace root\n');
    process.exit(1);
  }
  throw error;
}
run();

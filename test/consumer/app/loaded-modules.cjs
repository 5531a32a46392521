// Pay for what you use: which packages (and @smithy/core submodules) an
// env-only resolve loads, and which of Node's costlier built-in modules
// (node:crypto alone takes 3-16 ms to load on Node 20-24).
const { createCredentialChain } = require('@credchain/aws');

const COSTLY_BUILTINS = ['crypto', 'fs/promises', 'child_process', 'http', 'https', 'stream'];

createCredentialChain()
  .resolve()
  .then(() => {
    const loaded = new Set();
    for (const file of Object.keys(require.cache)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:.*\/submodules\/([^/]+)\/)?/.exec(file);
      if (match) loaded.add(match[2] ? `${match[1]}/${match[2]}` : match[1]);
    }
    const builtins = COSTLY_BUILTINS.filter((name) =>
      process.moduleLoadList.includes(`NativeModule ${name}`),
    );
    console.log(JSON.stringify({ packages: [...loaded].sort(), builtins }));
  });

// Pay for what you use: which packages (and @smithy/core submodules) an
// env-only resolve loads.
const { createCredentialChain } = require('@credchain/aws');

createCredentialChain()
  .resolve()
  .then(() => {
    const loaded = new Set();
    for (const file of Object.keys(require.cache)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:.*\/submodules\/([^/]+)\/)?/.exec(file);
      if (match) loaded.add(match[2] ? `${match[1]}/${match[2]}` : match[1]);
    }
    console.log(JSON.stringify([...loaded].sort()));
  });

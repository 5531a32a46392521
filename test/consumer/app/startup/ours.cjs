// Start-up, CommonJS: load credchain and resolve the plain AWS_* keys.
const { createCredentialChain } = require('@credchain/aws');

createCredentialChain()
  .resolve()
  .then((credentials) => {
    if (credentials.accessKeyId !== process.env.AWS_ACCESS_KEY_ID) process.exit(3);
  });

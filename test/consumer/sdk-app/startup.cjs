// Start-up, CommonJS: load the SDK's default chain and resolve the plain AWS_* keys.
const { fromNodeProviderChain } = require('@aws-sdk/credential-providers');

fromNodeProviderChain()().then((credentials) => {
  if (credentials.accessKeyId !== process.env.AWS_ACCESS_KEY_ID) process.exit(3);
});

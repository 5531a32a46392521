// Start-up, ESM: import the SDK's default chain and resolve the plain AWS_* keys.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

const credentials = await fromNodeProviderChain()();
if (credentials.accessKeyId !== process.env.AWS_ACCESS_KEY_ID) process.exit(3);

// Start-up, ESM: import credchain and resolve the plain AWS_* keys.
import { createCredentialChain } from '@credchain/aws';

const credentials = await createCredentialChain().resolve();
if (credentials.accessKeyId !== process.env.AWS_ACCESS_KEY_ID) process.exit(3);

// A profile with credential_process, read through the chain's environment
// (process.env as the test set it: the profile files, HOME, AWS_PROFILE).
// Prints the redacted key id that resolved, or the error's message.
import { createCredentialChain } from '@credchain/aws';
import { redactKeyId } from '@credchain/core';

const chain = createCredentialChain({ env: process.env });
try {
  const credentials = await chain.resolve();
  console.log(JSON.stringify({ accessKeyId: redactKeyId(credentials.accessKeyId) }));
} catch (error) {
  console.log(JSON.stringify({ error: error.message }));
}

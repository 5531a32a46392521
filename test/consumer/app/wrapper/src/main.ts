// Runs every check of the Acme wrapper and prints one JSON line.

import { VAULT, VAULT_TOKEN } from './keys';
import { checkLinks } from './links';
import { startRecorder, startVault } from './loopback';
import { checkScope } from './scope';

async function main() {
  const recorder = await startRecorder();
  const vault = await startVault(VAULT, VAULT_TOKEN);
  try {
    const scope = await checkScope(recorder, vault.url);
    const links = await checkLinks(vault);
    console.log(JSON.stringify({ ...scope, ...links }));
  } finally {
    await Promise.all([recorder.stop(), vault.stop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * A failing credential_process: its command line (often carrying a helper's
 * token) and its output never reach a message, a report or an error cause.
 */
import { inspect } from 'node:util';
import { createCredentialChain } from '@credchain/aws';
import { writeAwsFiles } from '../support/temp-aws-files';

const TOKEN = 'hvs.FAKE-SENTINEL-HELPER-TOKEN-never-print';

describe('a failing credential_process', () => {
  it('is reported without its command line or output', async () => {
    const files = await writeAwsFiles({
      config: `
        [profile helper]
        credential_process = sh -c "echo ${TOKEN} >&2; exit 3" helper --token ${TOKEN}
      `,
    });
    try {
      const chain = createCredentialChain({
        env: { HOME: files.dir, ...files.env, REMOTION_AWS_PROFILE: 'helper' },
      });
      const error = await chain.resolve().catch((e: unknown) => e);
      const report = await chain.explain();
      expect(String((error as Error).message)).toMatch(
        /profile "helper" .* credential_process failed/,
      );
      for (const text of [
        inspect(error, { depth: Number.POSITIVE_INFINITY }),
        JSON.stringify(report),
        inspect(report),
      ]) {
        expect(text.includes(TOKEN)).toBe(false);
      }
    } finally {
      await files.cleanup();
    }
  });
});

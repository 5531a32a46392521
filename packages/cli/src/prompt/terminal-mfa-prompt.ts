import type { MfaCodeProvider } from '@credchain/aws';
import type { PromptInput, TextOutput } from '../cli-io';

/**
 * An MFA code provider that asks on the terminal — `MFA code for <serial>: `
 * on stderr (stdout may be piped into a JSON consumer), the answer read from
 * stdin — or `undefined` when stdin is not a terminal: then a role profile
 * with `mfa_serial` fails, naming the profile and its `mfa_serial`, instead
 * of waiting for input that never comes.
 */
export function terminalMfaPrompt(
  stdin: PromptInput | undefined,
  stderr: TextOutput,
): MfaCodeProvider | undefined {
  if (stdin === undefined || stdin.isTTY !== true) return undefined;
  return async (serial) => {
    // Loaded only when a prompt is really shown.
    const { createInterface } = require('node:readline') as typeof import('node:readline');
    stderr.write(`MFA code for ${serial}: `);
    const lines = createInterface({ input: stdin, terminal: false });
    try {
      for await (const line of lines) return line.trim();
      throw new Error(`no MFA code was entered for ${serial}`);
    } finally {
      lines.close();
    }
  };
}

import type { MfaCodeProvider } from '@credchain/aws';
import type { PromptInput, TextOutput } from '../cli-io';

/** How one hidden read ended. */
type Answer =
  | { readonly kind: 'entered'; readonly code: string }
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'ended' };

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';

/**
 * An MFA code provider that asks on the terminal — `MFA code for <serial>: `
 * on stderr (stdout may be piped into a JSON consumer), the answer read from
 * stdin without echo — or `undefined` when stdin is not a terminal: then a
 * role profile with `mfa_serial` fails, naming the profile and its
 * `mfa_serial`, instead of waiting for input that never comes.
 *
 * The code is read in raw mode up to Enter (Backspace deletes a character,
 * spaces are dropped);
 * the terminal's mode is restored whatever happens. Ctrl-C restores it, then
 * calls `interrupt` — by default the process re-raises SIGINT on itself, so
 * it ends as an interrupted command does (exit status 130 in a shell).
 */
export function terminalMfaPrompt(
  stdin: PromptInput | undefined,
  stderr: TextOutput,
  interrupt: () => void = interruptProcess,
): MfaCodeProvider | undefined {
  if (stdin === undefined || stdin.isTTY !== true) return undefined;
  return async (serial) => {
    const wasRaw = stdin.isRaw === true;
    // Raw before the prompt shows: what is typed after it is never echoed.
    stdin.setRawMode?.(true);
    let answer: Answer;
    try {
      stderr.write(`MFA code for ${serial}: `);
      answer = await readAnswer(stdin);
    } finally {
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      // Enter was not echoed either: end the prompt's line.
      stderr.write('\n');
    }
    if (answer.kind === 'interrupted') {
      interrupt();
      throw new Error(`the MFA prompt for ${serial} was interrupted (Ctrl-C)`);
    }
    if (answer.kind === 'ended') throw new Error(`no MFA code was entered for ${serial}`);
    // Authenticator apps show the code as `123 456`: spaces typed are dropped.
    return answer.code.replace(/\s/g, '');
  };
}

/** Reads keys up to Enter, Ctrl-C, Ctrl-D on an empty line, or the end of input. */
function readAnswer(stdin: PromptInput): Promise<Answer> {
  return new Promise((resolve) => {
    let typed = '';
    const settle = (answer: Answer) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      resolve(answer);
    };
    const onData = (chunk: Buffer | string) => {
      for (const key of chunk.toString()) {
        if (ENTER.has(key)) return settle({ kind: 'entered', code: typed });
        if (key === CTRL_C) return settle({ kind: 'interrupted' });
        if (key === CTRL_D && typed === '') return settle({ kind: 'ended' });
        if (BACKSPACE.has(key)) typed = Array.from(typed).slice(0, -1).join('');
        else if (key >= ' ') typed += key;
      }
    };
    const onEnd = () => settle({ kind: 'ended' });
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}

/**
 * Ends the process as Ctrl-C would: SIGINT re-raised on itself. A SIGINT
 * listener (a library's clean-up hook, e.g. the role cache's lock removal)
 * turns that signal into a later callback instead of an exit, and the error
 * path would then exit 1; so exit 130 right away — the status a shell gives an
 * interrupted command — and let the listeners run on 'exit'.
 */
function interruptProcess(): void {
  process.kill(process.pid, 'SIGINT');
  process.exit(130);
}

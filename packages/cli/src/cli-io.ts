/** Somewhere text is written: the process's stdout or stderr, or a test buffer. */
export interface TextOutput {
  write(text: string): void;
}

/** Where the CLI reads answers to its prompts (the MFA code): stdin. */
export interface PromptInput extends NodeJS.ReadableStream {
  /** Only a terminal is asked: without one, prompting would hang or read garbage. */
  readonly isTTY?: boolean;
  /** Whether the terminal is in raw mode now (a `tty.ReadStream`'s). */
  readonly isRaw?: boolean;
  /** Turns raw mode (no echo, no line editing, Ctrl-C as a byte) on or off. */
  setRawMode?(mode: boolean): unknown;
}

/**
 * Everything the CLI touches in the world, injected so that {@link main}
 * can run against buffers and plain objects.
 */
export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  /** Prompts read from here when it is a terminal; absent in tests that never prompt. */
  readonly stdin?: PromptInput;
  /** Whether stdout is a terminal (colour is used only then). */
  readonly stdoutIsTTY: boolean;
  /** The process environment; `.env` values are layered under it, never over it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `.env` is looked for and relative `--env-file` paths start. */
  readonly cwd: string;
  /**
   * Where variables the AWS SDK reads by itself (not through our environment
   * object) are copied from `.env`. `process.env` in the real command.
   */
  readonly sdkEnv: Record<string, string | undefined>;
}

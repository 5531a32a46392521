import type { Logger } from '@credchain/core';

/**
 * A {@link Logger} that keeps its lines in an array, each tagged with its
 * owner (`[ACME] …`), so that two wrappers in one process log apart.
 * credchain's lines name links, variables and outcomes, never a secret.
 */
export class CollectingLogger implements Logger {
  constructor(
    private readonly tag: string,
    readonly lines: string[] = [],
  ) {}

  debug(message: string): void {
    this.lines.push(`[${this.tag}] ${message}`);
  }
}

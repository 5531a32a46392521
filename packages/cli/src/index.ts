/**
 * @credchain/cli — the `credchain` command: `explain`, `check`, `accounts`
 * and `exec`. The only part of credchain that reads `.env` files.
 * @packageDocumentation
 */
export type { CliIo, TextOutput } from './cli-io';
export type { CliEnvironment } from './env/cli-environment';
export type { EnvFileOptions } from './env/env-file-options';
export { findMalformedEnvLines, type MalformedEnvLine } from './env/find-malformed-env-lines';
export { loadCliEnvironment } from './env/load-cli-environment';
export { CliError } from './errors/cli-error';
export { ExitCode } from './errors/exit-code';
export { UsageError } from './errors/usage-error';
export { main } from './main';
export { processIo } from './process-io';
export { run } from './run';

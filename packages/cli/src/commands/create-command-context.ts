import { AwsCliRoleSessionCache, awsVariables } from '@credchain/aws';
import type { CliIo } from '../cli-io';
import { loadCliEnvironment } from '../env/load-cli-environment';
import { UsageError } from '../errors/usage-error';
import type { SecretScrubber } from '../output/secret-scrubber';
import { createStyle } from '../output/style';
import { useColor } from '../output/use-color';
import type { GlobalOptions } from '../program/global-options';
import { terminalMfaPrompt } from '../prompt/terminal-mfa-prompt';
import { RecordingRoleSessionCache } from '../role-cache/recording-role-session-cache';
import type { CommandContext } from './command-context';

/**
 * Validates the prefix, reads `.env`, and sets up output: everything a
 * command needs before it runs. Throws a {@link UsageError} for a bad
 * prefix or `.env` file. Secret-looking variables are added to `scrubber`,
 * through which all of the command's output goes.
 */
export function createCommandContext(
  io: CliIo,
  options: GlobalOptions,
  scrubber: SecretScrubber,
): CommandContext {
  let vars: ReturnType<typeof awsVariables>;
  try {
    vars = awsVariables(options.prefix);
  } catch (error) {
    throw new UsageError(`--prefix: ${(error as Error).message}`, { cause: error });
  }
  const environment = loadCliEnvironment({
    envFile: options.envFile,
    cwd: io.cwd,
    processEnv: io.env,
    sdkEnv: io.sdkEnv,
  });
  scrubber.addFromEnvironment(environment.env);
  const debug = options.debug === true;
  const err = (text: string) => io.stderr.write(scrubber.scrub(text));
  const trace = (message: string) => {
    if (debug) err(`credchain: debug: ${message}\n`);
  };
  const context: CommandContext = {
    prefix: options.prefix,
    vars,
    environment,
    json: options.json === true,
    debug,
    style: createStyle(!options.json && useColor(io.stdoutIsTTY, environment.env)),
    scrubber,
    // On by default, as in the AWS CLI: one STS call (and one MFA code) per
    // role session, not one per command.
    ...(options.roleCache !== false && {
      roleCache: new RecordingRoleSessionCache(new AwsCliRoleSessionCache(), trace),
    }),
    mfaCodeProvider: terminalMfaPrompt(io.stdin, io.stderr),
    out: (text) => io.stdout.write(scrubber.scrub(text)),
    err,
    trace,
  };
  traceEnvironment(context);
  return context;
}

function traceEnvironment({ environment, trace }: CommandContext): void {
  if (environment.file === undefined) {
    trace('no .env file read');
    return;
  }
  const names = (list: readonly string[]) => (list.length === 0 ? 'none' : list.join(', '));
  trace(`read ${environment.file}: set ${names(environment.loaded)}`);
  if (environment.shadowed.length > 0) {
    trace(`kept from the environment (it wins over .env): ${names(environment.shadowed)}`);
  }
}

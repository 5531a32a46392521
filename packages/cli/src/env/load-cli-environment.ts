import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error';
import type { CliEnvironment } from './cli-environment';
import type { EnvFileOptions } from './env-file-options';
import { findMalformedEnvLines, type MalformedEnvLine } from './find-malformed-env-lines';

/** Variables the AWS SDK may read from `process.env` on its own. */
const SDK_VARIABLE = /^AWS_/;

/**
 * Builds the environment of one CLI run: `.env` from the working directory
 * (or the `--env-file` given, or none with `--no-env-file`), under the
 * process environment — a variable already set, even to an empty string,
 * wins over the file, as with dotenv's default.
 *
 * The file is checked line by line first, because dotenv's `parse` skips
 * malformed lines silently; problems are a {@link UsageError} giving line
 * numbers, never line contents. dotenv is loaded only when a file is read.
 */
export function loadCliEnvironment(options: EnvFileOptions): CliEnvironment {
  const { envFile, cwd, processEnv } = options;
  if (envFile === false) return { env: { ...processEnv }, loaded: [], shadowed: [] };
  const path = resolve(cwd, envFile ?? '.env');
  const shown = envFile ?? '.env';
  const text = readEnvFile(path, shown, envFile !== undefined);
  if (text === undefined) return { env: { ...processEnv }, loaded: [], shadowed: [] };

  const malformed = findMalformedEnvLines(text);
  if (malformed.length > 0) {
    throw new UsageError(`${displayPath(cwd, path)}: ${describe(malformed)}`);
  }
  const { parse } = require('dotenv') as typeof import('dotenv');
  const parsed = parse(text);
  const env: Record<string, string | undefined> = { ...processEnv };
  const loaded: string[] = [];
  const shadowed: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (Object.hasOwn(processEnv, name)) {
      shadowed.push(name);
      continue;
    }
    env[name] = value;
    loaded.push(name);
    if (options.sdkEnv !== undefined && SDK_VARIABLE.test(name)) options.sdkEnv[name] = value;
  }
  return { env, file: path, loaded, shadowed };
}

/** The file's text; `undefined` when the default `.env` does not exist. */
function readEnvFile(path: string, shown: string, explicit: boolean): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return undefined;
    const option = explicit ? '--env-file ' : '';
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot be read (${code ?? String(error)})`;
    throw new UsageError(`${option}${shown}: ${why}`, { cause: error });
  }
}

function describe(malformed: readonly MalformedEnvLine[]): string {
  const parts = malformed.map(({ line, problem }) =>
    problem === 'unclosed-quote'
      ? `line ${line} opens a quote that is never closed`
      : `line ${line} is not KEY=VALUE`,
  );
  return `${parts.join('; ')} (values are not shown; fix the file or pass --no-env-file)`;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

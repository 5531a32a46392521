/**
 * Reading what a Prometheus server scrapes: the text exposition format,
 * one sample a line, `name{label="value",…} value`, with `# HELP` / `# TYPE`
 * comment lines.
 */

/** One sample line. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of `text` (comments and blank lines skipped). */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key as string] = (value as string).replace(/\\(.)/g, (_, c: string) =>
        c === 'n' ? '\n' : c,
      );
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The lines of `text` about metrics whose name starts with `prefix` (samples and their HELP/TYPE). */
export function linesOf(text: string, prefix: string): string[] {
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(prefix) ||
        line.startsWith(`# HELP ${prefix}`) ||
        line.startsWith(`# TYPE ${prefix}`),
    );
}

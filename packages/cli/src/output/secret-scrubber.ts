const REDACTED = '[redacted]';
/** Variable names whose values are treated as secrets. */
const SECRET_NAME = /SECRET|TOKEN|PASSW/i;
/** Shorter values are not scrubbed: they would mangle ordinary text. */
const MIN_LENGTH = 8;

/**
 * A last line of defence: every line the CLI prints passes through
 * {@link SecretScrubber.scrub}, which replaces known secret values (and
 * their JSON-escaped forms) with `[redacted]`. Messages are already written
 * to name variables, not values; this catches what a third-party error
 * message might quote.
 */
export class SecretScrubber {
  readonly #secrets = new Set<string>();

  /** Adds values to hide; short or missing ones are ignored. */
  add(...values: ReadonlyArray<string | undefined>): void {
    for (const value of values) {
      for (const form of [value, value?.trim()]) {
        if (form === undefined || form.length < MIN_LENGTH) continue;
        this.#secrets.add(form);
        this.#secrets.add(JSON.stringify(form).slice(1, -1));
      }
    }
  }

  /** Adds the values of every variable whose name looks secret (`*SECRET*`, `*TOKEN*`, …). */
  addFromEnvironment(env: Readonly<Record<string, string | undefined>>): void {
    for (const [name, value] of Object.entries(env)) {
      if (SECRET_NAME.test(name)) this.add(value);
    }
  }

  scrub(text: string): string {
    let result = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }
}

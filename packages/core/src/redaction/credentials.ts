import { redactKeyId } from './redact-key-id';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[redacted]';

/** The fields of a key-pair credential (the shape AWS SDK v3 clients take). */
export interface CredentialsInit {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  // `| undefined`: a caller under `exactOptionalPropertyTypes` may pass an
  // optional value through without a conditional spread.
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
  readonly accountId?: string | undefined;
  readonly credentialScope?: string | undefined;
}

/**
 * Key-pair credentials that are safe to print. `secretAccessKey` and
 * `sessionToken` stay plain readable properties for the SDK that signs with
 * them, but `util.inspect`, `JSON.stringify`, template strings and `String()`
 * show only the redacted key id.
 *
 * @example
 * ```ts
 * const c = new Credentials({ accessKeyId: 'AKIAFAKEFAKEFAKE1234', secretAccessKey: 'fake' });
 * JSON.stringify(c); // {"accessKeyId":"AKIA…1234","secretAccessKey":"[redacted]"}
 * ```
 */
export class Credentials implements CredentialsInit {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  // `declare`: no class field is emitted, so an absent value is absent, not
  // `undefined` (the SDK and spreads see only what was given).
  declare readonly sessionToken?: string;
  declare readonly expiration?: Date;
  declare readonly accountId?: string;
  declare readonly credentialScope?: string;

  constructor(init: CredentialsInit) {
    this.accessKeyId = init.accessKeyId;
    this.secretAccessKey = init.secretAccessKey;
    const optional = this as { -readonly [K in keyof CredentialsInit]?: CredentialsInit[K] };
    if (init.sessionToken !== undefined) optional.sessionToken = init.sessionToken;
    if (init.expiration !== undefined) optional.expiration = init.expiration;
    if (init.accountId !== undefined) optional.accountId = init.accountId;
    if (init.credentialScope !== undefined) optional.credentialScope = init.credentialScope;
  }

  /** What `JSON.stringify` shows: no secret, the key id redacted. */
  toJSON(): Record<string, string | undefined> {
    return {
      accessKeyId: redactKeyId(this.accessKeyId),
      secretAccessKey: REDACTED,
      sessionToken: this.sessionToken === undefined ? undefined : REDACTED,
      expiration: this.expiration?.toISOString(),
    };
  }

  toString(): string {
    const expiry = this.expiration ? `, expires ${this.expiration.toISOString()}` : '';
    return `Credentials(${redactKeyId(this.accessKeyId)}${this.sessionToken ? ', session' : ''}${expiry})`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A loopback STS endpoint (AWS query protocol: form-encoded POST, XML answers)
 * for the SDK v3 STS clients — `@aws-sdk/client-sts` and the STS client that
 * `@aws-sdk/credential-provider-ini` / `-web-identity` create through
 * `@aws-sdk/nested-clients`.
 *
 * Answers `AssumeRole`, `AssumeRoleWithWebIdentity` and `GetCallerIdentity`,
 * records every call (action, RoleArn, RoleSessionName, the caller's access
 * key id from the Authorization header, whether its signature verified) and
 * issues obviously fake temporary credentials (ASIAFAKESTS000000001, ...).
 *
 * With `keys`, signed actions (AssumeRole, GetCallerIdentity) must carry a
 * valid SigV4 signature from one of those keys or from credentials this server
 * issued (so role chains verify end to end); without `keys`, signatures are
 * recorded but not checked.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, LOOPBACK, listenOnLoopback, readBody, SocketTracker } from './loopback';
import { type SecretLookup, verifySigV4 } from './sigv4-server';

export interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface StsCall {
  action: string;
  /** All form parameters as sent. */
  params: Record<string, string>;
  roleArn?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  externalId?: string;
  webIdentityToken?: string;
  /** Access key id from the Authorization header's Credential (undefined when unsigned). */
  callerAccessKeyId?: string;
  /** Region from the signature's credential scope. */
  signingRegion?: string;
  /** undefined when not checked (no `keys`) or unsigned. */
  signatureValid?: boolean;
  status: number;
  /** Error code when status is not 200. */
  errorCode?: string;
  issued?: StsCredentials;
}

/**
 * - `none`: behave.
 * - `access-denied`: 403 AccessDenied for AssumeRole*.
 * - `500`: 500 InternalFailure (the SDK retries these).
 * - `throttle`: 400 Throttling (the SDK retries these).
 * - `hang`: never answer.
 * - `no-credentials`: 200 for AssumeRole* without a `<Credentials>` element.
 * - `no-secret`: 200 for AssumeRole* whose `<Credentials>` has no secret key.
 */
export type StsFault =
  | 'none'
  | 'access-denied'
  | '500'
  | 'throttle'
  | 'hang'
  | 'no-credentials'
  | 'no-secret';

export interface StsServerOptions {
  /** accessKeyId -> secret; when given, signatures of signed actions are verified. */
  keys?: SecretLookup;
  /** Account id in the ARNs. Default 123456789012. */
  accountId?: string;
  /** Overrides the issued credentials. */
  issue?: (call: StsCall, serial: number) => Partial<StsCredentials>;
  fault?: StsFault;
}

export interface StsServer {
  /** `http://127.0.0.1:<port>` — use as `endpoint`, `AWS_ENDPOINT_URL_STS` or `endpoint_url`. */
  readonly url: string;
  readonly endpoint: string;
  readonly port: number;
  readonly calls: StsCall[];
  /** Calls of one action. */
  callsOf(action: string): StsCall[];
  setFault(fault: StsFault): void;
  stop(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function credentialsXml(c: StsCredentials, fault: StsFault): string {
  if (fault === 'no-credentials') return '';
  if (fault === 'no-secret') {
    return `<Credentials><AccessKeyId>${xml(c.accessKeyId)}</AccessKeyId><SessionToken>${xml(c.sessionToken)}</SessionToken><Expiration>${isoSeconds(c.expiration)}</Expiration></Credentials>`;
  }
  return `<Credentials><AccessKeyId>${xml(c.accessKeyId)}</AccessKeyId><SecretAccessKey>${xml(c.secretAccessKey)}</SecretAccessKey><SessionToken>${xml(c.sessionToken)}</SessionToken><Expiration>${isoSeconds(c.expiration)}</Expiration></Credentials>`;
}

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string, id: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
}

export async function startStsServer(options: StsServerOptions = {}): Promise<StsServer> {
  const accountId = options.accountId ?? '123456789012';
  const calls: StsCall[] = [];
  const issuedSecrets = new Map<string, string>();
  let fault: StsFault = options.fault ?? 'none';
  let serial = 0;

  const keys = options.keys;
  const secrets: SecretLookup | undefined =
    keys === undefined
      ? undefined
      : (id) => {
          const issued = issuedSecrets.get(id);
          if (issued !== undefined) return issued;
          if (typeof keys === 'function') return keys(id);
          if (keys instanceof Map) return keys.get(id);
          return Object.hasOwn(keys, id) ? keys[id] : undefined;
        };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const tracker = new SocketTracker(server);
  const port = await listenOnLoopback(server);
  const url = `http://${LOOPBACK}:${port}`;

  function reply(res: ServerResponse, call: StsCall, status: number, body: string, id: string) {
    call.status = status;
    res.writeHead(status, {
      'content-type': 'text/xml',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': id,
    });
    res.end(body);
  }

  function fail(
    res: ServerResponse,
    call: StsCall,
    status: number,
    code: string,
    message: string,
    id: string,
  ) {
    call.errorCode = code;
    reply(
      res,
      call,
      status,
      errorXml(status >= 500 ? 'Receiver' : 'Sender', code, message, id),
      id,
    );
  }

  function issue(call: StsCall): StsCredentials {
    serial += 1;
    const n = String(serial).padStart(9, '0');
    const duration = call.durationSeconds ?? 3600;
    const creds: StsCredentials = {
      accessKeyId: `ASIAFAKESTS${n}`,
      secretAccessKey: `fake-sts-secret-key-not-a-real-secret-${n}`,
      sessionToken: `fake-sts-session-token-${n}`,
      expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + duration * 1000),
      ...options.issue?.(call, serial),
    };
    issuedSecrets.set(creds.accessKeyId, creds.secretAccessKey);
    call.issued = creds;
    return creds;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const id = randomUUID();
    const form = new URLSearchParams(
      req.method === 'POST' ? body.toString('utf8') : ((req.url ?? '').split('?')[1] ?? ''),
    );
    const params = Object.fromEntries(form.entries());
    const call: StsCall = { action: params.Action ?? '', params, status: 0 };
    if (params.RoleArn !== undefined) call.roleArn = params.RoleArn;
    if (params.RoleSessionName !== undefined) call.roleSessionName = params.RoleSessionName;
    if (params.DurationSeconds !== undefined) call.durationSeconds = Number(params.DurationSeconds);
    if (params.ExternalId !== undefined) call.externalId = params.ExternalId;
    if (params.WebIdentityToken !== undefined) call.webIdentityToken = params.WebIdentityToken;
    const auth = req.headers.authorization;
    const scope = auth
      ? /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/.exec(auth)
      : null;
    if (scope) {
      call.callerAccessKeyId = scope[1];
      call.signingRegion = scope[2];
    }
    calls.push(call);

    if (fault === 'hang') return;
    if (fault === '500') {
      fail(res, call, 500, 'InternalFailure', 'injected failure', id);
      return;
    }
    if (fault === 'throttle') {
      fail(res, call, 400, 'Throttling', 'Rate exceeded', id);
      return;
    }

    const signed = call.action === 'AssumeRole' || call.action === 'GetCallerIdentity';
    if (signed && auth === undefined) {
      fail(
        res,
        call,
        403,
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
        id,
      );
      return;
    }
    if (signed && secrets !== undefined) {
      const verdict = await verifySigV4(
        { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
        secrets,
      );
      call.signatureValid = verdict.valid;
      if (!verdict.valid) {
        fail(res, call, 403, verdict.code ?? 'SignatureDoesNotMatch', verdict.reason ?? '', id);
        return;
      }
    }

    switch (call.action) {
      case 'GetCallerIdentity': {
        const caller = call.callerAccessKeyId ?? '';
        const arn = issuedSecrets.has(caller)
          ? `arn:aws:sts::${accountId}:assumed-role/credchain-test/${caller}`
          : `arn:aws:iam::${accountId}:user/${caller}`;
        reply(
          res,
          call,
          200,
          `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${xml(arn)}</Arn><UserId>${xml(caller)}</UserId><Account>${accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
          id,
        );
        return;
      }
      case 'AssumeRole':
      case 'AssumeRoleWithWebIdentity': {
        const role = ROLE_ARN.exec(call.roleArn ?? '');
        if (!role) {
          fail(res, call, 400, 'ValidationError', `invalid RoleArn: ${call.roleArn ?? ''}`, id);
          return;
        }
        if (!SESSION_NAME.test(call.roleSessionName ?? '')) {
          fail(res, call, 400, 'ValidationError', 'invalid RoleSessionName', id);
          return;
        }
        const duration = call.durationSeconds;
        if (
          duration !== undefined &&
          (!Number.isInteger(duration) || duration < 900 || duration > 43200)
        ) {
          fail(res, call, 400, 'ValidationError', 'invalid DurationSeconds', id);
          return;
        }
        if (call.action === 'AssumeRoleWithWebIdentity' && !call.webIdentityToken) {
          fail(res, call, 400, 'ValidationError', 'missing WebIdentityToken', id);
          return;
        }
        if (fault === 'access-denied') {
          fail(
            res,
            call,
            403,
            'AccessDenied',
            `User: ${call.callerAccessKeyId ?? 'anonymous'} is not authorized to perform: sts:${call.action} on resource: ${call.roleArn}`,
            id,
          );
          return;
        }
        const creds = issue(call);
        const roleName = role[2] ?? 'role';
        const user = `<AssumedRoleUser><Arn>arn:aws:sts::${role[1]}:assumed-role/${xml(roleName)}/${xml(call.roleSessionName ?? '')}</Arn><AssumedRoleId>AROAFAKESTS${String(serial).padStart(9, '0')}:${xml(call.roleSessionName ?? '')}</AssumedRoleId></AssumedRoleUser>`;
        const result =
          call.action === 'AssumeRole'
            ? `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>${user}${credentialsXml(creds, fault)}<PackedPolicySize>0</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></AssumeRoleResponse>`
            : `<AssumeRoleWithWebIdentityResponse xmlns="${NS}"><AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>credchain-test-subject</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience>${user}${credentialsXml(creds, fault)}<Provider>credchain.test</Provider></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`;
        reply(res, call, 200, result, id);
        return;
      }
      default:
        fail(res, call, 400, 'InvalidAction', `Could not find operation ${call.action}`, id);
    }
  }

  return {
    url,
    endpoint: url,
    port,
    calls,
    callsOf: (action) => calls.filter((c) => c.action === action),
    setFault(next) {
      fault = next;
    },
    stop: () => closeServer(server, tracker),
  };
}

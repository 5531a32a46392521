/**
 * The STS this example's role profile assumes its role with: a minimal
 * loopback endpoint for one action, `AssumeRole`, in the AWS query protocol
 * the SDK's STS client speaks (a form-encoded POST, an XML answer). The
 * chain reaches it through `AWS_ENDPOINT_URL_STS`.
 *
 * It remembers which key signed each call (from the SigV4 `Authorization`
 * header) and issues obviously fake session credentials
 * (`ASIAFAKEOBSERVE00001`, `…-not-real`) valid for the requested duration.
 * Anything else gets STS's own `InvalidAction`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AssumeRole call as the endpoint saw it, and what it issued. */
export interface AssumeRoleCall {
  readonly roleArn: string;
  /** The access key id that signed the call. */
  readonly signedBy: string | undefined;
  readonly issued: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken: string;
  };
}

export interface StsEndpoint {
  /** For `AWS_ENDPOINT_URL_STS`. */
  readonly url: string;
  /** Every AssumeRole call answered, in order. */
  readonly calls: readonly AssumeRoleCall[];
  stop(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SIGNED_BY = /Credential=([A-Z0-9]+)\//;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
  });
  res.end(xml);
}

export async function startStsEndpoint(): Promise<StsEndpoint> {
  const calls: AssumeRoleCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const requestId = `obs-${calls.length + 1}`;
      const roleArn = form.get('RoleArn');
      if (form.get('Action') !== 'AssumeRole' || roleArn === null) {
        sendXml(
          res,
          400,
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>this STS answers AssumeRole only</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
        return;
      }
      const n = String(calls.length + 1).padStart(5, '0');
      const issued = {
        accessKeyId: `ASIAFAKEOBSERVE${n}`,
        secretAccessKey: `fake-observability-session-secret-${n}-not-real`,
        sessionToken: `fake-observability-session-token-${n}-not-real`,
      };
      calls.push({
        roleArn,
        signedBy: SIGNED_BY.exec(req.headers.authorization ?? '')?.[1],
        issued,
      });
      const seconds = Number(form.get('DurationSeconds') ?? 3600);
      const expiration = new Date(Date.now() + seconds * 1000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      const session = escapeXml(form.get('RoleSessionName') ?? 'session');
      const role = escapeXml(
        roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/'),
      );
      sendXml(
        res,
        200,
        `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>` +
          `<AssumedRoleUser><Arn>${role}/${session}</Arn><AssumedRoleId>AROAFAKEOBSERVE${n}:${session}</AssumedRoleId></AssumedRoleUser>` +
          `<Credentials><AccessKeyId>${issued.accessKeyId}</AccessKeyId><SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>` +
          `<SessionToken>${issued.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * A minimal STS on 127.0.0.1 for the benchmarks: answers `AssumeRole` (AWS
 * query protocol: form POST, XML answer) after `delayMs`, with obviously fake
 * credentials valid for an hour, and counts the calls. It checks no
 * signature (the tests' `test/support/sts-server.ts` does); it only has to
 * be what both sides call, with a realistic latency.
 */
const http = require('node:http');

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

async function startLoopbackSts({ delayMs = 0 } = {}) {
  const sockets = new Set();
  let assumeRoleCalls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const params = new URLSearchParams(body);
      if (params.get('Action') !== 'AssumeRole') {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>bench STS answers AssumeRole only</Message></Error><RequestId>bench</RequestId></ErrorResponse>`,
        );
        return;
      }
      assumeRoleCalls++;
      const n = String(assumeRoleCalls).padStart(8, '0');
      const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      const xml = `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/bench/s${n}</Arn><AssumedRoleId>AROAFAKEBENCH:s${n}</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIAFAKEBENCH${n}</AccessKeyId><SecretAccessKey>fake-bench-sts-secret-${n}</SecretAccessKey><SessionToken>fake-bench-sts-token-${n}</SessionToken><Expiration>${expiration}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>bench-${n}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
      setTimeout(() => {
        res.writeHead(200, {
          'content-type': 'text/xml',
          'content-length': Buffer.byteLength(xml),
        });
        res.end(xml);
      }, delayMs);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    assumeRoleCalls: () => assumeRoleCalls,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

module.exports = { startLoopbackSts };

// Runs s3rver on a free loopback port for the object storage tests and prints "port <n>" once it
// listens. s3rver checks that a SigV4 request names a known access key but not its signature, so a
// check of the signature, written from AWS's SigV4 documentation, runs before s3rver sees the request:
// a client that signs wrongly, or with the wrong secret, gets SignatureDoesNotMatch as S3 would answer.
//
// usage: node serve.mjs <directory> <bucket> [<tls key file> <tls certificate file>]
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');

// s3rver's own key pair, and one whose secret differs from its id and has the characters AWS secrets
// have, so that a test can look for the secret in what a run wrote.
const secrets = new Map([
  ['S3RVER', 'S3RVER'],
  ['CHUNKSCOPETESTKEY', 'cs/T3st+Secret-9QzVw7Kp'],
]);
const Account = require('s3rver/lib/models/account');
for (const [id, secret] of secrets) Account.DUMMY_ACCOUNT.createKeyPair(id, secret);

const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest();
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');
// RFC 3986 encoding of one path segment or query component, as SigV4's canonical request spells it.
const encode = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function canonicalQuery(raw) {
  if (!raw) return '';
  return raw
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
      return [encode(key), encode(value)];
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function signatureError(ctx, message) {
  ctx.status = 403;
  ctx.type = 'application/xml';
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
    `<Message>${message}</Message></Error>`;
}

async function verifySigV4(ctx, next) {
  const auth = ctx.get('authorization');
  if (!auth.startsWith('AWS4-HMAC-SHA256 ')) return next();
  const fields = Object.fromEntries(
    auth
      .slice(17)
      .split(/,\s*/)
      .map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]),
  );
  const [accessKey, ...scope] = fields.Credential.split('/');
  const secret = secrets.get(accessKey);
  if (secret === undefined) return next(); // s3rver answers InvalidAccessKeyId
  const [rawPath, rawQuery] = ctx.req.url.split('?');
  const path = rawPath
    .split('/')
    .map((segment) => encode(decodeURIComponent(segment)))
    .join('/');
  const signed = fields.SignedHeaders.split(';');
  const headers = signed.map((name) => `${name}:${String(ctx.get(name)).trim().replace(/ +/g, ' ')}\n`).join('');
  const payloadHash = ctx.get('x-amz-content-sha256');
  const request = [ctx.method, path, canonicalQuery(rawQuery), headers, fields.SignedHeaders, payloadHash].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', ctx.get('x-amz-date'), scope.join('/'), sha256(request)].join('\n');
  let key = 'AWS4' + secret;
  for (const part of scope) key = hmac(key, part);
  const expected = hmac(key, toSign).toString('hex');
  if (expected !== fields.Signature) {
    signatureError(
      ctx,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
    return;
  }
  return next();
}

// Throttling as S3 answers it: the first two requests for a key whose name starts with "slow-" get
// 503 SlowDown, so that the client's retries and their recording are tested against real answers.
const throttled = new Map();
async function throttle(ctx, next) {
  const path = ctx.req.url.split('?')[0];
  if (!path.split('/').pop().startsWith('slow-')) return next();
  const seen = throttled.get(path) ?? 0;
  throttled.set(path, seen + 1);
  if (seen >= 2) return next();
  ctx.status = 503;
  ctx.type = 'application/xml';
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
    '<Message>Please reduce your request rate.</Message></Error>';
}

const [directory, bucket, keyFile, certFile] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
  // HTTPS, with the certificate the test made, when it names one.
  ...(keyFile ? { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) } : {}),
});
// Koa composes its middleware when it starts listening, so this one runs first.
server.middleware.unshift(verifySigV4, throttle);
const { port } = await server.run();
console.log(`port ${port}`);
// The test closes stdin to stop the server.
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));

// A proxy on a free loopback port between the object storage tests and s3rver, which adds the faults a
// network and a busy S3 bring: latency, 503 SlowDown answers and connections reset mid-answer. It
// prints "port <n>" once it listens and stops when its stdin ends. Requests pass unchanged, Host header
// included, so their SigV4 signatures still hold at the server.
//
// usage: node faultproxy.mjs <server port> [latency_ms=N] [reset=N] [slowdown=F] [match=REGEX] [memory=1]
//
//   latency_ms  every request waits this long before it is forwarded (or answered with a fault)
//   match       the faults below apply only to requests whose "METHOD /path?query" matches
//   reset       the first N matching requests get their answer's status line, headers and first byte
//               of its body, then a TCP reset
//   slowdown    of the matching requests after those, this fraction is answered 503 SlowDown: the
//               i-th (from 0) when floor((i + 1) * F) > floor(i * F), so exactly floor(n * F) of the
//               first n, evenly spread; 1 answers every one of them
//   memory=1    the matching requests that get no fault never reach the server: a PUT's body is kept
//               in memory by its path and answered 200, and a GET (without a Range) of a path kept is
//               answered with it. For benchmarks, to tell the client's limits from the server's.
import http from 'node:http';

const [serverPort, ...settings] = process.argv.slice(2);
const options = Object.fromEntries(settings.map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)]));
const latencyMs = Number(options.latency_ms ?? 0);
const resets = Number(options.reset ?? 0);
const slowdown = Number(options.slowdown ?? 0);
const match = new RegExp(options.match ?? '');
const inMemory = options.memory === '1';
const held = new Map();

const slowDownBody =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
  '<Message>Please reduce your request rate.</Message></Error>';
// Headers about one connection, which the proxy's own connections set for themselves.
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding']);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

let matched = 0;

// Passes the request on and its answer back; `broken`: only the answer's status line, headers and first
// byte of the body, then a TCP reset.
function forward(req, res, broken) {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !hopByHop.has(name)));
  const upstream = http.request(
    { host: '127.0.0.1', port: Number(serverPort), method: req.method, path: req.url, headers, agent },
    (answer) => {
      const back = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !hopByHop.has(name)));
      res.writeHead(answer.statusCode, back);
      if (!broken) {
        answer.pipe(res);
        return;
      }
      answer.once('data', (bytes) => res.write(bytes.subarray(0, 1), () => req.socket.resetAndDestroy()));
      answer.resume();
    },
  );
  upstream.on('error', () => req.socket.destroy());
  req.pipe(upstream);
}

function answer(req, res, index) {
  if (index >= 0 && index < resets) {
    forward(req, res, true);
    return;
  }
  const i = index - resets;
  if (index >= 0 && i >= 0 && Math.floor((i + 1) * slowdown) > Math.floor(i * slowdown)) {
    // Read what the client sends first, so that its connection stays usable for the retry.
    req.resume();
    req.on('end', () => {
      res.writeHead(503, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(slowDownBody) });
      res.end(slowDownBody);
    });
    return;
  }
  if (index >= 0 && inMemory && req.method === 'PUT') {
    const parts = [];
    req.on('data', (bytes) => parts.push(bytes));
    req.on('end', () => {
      held.set(req.url, Buffer.concat(parts));
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
    });
    return;
  }
  if (index >= 0 && inMemory && req.method === 'GET' && !req.headers.range && held.has(req.url)) {
    const body = held.get(req.url);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    res.end(body);
    return;
  }
  forward(req, res, false);
}

const server = http.createServer((req, res) => {
  const index = match.test(`${req.method} ${req.url}`) ? matched++ : -1;
  if (latencyMs > 0) setTimeout(() => answer(req, res, index), latencyMs);
  else answer(req, res, index);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
process.stdin.resume();
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

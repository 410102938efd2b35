/**
 * A local stand-in for Africa's Talking's SMS API, reached at the SDK's real endpoint
 * (`https://api.africastalking.com/version1/messaging`) so that nothing of Simu's is
 * mocked: a child process (the worker, the bench's direct SDK run) sets
 * `HTTPS_PROXY=http://127.0.0.1:<port>` and `NODE_EXTRA_CA_CERTS=<ca.pem>`, and the SDK's
 * axios opens a CONNECT tunnel through us.
 *
 * The stand-in is an HTTP proxy on 127.0.0.1 that accepts `CONNECT api.africastalking.com:443`
 * only (403 for any other host), terminates TLS itself with a certificate for that host
 * signed by a throwaway CA (made with the `openssl` CLI in a temp folder at start), and
 * answers `POST /version1/messaging` as AT does: HTTP 201 with
 * `{"SMSMessageData":{"Message":"Sent to 1/1 Total Cost: KES 0.8000","Recipients":[...]}}`.
 * `setMode` makes it fail (HTTP 500, reset connections, no answer) and recover, for the
 * fault suite. Self-contained: node built-ins and `openssl` only.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The host the SDK posts to (not the sandbox: its username is never `sandbox` here). */
export const AT_HOST = 'api.africastalking.com';

/**
 * How the stand-in answers: `ok` (201, as AT), `http500` (AT answers 500), `refuse` (the
 * CONNECT is reset, or an open tunnel dropped at the next request: a connection error), `hang` (TLS up, request read, never answered;
 * the socket is only closed by `close()`).
 */
export type AtStandInMode = 'ok' | 'http500' | 'refuse' | 'hang';

/** One message AT answered with a 201 (one entry per recipient). */
export interface AtReceived {
  to: string;
  message: string;
  /** `from` as posted (sender id), if any. */
  from?: string;
  /** `ATXid_<hex>`, unique per recipient; `None` when statusCode is not 100-102. */
  messageId: string;
  statusCode: number;
  /** Date.now() when answered. */
  at: number;
}

/** One request (or CONNECT) that reached the stand-in, whatever the mode. */
export interface AtAttempt {
  mode: AtStandInMode;
  /** Unknown (undefined) for a CONNECT dropped in `refuse` mode. */
  to?: string;
  message?: string;
  at: number;
}

/** A recipient's status in AT's answer; see src/sms/at-client.ts for the codes. */
export interface AtRecipientStatus {
  statusCode: number;
  status: string;
}

/** Options of `startAtStandIn`. */
export interface AtStandInOptions {
  /** Port of the proxy; default a free one. */
  port?: number;
  /** When set, a request whose `apikey` header differs is answered 401, as AT does. */
  apiKey?: string;
  /** When set, a request whose `username` differs is answered 401. */
  username?: string;
  /** Delay before each answer, ms (AT's own latency). Default 0. */
  latencyMs?: number;
  /** Initial mode. Default `ok`. */
  mode?: AtStandInMode;
  /** Per-recipient status; default `{ statusCode: 101, status: 'Success' }`. */
  recipientStatus?: (to: string, message: string) => AtRecipientStatus | undefined;
}

/** A running stand-in. */
export interface AtStandIn {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** The throwaway CA's certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /**
   * The variables a child process needs to reach the stand-in: HTTPS_PROXY (and its
   * lowercase form, which proxy-from-env reads first), NO_PROXY and no_proxy empty (so that
   * nothing inherited bypasses the proxy), NODE_EXTRA_CA_CERTS. Read at a process's start.
   */
  env: Record<string, string>;
  /** Messages answered 201, in order (one entry per recipient). */
  received: AtReceived[];
  /** Every request or CONNECT that reached the stand-in, in every mode. */
  attempts: AtAttempt[];
  /** Tunnels opened (CONNECTs answered 200): with keep-alive, fewer than requests. */
  tunnels(): number;
  /**
   * How many times each message AT accepted (statusCode 100-102) was received, by
   * `keyOf(entry)` (default `to` + newline + `message`): a count above 1 is a duplicate.
   */
  countsByKey(keyOf?: (r: AtReceived) => string): Map<string, number>;
  /** Switches how later requests are answered (requests already hanging stay so). */
  setMode(mode: AtStandInMode): void;
  /** The current mode. */
  mode(): AtStandInMode;
  /** Changes the delay before each answer, ms. */
  setLatencyMs(ms: number): void;
  /** Stops listening, drops every open connection and removes the temp folder. */
  close(): Promise<void>;
}

/** A CA and a server certificate for AT_HOST signed by it, made with `openssl` in `dir`. */
function makeCertificates(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
  const f = (name: string) => path.join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Simu AT stand-in throwaway CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', `/CN=${AT_HOST}`]);
  fs.writeFileSync(f('server.ext'), `subjectAltName=DNS:${AT_HOST}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2',
    '-extfile', f('server.ext'), '-out', f('server.pem')]);
  return { caFile: f('ca.pem'), key: fs.readFileSync(f('server.key')), cert: fs.readFileSync(f('server.pem')) };
}

const ACCEPTED = (code: number) => code >= 100 && code <= 102;

/** Reads a request body (AT's requests are small); resolves with it as text. */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts the stand-in: makes the CA and certificate, listens on 127.0.0.1 and resolves
 * once it takes connections. Close it with `close()`.
 */
export async function startAtStandIn(opts: AtStandInOptions = {}): Promise<AtStandIn> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simu-at-standin-'));
  const { caFile, key, cert } = makeCertificates(dir);
  let mode: AtStandInMode = opts.mode ?? 'ok';
  let latencyMs = opts.latencyMs ?? 0;
  const received: AtReceived[] = [];
  const attempts: AtAttempt[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const idPrefix = randomBytes(6).toString('hex');
  let seq = 0;
  let tunnels = 0;

  const answer = (res: http.ServerResponse, status: number, body: string, type: string) => {
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (latencyMs > 0) setTimeout(send, latencyMs);
    else send();
  };

  // The TLS side: never listens; sockets are handed to it after CONNECT.
  const api = https.createServer({ key, cert }, async (req, res) => {
    const body = await readBody(req).catch(() => '');
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/version1/messaging') {
      answer(res, 404, 'Not Found', 'text/plain');
      return;
    }
    const form = new URLSearchParams(body);
    const to = form.get('to') ?? '';
    const message = form.get('message') ?? '';
    const requestMode = mode;
    attempts.push({ mode: requestMode, to, message, at: Date.now() });
    if (requestMode === 'hang') return; // read, never answered; close() drops the socket
    if (requestMode === 'http500' || requestMode === 'refuse') {
      // `refuse` set while this tunnel was already open: fail it too.
      if (requestMode === 'refuse') res.socket?.destroy();
      else answer(res, 500, 'Internal Server Error', 'text/plain');
      return;
    }
    if ((opts.apiKey !== undefined && req.headers.apikey !== opts.apiKey) || (opts.username !== undefined && form.get('username') !== opts.username)) {
      answer(res, 401, 'The supplied authentication is invalid', 'text/plain');
      return;
    }
    if (!to || !form.has('message')) {
      answer(res, 400, 'Request is missing required form field', 'text/plain');
      return;
    }
    const from = form.get('from') ?? undefined;
    const now = Date.now();
    const recipients = to.split(',').map((number) => {
      const { statusCode, status } = opts.recipientStatus?.(number, message) ?? { statusCode: 101, status: 'Success' };
      const ok = ACCEPTED(statusCode);
      const messageId = ok ? `ATXid_${idPrefix}${(seq++).toString(16).padStart(8, '0')}` : 'None';
      received.push({ to: number, message, from, messageId, statusCode, at: now });
      return { statusCode, number, status, cost: ok ? 'KES 0.8000' : '0', messageId };
    });
    const sent = recipients.filter((r) => ACCEPTED(r.statusCode)).length;
    const total = (sent * 0.8).toFixed(4);
    const data = { SMSMessageData: { Message: `Sent to ${sent}/${recipients.length} Total Cost: KES ${total}`, Recipients: recipients } };
    answer(res, 201, JSON.stringify(data), 'application/json');
  });
  api.keepAliveTimeout = 65_000;
  api.on('tlsClientError', () => undefined); // a dropped tunnel is not our error
  api.on('secureConnection', track);

  const proxy = http.createServer((_req, res) => {
    // Only tunnels: a plain-HTTP forward request means the client is misconfigured.
    res.writeHead(405, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('the AT stand-in only tunnels CONNECT api.africastalking.com:443\n');
  });
  proxy.on('connection', track);
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    socket.on('error', () => undefined);
    const target = req.url ?? '';
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)];
    if (host.toLowerCase() !== AT_HOST || port !== '443') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nonly api.africastalking.com:443\n');
      return;
    }
    if (mode === 'refuse') {
      attempts.push({ mode, at: Date.now() });
      // A reset, not a clean close: https-proxy-agent 5 (axios's tunnel) waits for ever on
      // a proxy that closes cleanly before answering the CONNECT.
      socket.resetAndDestroy();
      return;
    }
    tunnels += 1;
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    api.emit('connection', socket);
  });

  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (proxy.address() as net.AddressInfo).port;
  const proxyUrl = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;

  return {
    port,
    caFile,
    env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '', no_proxy: '', NODE_EXTRA_CA_CERTS: caFile },
    received,
    attempts,
    tunnels: () => tunnels,
    countsByKey(keyOf = (r: AtReceived) => `${r.to}\n${r.message}`) {
      const counts = new Map<string, number>();
      for (const r of received) if (ACCEPTED(r.statusCode)) counts.set(keyOf(r), (counts.get(keyOf(r)) ?? 0) + 1);
      return counts;
    },
    setMode(next) {
      mode = next;
    },
    mode: () => mode,
    setLatencyMs(ms) {
      latencyMs = ms;
    },
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
        fs.rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

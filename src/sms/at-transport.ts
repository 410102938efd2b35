/**
 * How the SDK's SMS requests reach AT when HTTPS_PROXY applies to AT's host: through a
 * CONNECT tunnel that is kept open and used again, instead of a new one per SMS.
 *
 * The SDK posts each SMS with the default axios instance, and axios (1.x) tunnels https
 * through a proxy with https-proxy-agent 5, which pools nothing: every SMS paid a TCP
 * connect, a CONNECT and a full TLS handshake (bench/sms-outbox.ts: the SDK alone was about
 * 2-4x slower for it, the worker 4-7x). `installAtProxyTunnel` adds one axios request
 * interceptor that, for requests to AT's SMS host only, and only when proxy-from-env (the
 * same function, and so the same HTTPS_PROXY / NO_PROXY reading, as axios's own) names an
 * `http://` proxy for it, sends them through a keep-alive `ProxyTunnelAgent` with
 * `proxy: false`. Otherwise axios goes on as before (without a proxy, Node's global agent
 * keeps connections already). TLS to AT is verified as before (Node's CAs and
 * NODE_EXTRA_CA_CERTS, AT's host name).
 */
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** Options of a ProxyTunnelAgent: https.Agent's, plus how long a CONNECT may take. */
export interface ProxyTunnelAgentOptions extends https.AgentOptions {
  /** Milliseconds the proxy has to answer a CONNECT (default 30 000). */
  connectTimeoutMs?: number;
}

/**
 * An https agent whose connections are TLS over a CONNECT tunnel through an `http://`
 * proxy (basic auth from the URL's user and password), kept alive and used again like any
 * https.Agent's. A proxy that refuses the CONNECT, or does not answer it in time, fails the
 * request with an Error (code `ECONNREFUSED` / `ETIMEDOUT`).
 */
export class ProxyTunnelAgent extends https.Agent {
  private readonly connectTimeoutMs: number;
  private readonly proxyAuth: string | undefined;

  constructor(readonly proxy: URL, opts: ProxyTunnelAgentOptions = {}) {
    const { connectTimeoutMs = 30_000, ...agentOpts } = opts;
    super({ keepAlive: true, ...agentOpts });
    if (proxy.protocol !== 'http:') throw new Error(`ProxyTunnelAgent needs an http:// proxy, not ${proxy.protocol}`);
    this.connectTimeoutMs = connectTimeoutMs;
    this.proxyAuth = proxy.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
      : undefined;
  }

  /** Opens the tunnel, then TLS through it; hands the TLS socket to `callback` (Node's async form). */
  override createConnection(options: http.ClientRequestArgs & tls.ConnectionOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const done = callback ?? (() => undefined);
    const host = options.host ?? options.hostname ?? 'localhost';
    const target = `${host}:${options.port ?? 443}`;
    const req = http.request({
      host: this.proxy.hostname.replace(/^\[|\]$/g, ''),
      port: this.proxy.port || 80,
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...(this.proxyAuth ? { 'proxy-authorization': this.proxyAuth } : {}) },
      agent: false,
    });
    const fail = (message: string, code: string) => done(Object.assign(new Error(message), { code }), undefined as unknown as Duplex);
    req.setTimeout(this.connectTimeoutMs, () => {
      req.destroy();
      fail(`proxy ${this.proxy.host} did not answer CONNECT ${target} within ${this.connectTimeoutMs} ms`, 'ETIMEDOUT');
    });
    req.once('connect', (res, socket, head) => {
      req.setTimeout(0);
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(`proxy ${this.proxy.host} refused CONNECT ${target}: HTTP ${res.statusCode}`, 'ECONNREFUSED');
        return;
      }
      if (head.length > 0) socket.unshift(head);
      const secure = tls.connect({ ...options, host, socket, servername: options.servername || host } as tls.ConnectionOptions);
      done(null, secure);
    });
    req.once('error', (err) => done(err, undefined as unknown as Duplex));
    req.end();
    return undefined;
  }
}

interface AxiosRequestConfigLike {
  url?: string;
  baseURL?: string;
  proxy?: unknown;
  httpsAgent?: unknown;
}
interface AxiosLike {
  interceptors: { request: { use(f: (c: AxiosRequestConfigLike) => AxiosRequestConfigLike): number } };
}

let installed = false;

/**
 * Makes the SDK's SMS requests to `smsUrl` (AT's messaging URL) go through one keep-alive
 * ProxyTunnelAgent when the environment's proxy settings send that URL through an
 * `http://` proxy; does nothing otherwise, and nothing the second time. Returns the agent
 * (undefined when not installed), for tests.
 */
export function installAtProxyTunnel(smsUrl: string, agentOpts: ProxyTunnelAgentOptions = {}): ProxyTunnelAgent | undefined {
  if (installed) return undefined;
  // axios and proxy-from-env as the SDK resolves them: the instance its sms.js posts with.
  const sdkRequire = createRequire(createRequire(import.meta.url).resolve('africastalking'));
  const axiosRequire = createRequire(sdkRequire.resolve('axios'));
  const { getProxyForUrl } = axiosRequire('proxy-from-env') as { getProxyForUrl(url: string): string };
  const proxyUrl = getProxyForUrl(smsUrl);
  if (!proxyUrl || !proxyUrl.startsWith('http://')) return undefined;
  const axiosModule = sdkRequire('axios') as AxiosLike & { default?: AxiosLike };
  const axios = axiosModule.default ?? axiosModule;
  const agent = new ProxyTunnelAgent(new URL(proxyUrl), agentOpts);
  const origin = new URL(smsUrl).origin;
  axios.interceptors.request.use((cfg) => {
    const url = cfg.baseURL && cfg.url && !/^https?:/.test(cfg.url) ? cfg.baseURL + cfg.url : cfg.url;
    if (url && url.startsWith(`${origin}/`) && cfg.httpsAgent === undefined && cfg.proxy === undefined) {
      cfg.proxy = false;
      cfg.httpsAgent = agent;
    }
    return cfg;
  });
  installed = true;
  return agent;
}

/**
 * Outbound HTTP to parties other than AT (merchants' URLs, Safaricom Daraja). DESIGN.md:
 * all outbound HTTP honours HTTPS_PROXY / NO_PROXY, and Node 20's global fetch does not
 * (undici's EnvHttpProxyAgent is not installed, and adding it would be a new dependency).
 * axios does, through proxy-from-env and a CONNECT tunnel (https-proxy-agent) for https
 * targets; it is already installed as the africastalking SDK's client, so it is loaded
 * from the SDK's own resolution (it is not a dependency of Simu itself; CommonJS, hence
 * createRequire).
 */
import { createRequire } from 'node:module';

interface AxiosLike {
  request(config: {
    method: 'GET' | 'POST';
    url: string;
    data?: unknown;
    timeout: number;
    headers: Record<string, string>;
    validateStatus: () => boolean;
    maxRedirects: number;
    responseType: 'text';
    transformResponse: Array<(data: unknown) => unknown>;
    signal: AbortSignal;
  }): Promise<{ status: number; data: unknown }>;
}

const require = createRequire(import.meta.url);
const axios = createRequire(require.resolve('africastalking'))('axios') as AxiosLike & { default?: AxiosLike };
const client: AxiosLike = axios.default ?? axios;

/** What the other side answered: HTTP status and the parsed JSON body (null when not a JSON object). */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown> | null;
}

/** The request did not get an answer: `timedOut` when the deadline passed, else a network error. */
export class OutboundHttpError extends Error {
  constructor(message: string, readonly timedOut: boolean) {
    super(message);
    this.name = 'OutboundHttpError';
  }
}

/**
 * Sends one JSON request and answers whatever HTTP status came back. Gives up after
 * `timeoutMs` for the whole exchange (not only the connect); redirects are not followed (a
 * payment body is not re-sent to wherever a 302 points).
 *
 * @throws OutboundHttpError on a timeout (`timed out after N ms`) or a network error
 */
export async function httpJson(
  method: 'GET' | 'POST', url: string, opts: { headers?: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<HttpAnswer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  try {
    const res = await client.request({
      method, url, data: opts.body, timeout: opts.timeoutMs, signal: abort.signal,
      headers: { accept: 'application/json', ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
      validateStatus: () => true, maxRedirects: 0, responseType: 'text', transformResponse: [(data) => data],
    });
    return { status: res.status, body: parseJson(res.data) };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (abort.signal.aborted || e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || e.code === 'ERR_CANCELED') {
      throw new OutboundHttpError(`timeout after ${opts.timeoutMs} ms`, true);
    }
    throw new OutboundHttpError(e.message ?? String(err), false);
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string' || data === '') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Outbound HTTP to Daraja. DESIGN.md: all outbound HTTP honours HTTPS_PROXY / NO_PROXY;
 * as in src/merchants/http.ts, axios (the africastalking SDK's own client, loaded from the
 * SDK's resolution, not a dependency of Simu) does, through proxy-from-env and a CONNECT
 * tunnel for https targets. Node's global fetch would not.
 */
import { createRequire } from 'node:module';
import { DarajaUnreachableError } from './errors.js';

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

/** What Daraja answered: HTTP status and the parsed JSON body (null when not a JSON object). */
export interface DarajaAnswer {
  status: number;
  body: Record<string, unknown> | null;
}

/**
 * Sends one request and answers whatever HTTP status came back. Gives up after
 * `timeoutMs` for the whole exchange; redirects are not followed.
 *
 * @throws DarajaUnreachableError on a timeout or network error
 */
export async function darajaHttp(
  method: 'GET' | 'POST', url: string, opts: { headers: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<DarajaAnswer> {
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
      throw new DarajaUnreachableError(`timeout after ${opts.timeoutMs} ms`);
    }
    throw new DarajaUnreachableError(e.message ?? String(err));
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

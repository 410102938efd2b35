/**
 * Outbound HTTP to merchants' URLs. DESIGN.md: all outbound HTTP honours HTTPS_PROXY /
 * NO_PROXY, and Node 20's global fetch does not (undici's EnvHttpProxyAgent is not
 * installed, and adding it would be a new dependency). axios does, through proxy-from-env
 * and a CONNECT tunnel (https-proxy-agent) for https targets; it is already installed as
 * the africastalking SDK's client, so it is loaded from the SDK's own resolution (it is not
 * a dependency of Simu itself; CommonJS, hence createRequire).
 */
import { createRequire } from 'node:module';

interface AxiosLike {
  post(url: string, body: unknown, config: {
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

/** What a merchant's URL answered: HTTP status and the parsed JSON body (null if not JSON). */
export interface MerchantAnswer {
  status: number;
  body: Record<string, unknown> | null;
}

/**
 * POSTs `body` as JSON to `url` and answers whatever HTTP status came back. Gives up after
 * `timeoutMs` (the whole exchange, not only the connect): throws an Error whose message
 * starts `timeout` then, and any network error as it comes. Redirects are not followed (a
 * payment body is not re-sent to wherever a 302 points).
 */
export async function postToMerchant(url: string, body: unknown, timeoutMs: number): Promise<MerchantAnswer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await client.post(url, body, {
      timeout: timeoutMs,
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      validateStatus: () => true,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(data) => data],
    });
    return { status: res.status, body: parseJson(res.data) };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (abort.signal.aborted || e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || e.code === 'ERR_CANCELED') {
      throw new Error(`timeout after ${timeoutMs} ms`);
    }
    throw new Error(e.message ?? String(err));
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

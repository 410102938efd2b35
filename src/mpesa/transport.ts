/**
 * Outbound HTTP to Daraja, through the shared proxy-aware client (src/outbound; DESIGN.md:
 * all outbound HTTP honours HTTPS_PROXY / NO_PROXY).
 */
import { httpJson, OutboundHttpError, type HttpAnswer } from '../outbound/index.js';
import { DarajaUnreachableError } from './errors.js';

/** What Daraja answered: HTTP status and the parsed JSON body (null when not a JSON object). */
export type DarajaAnswer = HttpAnswer;

/**
 * Sends one request and answers whatever HTTP status came back. Gives up after
 * `timeoutMs` for the whole exchange; redirects are not followed.
 *
 * @throws DarajaUnreachableError on a timeout or network error
 */
export async function darajaHttp(
  method: 'GET' | 'POST', url: string, opts: { headers: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<DarajaAnswer> {
  try {
    return await httpJson(method, url, opts);
  } catch (err) {
    if (err instanceof OutboundHttpError) throw new DarajaUnreachableError(err.message);
    throw err;
  }
}

/** Outbound HTTP to merchants' URLs, through the shared proxy-aware client (src/outbound). */
import { httpJson, type HttpAnswer } from '../outbound/index.js';

/** What a merchant's URL answered: HTTP status and the parsed JSON body (null if not JSON). */
export type MerchantAnswer = HttpAnswer;

/**
 * POSTs `body` as JSON to `url` and answers whatever HTTP status came back. Gives up after
 * `timeoutMs` (the whole exchange, not only the connect): throws an Error whose message
 * starts `timeout` then, and any network error as it comes. Redirects are not followed.
 */
export async function postToMerchant(url: string, body: unknown, timeoutMs: number): Promise<MerchantAnswer> {
  return httpJson('POST', url, { body, timeoutMs });
}

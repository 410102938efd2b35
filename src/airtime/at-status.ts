/**
 * Asking Africa's Talking what became of an airtime request it took: the SDK's
 * `AIRTIME.findTransactionStatus(transactionId)` sends `GET /query/transaction/find?
 * username=&transactionId=` to `https://api.africastalking.com` (api.sandbox… for the
 * `sandbox` user) and resolves with the body of an HTTP 200 only; any other answer, a
 * connection error or an axios error rejects (node_modules/africastalking/lib/airtime.js,
 * customAxios/airtime.js; added to the SDK in AfricasTalkingLtd/africastalking-node.js#120).
 * The transactionId is the `requestId` AT's send answer carried (`ATQid_…`).
 *
 * The answer's shape is AT's "Query Find Transaction" (docs.africastalking.com/query/
 * findtransaction, the same path on the payments host; typed as FindTransactionResponse in
 * the SDK's TypeScript rewrite, src/products/payments/query/findTransaction.types.ts):
 *
 *   { status: 'Success' | 'Failed',          // of the query; Failed → see errorMessage
 *     errorMessage?: string,
 *     data: { transactionId, status,         // the transaction's final status: Success | Failed
 *             description, value: 'KES 50.0000', destination, creationTime, transactionDate, … } }
 *
 * AT's help article "What is the flow for an airtime request?" says a request shows as
 * `Sent` until the telco reports Success or Failed, so any other `data.status` is not final.
 * The SDK's own test fixture answers a bare `{ status: 'Success' }`: the query worked but
 * says nothing of the airtime, so an answer without `data.status` is not read as delivered.
 */
import { airtimeSdk, clip } from './at-airtime.js';

/** AT's answer to a transaction query, as documented (fields we read). */
export interface AtFindAnswer {
  status?: string;
  errorMessage?: string;
  data?: { transactionId?: string; status?: string; description?: string; value?: string };
}

/**
 * What AT's answer means for the request: `delivered` (data.status Success), `failed`
 * (data.status Failed: reverse), `pending` (AT has no final status yet), `error` (AT did
 * not answer about it: an outage, an HTTP error, a failed query such as an unknown id, an
 * answer about another transaction). `detail` is AT's words, clipped to 200 characters.
 */
export interface AtStatusAnswer {
  outcome: 'delivered' | 'failed' | 'pending' | 'error';
  detail: string;
}

/** How long to wait for AT's answer before calling it an error. */
export const AT_STATUS_TIMEOUT_MS = 10_000;

const withDescription = (status: string, description?: string) => clip(description ? `${status}: ${description}` : status);

/** Reads AT's HTTP 200 body for the query about `transactionId`. */
export function classifyFindAnswer(body: unknown, transactionId: string): AtStatusAnswer {
  if (!body || typeof body !== 'object') return { outcome: 'error', detail: clip(`unexpected answer: ${JSON.stringify(body ?? null)}`) };
  const answer = body as AtFindAnswer;
  if (answer.status !== 'Success') {
    // The query failed (AT's errorMessage says why, e.g. no such transaction): nothing is
    // known about the airtime itself.
    return { outcome: 'error', detail: withDescription(`query ${answer.status ?? 'without a status'}`, answer.errorMessage) };
  }
  const data = answer.data;
  if (!data || typeof data !== 'object' || typeof data.status !== 'string' || data.status === '') {
    return { outcome: 'error', detail: clip(`answer without the transaction's status: ${JSON.stringify(body)}`) };
  }
  if (data.transactionId !== undefined && data.transactionId !== transactionId) {
    return { outcome: 'error', detail: clip(`answer about another transaction (${data.transactionId})`) };
  }
  if (data.status === 'Success') return { outcome: 'delivered', detail: withDescription('Success', data.description) };
  if (data.status === 'Failed') return { outcome: 'failed', detail: withDescription('Failed', data.description) };
  return { outcome: 'pending', detail: withDescription(data.status, data.description) };
}

/** Reads what the SDK rejected with: an axios error, a non-200 body, or its own Error. */
export function classifyFindError(err: unknown): AtStatusAnswer {
  const e = (err ?? {}) as { isAxiosError?: boolean; code?: string; message?: string; response?: { status: number; data?: unknown } };
  if (e.response) {
    const body = typeof e.response.data === 'string' ? e.response.data : JSON.stringify(e.response.data ?? '');
    return { outcome: 'error', detail: clip(`HTTP ${e.response.status}: ${body}`) };
  }
  if (e.isAxiosError || e.code) return { outcome: 'error', detail: clip(`${e.code ?? 'network'}: ${e.message}`) };
  if (err instanceof Error) return { outcome: 'error', detail: clip(err.message) };
  // A 2xx other than 200: the SDK rejects with the body.
  return { outcome: 'error', detail: clip(`unexpected answer: ${JSON.stringify(err ?? null)}`) };
}

/**
 * Asks AT for the status of the airtime transaction `transactionId`. Never throws: every
 * answer, error and the timeout comes back as an AtStatusAnswer.
 */
export async function findAirtimeStatusViaAt(transactionId: string, timeoutMs = AT_STATUS_TIMEOUT_MS): Promise<AtStatusAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    const body = await Promise.race([airtimeSdk().AIRTIME.findTransactionStatus(transactionId), timeout]);
    return classifyFindAnswer(body, transactionId);
  } catch (err) {
    return classifyFindError(err);
  } finally {
    clearTimeout(timer);
  }
}

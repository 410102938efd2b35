/**
 * Africa's Talking's Airtime API through the `africastalking` SDK (0.8, untyped): the
 * SDK posts form-encoded `username, recipients=[{"phoneNumber","amount":"KES 50"}]` with
 * an `apiKey` header (and `Idempotency-Key` when given) to
 * `https://api.africastalking.com/version1/airtime/send` (node_modules/africastalking/lib/
 * airtime.js, customAxios/), through axios, which honours HTTPS_PROXY / NO_PROXY.
 *
 * AT answers 201 with `{ errorMessage, numSent, totalAmount, totalDiscount, responses: [{
 * phoneNumber, amount, status: "Sent" | "Failed", requestId, errorMessage, discount }] }`
 * (AT's airtime docs, "What is the flow for an airtime request?"): Sent means handed to the
 * telco; the final Success / Failed comes later to the status callback.
 */
import { createRequire } from 'node:module';
import { config } from '../config/index.js';
import { AT_SEND_TIMEOUT_MS } from '../sms/index.js';

interface AirtimeResponse {
  phoneNumber?: string;
  amount?: string;
  status?: string;
  requestId?: string;
  errorMessage?: string;
}

/** AT's 201 body for an airtime send. */
export interface AtAirtimeAnswer {
  errorMessage?: string;
  numSent?: number;
  responses?: AirtimeResponse[];
}

/** The part of the SDK that airtime uses. */
export interface AirtimeSdk {
  AIRTIME: {
    send(params: { recipients: Array<{ phoneNumber: string; currencyCode: string; amount: number }>; idempotencyKey?: string }): Promise<AtAirtimeAnswer>;
    /** GET /query/transaction/find; resolves with the body of an HTTP 200 only (./at-status.ts). */
    findTransactionStatus(transactionId: string): Promise<unknown>;
  };
}

/**
 * What became of one send: AT took it (`requestId` to match its callback); refused it (it
 * will not deliver: reverse); `retry` when AT surely did not take it (it answered an HTTP
 * error, or no connection was made); `unknown` when it may have (no answer in time, a
 * connection cut, a duplicate refused): retried under the same Idempotency-Key, never
 * reversed on a guess.
 */
export type AtAirtimeResult =
  | { outcome: 'accepted'; requestId: string; status: string }
  | { outcome: 'refused' | 'retry' | 'unknown'; status: string; reason: string };

/** Connection errors that mean the request never reached AT. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

let sdk: AirtimeSdk | undefined;

/** The SDK client for AT_USERNAME / AT_API_KEY, made at first use. */
export function airtimeSdk(): AirtimeSdk {
  if (!sdk) {
    const require = createRequire(import.meta.url);
    const africastalking = require('africastalking') as (o: { username: string; apiKey: string }) => AirtimeSdk;
    sdk = africastalking({ username: config.at.username, apiKey: config.at.apiKey });
  }
  return sdk;
}

/** AT's words as we keep them: a string of at most 200 characters. */
export const clip = (text: unknown) => String(text ?? '').slice(0, 200);

/** Sorts AT's 201 answer for our single recipient. */
export function classifyAirtimeAnswer(data: AtAirtimeAnswer): AtAirtimeResult {
  const first = data?.responses?.[0];
  if (first?.status === 'Sent' || first?.status === 'Success') {
    if (first.requestId) return { outcome: 'accepted', requestId: first.requestId, status: first.status };
    return { outcome: 'unknown', status: first.status, reason: 'accepted without a requestId' };
  }
  const message = clip(first?.errorMessage && first.errorMessage !== 'None' ? first.errorMessage : data?.errorMessage);
  // A repeat of a request AT already took under the same Idempotency-Key: the first one
  // may have been delivered.
  if (/duplicate/i.test(message)) return { outcome: 'unknown', status: 'Duplicate', reason: message };
  if (first || (message && message !== 'None')) return { outcome: 'refused', status: clip(first?.status ?? 'Failed'), reason: message || 'Failed' };
  return { outcome: 'unknown', status: 'unexpected answer', reason: clip(JSON.stringify(data ?? null)) };
}

/** Sorts what the SDK rejected with: its own validation Error, an axios error, or a body. */
export function classifyAirtimeError(err: unknown): AtAirtimeResult {
  const e = (err ?? {}) as { isAxiosError?: boolean; code?: string; message?: string; response?: { status: number; data?: unknown } };
  if (e.response) {
    const body = typeof e.response.data === 'string' ? e.response.data : JSON.stringify(e.response.data ?? '');
    return { outcome: 'retry', status: `HTTP ${e.response.status}`, reason: clip(`HTTP ${e.response.status}: ${body}`) };
  }
  if (e.code && NOT_CONNECTED.has(e.code)) return { outcome: 'retry', status: e.code, reason: clip(`${e.code}: ${e.message}`) };
  if (e.isAxiosError || e.code) return { outcome: 'unknown', status: e.code ?? 'network', reason: clip(`${e.code ?? 'network'}: ${e.message}`) };
  // The SDK checks the number (google-libphonenumber) and the amount before any HTTP.
  if (err instanceof Error && /invalid|is required|must be/.test(err.message)) {
    return { outcome: 'refused', status: 'InvalidRequest', reason: clip(`refused by the SDK: ${err.message}`) };
  }
  return { outcome: 'unknown', status: 'unexpected answer', reason: clip(err instanceof Error ? err.message : JSON.stringify(err ?? null)) };
}

/**
 * Buys `amountKes` whole shillings of airtime for `msisdn` (E.164) through AT, with
 * `idempotencyKey` as AT's Idempotency-Key so that a retry after a lost answer does not
 * buy twice. Never throws: every answer, error and the timeout comes back as a result.
 */
export async function sendAirtimeViaAt(msisdn: string, amountKes: number, idempotencyKey: string, timeoutMs = AT_SEND_TIMEOUT_MS): Promise<AtAirtimeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    const send = airtimeSdk().AIRTIME.send({ recipients: [{ phoneNumber: msisdn, currencyCode: 'KES', amount: amountKes }], idempotencyKey });
    return classifyAirtimeAnswer(await Promise.race([send, timeout]));
  } catch (err) {
    return classifyAirtimeError(err);
  } finally {
    clearTimeout(timer);
  }
}

/** Daraja STK push for tests: Safaricom's sample bodies, nock at the sandbox host, and posting callbacks to our app. */
import nock from 'nock';
import Transport from 'winston-transport';
import { db } from '../../src/db/index.js';
import { logger } from '../../src/logger/index.js';
import { DarajaClient, pushRequestedStk, requestStkTopUp } from '../../src/mpesa/index.js';
import { appUrl } from './ussd.js';
import { CALLBACK_TOKEN, newTransId } from './mpesa.js';

export const DARAJA_HOST = 'https://sandbox.safaricom.co.ke';
export const SANDBOX_PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';

/** A fresh client (its own token cache), so each test sees the token request. */
export function freshClient(): () => DarajaClient {
  const c = new DarajaClient({ environment: 'sandbox', consumerKey: 'test-consumer-key', consumerSecret: 'test-consumer-secret' });
  return () => c;
}

/** Intercepts the OAuth token request with the test credentials. */
export function tokenAnswer(): nock.Scope {
  const basic = `Basic ${Buffer.from('test-consumer-key:test-consumer-secret').toString('base64')}`;
  return nock(DARAJA_HOST, { reqheaders: { authorization: basic } })
    .get('/oauth/v1/generate').query({ grant_type: 'client_credentials' }).reply(200, { access_token: 'stk-test-token', expires_in: '3599' });
}

/** A fresh CheckoutRequestID shaped like Safaricom's (`ws_CO_...`). */
export function newCheckoutId(): string {
  return `ws_CO_${Date.now()}${Math.floor(Math.random() * 1e9)}`;
}

/**
 * Intercepts one push, recording its body and bearer token, and answers Safaricom's sample
 * acceptance (M-Pesa Express page) with `checkoutId`.
 */
export function pushAnswer(seen: Array<{ auth: string; body: any }>, checkoutId = newCheckoutId(), status = 200, answer?: unknown): nock.Scope { // eslint-disable-line @typescript-eslint/no-explicit-any
  return nock(DARAJA_HOST).post('/mpesa/stkpush/v1/processrequest').reply(function (_uri, body) {
    seen.push({ auth: String(this.req.headers.authorization), body });
    return [status, answer ?? {
      MerchantRequestID: '29115-34620561-1', CheckoutRequestID: checkoutId, ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing', CustomerMessage: 'Success. Request accepted for processing',
    }];
  });
}

/** Safaricom's sample successful STK callback (M-Pesa Express page; live callbacks also carry a `Balance` item with no Value), for `checkoutId`, `amount` shillings and `receipt`. */
export function stkSuccess(checkoutId: string, amount: number | string, receipt = newTransId()): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    Body: {
      stkCallback: {
        MerchantRequestID: '29115-34620561-1', CheckoutRequestID: checkoutId, ResultCode: 0, ResultDesc: 'The service request is processed successfully.',
        CallbackMetadata: {
          Item: [
            { Name: 'Amount', Value: amount }, { Name: 'MpesaReceiptNumber', Value: receipt }, { Name: 'Balance' },
            { Name: 'TransactionDate', Value: 20191219102115 }, { Name: 'PhoneNumber', Value: 254708374149 },
          ],
        },
      },
    },
  };
}

/** Safaricom's sample failed STK callback (`Request canceled by user.` for 1032), with `code`. */
export function stkFailure(checkoutId: string, code: number, desc = 'Request canceled by user.'): Record<string, unknown> {
  return { Body: { stkCallback: { MerchantRequestID: '29115-34620561-1', CheckoutRequestID: checkoutId, ResultCode: code, ResultDesc: desc } } };
}

/** Posts `body` (object or raw text) to `/mpesa/<token>/stk/callback`. */
export async function postStk(body: unknown, token = CALLBACK_TOKEN): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${await appUrl()}/mpesa/${token}/stk/callback`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* text */ }
  return { status: res.status, body: parsed };
}

/**
 * A top-up of `kes` shillings for `msisdn`, pushed by the worker's pass (token and push
 * intercepted) and accepted by Daraja: answers the request id and its CheckoutRequestID.
 * Other `requested` rows would be pushed by the same pass: the caller clears them first.
 */
export async function acceptedStk(msisdn: string, kes: number): Promise<{ id: bigint; checkoutId: string }> {
  const r = await requestStkTopUp({ msisdn, amount: BigInt(kes) * 100n, idempotencyKey: `test:stk:${newTransId()}` });
  const checkoutId = newCheckoutId();
  tokenAnswer();
  pushAnswer([], checkoutId);
  await pushRequestedStk(db, freshClient());
  const row = await stkRow(r.id);
  if (row.status !== 'accepted' || row.checkout_request_id !== checkoutId) throw new Error(`STK request ${r.id} was not accepted: ${row.status}`);
  return { id: r.id, checkoutId };
}

/** The stk_requests row `id`. */
export async function stkRow(id: bigint | string) {
  return db('stk_requests').where({ id }).first();
}

/** Each failure ResultCode of an STK callback: the request's status after it, and the SMS in English and Kiswahili (for KES 40). */
export const FAILURES: Array<[number, string, string, string]> = [
  [1032, 'cancelled', 'Your M-PESA top-up of KES 40 was cancelled. No money was moved.', 'Uwekaji wa KES 40 kutoka M-PESA umesitishwa. Hakuna pesa iliyohamishwa.'],
  [1037, 'failed', 'We could not reach your phone for the M-PESA top-up of KES 40. Make sure it is on and try again. No money was moved.',
    'Hatukuweza kufikia simu yako kwa uwekaji wa KES 40 kutoka M-PESA. Hakikisha imewashwa ujaribu tena. Hakuna pesa iliyohamishwa.'],
  [2001, 'failed', 'The M-PESA PIN entered for your top-up of KES 40 was wrong. No money was moved. Please try again.',
    'PIN ya M-PESA uliyoweka kwa uwekaji wa KES 40 si sahihi. Hakuna pesa iliyohamishwa. Tafadhali jaribu tena.'],
  [1, 'failed', 'Your M-PESA balance is not enough to top up KES 40. No money was moved.', 'Salio lako la M-PESA halitoshi kuweka KES 40. Hakuna pesa iliyohamishwa.'],
  [1019, 'failed', 'Your M-PESA top-up of KES 40 did not go through. No money was moved. Please try again later.',
    'Uwekaji wa KES 40 kutoka M-PESA haukufaulu. Hakuna pesa iliyohamishwa. Tafadhali jaribu tena baadaye.'],
];

/** Runs `fn` with the logger's lines at `level` and above collected (the usual transports muted); answers them. */
export async function captureLogs(level: string, fn: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const capture = new (class extends Transport {
    override log(info: Record<string, unknown>, next: () => void) {
      lines.push(info);
      next();
    }
  })({ level });
  const wasSilent = logger.silent ?? false;
  logger.silent = false;
  for (const t of logger.transports) t.silent = true;
  logger.add(capture);
  try {
    await fn();
  } finally {
    logger.remove(capture);
    for (const t of logger.transports) t.silent = false;
    logger.silent = wasSilent;
  }
  return lines;
}

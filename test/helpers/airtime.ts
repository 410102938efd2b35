/** Buy Airtime in tests: a purchase without the worker, AT's status callback, AT's transaction query (nock). */
import nock from 'nock';
import { randomUUID } from 'node:crypto';
import { buyAirtime } from '../../src/airtime/index.js';
import { AT_HOST } from './at.js';
import { makeCustomer, randomMsisdn } from './customers.js';
import { appUrl } from './ussd.js';

export const AT_FIND_PATH = '/query/transaction/find';
/** AT_USERNAME in test/helpers/env.ts: not `sandbox`, so the SDK calls production endpoints. */
const AT_USERNAME = 'simu-test';

/** A purchase as the USSD effect makes it (payer funded with KES 1,000), without the worker. */
export async function purchase(kes = 50, recipient = randomMsisdn()) {
  const payer = await makeCustomer(1000);
  const bought = await buyAirtime({ payerMsisdn: payer.msisdn, recipientMsisdn: recipient, amount: BigInt(kes) * 100n, pin: '1234', idempotencyKey: `test:${randomUUID()}` });
  return { payer, recipient, id: String(bought.requestId), bought };
}

/** Posts AT's airtime status callback, form-encoded unless `json`. */
export async function postStatus(fields: Record<string, string>, json = false): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${await appUrl()}/airtime/status`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * AT's 200 answer to a transaction query that found `transactionId` with the transaction
 * status `status` (AT's "Query Find Transaction" shape: the query's status, then `data`).
 */
export function atFindAnswer(transactionId: string, status: string, description = status === 'Success' ? 'Airtime Delivered Successfully' : 'Airtime Failed') {
  return {
    status: 'Success',
    data: {
      requestMetadata: {}, sourceType: 'Wallet', source: 'PaymentWallet', provider: 'Athena', destinationType: 'PhoneNumber',
      description, providerChannel: 'Airtime', transactionFee: 'KES 0.0000', providerMetadata: {}, status, productName: 'Airtime',
      category: 'Airtime', transactionDate: '12.05.2026 21:46:13', destination: '+254711000000', value: 'KES 50.0000',
      transactionId, creationTime: '2026-05-12 18:46:12',
    },
  };
}

/**
 * Intercepts the next `times` queries about `transactionId` (as the SDK sends them: GET
 * with `username` and `transactionId`) and answers `status` with `body`; a `body` of
 * `{ error: code }` with status 0 cuts the connection instead. Returns the scope.
 */
export function interceptAtFind(transactionId: string, status: number, body: unknown, times = 1): nock.Scope {
  const interceptor = nock(AT_HOST).get(AT_FIND_PATH).query({ username: AT_USERNAME, transactionId }).times(times);
  if (status === 0) return interceptor.replyWithError(Object.assign(new Error('socket hang up'), { code: (body as { error: string }).error }));
  return interceptor.reply(status, typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': 'application/json' });
}

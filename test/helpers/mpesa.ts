/** Daraja C2B callbacks for tests: Safaricom's sample body, posted to our own app. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { getAccount, displayBalance, systemAccount } from '../../src/ledger/index.js';
import { appUrl } from './ussd.js';

export const CALLBACK_TOKEN = 'test-mpesa-callback-token';

/**
 * Safaricom's sample C2B v2 confirmation body (developer.safaricom.co.ke, Customer To
 * Business Register URL: "RKTQDM7W6S", "Pay Bill", amount "10", masked MSISDN), with the
 * test paybill 600999, a fresh TransID and the fields a test overrides.
 */
export function c2bSample(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    TransactionType: 'Pay Bill',
    TransID: newTransId(),
    TransTime: '20191122063845',
    TransAmount: '10',
    BusinessShortCode: '600999',
    BillRefNumber: 'invoice008',
    InvoiceNumber: '',
    OrgAccountBalance: '',
    ThirdPartyTransID: '',
    MSISDN: '25470****149',
    FirstName: 'John',
    MiddleName: '',
    LastName: 'Doe',
    ...overrides,
  };
}

/** A fresh M-Pesa-like transaction id (10 upper-case letters and digits, letter first). */
export function newTransId(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return 'T' + Array.from({ length: 9 }, () => chars[randomInt(chars.length)]).join('');
}

/** Posts `body` (an object, or raw text) to `/mpesa/<token>/c2b/<what>`; answers status and parsed body. */
export async function postC2b(what: 'validation' | 'confirmation', body: unknown, token = CALLBACK_TOKEN) {
  const res = await fetch(`${await appUrl()}/mpesa/${token}/c2b/${what}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { parsed = JSON.parse(text); } catch { parsed = text; }
  return { status: res.status, body: parsed };
}

/** A wallet's balance (cents, positive). */
export async function walletBalance(walletAccountId: number): Promise<bigint> {
  return displayBalance(await getAccount(db, walletAccountId));
}

/** suspense:mpesa's balance (cents, positive). */
export async function suspenseBalance(): Promise<bigint> {
  const s = await systemAccount(db, 'suspenseMpesa');
  return displayBalance(await getAccount(db, s.id));
}

/** The receipt row of `transId`, or undefined. */
export async function receiptRow(transId: string) {
  return db('mpesa_receipts').where({ trans_id: transId }).first();
}
